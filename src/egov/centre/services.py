"""Writes of the queue: taking a number at the kiosk, opening and closing a counter, calling,
recalling, skipping, transferring and finishing a number, linking it to the dossier received.

Every ticket change goes through ``centre.state.move`` (one event row per transition). A
ticket's number is taken inside the transaction that stores it (``core.numbering``), so
numbers of a centre, line and day run 1, 2, 3… without a gap or a repeat, however many kiosks
take them at once.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from egov.accounts.actors import Actor, person
from egov.centre.models import (
    Counter,
    CounterSession,
    ServiceLine,
    Ticket,
    TicketState,
)
from egov.centre.permissions import reception_centres
from egov.centre.selectors import people_ahead, waiting_for_counter
from egov.centre.state import IllegalTransition, TicketAction, allowed, move
from egov.core.identity import clean_phone
from egov.core.numbering import SeriesExhausted, daily, take_number
from egov.notifications.services import Recipient, notification_enqueue

SERIES = "queue-ticket"
# States in which a number occupies its counter (the counter must settle it before the next).
AT_COUNTER = (TicketState.CALLED, TicketState.SERVING)

_ACTION_NAMES = {
    TicketAction.CALL: gettext_lazy("gọi"),
    TicketAction.RECALL: gettext_lazy("gọi lại"),
    TicketAction.START: gettext_lazy("bắt đầu phục vụ"),
    TicketAction.SKIP: gettext_lazy("bỏ qua"),
    TicketAction.NO_SHOW: gettext_lazy("ghi không đến"),
    TicketAction.TRANSFER: gettext_lazy("chuyển"),
    TicketAction.FINISH: gettext_lazy("kết thúc"),
}


def ticket_number(line: ServiceLine, sequence: int) -> str:
    """ "A012": the line's letter and three digits."""
    return f"{line.code}{sequence:03d}"


def _refused(ticket: Ticket, action: TicketAction) -> ValidationError:
    return ValidationError(
        _("Số %(number)s đang ở trạng thái “%(state)s”, không thể %(action)s.")
        % {
            "number": ticket.number,
            "state": ticket.get_state_display(),
            "action": str(_ACTION_NAMES[action]),
        },
        code="illegal_transition",
    )


@transaction.atomic
def ticket_issue(
    *,
    actor: Actor | None,
    line: ServiceLine,
    phone: str = "",
    name: str = "",
    appointment_at: dt.datetime | None = None,
) -> Ticket:
    """Take the next number of ``line`` today; with a phone, the number is also sent by SMS
    (through the outbox; the phone is not written to the ticket's events). ``appointment_at``:
    the number of a booked citizen, called first from that moment (``appointments``)."""
    if not line.active:
        raise ValidationError(_("Dòng số này tạm ngừng phát số."), code="line_inactive")
    phone = clean_phone(phone) if phone.strip() else ""
    name = " ".join(name.split())[:120]
    now = timezone.now()
    day = timezone.localdate(now)
    series = daily(SERIES, line.centre_id, line.code, on=day)
    try:
        sequence = take_number(series, limit=settings.EGOV_QUEUE_DAILY_LIMIT)
    except SeriesExhausted:
        raise ValidationError(
            _("Dòng %(code)s đã phát hết số của hôm nay. Vui lòng hỏi cán bộ hướng dẫn.")
            % {"code": line.code},
            code="series_exhausted",
        ) from None
    ticket = Ticket.objects.create(
        centre_id=line.centre_id,
        line=line,
        day=day,
        sequence=sequence,
        number=ticket_number(line, sequence),
        state=TicketState.WAITING,
        issued_at=now,
        phone=phone,
        name=name,
        appointment_at=appointment_at,
    )
    data = {"sms": bool(phone)} | ({"appointment": True} if appointment_at else {})
    move(ticket, TicketAction.ISSUE, actor=actor, created=True, data=data)
    if phone:
        notification_enqueue(
            event="queue_ticket",
            reference=f"{SERIES}:{ticket.pk}",
            recipient=Recipient(phone=phone),
            context={
                "number": ticket.number,
                "centre": line.centre.short_name or line.centre.name,
                "line": line.name,
                "ahead": people_ahead(ticket),
                "track_key": ticket.track_key,
            },
            unit=line.centre,
        )
    return ticket


@transaction.atomic
def counter_open(*, actor: Actor, counter: Counter) -> CounterSession:
    """``actor`` opens ``counter``: they must receive at its centre today, and neither they
    nor the counter may have another open session."""
    user = person(actor)
    if user is None or not reception_centres(actor).filter(pk=counter.centre_id).exists():
        raise ValidationError(_("Bạn không làm việc tiếp nhận tại trung tâm này."))
    if not counter.active:
        raise ValidationError(_("Quầy này đang ngừng hoạt động."))
    if CounterSession.objects.filter(user=user, closed_at__isnull=True).exists():
        raise ValidationError(_("Bạn đang mở một quầy khác; hãy đóng quầy đó trước."))
    if CounterSession.objects.filter(counter=counter, closed_at__isnull=True).exists():
        raise ValidationError(_("Quầy này đang có cán bộ khác làm việc."))
    try:
        with transaction.atomic():
            return CounterSession.objects.create(
                counter=counter, user=user, opened_at=timezone.now()
            )
    except IntegrityError:  # opened at the same moment elsewhere
        raise ValidationError(_("Quầy này vừa được mở; tải lại trang.")) from None


@transaction.atomic
def counter_close(*, actor: Actor, session: CounterSession) -> CounterSession:
    """Close the counter; a number still called or being served there must be settled first."""
    if session.closed_at is not None:
        raise ValidationError(_("Quầy đã đóng."))
    if person(actor) is None or session.user_id != person(actor).pk:  # type: ignore[union-attr]
        raise ValidationError(_("Chỉ cán bộ đã mở quầy mới đóng được quầy."))
    busy = Ticket.objects.filter(counter=session.counter, state__in=AT_COUNTER).first()
    if busy is not None:
        raise ValidationError(
            _("Số %(number)s đang ở quầy: kết thúc, bỏ qua hoặc chuyển số trước khi đóng quầy.")
            % {"number": busy.number}
        )
    session.closed_at = timezone.now()
    session.save(update_fields=["closed_at"])
    return session


def _current_at(counter: Counter) -> Ticket | None:
    return Ticket.objects.filter(counter=counter, state__in=AT_COUNTER).first()


def _check_session(actor: Actor, session: CounterSession) -> None:
    user = person(actor)
    if session.closed_at is not None or user is None or session.user_id != user.pk:
        raise ValidationError(_("Quầy của bạn chưa mở."))


@transaction.atomic
def ticket_call_next(*, actor: Actor, session: CounterSession) -> Ticket | None:
    """Call the next number to the session's counter (``selectors.waiting_for_counter``
    order); None when nobody waits. A number still at the counter must be settled first.

    The candidate row is locked (PostgreSQL, skipping rows another counter is calling at the
    same moment); on SQLite the write transaction itself is exclusive."""
    _check_session(actor, session)
    counter = session.counter
    busy = _current_at(counter)
    if busy is not None:
        raise ValidationError(
            _("Số %(number)s vẫn đang ở quầy: kết thúc, bỏ qua hoặc chuyển số trước.")
            % {"number": busy.number}
        )
    today = timezone.localdate()
    ticket = (
        waiting_for_counter(counter, today)
        .select_for_update(skip_locked=True, of=("self",))
        .first()
    )
    if ticket is None:
        return None
    now = timezone.now()
    ticket.counter = counter
    ticket.directed_counter = None
    ticket.first_called_at = ticket.first_called_at or now
    ticket.last_called_at = now
    ticket.calls += 1
    move(
        ticket,
        TicketAction.CALL,
        actor=actor,
        counter=counter,
        update_fields=(
            "counter",
            "directed_counter",
            "first_called_at",
            "last_called_at",
            "calls",
        ),
    )
    return ticket


def _at_own_counter(actor: Actor, session: CounterSession, ticket: Ticket) -> None:
    _check_session(actor, session)
    if ticket.counter_id != session.counter_id:
        raise ValidationError(_("Số %(number)s không ở quầy của bạn.") % {"number": ticket.number})


def _locked(ticket: Ticket) -> Ticket:
    return (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("line", "counter")
        .get(pk=ticket.pk)
    )


@transaction.atomic
def ticket_recall(*, actor: Actor, session: CounterSession, ticket: Ticket) -> Ticket:
    """Call the number again (it did not come yet, or was skipped and has come back)."""
    ticket = _locked(ticket)
    _at_own_counter(actor, session, ticket)
    if not allowed(ticket, TicketAction.RECALL):
        raise _refused(ticket, TicketAction.RECALL)
    busy = _current_at(session.counter)
    if busy is not None and busy.pk != ticket.pk:
        raise ValidationError(
            _("Số %(number)s vẫn đang ở quầy: kết thúc, bỏ qua hoặc chuyển số trước.")
            % {"number": busy.number}
        )
    ticket.last_called_at = timezone.now()
    ticket.calls += 1
    move(
        ticket,
        TicketAction.RECALL,
        actor=actor,
        counter=session.counter,
        update_fields=("last_called_at", "calls"),
    )
    return ticket


def _simple(
    actor: Actor,
    session: CounterSession,
    ticket: Ticket,
    action: TicketAction,
    **stamps: object,
) -> Ticket:
    ticket = _locked(ticket)
    _at_own_counter(actor, session, ticket)
    if not allowed(ticket, action):
        raise _refused(ticket, action)
    for field, value in stamps.items():
        setattr(ticket, field, value)
    move(ticket, action, actor=actor, counter=session.counter, update_fields=tuple(stamps))
    return ticket


@transaction.atomic
def ticket_start(*, actor: Actor, session: CounterSession, ticket: Ticket) -> Ticket:
    """The citizen has come to the counter: service starts."""
    return _simple(actor, session, ticket, TicketAction.START, serving_at=timezone.now())


@transaction.atomic
def ticket_skip(*, actor: Actor, session: CounterSession, ticket: Ticket) -> Ticket:
    """Called but not come: set aside (the counter may recall it later)."""
    return _simple(actor, session, ticket, TicketAction.SKIP)


@transaction.atomic
def ticket_no_show(*, actor: Actor, session: CounterSession, ticket: Ticket) -> Ticket:
    """Called (or skipped) and never came: closed as not shown."""
    return _simple(actor, session, ticket, TicketAction.NO_SHOW, finished_at=timezone.now())


@transaction.atomic
def ticket_finish(*, actor: Actor, session: CounterSession, ticket: Ticket) -> Ticket:
    """Service at the counter is over."""
    return _simple(actor, session, ticket, TicketAction.FINISH, finished_at=timezone.now())


@transaction.atomic
def ticket_transfer(
    *,
    actor: Actor,
    session: CounterSession,
    ticket: Ticket,
    to_line: ServiceLine | None = None,
    to_counter: Counter | None = None,
) -> Ticket:
    """Send the number back to the queue of another line or counter of the same centre; it
    keeps its number and its time, so it is called before numbers taken after it."""
    if (to_line is None) == (to_counter is None):
        raise ValidationError(_("Chọn một quầy hoặc một dòng số để chuyển đến."))
    target_centre = (to_line or to_counter).centre_id  # type: ignore[union-attr]
    if target_centre != ticket.centre_id:
        raise ValidationError(_("Chỉ chuyển được đến quầy hoặc dòng số của cùng trung tâm."))
    if to_counter is not None and (to_counter.pk == session.counter_id or not to_counter.active):
        raise ValidationError(_("Chọn một quầy khác đang hoạt động."))
    if to_line is not None and not to_line.active:
        raise ValidationError(_("Dòng số này tạm ngừng."))
    data: dict[str, object] = (
        {"to_line": to_line.code} if to_line is not None else {"to_counter": to_counter.number}  # type: ignore[union-attr]
    )
    stamps: dict[str, object] = {"directed_counter": to_counter, "serving_at": None}
    if to_line is not None:
        stamps["line"] = to_line
    return _transfer(actor, session, ticket, stamps, data)


def _transfer(
    actor: Actor,
    session: CounterSession,
    ticket: Ticket,
    stamps: dict[str, object],
    data: dict[str, object],
) -> Ticket:
    ticket = _locked(ticket)
    _at_own_counter(actor, session, ticket)
    if not allowed(ticket, TicketAction.TRANSFER):
        raise _refused(ticket, TicketAction.TRANSFER)
    for field, value in stamps.items():
        setattr(ticket, field, value)
    ticket.counter = None
    move(
        ticket,
        TicketAction.TRANSFER,
        actor=actor,
        counter=session.counter,
        data=data,
        update_fields=(*stamps, "counter"),
    )
    return ticket


@transaction.atomic
def ticket_link_dossier(*, actor: Actor, ticket: Ticket, dossier_code: str) -> Ticket:
    """Remember the dossier received from this number (the queue's link to the dossier)."""
    ticket = _locked(ticket)
    if not reception_centres(actor).filter(pk=ticket.centre_id).exists():
        raise ValidationError(_("Bạn không làm việc tiếp nhận tại trung tâm này."))
    ticket.dossier_code = dossier_code[:40]
    ticket.save(update_fields=["dossier_code"])
    return ticket


__all__ = [
    "IllegalTransition",
    "counter_close",
    "counter_open",
    "ticket_call_next",
    "ticket_finish",
    "ticket_issue",
    "ticket_link_dossier",
    "ticket_no_show",
    "ticket_recall",
    "ticket_skip",
    "ticket_start",
    "ticket_transfer",
]
