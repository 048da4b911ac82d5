"""Writes of online appointments (đặt lịch hẹn, issue 17 §3): booking a place in a slot,
cancelling it, checking in at the kiosk (which takes a number called first from the slot's
start), and the two periodic jobs — reminders through the outbox and expiry of the booked
citizens who did not come (their place goes back to the walk-in queue).

Every change goes through ``centre.appointment_state.move`` (one event row per transition).
Places are counted inside the transaction that books, after locking the line's row
(PostgreSQL; SQLite's write transactions are exclusive, ``transaction_mode=IMMEDIATE``), so a
slot is never booked beyond its capacity, however many citizens book at once.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from egov.accounts.actors import Actor, person
from egov.catalog.models import Procedure
from egov.centre.appointment_selectors import (
    appointments_beyond_plan,
    due_for_expiry,
    due_for_reminder,
    find_slot,
    last_bookable_day,
    upcoming_of_phone,
)
from egov.centre.appointment_state import AppointmentAction, allowed, move
from egov.centre.models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    Appointment,
    AppointmentState,
    ServiceLine,
    new_check_in_code,
)
from egov.centre.permissions import overseen_centres
from egov.centre.services import ticket_issue
from egov.core.identity import clean_phone, display_phone
from egov.core.inputs import has_control_chars
from egov.core.locks import lock_name
from egov.notifications.services import Recipient, notification_enqueue
from egov.org.models import Unit
from egov.workdays.engine import VIETNAM_TZ

REFERENCE = "appointment"
_CODE_RE = re.compile(rf"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$")


def _clean_text(value: str, limit: int) -> str:
    if has_control_chars(value):
        raise ValidationError(_("Nội dung có ký tự không hợp lệ."), code="control_chars")
    return " ".join(value.split())[:limit]


def _when(appointment: Appointment) -> str:
    start = appointment.starts_at.astimezone(VIETNAM_TZ)
    end = appointment.ends_at.astimezone(VIETNAM_TZ)
    # A plain hyphen: an en dash would make the SMS a Unicode one (70 characters a part).
    return f"{start:%H:%M}-{end:%H:%M} {formats.date_format(start.date(), 'd/m/Y')}"


def _notify(appointment: Appointment, event: str, **extra: str) -> None:
    centre = appointment.centre
    notification_enqueue(
        event=event,
        reference=f"{REFERENCE}:{appointment.pk}",
        recipient=Recipient(phone=appointment.phone, email=appointment.email),
        context={
            "code": appointment.code,
            "centre": centre.short_name or centre.name,
            "address": centre.address,
            "line": appointment.line.name,
            "when": _when(appointment),
            "key": appointment.key,
            **extra,
        },
        unit=centre,
    )


@transaction.atomic
def appointment_book(
    *,
    actor: Actor | None,
    line: ServiceLine,
    starts_at: dt.datetime,
    name: str,
    phone: str,
    email: str = "",
    purpose: str = "",
    procedure: Procedure | None = None,
) -> Appointment:
    """Book a place in the slot of ``line`` that starts at ``starts_at``; the confirmation
    (code and link) goes out by SMS, and by e-mail when given."""
    name = _clean_text(name, 120)
    purpose = _clean_text(purpose, 300)
    if not name:
        raise ValidationError(_("Vui lòng nhập họ và tên."), code="name")
    phone = clean_phone(phone)
    email = email.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError(_("Địa chỉ thư điện tử không hợp lệ."), code="email") from None
    now = timezone.now()
    # One row lock per line serialises the bookings of its slots (PostgreSQL).
    # "of self": locking the joined centre too would hold up every insert that references
    # the centre (tickets, outbox rows) until this booking commits.
    line = (
        ServiceLine.objects.select_for_update(of=("self",)).select_related("centre").get(pk=line.pk)
    )
    slot = find_slot(line, starts_at)
    if slot is None:
        raise ValidationError(_("Khung giờ này không nhận lịch hẹn."), code="no_slot")
    if slot.starts_at <= now:
        raise ValidationError(_("Khung giờ này đã qua; vui lòng chọn khung giờ khác."), code="past")
    if slot.starts_at.astimezone(VIETNAM_TZ).date() > last_bookable_day(now):
        raise ValidationError(
            _("Chỉ đặt được lịch hẹn trong %(days)s ngày tới.")
            % {"days": settings.EGOV_QUEUE_BOOKING_DAYS_AHEAD},
            code="too_far",
        )
    if slot.free == 0:
        raise ValidationError(
            _("Khung giờ này vừa hết chỗ; vui lòng chọn khung giờ khác."), code="full"
        )
    # The per-phone limit spans lines, which the line's lock does not cover: a second booking
    # of the same number on another line waits here until this one commits.
    lock_name(f"appointment-phone:{phone}")
    if upcoming_of_phone(phone, now=now) >= settings.EGOV_QUEUE_BOOKINGS_PER_PHONE:
        raise ValidationError(
            _(
                "Số điện thoại %(phone)s đã có %(count)s lịch hẹn chưa đến; hãy hủy một lịch "
                "trước khi đặt thêm."
            )
            % {"phone": display_phone(phone), "count": settings.EGOV_QUEUE_BOOKINGS_PER_PHONE},
            code="too_many",
        )
    appointment = _create(
        line=line,
        slot_start=slot.starts_at,
        slot_end=slot.ends_at,
        name=name,
        phone=phone,
        email=email,
        purpose=purpose,
        procedure=procedure,
        user=person(actor) if actor is not None else None,
        now=now,
    )
    move(appointment, AppointmentAction.BOOK, actor=actor, created=True)
    _notify(appointment, "appointment_booked")
    return appointment


def _create(
    *,
    line: ServiceLine,
    slot_start: dt.datetime,
    slot_end: dt.datetime,
    now: dt.datetime,
    **fields: object,
) -> Appointment:
    # A code is 6 of 31 characters (about 887 million); a clash is retried with a new one.
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Appointment.objects.create(
                    centre=line.centre,
                    line=line,
                    day=slot_start.astimezone(VIETNAM_TZ).date(),
                    starts_at=slot_start,
                    ends_at=slot_end,
                    state=AppointmentState.BOOKED,
                    code=new_check_in_code(),
                    booked_at=now,
                    **fields,
                )
        except IntegrityError:
            continue
    raise RuntimeError("could not draw a free appointment code")


@transaction.atomic
def appointment_cancel(*, actor: Actor | None, appointment: Appointment) -> Appointment:
    """The citizen gives the place back (before the slot starts)."""
    appointment = Appointment.objects.select_for_update(of=("self",)).get(pk=appointment.pk)
    if not allowed(appointment, AppointmentAction.CANCEL):
        raise ValidationError(
            _("Lịch hẹn đang ở trạng thái “%(state)s”, không hủy được nữa.")
            % {"state": appointment.get_state_display()},
            code="illegal_transition",
        )
    if appointment.starts_at <= timezone.now():
        raise ValidationError(_("Khung giờ hẹn đã bắt đầu, không hủy được nữa."), code="started")
    move(appointment, AppointmentAction.CANCEL, actor=actor)
    return appointment


def parse_check_in(value: str) -> str:
    """The code typed at the kiosk, or the one a scanner reads from the confirmation's QR (a
    link ending in ``?ma=<code>``), upper-cased; "" when it cannot be a code."""
    text = value.strip()
    if "ma=" in text:
        text = text.rsplit("ma=", 1)[1].split("&", 1)[0]
    text = text.replace(" ", "").replace("-", "").upper()
    return text if _CODE_RE.match(text) else ""


@transaction.atomic
def appointment_check_in(*, actor: Actor | None, centre: Unit, code: str) -> Appointment:
    """The booked citizen has come: the kiosk takes a number of the appointment's line,
    called first from the slot's start. Allowed on the appointment's day until the slot's
    start + ``EGOV_QUEUE_CHECK_IN_GRACE_MINUTES``."""
    clean = parse_check_in(code)
    found = (
        # Only the appointment's row: a FOR UPDATE on the line would deadlock with a walk-in
        # number of the same line being inserted (its foreign-key check needs the line).
        Appointment.objects.select_for_update(of=("self",))
        .select_related("line", "centre")
        .filter(code=clean, centre=centre)
        .first()
        if clean
        else None
    )
    if found is None:
        raise ValidationError(
            _("Không tìm thấy lịch hẹn có mã này tại trung tâm. Vui lòng kiểm tra lại mã."),
            code="not_found",
        )
    now = timezone.now()
    if found.state != AppointmentState.BOOKED:
        raise ValidationError(
            _("Lịch hẹn %(code)s đang ở trạng thái “%(state)s”.")
            % {"code": found.code, "state": found.get_state_display()},
            code="illegal_transition",
        )
    if found.day != timezone.localdate(now):
        raise ValidationError(
            _("Lịch hẹn %(code)s là ngày %(day)s; vui lòng đến đúng ngày hẹn.")
            % {"code": found.code, "day": formats.date_format(found.day, "d/m/Y")},
            code="other_day",
        )
    grace = dt.timedelta(minutes=settings.EGOV_QUEUE_CHECK_IN_GRACE_MINUTES)
    if now > found.starts_at + grace:
        raise ValidationError(
            _("Đã quá giờ hẹn (%(when)s) hơn %(minutes)s phút; vui lòng lấy số thường ở trên.")
            % {"when": _when(found), "minutes": settings.EGOV_QUEUE_CHECK_IN_GRACE_MINUTES},
            code="late",
        )
    ticket = ticket_issue(
        actor=actor,
        line=found.line,
        phone=found.phone,
        name=found.name,
        appointment_at=found.starts_at,
    )
    found.ticket = ticket
    found.checked_in_at = now
    move(
        found,
        AppointmentAction.CHECK_IN,
        actor=actor,
        data={"ticket": ticket.number},
        update_fields=("ticket", "checked_in_at"),
    )
    return found


def _check_centre_cancel(actor: Actor, centre: Unit, reason: str) -> str:
    if not overseen_centres(actor).filter(pk=centre.pk).exists():
        raise ValidationError(
            _("Chỉ lãnh đạo, giám sát Trung tâm được hủy lịch hẹn của Trung tâm."),
            code="forbidden",
        )
    reason = _clean_text(reason, 300)
    if not reason:
        raise ValidationError(
            _("Vui lòng ghi lý do hủy (sẽ gửi cho người đặt lịch)."), code="reason"
        )
    return reason


def _cancel_by_centre(actor: Actor, pks: list[int], reason: str) -> int:
    """Cancel each appointment still booked, in its own transaction, telling its citizen why."""
    cancelled = 0
    for pk in pks:
        with transaction.atomic():
            appointment = (
                Appointment.objects.select_for_update(of=("self",))
                .select_related("centre", "line")
                .get(pk=pk)
            )
            if not allowed(appointment, AppointmentAction.CANCEL):
                continue
            move(
                appointment,
                AppointmentAction.CANCEL,
                actor=actor,
                data={"by_centre": True, "reason": reason},
            )
            _notify(appointment, "appointment_cancelled", reason=reason)
            cancelled += 1
    return cancelled


def appointments_cancel_by_centre(*, actor: Actor, centre: Unit, day: dt.date, reason: str) -> int:
    """The centre cannot receive the citizens booked for ``day`` (a holiday decided after they
    booked, counters stopped…): a leader or supervisor of the centre cancels every appointment
    of that day still booked, and each citizen is told why (SMS, and e-mail when given). Each
    in its own transaction. Returns how many."""
    reason = _check_centre_cancel(actor, centre, reason)
    booked = Appointment.objects.filter(centre=centre, day=day, state=AppointmentState.BOOKED)
    return _cancel_by_centre(
        actor, list(booked.order_by("starts_at", "pk").values_list("pk", flat=True)), reason
    )


def appointments_cancel_beyond_plan(
    *,
    actor: Actor,
    centre: Unit,
    reason: str,
    shown: Collection[int],
    now: dt.datetime | None = None,
) -> int:
    """The plan changed after citizens booked (a counter closed, places cut, hours shortened):
    in each coming slot holding more than its places, the latest booked beyond the capacity
    are cancelled and told why; the earliest booked keep theirs. Only appointments the leader
    was ``shown`` as beyond are cancelled, and only if still beyond once the line is locked
    (as a booking locks it): a place given back or added meanwhile saves someone. Returns how
    many."""
    reason = _check_centre_cancel(actor, centre, reason)
    now = now or timezone.now()
    shown = set(shown)
    lines = sorted({conflict.line.pk for conflict in appointments_beyond_plan(centre, now=now)})
    cancelled = 0
    for line_id in lines:
        with transaction.atomic():
            ServiceLine.objects.select_for_update(of=("self",)).get(pk=line_id)
            still = [
                appointment.pk
                for conflict in appointments_beyond_plan(centre, now=now)
                if conflict.line.pk == line_id
                for appointment in conflict.beyond
                if appointment.pk in shown
            ]
            cancelled += _cancel_by_centre(actor, still, reason)
    return cancelled


def appointments_expire(*, now: dt.datetime | None = None) -> int:
    """Mark as not come the booked citizens whose check-in time has passed; each in its own
    transaction (a long backlog never holds one big lock). Returns how many."""
    moved = 0
    for pk in list(due_for_expiry(now or timezone.now()).values_list("pk", flat=True)):
        with transaction.atomic():
            appointment = Appointment.objects.select_for_update(of=("self",)).get(pk=pk)
            if allowed(appointment, AppointmentAction.EXPIRE):
                move(appointment, AppointmentAction.EXPIRE, actor=None)
                moved += 1
    return moved


def appointment_reminders_send(*, now: dt.datetime | None = None) -> int:
    """Send each booked citizen one reminder ``EGOV_QUEUE_REMINDER_HOURS`` before the slot
    (SMS, and e-mail when given, through the outbox). Returns how many."""
    moment = now or timezone.now()
    sent = 0
    for pk in list(due_for_reminder(moment).values_list("pk", flat=True)):
        with transaction.atomic():
            appointment = (
                Appointment.objects.select_for_update(of=("self",))
                .select_related("centre", "line")
                .get(pk=pk)
            )
            if appointment.reminded_at is not None or appointment.state != AppointmentState.BOOKED:
                continue
            appointment.reminded_at = moment
            appointment.save(update_fields=["reminded_at"])
            _notify(appointment, "appointment_reminder")
            sent += 1
    return sent


__all__ = [
    "appointment_book",
    "appointment_cancel",
    "appointment_check_in",
    "appointment_reminders_send",
    "appointments_cancel_by_centre",
    "appointments_expire",
    "parse_check_in",
]
