"""Issue 9 points 15 and 16: a transition that lost the race answers 409 ``conflict``; an
apology cannot move the due date without bound; no hand-off to a unit no longer in force."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.db.models import F
from django.utils import timezone

from egov.dossiers.errors import StaleRevision, TransitionError
from egov.dossiers.models import Dossier
from egov.dossiers.services.apology import dossier_apologise
from egov.dossiers.services.reception import dossier_receive
from egov.dossiers.services.transitions import dossier_transition
from egov.dossiers.tests.helpers import reception, user
from egov.dossiers.tests.test_staff_api import make_key, post
from egov.org.models import Unit
from egov.workdays.engine import VIETNAM_TZ

pytestmark = pytest.mark.django_db
LLTP = "qn-cap-phieu-ly-lich-tu-phap"


def at(*args):
    return dt.datetime(*args, tzinfo=VIETNAM_TZ)


def test_a_stale_object_gets_a_conflict_not_a_refusal(quang_ninh):
    receptionist = user("tinh.tiepnhan")
    dossier = dossier_receive(actor=receptionist, reception=reception(LLTP))
    first = Dossier.objects.get(pk=dossier.pk)
    second = Dossier.objects.get(pk=dossier.pk)  # loaded before the first officer acted
    dossier_transition(actor=receptionist, dossier=first, action="hand_off")
    with pytest.raises(StaleRevision, match="vừa được người khác xử lý"):
        dossier_transition(actor=receptionist, dossier=second, action="hand_off")
    assert Dossier.objects.get(pk=dossier.pk).events.filter(action="hand_off").count() == 1


class MoveRevisionBeforeUpdate:
    """Another worker commits a change of the dossier between our read and our UPDATE: runs
    that change just before the first UPDATE of the dossier table (a database hook, not a
    replacement of our code)."""

    def __init__(self, pk):
        self.pk = pk
        self.done = False

    def __call__(self, execute, sql, params, many, context):
        if not self.done and sql.startswith('UPDATE "dossiers_dossier"'):
            self.done = True
            Dossier.objects.filter(pk=self.pk).update(revision=F("revision") + 1)
        return execute(sql, params, many, context)


def test_the_api_answers_409_when_the_revision_moved_between_load_and_update(quang_ninh, client):
    key = make_key()
    dossier = dossier_receive(actor=user("tinh.tiepnhan"), reception=reception(LLTP))
    url = f"/api/v1/staff/dossiers/{dossier.code}/transitions"
    with connection.execute_wrapper(MoveRevisionBeforeUpdate(dossier.pk)):
        response = post(client, url, key, {"action": "hand_off"})
    assert response.status_code == 409, response.content
    assert response.json()["error"]["code"] == "revision_conflict"
    assert Dossier.objects.get(pk=dossier.pk).status == "received"
    refused = post(client, url, key, {"action": "approve"})
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "forbidden"
    # (The simulated change was rolled back with the refused transaction.)
    read = Dossier.objects.get(pk=dossier.pk).revision
    assert post(client, url, key, {"action": "hand_off", "revision": read}).status_code == 200
    stale = post(client, url, key, {"action": "hand_off", "revision": read})
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "revision_conflict"


def test_both_answers_are_documented():
    from egov.api.api import api

    responses = api.get_openapi_schema()["paths"]["/api/v1/staff/dossiers/{code}/transitions"][
        "post"
    ]["responses"]
    assert "revision_conflict" in responses[409]["description"]
    assert "state_conflict" in responses[409]["description"]
    assert "forbidden" in responses[403]["description"]
    assert "invalid_input" in responses[422]["description"]
    assert "unauthenticated" in responses[401]["description"]


def _received_lltp():
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        return dossier_receive(actor=user("tinh.tiepnhan"), reception=reception(LLTP))


def test_apology_cannot_move_the_due_date_to_year_9999(quang_ninh, client):
    dossier = _received_lltp()
    key = make_key(unit="qn.so-tu-phap", role="department_leader", name="lanhdao")
    with time_machine.travel(at(2026, 3, 5, 9, 0), tick=False):
        response = post(
            client,
            f"/api/v1/staff/dossiers/{dossier.code}/apology",
            key,
            {"new_due": "9999-12-31T17:00:00+07:00", "reason": "Chờ xác minh"},
        )
    assert response.status_code == 422
    assert response.json()["error"]["message"] == (
        "Ngày hẹn mới chỉ được muộn hơn ngày hẹn trả hiện tại (12/03/2026) tối đa 90 ngày "
        "(giới hạn do đơn vị cấu hình, EGOV_APOLOGY_MAX_EXTENSION_DAYS)."
    )
    dossier.refresh_from_db()
    assert dossier.due_at == at(2026, 3, 12, 17, 0) and dossier.apologised_at is None


def test_the_maximum_extension_is_a_setting(quang_ninh, settings):
    settings.EGOV_APOLOGY_MAX_EXTENSION_DAYS = 10
    dossier = _received_lltp()
    specialist = user("tinh.lanhdaophong")  # the competent unit's head signs
    with time_machine.travel(at(2026, 3, 5, 9, 0), tick=False):
        with pytest.raises(TransitionError, match="tối đa 10 ngày"):
            dossier_apologise(
                actor=specialist, dossier=dossier, new_due=at(2026, 3, 23, 17, 0), reason="Xác minh"
            )
        dossier = dossier_apologise(
            actor=specialist, dossier=dossier, new_due=at(2026, 3, 22, 17, 0), reason="Xác minh"
        )
    assert dossier.due_at == at(2026, 3, 22, 17, 0)


def test_hand_off_to_a_unit_no_longer_in_force_is_refused(quang_ninh, client):
    dissolved = Unit.objects.filter(valid_until__lte=timezone.localdate()).order_by("key").first()
    assert dissolved is not None and dissolved.valid_until.year == 2025
    dossier = dossier_receive(actor=user("tinh.tiepnhan"), reception=reception(LLTP))
    response = post(
        client,
        f"/api/v1/staff/dossiers/{dossier.code}/transitions",
        make_key(),
        {"action": "hand_off", "handling_unit": dissolved.key},
    )
    assert response.status_code == 422
    assert response.json()["error"]["message"] == (
        f"Đơn vị “{dissolved.name}” không còn hoạt động (đã giải thể, sáp nhập); hãy chọn đơn "
        "vị khác."
    )
    dossier.refresh_from_db()
    assert dossier.status == "received" and dossier.handling_unit is None
