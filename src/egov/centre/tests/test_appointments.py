"""Online appointments (issue 17 §3): slots from office hours and the counters' places,
booking up to capacity (also when many book the last place at once), refusals, cancelling,
check-in at the kiosk (a number called first from the slot's start), no-shows, reminders
through the outbox, and the day's measures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError

from egov.centre.appointment_selectors import (
    appointment_measures,
    bookable_days,
    bookable_lines,
    line_slots,
)
from egov.centre.appointments import (
    appointment_book,
    appointment_cancel,
    appointment_check_in,
    appointment_reminders_send,
    appointments_expire,
    parse_check_in,
)
from egov.centre.models import Appointment, AppointmentEvent, CounterService, Ticket
from egov.centre.selectors import lines_served, people_ahead
from egov.centre.services import (
    counter_open,
    ticket_call_next,
    ticket_finish,
    ticket_issue,
    ticket_start,
)
from egov.centre.tests.test_queue import CENTRE, MONDAY, counter, line
from egov.core.tests.test_numbering import run_at_once
from egov.dossiers.tests.helpers import user
from egov.notifications.models import Message
from egov.org.models import Unit
from egov.workdays.engine import VIETNAM_TZ

SUNDAY_EVENING = dt.datetime(2026, 12, 6, 20, 0, tzinfo=VIETNAM_TZ)


def at(hour: int, minute: int = 0, day: dt.date | None = None) -> dt.datetime:
    return dt.datetime.combine(day or MONDAY.date(), dt.time(hour, minute), tzinfo=VIETNAM_TZ)


@pytest.fixture
def clock(quang_ninh) -> Iterator[Any]:
    with time_machine.travel(SUNDAY_EVENING, tick=False) as traveller:
        yield traveller


def book(code: str = "A", start: dt.datetime | None = None, **kwargs: Any) -> Appointment:
    fields = {"name": "Trần Văn An", "phone": "0912 345 678"} | kwargs
    return appointment_book(actor=None, line=line(code), starts_at=start or at(9), **fields)


@pytest.mark.django_db
def test_slots_cut_the_office_hours_and_count_the_counters_places(clock):
    slots = line_slots(line("A"), MONDAY.date())
    # 07:30–11:30 and 13:30–17:00 in 30-minute slots: 8 + 7.
    assert len(slots) == 15
    assert (slots[0].starts_at, slots[0].ends_at) == (at(7, 30), at(8))
    assert (slots[7].starts_at, slots[8].starts_at, slots[-1].ends_at) == (
        at(11),
        at(13, 30),
        at(17),
    )
    # Line A: counters 1 and 2 keep one place each; line C: counter 4 only.
    assert {s.capacity for s in slots} == {2}
    assert {s.capacity for s in line_slots(line("C"), MONDAY.date())} == {1}
    # The priority line takes no appointments; nor does a Saturday (no counter serves it).
    assert line_slots(line("U"), MONDAY.date()) == []
    assert line_slots(line("A"), MONDAY.date() + dt.timedelta(days=5)) == []
    # New Year's Day 2027 is a public holiday (BLLĐ 2019 Điều 112): no office hours.
    assert line_slots(line("A"), dt.date(2027, 1, 1)) == []
    counter(2).__class__.objects.filter(pk=counter(2).pk).update(active=False)
    assert {s.capacity for s in line_slots(line("A"), MONDAY.date())} == {1}
    assert [x.code for x in bookable_lines(Unit.objects.get(key=CENTRE))] == ["A", "B", "C"]


@pytest.mark.django_db
def test_bookable_days_run_to_the_horizon_and_skip_days_without_slots(clock, settings):
    settings.EGOV_QUEUE_BOOKING_DAYS_AHEAD = 7
    # From Sunday 6/12 to the 7th day (Sunday 13): Monday 7 to Friday 11 (no weekend slots).
    assert bookable_days(line("A"), now=SUNDAY_EVENING) == [
        dt.date(2026, 12, d) for d in (7, 8, 9, 10, 11)
    ]
    # Monday 16:45: Monday's last slot (16:30) has begun, Monday is no longer offered.
    assert bookable_days(line("A"), now=at(16, 45)) == [
        dt.date(2026, 12, d) for d in (8, 9, 10, 11, 14)
    ]
    # Line C's only counter closed: no day at all; the priority line has no places.
    counter(4).__class__.objects.filter(pk=counter(4).pk).update(active=False)
    assert bookable_days(line("C"), now=SUNDAY_EVENING) == []
    assert bookable_days(line("U"), now=SUNDAY_EVENING) == []
    # The same days as the slots of each day say (line_slots counts the bookings too).
    for code in ("A", "B", "C", "U"):
        today = SUNDAY_EVENING.date()
        assert bookable_days(line(code), now=SUNDAY_EVENING) == [
            today + dt.timedelta(days=n)
            for n in range(8)
            if any(
                s.starts_at > SUNDAY_EVENING
                for s in line_slots(line(code), today + dt.timedelta(days=n))
            )
        ]


@pytest.mark.django_db
def test_a_slot_is_booked_to_its_capacity_and_a_cancel_frees_a_place(clock):
    first = book(phone="0912 000 001")
    assert (first.state, first.day, first.starts_at, first.ends_at) == (
        "booked",
        MONDAY.date(),
        at(9),
        at(9, 30),
    )
    assert len(first.code) == 6 and first.phone == "+84912000001"
    book(phone="0912 000 002")
    with pytest.raises(ValidationError, match="Khung giờ này vừa hết chỗ"):
        book(phone="0912 000 003")
    assert [s.free for s in line_slots(line("A"), MONDAY.date()) if s.starts_at == at(9)] == [0]
    appointment_cancel(actor=None, appointment=first)
    assert Appointment.objects.get(pk=first.pk).state == "cancelled"
    third = book(phone="0912 000 003")
    assert third.state == "booked"
    assert [(e.action, e.from_state, e.to_state) for e in first.events.all()] == [
        ("book", "", "booked"),
        ("cancel", "booked", "cancelled"),
    ]
    # The confirmation: SMS (no e-mail given) with the code and the page's link; the phone is
    # in no event.
    message = Message.objects.filter(event="appointment_booked", recipient="+84912000001").get()
    assert message.channel == "sms"
    assert first.code in message.body
    assert f"/lich-hen/{first.key}/" in message.body
    assert "09:00-09:30 07/12/2026" in message.body
    assert not AppointmentEvent.objects.filter(data__has_key="phone").exists()


@pytest.mark.django_db
def test_booking_refusals_are_clear(clock, settings):
    with pytest.raises(ValidationError, match="Khung giờ này không nhận lịch hẹn"):
        book(start=at(9, 15))
    with pytest.raises(ValidationError, match="Khung giờ này không nhận lịch hẹn"):
        book("U")
    with pytest.raises(ValidationError, match="đã qua"):
        book(start=dt.datetime(2026, 12, 4, 9, 0, tzinfo=VIETNAM_TZ))
    with pytest.raises(ValidationError, match="Chỉ đặt được lịch hẹn trong 14 ngày tới"):
        book(start=at(9, day=dt.date(2026, 12, 22)))
    with pytest.raises(ValidationError, match="không hợp lệ"):
        book(phone="12345")
    with pytest.raises(ValidationError, match="Vui lòng nhập họ và tên"):
        book(name="   ")
    with pytest.raises(ValidationError, match="Địa chỉ thư điện tử không hợp lệ"):
        book(email="an@")
    with pytest.raises(ValidationError, match="ký tự không hợp lệ"):
        book(name="An\x00")
    settings.EGOV_QUEUE_BOOKINGS_PER_PHONE = 2
    book(start=at(8))
    book(start=at(10))
    with pytest.raises(
        ValidationError, match="Số điện thoại 0912 345 678 đã có 2 lịch hẹn chưa đến"
    ):
        book(start=at(11))
    assert Appointment.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_many_booking_the_last_place_at_once_get_it_once(quang_ninh):
    """Ten citizens book the one place of a slot of line C at the same moment: one gets it,
    nine are told it is full (PostgreSQL: the line's row lock; SQLite: IMMEDIATE writes)."""
    c_line = line("C")
    errors: list[str] = []

    def take(i: int) -> None:
        try:
            appointment_book(
                actor=None,
                line=c_line,
                starts_at=at(9),
                name="Người đặt",
                phone=f"0912 000 {i:03d}",
            )
        except ValidationError as exc:
            errors.extend(exc.messages)

    with time_machine.travel(SUNDAY_EVENING, tick=True):
        assert run_at_once(10, take) == []
    assert Appointment.objects.filter(line=c_line, starts_at=at(9)).count() == 1
    assert errors == ["Khung giờ này vừa hết chỗ; vui lòng chọn khung giờ khác."] * 9


@pytest.mark.django_db(transaction=True)
def test_one_phone_booking_on_several_lines_at_once_keeps_its_limit(quang_ninh, settings):
    """One number books six slots on three lines at the same moment with a limit of two: two
    bookings, four refusals. The lines' row locks do not serialise different lines; the lock on
    the phone number does (PostgreSQL advisory lock; SQLite: IMMEDIATE writes)."""
    settings.EGOV_QUEUE_BOOKINGS_PER_PHONE = 2
    choices = [(code, hour) for code in ("A", "B", "C") for hour in (9, 10)]
    lines = {code: line(code) for code in ("A", "B", "C")}
    errors: list[str] = []

    def take(i: int) -> None:
        code, hour = choices[i]
        try:
            appointment_book(
                actor=None,
                line=lines[code],
                starts_at=at(hour),
                name="Người đặt",
                phone="0912 777 001",
            )
        except ValidationError as exc:
            errors.extend(exc.messages)

    with time_machine.travel(SUNDAY_EVENING, tick=True):
        assert run_at_once(len(choices), take) == []
    assert Appointment.objects.filter(phone="+84912777001").count() == 2
    too_many = (
        "Số điện thoại 0912 777 001 đã có 2 lịch hẹn chưa đến; hãy hủy một lịch trước khi đặt thêm."
    )
    assert errors == [too_many] * 4


@pytest.mark.django_db
def test_after_a_plan_change_the_latest_booked_beyond_the_places_are_found_and_cancelled(clock):
    """Line A keeps 2 places a slot (counters 1 and 2), line C one (counter 4). Counter 2 is
    closed and counter 4 stops serving C after citizens booked: the second booked at A 09:00
    and the one at C 10:00 are beyond the plan; the first at A 09:00 keeps the place."""
    from egov.centre.appointment_selectors import appointments_beyond_plan
    from egov.centre.appointments import appointments_cancel_beyond_plan

    centre = Unit.objects.get(key=CENTRE)
    first = book(phone="0912 000 031")
    clock.shift(60)
    second = book(phone="0912 000 032")
    alone = book(start=at(10), phone="0912 000 033")
    c_booked = book("C", start=at(10), phone="0912 000 034")
    assert appointments_beyond_plan(centre, now=SUNDAY_EVENING) == []
    counter(2).__class__.objects.filter(pk=counter(2).pk).update(active=False)
    CounterService.objects.filter(counter=counter(4), line=line("C")).delete()
    conflicts = appointments_beyond_plan(centre, now=SUNDAY_EVENING)
    assert [(c.line.code, c.starts_at, c.held, c.capacity, c.beyond) for c in conflicts] == [
        ("A", at(9), 2, 1, (second,)),
        ("C", at(10), 1, 0, (c_booked,)),
    ]
    leader = user("tinh.lanhdaotrungtam")
    with pytest.raises(ValidationError, match="Chỉ lãnh đạo, giám sát Trung tâm"):
        appointments_cancel_beyond_plan(
            actor=user("tinh.tiepnhan"), centre=centre, reason="Quầy 2 nghỉ", shown=[second.pk]
        )
    # Only what the leader was shown is cancelled (here the A slot's; C's is left).
    assert (
        appointments_cancel_beyond_plan(
            actor=leader, centre=centre, reason="Quầy 2 nghỉ", shown=[second.pk, first.pk]
        )
        == 1
    )
    assert Appointment.objects.get(pk=c_booked.pk).state == "booked"
    cancelled = appointments_cancel_beyond_plan(
        actor=leader, centre=centre, reason="Quầy 2 nghỉ", shown=[c_booked.pk]
    )
    assert cancelled == 1
    states = dict(Appointment.objects.values_list("pk", "state"))
    assert [states[a.pk] for a in (first, second, alone, c_booked)] == [
        "booked",
        "cancelled",
        "booked",
        "cancelled",
    ]
    told = Message.objects.filter(event="appointment_cancelled").order_by("recipient")
    assert [m.recipient for m in told] == ["+84912000032", "+84912000034"]
    assert appointments_beyond_plan(centre, now=SUNDAY_EVENING) == []


@pytest.mark.django_db
def test_checked_in_citizens_are_never_beyond_the_plan_and_a_stopped_line_has_no_places(clock):
    """Two booked at A 09:00; the later one checks in on Monday morning. With counter 2 closed
    the slot keeps one place: the checked-in citizen holds it, so the earlier booked one is
    beyond. Line B stopped: its booking is beyond (no places at all)."""
    from egov.centre.appointment_selectors import appointments_beyond_plan

    centre = Unit.objects.get(key=CENTRE)
    first = book(phone="0912 000 041")
    clock.shift(60)
    later = book(phone="0912 000 042")
    on_b = book("B", start=at(10), phone="0912 000 043")
    clock.move_to(at(8, 30))
    appointment_check_in(actor=None, centre=centre, code=later.code)
    counter(2).__class__.objects.filter(pk=counter(2).pk).update(active=False)
    line("B").__class__.objects.filter(pk=line("B").pk).update(active=False)
    conflicts = appointments_beyond_plan(centre, now=at(8, 30))
    assert [(c.line.code, c.starts_at, c.held, c.capacity, c.beyond) for c in conflicts] == [
        ("A", at(9), 2, 1, (first,)),
        ("B", at(10), 1, 0, (on_b,)),
    ]
    # Counter 1 closed too: no place at all, and still only the booked one is beyond.
    counter(1).__class__.objects.filter(pk=counter(1).pk).update(active=False)
    conflicts = appointments_beyond_plan(centre, now=at(8, 30))
    assert [(c.line.code, c.starts_at, c.held, c.capacity, c.beyond) for c in conflicts] == [
        ("A", at(9), 2, 0, (first,)),
        ("B", at(10), 1, 0, (on_b,)),
    ]


@pytest.mark.django_db
def test_checked_in_numbers_are_called_first_from_their_slot(clock):
    appointment = book()
    receptionist = user("tinh.tiepnhan")
    clock.move_to(at(8, 50))
    session = counter_open(actor=receptionist, counter=counter(1))
    a1 = ticket_issue(actor=None, line=line("A"))
    clock.move_to(at(8, 52))
    a2 = ticket_issue(actor=None, line=line("A"))
    clock.move_to(at(8, 55))
    checked = appointment_check_in(
        actor=None, centre=Unit.objects.get(key=CENTRE), code=appointment.code.lower()
    )
    ticket = checked.ticket
    assert ticket is not None
    assert (checked.state, checked.checked_in_at, ticket.number, ticket.appointment_at) == (
        "checked_in",
        at(8, 55),
        "A003",
        at(9),
    )
    assert (ticket.name, ticket.phone) == ("Trần Văn An", "+84912345678")
    # Before the slot the booked number waits behind the older walk-ins of its line.
    assert people_ahead(ticket) == 2
    clock.move_to(at(8, 56))
    u1 = ticket_issue(actor=None, line=line("U"))

    def serve() -> Ticket:
        called = ticket_call_next(actor=receptionist, session=session)
        assert called is not None
        ticket_start(actor=receptionist, session=session, ticket=called)
        ticket_finish(actor=receptionist, session=session, ticket=called)
        return called

    # Before 09:00 the booked citizen waits like anyone (priority first, then the oldest).
    clock.move_to(at(8, 58))
    assert serve() == u1
    assert serve() == a1
    # From 09:00 the booked number comes first, before the older walk-in, and says so.
    clock.move_to(at(9, 1))
    assert (people_ahead(ticket), people_ahead(a2)) == (0, 1)
    assert serve() == ticket
    assert serve() == a2
    assert appointment_measures(Unit.objects.get(key=CENTRE), MONDAY.date()) == _measures(
        booked=1, checked_in=1, in_time=1
    )
    assert [(e.action, e.data) for e in checked.events.all()] == [
        ("book", {}),
        ("check_in", {"ticket": "A003"}),
    ]


def _measures(*, booked: int, checked_in: int, in_time: int, no_show: int = 0, cancelled: int = 0):
    from egov.centre.appointment_selectors import AppointmentMeasures

    return AppointmentMeasures(
        booked=booked,
        checked_in=checked_in,
        no_show=no_show,
        cancelled=cancelled,
        called_in_time=in_time,
    )


@pytest.mark.django_db
def test_check_in_refusals_and_no_shows(clock):
    centre = Unit.objects.get(key=CENTRE)
    nine = book()
    ten = book(start=at(10), phone="0912 000 010")
    tuesday = book(start=at(9, day=dt.date(2026, 12, 8)), phone="0912 000 011")
    clock.move_to(at(9, 10))
    with pytest.raises(ValidationError, match="Không tìm thấy lịch hẹn có mã này"):
        appointment_check_in(actor=None, centre=centre, code="ABC")
    hong_gai = Unit.objects.get(key="qn.x.hong-gai.ttpvhcc")
    with pytest.raises(ValidationError, match="Không tìm thấy lịch hẹn có mã này"):
        appointment_check_in(actor=None, centre=hong_gai, code=nine.code)
    with pytest.raises(ValidationError, match="là ngày 08/12/2026; vui lòng đến đúng ngày hẹn"):
        appointment_check_in(actor=None, centre=centre, code=tuesday.code)
    # 15 minutes after the slot's start the booked citizen takes an ordinary number.
    clock.move_to(at(9, 16))
    with pytest.raises(ValidationError, match=r"Đã quá giờ hẹn \(09:00-09:30 07/12/2026\)"):
        appointment_check_in(actor=None, centre=centre, code=nine.code)
    assert appointments_expire() == 1
    assert Appointment.objects.get(pk=nine.pk).state == "no_show"
    assert appointments_expire() == 0
    with pytest.raises(ValidationError, match="đang ở trạng thái “Không đến”"):
        appointment_check_in(actor=None, centre=centre, code=nine.code)
    # A scanned QR (the page's link with ?ma=) checks in as the typed code does.
    scanned = f"https://dichvucong.example/lich-hen/{ten.key}/?ma={ten.code}"
    assert parse_check_in(scanned) == ten.code
    assert appointment_check_in(actor=None, centre=centre, code=scanned).state == "checked_in"
    with pytest.raises(ValidationError, match="không hủy được nữa"):
        appointment_cancel(actor=None, appointment=Appointment.objects.get(pk=ten.pk))
    assert appointment_measures(centre, MONDAY.date()) == _measures(
        booked=2, checked_in=1, in_time=0, no_show=1
    )
    assert [e.action for e in Appointment.objects.get(pk=nine.pk).events.all()] == [
        "book",
        "expire",
    ]


@pytest.mark.django_db
def test_one_reminder_a_day_ahead_through_the_outbox(clock):
    wednesday = dt.date(2026, 12, 9)
    early = book(start=at(10, day=wednesday), email="an@example.vn")
    clock.move_to(at(9, 59, day=dt.date(2026, 12, 8)))
    assert appointment_reminders_send() == 0
    # Booked inside the 24 hours before its slot: the confirmation was enough.
    late = book(start=at(9, day=wednesday), phone="0912 000 020")
    clock.move_to(at(10, day=dt.date(2026, 12, 8)))
    assert appointment_reminders_send() == 1
    assert appointment_reminders_send() == 0
    reminded = Appointment.objects.get(pk=early.pk)
    assert reminded.reminded_at == at(10, day=dt.date(2026, 12, 8))
    assert Appointment.objects.get(pk=late.pk).reminded_at is None
    messages = Message.objects.filter(event="appointment_reminder").order_by("channel")
    assert [(m.channel, m.recipient) for m in messages] == [
        ("email", "an@example.vn"),
        ("sms", "+84912345678"),
    ]
    assert messages[0].subject == f"Nhắc lịch hẹn {early.code} — TTPVHCC tỉnh"
    assert "10:00-10:30 09/12/2026" in messages[0].body
    # A cancelled appointment gets no reminder.
    other = book(start=at(10, 30, day=dt.date(2026, 12, 10)), phone="0912 000 021")
    appointment_cancel(actor=None, appointment=other)
    clock.move_to(at(10, 30, day=wednesday))
    assert appointment_reminders_send() == 0


@pytest.mark.django_db
def test_a_counter_keeps_places_per_weekday(clock):
    CounterService.objects.filter(counter=counter(4), line=line("C"), weekday=0).update(
        appointment_places=3
    )
    assert {s.capacity for s in line_slots(line("C"), MONDAY.date())} == {3}
    assert {s.capacity for s in line_slots(line("C"), MONDAY.date() + dt.timedelta(1))} == {1}


@pytest.mark.django_db
def test_a_swapped_working_saturday_follows_the_plan_of_the_weekday_it_stands_in_for(clock):
    # Thông báo 9441/TB-BNV: Saturday 22/8/2026 is worked for Monday 31/8/2026.
    saturday = dt.date(2026, 8, 22)
    assert saturday.weekday() == 5
    assert [x.code for x in lines_served(counter(1), saturday)] == ["A", "U"]
    assert {s.capacity for s in line_slots(line("A"), saturday)} == {2}
    assert len(line_slots(line("A"), saturday)) == 15
    ordinary_saturday = dt.date(2026, 8, 29)
    assert list(lines_served(counter(1), ordinary_saturday)) == []
    assert line_slots(line("A"), ordinary_saturday) == []
