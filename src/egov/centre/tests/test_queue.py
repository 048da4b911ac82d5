"""The queue's services: gap-free numbers per centre, line and day (also under concurrency),
calling order (priority, transfer), the state machine's refusals, exact measures, the SMS."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from egov.accounts.models import Role
from egov.accounts.services import role_assign
from egov.centre.models import Counter, CounterSession, ServiceLine, Ticket, TicketEvent
from egov.centre.permissions import get_ticket_at_centre
from egov.centre.selectors import (
    counter_measures,
    day_measures,
    people_ahead,
    queue_indicators,
    waiting_for_counter,
)
from egov.centre.services import (
    counter_close,
    counter_open,
    ticket_call_next,
    ticket_finish,
    ticket_issue,
    ticket_no_show,
    ticket_recall,
    ticket_skip,
    ticket_start,
    ticket_transfer,
)
from egov.core.tests.test_numbering import run_at_once
from egov.dossiers.tests.helpers import user
from egov.notifications.models import Message
from egov.org.models import Unit
from egov.workdays.engine import VIETNAM_TZ

MONDAY = dt.datetime(2026, 12, 7, 9, 0, tzinfo=VIETNAM_TZ)
CENTRE = "qn.ttpvhcc"


def line(code: str, centre: str = CENTRE) -> ServiceLine:
    return ServiceLine.objects.get(centre__key=centre, code=code)


def counter(number: int, centre: str = CENTRE) -> Counter:
    return Counter.objects.get(centre__key=centre, number=number)


@pytest.fixture
def clock(quang_ninh) -> Iterator[Any]:
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def desk(clock) -> CounterSession:
    """Bình has counter 1 open (lines U and A on working days)."""
    return counter_open(actor=user("tinh.tiepnhan"), counter=counter(1))


def issue(code: str, phone: str = "", name: str = "") -> Ticket:
    return ticket_issue(actor=None, line=line(code), phone=phone, name=name)


@pytest.mark.django_db
def test_numbers_run_per_centre_line_and_day(clock):
    assert [issue("A").number, issue("A").number, issue("B").number] == ["A001", "A002", "B001"]
    hong_gai = ticket_issue(actor=None, line=line("A", "qn.x.hong-gai.ttpvhcc"))
    assert hong_gai.number == "A001"
    clock.move_to(MONDAY + dt.timedelta(days=1))
    assert issue("A").number == "A001"
    ticket = Ticket.objects.get(number="A002", day=MONDAY.date())
    assert [(e.action, e.from_state, e.to_state) for e in ticket.events.all()] == [
        ("issue", "", "waiting")
    ]


@pytest.mark.django_db
def test_a_ticket_rolled_back_leaves_no_gap(clock):
    issue("A")
    with pytest.raises(RuntimeError), transaction.atomic():
        assert issue("A").number == "A002"
        raise RuntimeError
    assert issue("A").number == "A002"


@pytest.mark.django_db
def test_the_line_limit_is_a_clear_refusal(clock, settings):
    settings.EGOV_QUEUE_DAILY_LIMIT = 2
    issue("C")
    issue("C")
    with pytest.raises(ValidationError, match="đã phát hết số của hôm nay"):
        issue("C")
    assert Ticket.objects.filter(line=line("C")).count() == 2


@pytest.mark.django_db(transaction=True)
def test_fifty_tickets_taken_at_once_from_two_kiosks_get_consecutive_numbers(quang_ninh):
    """Two kiosks (two threads pools on their own connections) take 50 numbers of one line
    at the same moment: 1…50, no gap, no repeat (PostgreSQL row lock; SQLite's write lock)."""
    workers = 50
    lines = line("A")
    kiosks: dict[str, list[str]] = {"left": [], "right": []}

    def take(i: int) -> None:
        ticket = ticket_issue(actor=None, line=lines)
        kiosks["left" if i % 2 else "right"].append(ticket.number)

    assert run_at_once(workers, take) == []
    numbers = sorted(kiosks["left"] + kiosks["right"])
    assert numbers == [f"A{n:03d}" for n in range(1, workers + 1)]
    assert len(kiosks["left"]) == len(kiosks["right"]) == 25
    assert sorted(Ticket.objects.filter(line=lines).values_list("sequence", flat=True)) == list(
        range(1, workers + 1)
    )
    assert connection.vendor in {"sqlite", "postgresql"}


@pytest.mark.django_db
def test_priority_line_first_then_oldest_of_the_lines_served_today(desk, clock):
    a1 = issue("A")
    clock.shift(60)
    issue("B")  # counter 1 does not serve B
    clock.shift(60)
    a2 = issue("A")
    clock.shift(60)
    u1 = issue("U")
    receptionist = user("tinh.tiepnhan")
    order = []
    for _ in range(3):
        called = ticket_call_next(actor=receptionist, session=desk)
        assert called is not None
        order.append(called.number)
        ticket_start(actor=receptionist, session=desk, ticket=called)
        ticket_finish(actor=receptionist, session=desk, ticket=called)
    assert order == [u1.number, a1.number, a2.number] == ["U001", "A001", "A002"]
    assert ticket_call_next(actor=receptionist, session=desk) is None


@pytest.mark.django_db
def test_a_counter_calls_only_on_its_days(quang_ninh):
    saturday = MONDAY + dt.timedelta(days=5)
    with time_machine.travel(saturday, tick=False):
        session = counter_open(actor=user("tinh.tiepnhan"), counter=counter(1))
        issue("A")
        assert ticket_call_next(actor=user("tinh.tiepnhan"), session=session) is None


@pytest.mark.django_db
def test_transfer_to_a_counter_or_a_line(desk, clock):
    receptionist = user("tinh.tiepnhan")
    a1 = issue("A")
    clock.shift(60)
    b1 = issue("B")
    called = ticket_call_next(actor=receptionist, session=desk)
    assert called == a1
    moved = ticket_transfer(actor=receptionist, session=desk, ticket=called, to_counter=counter(4))
    assert (moved.state, moved.counter, moved.directed_counter) == ("waiting", None, counter(4))
    # Counter 2 serves line A but the number was sent to counter 4.
    assert list(waiting_for_counter(counter(2), MONDAY.date())) == []
    # Counter 4 serves B and C: the transferred number keeps its time and comes first.
    assert [t.number for t in waiting_for_counter(counter(4), MONDAY.date())] == ["A001", "B001"]
    assert b1.state == "waiting"
    event = TicketEvent.objects.filter(ticket=a1, action="transfer").get()
    assert (event.counter, event.data, event.actor) == (counter(1), {"to_counter": 4}, receptionist)

    # To a line: the number waits in that line for any counter serving it.
    called = ticket_call_next(actor=receptionist, session=desk)
    assert called is None  # nothing left for counter 1
    ticket = Ticket.objects.get(pk=b1.pk)
    CounterSession.objects.filter(pk=desk.pk).update(closed_at=MONDAY)
    other = counter_open(actor=receptionist, counter=counter(4))
    first = ticket_call_next(actor=receptionist, session=other)
    assert first == a1
    moved = ticket_transfer(actor=receptionist, session=other, ticket=first, to_line=line("A"))
    assert (moved.line, moved.directed_counter) == (line("A"), None)
    assert [t.number for t in waiting_for_counter(counter(2), MONDAY.date())] == ["A001"]
    assert ticket.number == "B001"


@pytest.mark.django_db
def test_the_state_machine_refuses_what_it_does_not_allow(desk, clock):
    receptionist = user("tinh.tiepnhan")
    a1 = issue("A")
    issue("A")
    called = ticket_call_next(actor=receptionist, session=desk)
    assert called == a1
    with pytest.raises(
        ValidationError, match="A001 đang ở trạng thái “Đã gọi”, không thể kết thúc"
    ):
        ticket_finish(actor=receptionist, session=desk, ticket=called)
    with pytest.raises(ValidationError, match="Số A001 vẫn đang ở quầy"):
        ticket_call_next(actor=receptionist, session=desk)
    with pytest.raises(ValidationError, match="A001 đang ở quầy"):
        counter_close(actor=receptionist, session=desk)
    ticket_skip(actor=receptionist, session=desk, ticket=called)
    with pytest.raises(ValidationError, match="không thể bắt đầu phục vụ"):
        ticket_start(actor=receptionist, session=desk, ticket=called)
    second = ticket_call_next(actor=receptionist, session=desk)
    assert second is not None and second.number == "A002"
    with pytest.raises(ValidationError, match="Số A002 vẫn đang ở quầy"):
        ticket_recall(actor=receptionist, session=desk, ticket=called)
    ticket_no_show(actor=receptionist, session=desk, ticket=second)
    recalled = ticket_recall(actor=receptionist, session=desk, ticket=called)
    assert (recalled.state, recalled.calls) == ("called", 2)
    ticket_no_show(actor=receptionist, session=desk, ticket=recalled)
    with pytest.raises(ValidationError, match="“Không đến”, không thể gọi lại"):
        ticket_recall(actor=receptionist, session=desk, ticket=recalled)
    assert [e.action for e in TicketEvent.objects.filter(ticket=a1)] == [
        "issue",
        "call",
        "skip",
        "recall",
        "no_show",
    ]
    counter_close(actor=receptionist, session=desk)


@pytest.mark.django_db
def test_counters_open_one_per_receptionist_and_one_receptionist_per_counter(clock):
    binh = user("tinh.tiepnhan")
    counter_open(actor=binh, counter=counter(1))
    with pytest.raises(ValidationError, match="Bạn đang mở một quầy khác"):
        counter_open(actor=binh, counter=counter(2))
    lan = user("honggai.tiepnhan")
    with pytest.raises(ValidationError, match="không làm việc tiếp nhận tại trung tâm này"):
        counter_open(actor=lan, counter=counter(1))
    role_assign(actor=None, user=lan, unit=Unit.objects.get(key=CENTRE), role=Role.RECEPTIONIST)
    with pytest.raises(ValidationError, match="đang có cán bộ khác làm việc"):
        counter_open(actor=lan, counter=counter(1))
    assert counter_open(actor=lan, counter=counter(2)).counter == counter(2)
    assert CounterSession.objects.get(user=binh).counter == counter(1)


@pytest.mark.django_db
def test_a_number_is_worked_only_at_its_own_counter_and_centre(desk, clock):
    a1 = issue("A")
    assert get_ticket_at_centre(user("honggai.tiepnhan"), a1.pk) is None
    assert get_ticket_at_centre(user("tinh.tiepnhan"), a1.pk) == a1
    with pytest.raises(ValidationError, match="không ở quầy của bạn"):
        ticket_skip(actor=user("tinh.tiepnhan"), session=desk, ticket=a1)


@pytest.mark.django_db
def test_measures_are_exact(desk, clock):
    receptionist = user("tinh.tiepnhan")
    first = issue("A")  # 09:00
    clock.shift(60)
    second = issue("A")  # 09:01
    clock.shift(9 * 60)  # 09:10 — first waited 10 minutes
    called = ticket_call_next(actor=receptionist, session=desk)
    assert called == first
    clock.shift(60)
    ticket_start(actor=receptionist, session=desk, ticket=called)  # 09:11
    clock.shift(9 * 60)
    ticket_finish(actor=receptionist, session=desk, ticket=called)  # 09:20 — served 9 min
    assert people_ahead(Ticket.objects.get(pk=second.pk)) == 0
    called = ticket_call_next(actor=receptionist, session=desk)  # 09:20 — waited 19 minutes
    assert called == second
    clock.shift(120)
    ticket_no_show(actor=receptionist, session=desk, ticket=called)
    issue("A")  # still waiting

    day = MONDAY.date()
    measures = day_measures(Unit.objects.get(key=CENTRE), day)
    assert (measures.issued, measures.waiting, measures.called) == (3, 1, 2)
    assert (measures.done, measures.no_show) == (1, 1)
    assert measures.average_wait_seconds == (600 + 1140) // 2
    assert measures.average_service_seconds == 540
    assert (measures.within_target, measures.within_target_share) == (1, 0.5)
    per_counter = dict(counter_measures(Unit.objects.get(key=CENTRE), day))
    assert per_counter[counter(1)].called == 2
    assert per_counter[counter(1)].average_service_seconds == 540
    assert per_counter[counter(2)].called == 0
    period = queue_indicators(None, day, day)
    assert (period.average_wait_seconds, period.within_target) == (870, 1)
    assert queue_indicators([Unit.objects.get(key="qn.x.hong-gai.ttpvhcc")], day, day).issued == 0


@pytest.mark.django_db
def test_the_number_by_sms_without_the_phone_in_the_events(clock):
    ticket = issue("B", phone="0912 345 678", name="  Nguyễn   Văn An ")
    assert (ticket.phone, ticket.name) == ("+84912345678", "Nguyễn Văn An")
    message = Message.objects.get(event="queue_ticket")
    assert message.recipient == "+84912345678"
    assert "B001" in message.body
    assert f"/xep-hang/luot/{ticket.track_key}/" in message.body
    assert TicketEvent.objects.get(ticket=ticket).data == {"sms": True}
    with pytest.raises(ValidationError, match="không hợp lệ"):
        issue("B", phone="12")
    assert Ticket.objects.count() == 1
