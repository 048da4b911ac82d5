"""Idempotency-Key on the staff API's writes: a retry gets the first answer and writes nothing."""

import datetime as dt
import json
import threading
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import connections
from django.test import Client

from egov.accounts import idempotency
from egov.accounts.models import IdempotentRequest
from egov.catalog.selectors import version_by_code
from egov.dossiers.models import Dossier, DossierEvent
from egov.workdays.engine import VIETNAM_TZ

pytestmark = pytest.mark.django_db
DOSSIERS = "/api/v1/staff/dossiers"


def make_key(name="kiosk-1"):
    out = StringIO()
    call_command(
        "api_client", "create", name, "--unit", "qn.ttpvhcc", "--role", "receptionist",
        stdout=out, stderr=StringIO(),
    )  # fmt: skip
    return out.getvalue().strip()


def post(client, url, key, body, idempotency_key=None, **headers):
    if idempotency_key is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = idempotency_key
    return client.post(
        url,
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
        **headers,
    )


def reception_body(name="Nguyễn Văn An"):
    version = version_by_code("qn-cap-phieu-ly-lich-tu-phap")
    return {
        "procedure": "qn-cap-phieu-ly-lich-tu-phap",
        "applicant": {"name": name, "personal_id": "022084000123"},
        "components": [
            {"component_id": c.pk, "originals": 1} for c in version.components.filter(required=True)
        ],
    }


def test_a_retried_reception_gets_the_first_answer_and_creates_nothing(quang_ninh, client):
    key = make_key()
    first = post(client, DOSSIERS, key, reception_body(), "nhan-ho-so-0001")
    assert first.status_code == 201, first.content
    assert "Idempotent-Replayed" not in first.headers
    again = post(client, DOSSIERS, key, reception_body(), "nhan-ho-so-0001")
    assert again.status_code == 201
    assert again.content == first.content
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.headers["Content-Type"] == "application/json; charset=utf-8"
    assert list(Dossier.objects.values_list("code", flat=True)) == [first.json()["code"]]
    # The answer is the one without the header too: same fields, same values.
    plain = post(client, DOSSIERS, key, reception_body())
    assert plain.status_code == 201
    assert sorted(plain.json()) == sorted(first.json())
    assert Dossier.objects.count() == 2


def test_the_same_key_with_another_body_is_refused(quang_ninh, client, settings):
    key = make_key()
    assert post(client, DOSSIERS, key, reception_body(), "k-1").status_code == 201
    other = post(client, DOSSIERS, key, reception_body("Trần Thị Bình"), "k-1")
    assert other.status_code == 422
    assert other.json()["error"] == {
        "code": "idempotency_key_reused",
        "message": "Idempotency-Key này đã được dùng cho một yêu cầu khác; mỗi yêu cầu mới cần "
        "một khóa mới.",
        "details": [],
    }
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = post(client, DOSSIERS, key, reception_body("Trần Thị Bình"), "k-1")
    assert english.json()["error"]["message"] == (
        "This Idempotency-Key was already used for another request; each new request needs a "
        "new key."
    )
    assert Dossier.objects.count() == 1


def test_keys_belong_to_one_client_and_expire(quang_ninh, client, settings):
    settings.EGOV_IDEMPOTENCY_KEY_HOURS = 1
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=VIETNAM_TZ)
    kiosk, other = make_key(), make_key("kiosk-2")
    with time_machine.travel(start, tick=False):
        first = post(client, DOSSIERS, kiosk, reception_body(), "k-1")
        second = post(client, DOSSIERS, other, reception_body(), "k-1")
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["code"] != second.json()["code"]
    with time_machine.travel(start + dt.timedelta(minutes=59), tick=False):
        assert post(client, DOSSIERS, kiosk, reception_body(), "k-1").content == first.content
    assert Dossier.objects.count() == 2
    with time_machine.travel(start + dt.timedelta(hours=1), tick=False):
        late = post(client, DOSSIERS, kiosk, reception_body(), "k-1")
    assert late.status_code == 201 and late.json()["code"] != first.json()["code"]
    assert Dossier.objects.count() == 3
    # The expired record was replaced by the new answer.
    assert IdempotentRequest.objects.count() == 2


def test_expired_keys_of_every_client_are_swept_now_and_then(quang_ninh, client, monkeypatch):
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=VIETNAM_TZ)
    kiosk, other = make_key(), make_key("kiosk-2")
    with time_machine.travel(start, tick=False):
        post(client, DOSSIERS, kiosk, reception_body(), "k-1")
        post(client, DOSSIERS, kiosk, reception_body(), "k-2")
    assert IdempotentRequest.objects.count() == 2
    monkeypatch.setattr(idempotency, "SWEEP_EVERY", 1)  # every keyed write sweeps
    with time_machine.travel(start + dt.timedelta(days=2), tick=False):
        post(client, DOSSIERS, other, reception_body(), "k-9")
    assert list(IdempotentRequest.objects.values_list("key", flat=True)) == ["k-9"]


def test_a_retried_transition_is_applied_once(quang_ninh, client):
    key = make_key()
    code = post(client, DOSSIERS, key, reception_body()).json()["code"]
    url = f"{DOSSIERS}/{code}/transitions"
    body = {"action": "hand_off"}  # to the competent unit, Công an tỉnh since 01/07/2026
    moved = post(client, url, key, body, "chuyen-1")
    assert moved.status_code == 200 and moved.json()["status"] == "processing"
    again = post(client, url, key, body, "chuyen-1")
    assert (again.status_code, again.content) == (200, moved.content)
    dossier = Dossier.objects.get(code=code)
    assert dossier.revision == 1
    assert list(DossierEvent.objects.filter(dossier=dossier).values_list("action", flat=True)) == [
        "receive",
        "hand_off",
    ]


def test_errors_are_not_kept_and_bad_keys_are_refused(quang_ninh, client):
    key = make_key()
    code = post(client, DOSSIERS, key, reception_body()).json()["code"]
    url = f"{DOSSIERS}/{code}/transitions"
    refused = post(client, url, key, {"action": "approve"}, "duyet-1")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "forbidden"
    assert IdempotentRequest.objects.count() == 0
    assert post(client, url, key, {"action": "approve"}, "duyet-1").content == refused.content
    for bad in ("x" * 256, "khóa"):
        answer = post(client, url, key, {"action": "hand_off"}, bad)
        assert answer.status_code == 422
        assert answer.json()["error"]["code"] == "invalid_idempotency_key"
    assert Dossier.objects.get(code=code).revision == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_with_one_key_create_one_dossier(quang_ninh):
    workers = 8
    key, body = make_key(), reception_body()
    answers, errors = [], []
    barrier = threading.Barrier(workers)

    def send():
        try:
            barrier.wait(timeout=30)
            answers.append(post(Client(), DOSSIERS, key, body, "dong-thoi-1"))
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Dossier.objects.count() == 1
    assert {(a.status_code, a.content) for a in answers} == {(201, answers[0].content)}
    assert sorted(a.headers.get("Idempotent-Replayed", "") for a in answers) == [""] + ["true"] * (
        workers - 1
    )
