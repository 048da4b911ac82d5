"""The staff API's semantics for an integrator (issue 14 §4): enums in the schema and refused
unknown values, distinct error codes, one datetime rule, one paging style, the changes feed,
assignable staff, the postal client's scope and a retried fee recorded once."""

import datetime as dt
import json

import pytest
import time_machine

from egov.api.api import api
from egov.dossiers.models import Dossier, DossierPayment, DossierStatus, PaymentMethod
from egov.dossiers.selectors import assignable_specialists
from egov.dossiers.services.postal import book_shipments
from egov.dossiers.services.reception import dossier_receive
from egov.dossiers.services.transitions import dossier_transition
from egov.dossiers.tests.helpers import PROVINCIAL, reception, user
from egov.dossiers.tests.test_staff_api import make_key, post
from egov.workdays.engine import VIETNAM_TZ

pytestmark = pytest.mark.django_db

LIST = "/api/v1/staff/dossiers"
CHANGES = "/api/v1/staff/dossiers/changes"


def get(client, url, key, params=None, **headers):
    return client.get(url, params or {}, HTTP_AUTHORIZATION=f"Bearer {key}", **headers)


def _schema(name):
    return api.get_openapi_schema()["components"]["schemas"][name]


def _enum(schema):
    """The values of an enum property, through a $ref or an anyOf with null."""
    components = api.get_openapi_schema()["components"]["schemas"]
    options = schema.get("anyOf", schema.get("allOf", [schema]))
    for option in options:
        if "$ref" in option:
            return components[option["$ref"].rsplit("/", 1)[1]]["enum"]
        if "enum" in option:
            return option["enum"]
    raise AssertionError(schema)


def test_enum_like_fields_are_enums_in_the_schema():
    dossier = _schema("DossierOut")["properties"]
    assert _enum(dossier["status"]) == list(DossierStatus.values)
    assert _enum(_schema("EventOut")["properties"]["from_status"]) == list(DossierStatus.values)
    assert "hand_off" in _enum(_schema("EventOut")["properties"]["action"])
    assert _enum(_schema("PaymentOut")["properties"]["method"]) == list(PaymentMethod.values)
    assert _enum(_schema("FeeIn")["properties"]["method"]) == list(PaymentMethod.values)
    assert _enum(_schema("ShipmentOut")["properties"]["status"]) == [
        "requested",
        "booked",
        "delivered",
        "failed",
    ]
    assert _enum(_schema("DossierSummaryOut")["properties"]["urgency"]) == [
        "overdue",
        "due_soon",
        "in_time",
    ]
    assert _enum(_schema("NoticeOut")["properties"]["kind"]) == ["guidance", "refusal"]
    assert _enum(_schema("ApplicantIn")["properties"]["kind"]) == ["citizen", "organisation"]
    assert _enum(_schema("DossierReceiveIn")["properties"]["result_delivery"]) == [
        "counter",
        "post",
        "online",
    ]
    assert _enum(_schema("IncomingOut")["properties"]["status"])
    assert _enum(_schema("OutgoingSummaryOut")["properties"]["status"])
    parameters = {
        p["name"]: p for p in api.get_openapi_schema()["paths"][LIST]["get"]["parameters"]
    }
    assert _enum(parameters["status"]["schema"]) == list(DossierStatus.values)
    assert _enum(parameters["channel"]["schema"]) == ["counter", "post", "online"]
    assert _enum(parameters["scope"]["schema"]) == ["open", "closed", "all"]


@pytest.mark.parametrize("name", ["status", "urgency", "channel", "scope"])
def test_unknown_filter_values_are_refused_not_ignored(quang_ninh, client, name):
    key = make_key()
    answer = get(client, LIST, key, {name: "khong-co"})
    assert answer.status_code == 422
    error = answer.json()["error"]
    assert (error["code"], [(d["field"], d["code"]) for d in error["details"]]) == (
        "invalid_input",
        [(name, "enum")],
    )


def test_closed_dossiers_are_reachable_and_the_list_pages_by_cursor(quang_ninh, client):
    key = make_key()
    desk = user("tinh.tiepnhan")
    kept = [dossier_receive(actor=desk, reception=reception()) for _ in range(3)]
    gone = dossier_receive(actor=desk, reception=reception())
    dossier_transition(actor=desk, dossier=gone, action="withdraw", reason="Người nộp rút")
    seen, cursor = [], ""
    while True:
        page = get(client, LIST, key, {"limit": 2, "cursor": cursor}).json()
        seen += [item["code"] for item in page["items"]]
        if page["next_cursor"] is None:
            break
        cursor = page["next_cursor"]
    assert sorted(seen) == sorted(d.code for d in kept)
    closed = get(client, LIST, key, {"scope": "closed"}).json()
    assert [(i["code"], i["status"]) for i in closed["items"]] == [(gone.code, "withdrawn")]
    by_status = get(client, LIST, key, {"status": "withdrawn"}).json()["items"]
    assert [i["code"] for i in by_status] == [gone.code]
    assert len(get(client, LIST, key, {"scope": "all"}).json()["items"]) == 4
    bad = get(client, LIST, key, {"cursor": "abc"})
    assert (bad.status_code, bad.json()["error"]["code"]) == (422, "invalid_cursor")


def test_errors_are_told_apart(quang_ninh, client):
    key = make_key()
    dossier = dossier_receive(actor=user("tinh.tiepnhan"), reception=reception(PROVINCIAL))
    url = f"{LIST}/{dossier.code}/transitions"
    # The receptionist may hand over results, but not while the dossier is being received.
    state = post(client, url, key, {"action": "return_result", "received_by": "An"})
    assert state.status_code == 409 and state.json()["error"]["code"] == "state_conflict"
    role = post(client, url, key, {"action": "approve"})
    assert role.status_code == 403 and role.json()["error"]["code"] == "forbidden"
    invalid = post(client, url, key, {"action": "withdraw"})
    assert invalid.status_code == 422
    assert invalid.json()["error"]["details"] == [
        {"field": "reason", "message": "Cần ghi rõ lý do.", "code": "invalid"}
    ]
    unknown = post(client, url, key, {"action": "fly"})
    assert [(d["field"], d["code"]) for d in unknown.json()["error"]["details"]] == [
        ("action", "enum")
    ]
    done = post(client, url, key, {"action": "hand_off", "revision": 0})
    assert done.status_code == 200
    # The same request again: the revision says it was done, nothing is done twice.
    again = post(client, url, key, {"action": "hand_off", "revision": 0})
    assert (again.status_code, again.json()["error"]["code"]) == (409, "revision_conflict")
    assert Dossier.objects.get(pk=dossier.pk).revision == 1


def test_every_staff_operation_documents_401():
    for path, operations in api.get_openapi_schema()["paths"].items():
        for operation in operations.values():
            if operation["security"]:
                assert operation["responses"][401]["description"].startswith("unauthenticated"), (
                    path
                )


def test_moments_leave_in_vietnam_time_and_must_come_with_an_offset(quang_ninh, client):
    with time_machine.travel(dt.datetime(2026, 3, 2, 1, 30, tzinfo=dt.UTC), tick=False):
        dossier = dossier_receive(actor=user("tinh.tiepnhan"), reception=reception(PROVINCIAL))
        key = make_key()
        body = get(client, f"{LIST}/{dossier.code}", key).json()
    assert body["received_at"] == "2026-03-02T08:30:00+07:00"
    assert body["events"][0]["at"] == "2026-03-02T08:30:00+07:00"
    assert body["events"][0]["from_status"] is None
    assert body["due_at"].endswith("+07:00")


def test_event_data_moments_follow_the_same_rule():
    from egov.core.api_render import normalise_moments, rfc3339

    assert rfc3339(dt.datetime(2026, 5, 4, 10, 0, tzinfo=dt.UTC)) == "2026-05-04T17:00:00+07:00"
    assert (
        rfc3339(dt.datetime(2026, 5, 4, 10, 0, 0, 250000, tzinfo=dt.UTC))
        == "2026-05-04T17:00:00.250+07:00"
    )
    data = {
        "applicant_until": "2026-05-04T10:00:00+00:00",
        "new_due": "2026-05-04T10:00:00Z",
        "nested": [{"at": "2026-05-04T17:00:00+07:00"}],
        "code": "000.00.89.H49-260504-0001",
        "day": "2026-05-04",
    }
    assert normalise_moments(data) == {
        "applicant_until": "2026-05-04T17:00:00+07:00",
        "new_due": "2026-05-04T17:00:00+07:00",
        "nested": [{"at": "2026-05-04T17:00:00+07:00"}],
        "code": "000.00.89.H49-260504-0001",
        "day": "2026-05-04",
    }


def test_the_changes_feed_lets_a_partner_catch_up_without_webhooks(quang_ninh, client):
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=VIETNAM_TZ)
    desk = user("tinh.tiepnhan")
    with time_machine.travel(start, tick=False):
        key = make_key()
        first = dossier_receive(actor=desk, reception=reception(PROVINCIAL))
        # Not yet settled (EGOV_CHANGES_SETTLE_SECONDS): nothing listed, cursor at the start.
        early = get(client, CHANGES, key).json()
        assert early["items"] == []
    with time_machine.travel(start + dt.timedelta(minutes=1), tick=False):
        dossier_transition(actor=desk, dossier=first, action="hand_off")
        second = dossier_receive(actor=desk, reception=reception(PROVINCIAL))
    with time_machine.travel(start + dt.timedelta(minutes=2), tick=False):
        page = get(client, CHANGES, key, {"since": early["next_cursor"], "limit": 2}).json()
        assert [(i["dossier"], i["sequence"], i["action"]) for i in page["items"]] == [
            (first.code, 1, "receive"),
            (first.code, 2, "hand_off"),
        ]
        assert page["items"][1] == {
            "dossier": first.code,
            "sequence": 2,
            "action": "hand_off",
            "from_status": "received",
            "to_status": "processing",
            "at": "2026-03-02T09:01:00+07:00",
        }
        rest = get(client, CHANGES, key, {"since": page["next_cursor"]}).json()
        assert [(i["dossier"], i["action"]) for i in rest["items"]] == [(second.code, "receive")]
        caught_up = get(client, CHANGES, key, {"since": rest["next_cursor"]}).json()
        assert caught_up == {"items": [], "next_cursor": rest["next_cursor"]}
        by_moment = get(client, CHANGES, key, {"since": "2026-03-02T02:00:30Z"}).json()
        assert [i["action"] for i in by_moment["items"]] == ["hand_off", "receive"]
        naive = get(client, CHANGES, key, {"since": "2026-03-02T09:00:00"})
        assert naive.status_code == 422
        assert [(d["field"], d["code"]) for d in naive.json()["error"]["details"]] == [
            ("since", "timezone_aware")
        ]
        # Another centre's client sees none of these dossiers.
        other = make_key(unit="qn.x.hong-gai.ttpvhcc", name="kiosk-hong-gai")
        assert get(client, CHANGES, other).json()["items"] == []


def test_a_leader_lists_whom_to_assign(quang_ninh, client):
    desk = user("tinh.tiepnhan")
    dossier = dossier_receive(actor=desk, reception=reception(PROVINCIAL))
    dossier_transition(actor=desk, dossier=dossier, action="hand_off")
    leader = make_key(unit="qn.so-tu-phap", role="department_leader", name="lanh-dao")
    make_key(unit="qn.so-tu-phap", role="specialist", name="chuyen-vien")
    url = f"{LIST}/{dossier.code}/assignees"
    listed = get(client, url, leader).json()
    usernames = [a["username"] for a in listed]
    assert usernames
    assert usernames == [p.get_username() for p in assignable_specialists(dossier)]
    chosen = post(
        client,
        f"{LIST}/{dossier.code}/transitions",
        leader,
        {"action": "assign", "assignee": usernames[0]},
    )
    assert chosen.status_code == 200 and chosen.json()["assignee"] == usernames[0]
    refused = get(client, url, make_key(name="kiosk-2"))
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "forbidden")


def test_a_retried_fee_is_recorded_once(quang_ninh, client):
    key = make_key()
    dossier = dossier_receive(actor=user("tinh.tiepnhan"), reception=reception())
    url = f"{LIST}/{dossier.code}/payments"
    body = {"amount": 50000, "method": "cash", "reference": "BL-0001"}

    def send():
        return client.post(
            url,
            data=json.dumps(body),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {key}",
            HTTP_IDEMPOTENCY_KEY="thu-phi-1",
        )

    first, again = send(), send()
    assert first.status_code == again.status_code == 201
    assert again.content == first.content and again["Idempotent-Replayed"] == "true"
    assert DossierPayment.objects.filter(dossier=dossier).count() == 1
    assert first.json()["paid_at"].endswith("+07:00")


def test_the_postal_client_sees_and_confirms_only_its_booked_shipments(quang_ninh, client):
    desk = user("tinh.tiepnhan")
    dossier = dossier_receive(actor=desk, reception=reception(PROVINCIAL))
    dossier = dossier_transition(actor=desk, dossier=dossier, action="hand_off")
    dossier = dossier_transition(actor=user("tinh.lanhdaophong"), dossier=dossier, action="approve")
    other = dossier_receive(actor=desk, reception=reception(PROVINCIAL))
    postal = make_key(role="postal", name="buu-dien")
    desk_key = make_key()
    url = f"{LIST}/{dossier.code}/transitions"
    sent = post(client, url, desk_key, {"action": "send_by_post", "address": "Tổ 5, Hồng Gai"})
    assert sent.status_code == 200, sent.content
    # Before the operator has the shipment, the postal client sees nothing of the dossier.
    assert get(client, LIST, postal, {"scope": "all"}).json()["items"] == []
    early = post(
        client,
        url,
        postal,
        {"action": "postal_delivered", "received_by": "An", "tracking_number": "X"},
    )
    assert early.status_code == 404
    assert book_shipments().booked == 1
    listed = get(client, LIST, postal, {"scope": "all"}).json()["items"]
    assert [i["code"] for i in listed] == [dossier.code]
    assert get(client, f"{LIST}/{other.code}", postal).status_code == 404
    blank = post(client, url, postal, {"action": "postal_delivered", "received_by": "An"})
    assert blank.status_code == 422
    assert [d["field"] for d in blank.json()["error"]["details"]] == ["tracking_number"]
    wrong = post(
        client,
        url,
        postal,
        {"action": "postal_delivered", "received_by": "An", "tracking_number": "KHAC123"},
    )
    assert wrong.status_code == 422
    tracking = get(client, f"{LIST}/{dossier.code}", postal).json()["shipments"][0][
        "tracking_number"
    ]
    done = post(
        client,
        url,
        postal,
        {"action": "postal_delivered", "received_by": "An", "tracking_number": tracking},
    )
    assert done.status_code == 200 and done.json()["status"] == "returned"
