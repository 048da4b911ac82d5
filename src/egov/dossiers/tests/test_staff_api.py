import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from egov.accounts.models import ApiClient
from egov.catalog.selectors import version_by_code

pytestmark = pytest.mark.django_db


def make_key(unit="qn.ttpvhcc", role="receptionist", name="kiosk-1"):
    out = StringIO()
    call_command(
        "api_client", "create", name, "--unit", unit, "--role", role, stdout=out, stderr=StringIO()
    )
    return out.getvalue().strip()


def post(client, url, key, body):
    return client.post(
        url,
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )


def test_key_is_stored_hashed_and_required(quang_ninh, client):
    key = make_key()
    stored = ApiClient.objects.get(name="kiosk-1")
    assert key.startswith("egov_") and key not in (stored.key_hash, stored.key_prefix)
    assert client.get("/api/v1/staff/dossiers").status_code == 401
    wrong = client.get("/api/v1/staff/dossiers", HTTP_AUTHORIZATION="Bearer egov_0000_nope")
    assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "unauthenticated"
    with pytest.raises(CommandError):
        make_key(unit="khong-co")


def test_receive_list_get_transition_and_download(quang_ninh, client):
    key = make_key()
    version = version_by_code("qn-cap-phieu-ly-lich-tu-phap")
    body = {
        "procedure": "qn-cap-phieu-ly-lich-tu-phap",
        "applicant": {"name": "Nguyễn Văn An", "personal_id": "022084000123"},
        "components": [
            {"component_id": c.pk, "originals": 1} for c in version.components.filter(required=True)
        ],
    }
    created = post(client, "/api/v1/staff/dossiers", key, body)
    assert created.status_code == 201, created.content
    code = created.json()["code"]
    assert created.json()["allowed_actions"] == ["hand_off", "withdraw"]
    listing = client.get("/api/v1/staff/dossiers", HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert [d["code"] for d in listing["items"]] == [code]
    assert listing["next_cursor"] is None
    moved = post(
        client,
        f"/api/v1/staff/dossiers/{code}/transitions",
        key,
        {"action": "hand_off", "revision": 0},
    )
    assert moved.status_code == 200 and moved.json()["status"] == "processing"
    assert moved.json()["handling_unit"] == "qn.cong-an-tinh"  # competent since 01/07/2026
    stale = post(
        client,
        f"/api/v1/staff/dossiers/{code}/transitions",
        key,
        {"action": "withdraw", "revision": 0, "reason": "x"},
    )
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "revision_conflict"
    refused = post(client, f"/api/v1/staff/dossiers/{code}/transitions", key, {"action": "approve"})
    assert refused.status_code == 403 and "quyền" in refused.json()["error"]["message"]
    assert refused.json()["error"]["code"] == "forbidden"
    pdf = client.get(
        f"/api/v1/staff/dossiers/{code}/receipt.pdf", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_invalid_reception_lists_every_field(quang_ninh, client):
    key = make_key()
    body = {
        "procedure": "1.001612",
        "applicant": {"name": "", "personal_id": "1", "phone": "0"},
        "components": [],
    }
    response = post(client, "/api/v1/staff/dossiers", key, body)
    assert response.status_code == 422
    fields = {d["field"] for d in response.json()["error"]["details"]}
    assert {"applicant.name", "applicant.personal_id", "applicant.phone"} <= fields
    assert (
        post(client, "/api/v1/staff/dossiers", key, {**body, "procedure": "9.999999"}).status_code
        == 404
    )


def test_other_units_dossiers_are_invisible(quang_ninh, client):
    key = make_key()
    other = make_key(unit="qn.x.hong-gai.ttpvhcc", name="kiosk-hong-gai")
    version = version_by_code("1.001612")
    body = {
        "procedure": "1.001612",
        "applicant": {"name": "An", "personal_id": "022084000123"},
        "components": [
            {"component_id": c.pk, "originals": 1} for c in version.components.filter(required=True)
        ],
    }
    code = post(client, "/api/v1/staff/dossiers", key, body).json()["code"]
    assert (
        client.get(
            f"/api/v1/staff/dossiers/{code}", HTTP_AUTHORIZATION=f"Bearer {other}"
        ).status_code
        == 404
    )


def test_keys_whose_secret_contains_underscores_authenticate(quang_ninh):
    import hashlib

    from egov.accounts.models import User
    from egov.accounts.services import api_client_authenticate

    key = "egov_abcd1234_se_cr_et-with_underscores"
    user = User.objects.create(username="api.abcd1234")
    ApiClient.objects.create(
        name="t",
        user=user,
        key_prefix="abcd1234",
        key_hash=hashlib.sha256(key.encode()).hexdigest(),
        expires_at=timezone.now() + dt.timedelta(days=1),  # every key has an expiry
    )
    assert api_client_authenticate(key).user == user
    assert api_client_authenticate(key + "x") is None
    assert api_client_authenticate("egov_abcd1234") is None


def test_processing_actions_and_postal_client_through_the_api(quang_ninh, client):
    """A leader's token assigns, the specialist asks for a supplement with every item, the
    desk's kiosk sends the result by post and the postal operator's client confirms it."""
    from egov.dossiers.services.postal import book_shipments
    from egov.dossiers.services.reception import dossier_receive
    from egov.dossiers.services.transitions import dossier_transition
    from egov.dossiers.tests.helpers import reception, user

    dossier = dossier_receive(
        actor=user("tinh.tiepnhan"), reception=reception("qn-cap-phieu-ly-lich-tu-phap")
    )
    dossier = dossier_transition(actor=user("tinh.tiepnhan"), dossier=dossier, action="hand_off")
    url = f"/api/v1/staff/dossiers/{dossier.code}/transitions"
    leader = make_key(unit="qn.so-tu-phap", role="department_leader", name="lanh-dao")
    specialist = make_key(unit="qn.so-tu-phap", role="specialist", name="chuyen-vien")
    desk = make_key()
    postal = make_key(role="postal", name="buu-dien")
    specialist_user = ApiClient.objects.get(name="chuyen-vien").user.username
    assigned = post(client, url, leader, {"action": "assign", "assignee": specialist_user})
    assert assigned.status_code == 200 and assigned.json()["assignee"] == specialist_user
    mine = client.get(
        "/api/v1/staff/dossiers?mine=true", HTTP_AUTHORIZATION=f"Bearer {specialist}"
    ).json()
    assert [d["code"] for d in mine["items"]] == [dossier.code]
    empty = post(client, url, specialist, {"action": "request_supplement"})
    assert empty.status_code == 422 and "liệt kê" in empty.json()["error"]["message"]
    assert empty.json()["error"]["code"] == "invalid_input"
    assert [(d["field"], d["code"]) for d in empty.json()["error"]["details"]] == [
        ("items", "invalid")
    ]
    asked = post(
        client, url, specialist, {"action": "request_supplement", "items": ["Bản sao CCCD"]}
    )
    assert asked.json()["events"][-1]["data"] == {"items": ["Bản sao CCCD"], "number": 1}
    form = client.get(
        f"/api/v1/staff/dossiers/{dossier.code}/supplement-requests/1.pdf",
        HTTP_AUTHORIZATION=f"Bearer {desk}",
    )
    assert form.status_code == 200 and form.content.startswith(b"%PDF")
    missing = client.get(
        f"/api/v1/staff/dossiers/{dossier.code}/supplement-requests/2.pdf",
        HTTP_AUTHORIZATION=f"Bearer {desk}",
    )
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "notice_not_found"
    post(client, url, desk, {"action": "supplemented"})
    dossier.refresh_from_db()
    dossier_transition(actor=user("tinh.lanhdaophong"), dossier=dossier, action="approve")
    sent = post(client, url, desk, {"action": "send_by_post", "address": "Tổ 5, Hồng Gai"})
    assert sent.status_code == 200 and sent.json()["status"] == "result_in_transit"
    assert book_shipments().booked == 1
    tracking = client.get(
        f"/api/v1/staff/dossiers/{dossier.code}", HTTP_AUTHORIZATION=f"Bearer {postal}"
    ).json()["shipments"][0]["tracking_number"]
    delivered = post(
        client,
        url,
        postal,
        {"action": "postal_delivered", "received_by": "Nguyễn Văn An", "tracking_number": tracking},
    )
    assert delivered.status_code == 200 and delivered.json()["status"] == "returned"


def test_a_dossier_received_with_public_api_data_only(quang_ninh, client):
    """An integrator finds the procedure, reads its component ids from the procedure detail,
    receives the dossier and follows it in the public lookup: no staff web form needed."""
    key = make_key()
    found = client.get("/api/v1/procedures", {"q": "ly lich tu phap"}).json()["items"]
    code = found[0]["code"]
    detail = client.get(f"/api/v1/procedures/{code}").json()
    required = [c for c in detail["components"] if c["required"]]
    assert [type(c["id"]) for c in required] == [int] * len(required) and required
    body = {
        "procedure": code,
        "applicant": {"name": "Nguyễn Văn An", "personal_id": "022084000123"},
        "components": [{"component_id": c["id"], "originals": 1} for c in required],
    }
    created = post(client, "/api/v1/staff/dossiers", key, body)
    assert created.status_code == 201, created.content
    public = client.get(f"/api/v1/public/dossiers/{created.json()['code']}").json()
    assert public["status"] == "received"
    assert public["procedure"] == detail["name"]
