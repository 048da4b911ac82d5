"""The queue indicators in the reports (issue 17 §5, `GET /api/v1/reports/queue`): exact figures
per centre and in total from tickets issued, called, started and finished through the queue's
services (times set by moving the clock, as the centre's tests do), the period's days, and
the scope of the key's roles."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from egov.accounts.models import Role
from egov.accounts.services import api_client_create
from egov.centre.appointments import (
    appointment_book,
    appointment_cancel,
    appointment_check_in,
    appointments_expire,
)
from egov.centre.models import Appointment, Counter, ServiceLine
from egov.centre.permissions import own_open_session
from egov.centre.services import (
    counter_close,
    counter_open,
    ticket_call_next,
    ticket_finish,
    ticket_issue,
    ticket_no_show,
    ticket_start,
)
from egov.dossiers.tests.helpers import user
from egov.org.models import Unit
from egov.reports.queue import queue_centres
from egov.workdays.engine import VIETNAM_TZ

pytestmark = pytest.mark.django_db
API = "/api/v1/reports/queue"
PROVINCIAL = "qn.ttpvhcc"
HONG_GAI = "qn.x.hong-gai.ttpvhcc"  # a commune centre under the provincial one
MONDAY = dt.datetime(2026, 12, 7, 9, 0, tzinfo=VIETNAM_TZ)
NOVEMBER = dt.datetime(2026, 11, 30, 9, 0, tzinfo=VIETNAM_TZ)  # the Monday before


def _line(centre: str, code: str = "A") -> ServiceLine:
    return ServiceLine.objects.get(centre__key=centre, code=code)


def _counter(centre: str, number: int = 1) -> Counter:
    return Counter.objects.get(centre__key=centre, number=number)


def _unit(key: str) -> Unit:
    return Unit.objects.get(key=key)


@pytest.fixture
def tickets(quang_ninh) -> Iterator[None]:
    """Provincial centre, counter 1 (Bình), Monday 7/12: A001 taken 09:00, called 09:10 (waited
    10 min), started 09:11, finished 09:20 (served 9 min); A002 taken 09:01, called 09:20
    (waited 19 min), no-show; A003 taken 09:22, never called. Hồng Gai centre, counter 1
    (Lan): A001 taken 09:00, called and started 09:05 (5 min), finished 09:15 (10 min).
    Provincial centre, Monday 30/11: A001 taken 09:00, called and started 09:30 (30 min),
    finished 09:40 (10 min) — November, not December."""
    binh, lan = user("tinh.tiepnhan"), user("honggai.tiepnhan")
    with time_machine.travel(NOVEMBER, tick=False) as clock:
        desk = counter_open(actor=binh, counter=_counter(PROVINCIAL))
        ticket_issue(actor=None, line=_line(PROVINCIAL))
        clock.shift(30 * 60)
        called = ticket_call_next(actor=binh, session=desk)
        assert called is not None
        called = ticket_start(actor=binh, session=desk, ticket=called)
        clock.shift(10 * 60)
        ticket_finish(actor=binh, session=desk, ticket=called)
        counter_close(actor=binh, session=desk)
    with time_machine.travel(MONDAY, tick=False) as clock:
        desk = counter_open(actor=binh, counter=_counter(PROVINCIAL))
        commune = counter_open(actor=lan, counter=_counter(HONG_GAI))
        first = ticket_issue(actor=None, line=_line(PROVINCIAL))  # 09:00
        there = ticket_issue(actor=None, line=_line(HONG_GAI))  # 09:00
        clock.shift(60)
        second = ticket_issue(actor=None, line=_line(PROVINCIAL))  # 09:01
        clock.shift(4 * 60)
        assert ticket_call_next(actor=lan, session=commune) == there  # 09:05
        there = ticket_start(actor=lan, session=commune, ticket=there)
        clock.shift(5 * 60)
        assert ticket_call_next(actor=binh, session=desk) == first  # 09:10
        clock.shift(60)
        ticket_start(actor=binh, session=desk, ticket=first)  # 09:11
        clock.shift(4 * 60)
        ticket_finish(actor=lan, session=commune, ticket=there)  # 09:15
        clock.shift(5 * 60)
        ticket_finish(actor=binh, session=desk, ticket=first)  # 09:20
        assert ticket_call_next(actor=binh, session=desk) == second  # 09:20
        clock.shift(2 * 60)
        ticket_no_show(actor=binh, session=desk, ticket=second)  # 09:22
        ticket_issue(actor=None, line=_line(PROVINCIAL))  # 09:22, still waiting
    yield


def _key(unit: str, role: str = Role.CENTRE_LEADER) -> str:
    _row, secret = api_client_create(
        actor=None, name=f"queue-{role}-{unit}", unit=_unit(unit), role=role, scopes=None
    )
    return secret


def _get(client: Any, secret: str, **query: str) -> Any:
    return client.get(API, query, HTTP_AUTHORIZATION=f"Bearer {secret}")


PROVINCIAL_DECEMBER = {
    "issued": 3,
    "waiting": 1,
    "called": 2,
    "done": 1,
    "no_show": 1,
    "average_wait_seconds": 870,  # (600 + 1140) / 2
    "within_target": 1,  # 10 min ≤ 15 min; 19 min is not
    "within_target_share": 0.5,
    "average_service_seconds": 540,
}
HONG_GAI_DECEMBER = {
    "issued": 1,
    "waiting": 0,
    "called": 1,
    "done": 1,
    "no_show": 0,
    "average_wait_seconds": 300,
    "within_target": 1,
    "within_target_share": 1.0,
    "average_service_seconds": 600,
}


def test_one_row_per_centre_and_the_total(tickets, client):
    response = _get(client, _key(PROVINCIAL), period="2026-12", unit=_unit(PROVINCIAL).code)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["period"], body["first_day"], body["last_day"]) == (
        "2026-12",
        "2026-12-01",
        "2026-12-31",
    )
    assert body["wait_target_minutes"] == 15
    rows = {row["centre"]: row for row in body["rows"]}
    provincial, hong_gai = _unit(PROVINCIAL), _unit(HONG_GAI)
    assert [row["centre"] for row in body["rows"]] == [
        u.code for u in sorted((provincial, hong_gai), key=lambda u: u.pk)
    ]
    assert rows[provincial.code]["name"] == provincial.name
    assert rows[provincial.code]["figures"] == PROVINCIAL_DECEMBER
    assert rows[hong_gai.code]["figures"] == HONG_GAI_DECEMBER
    # Averages over every number, not of the centres' averages.
    none = {"booked": 0, "checked_in": 0, "called_in_time": 0, "no_show": 0, "cancelled": 0}
    assert rows[provincial.code]["appointments"] == body["total_appointments"] == none
    assert body["total"] == {
        "issued": 4,
        "waiting": 1,
        "called": 3,
        "done": 2,
        "no_show": 1,
        "average_wait_seconds": 680,  # (600 + 1140 + 300) / 3
        "within_target": 2,
        "within_target_share": 0.6667,  # 2 / 3
        "average_service_seconds": 570,  # (540 + 600) / 2
    }


def test_online_appointments_per_centre_and_in_total(tickets, client):
    """Provincial centre: two booked for 10:00 Monday (one comes at 09:50 and is called at
    10:01, one never comes), one booked for 10:30 and cancelled; Hồng Gai: one booked for
    10:00 who never comes."""
    binh = user("tinh.tiepnhan")

    def book(centre: str, hour: int, minute: int, phone: str) -> Appointment:
        return appointment_book(
            actor=None,
            line=_line(centre),
            starts_at=MONDAY.replace(hour=hour, minute=minute),
            name="Người đặt lịch",
            phone=phone,
        )

    with time_machine.travel(MONDAY - dt.timedelta(hours=13), tick=False):
        come = book(PROVINCIAL, 10, 0, "0912000001")
        book(PROVINCIAL, 10, 0, "0912000002")
        appointment_cancel(actor=None, appointment=book(PROVINCIAL, 10, 30, "0912000003"))
        book(HONG_GAI, 10, 0, "0912000004")
    with time_machine.travel(MONDAY.replace(hour=9, minute=50), tick=False) as clock:
        checked = appointment_check_in(actor=None, centre=_unit(PROVINCIAL), code=come.code)
        clock.move_to(MONDAY.replace(hour=10, minute=1))
        desk = own_open_session(binh)
        assert desk is not None
        # Called before A003, who has waited since 09:22: the slot has begun.
        assert ticket_call_next(actor=binh, session=desk) == checked.ticket
        clock.move_to(MONDAY.replace(hour=10, minute=20))
        assert appointments_expire() == 2
    response = _get(client, _key(PROVINCIAL), period="2026-12", unit=_unit(PROVINCIAL).code)
    assert response.status_code == 200, response.content
    body = response.json()
    rows = {row["centre"]: row["appointments"] for row in body["rows"]}
    assert rows[_unit(PROVINCIAL).code] == {
        "booked": 2,
        "checked_in": 1,
        "called_in_time": 1,
        "no_show": 1,
        "cancelled": 1,
    }
    assert rows[_unit(HONG_GAI).code] == {
        "booked": 1,
        "checked_in": 0,
        "called_in_time": 0,
        "no_show": 1,
        "cancelled": 0,
    }
    assert body["total_appointments"] == {
        "booked": 3,
        "checked_in": 1,
        "called_in_time": 1,
        "no_show": 2,
        "cancelled": 1,
    }


def test_a_quarter_counts_every_day_of_it(tickets, client):
    leader = _key(PROVINCIAL)
    response = _get(client, leader, period="2026-Q4", unit=_unit(PROVINCIAL).code)
    assert response.status_code == 200, response.content
    total = response.json()["total"]
    # The November number: waited 30 min, served 10.
    assert (total["issued"], total["called"], total["done"]) == (5, 4, 3)
    assert total["average_wait_seconds"] == 960  # (600 + 1140 + 300 + 1800) / 4
    assert (total["within_target"], total["within_target_share"]) == (2, 0.5)
    assert total["average_service_seconds"] == 580  # (540 + 600 + 600) / 3
    november = _get(client, leader, period="2026-11", unit=_unit(HONG_GAI).code)
    assert november.json()["rows"][0]["figures"]["issued"] == 0


def test_a_centre_sees_only_its_own(tickets, client):
    commune = _key(HONG_GAI)
    own = _get(client, commune, period="2026-12", unit=_unit(HONG_GAI).code)
    assert own.status_code == 200
    assert [row["centre"] for row in own.json()["rows"]] == [_unit(HONG_GAI).code]
    assert own.json()["total"] == HONG_GAI_DECEMBER
    refused = _get(client, commune, period="2026-12", unit=_unit(PROVINCIAL).code)
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "unit_forbidden")


def test_a_unit_without_centres_has_no_rows(tickets, client):
    # The province's supervisor reaches Sở Tư pháp, which has no queue.
    supervisor = _key("qn.ubnd", Role.SUPERVISOR)
    response = _get(client, supervisor, period="2026-12", unit=_unit("qn.so-tu-phap").code)
    assert response.status_code == 200
    assert response.json()["rows"] == []
    assert response.json()["total"] == {
        "issued": 0,
        "waiting": 0,
        "called": 0,
        "done": 0,
        "no_show": 0,
        "average_wait_seconds": None,
        "within_target": 0,
        "within_target_share": None,
        "average_service_seconds": None,
    }
    # The whole province: the two centres that have service lines.
    assert [u.key for u in queue_centres(_unit("qn.ubnd"))] == sorted(
        [PROVINCIAL, HONG_GAI], key=lambda key: _unit(key).pk
    )


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ({"period": "2026-13", "unit": PROVINCIAL}, 422, "invalid_index_period"),
        ({"period": "2026-12-01", "unit": PROVINCIAL}, 422, "invalid_input"),
        ({"unit": PROVINCIAL}, 422, "invalid_input"),
        ({"period": "2026-12", "unit": "000.99.99.Z99"}, 404, "unit_not_found"),
        ({"period": "2026-12", "unit": "qn.tt\x00pvhcc"}, 422, "invalid_input"),
        ({"period": "2026-12", "unit": "qn.x.ha-long.ubnd"}, 403, "unit_forbidden"),
    ],
)
def test_errors(quang_ninh, client, query, status, code):
    response = _get(client, _key(PROVINCIAL), **query)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code


def test_a_key_is_needed_with_reports_read(quang_ninh, client):
    assert client.get(API, {"period": "2026-12", "unit": PROVINCIAL}).status_code == 401
    receptionist = _key(PROVINCIAL, Role.RECEPTIONIST)
    refused = _get(client, receptionist, period="2026-12", unit=PROVINCIAL)
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "insufficient_scope")
