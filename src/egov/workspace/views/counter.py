"""The counter screen of a service centre's receptionist (open the counter, call the next
number, recall, skip, transfer, finish, start a reception from the number) and the centre
leader's view of today's queue and its measures (egov.centre)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egov.accounts.models import User
from egov.centre.appointment_selectors import (
    appointment_measures,
    appointments_beyond_plan,
    appointments_of_day,
)
from egov.centre.appointments import (
    appointments_cancel_beyond_plan,
    appointments_cancel_by_centre,
)
from egov.centre.models import (
    AppointmentState,
    Counter,
    CounterSession,
    ServiceLine,
    Ticket,
    TicketState,
)
from egov.centre.permissions import (
    counters_to_open,
    get_counter_to_open,
    get_overseen_centre,
    get_ticket_at_centre,
    overseen_centres,
    own_open_session,
    reception_centres,
)
from egov.centre.selectors import (
    counter_measures,
    counter_tickets,
    day_measures,
    open_sessions,
    tickets_of_day,
    waiting_by_line,
    waiting_for_counter,
)
from egov.centre.services import (
    counter_close,
    counter_open,
    ticket_call_next,
    ticket_finish,
    ticket_no_show,
    ticket_recall,
    ticket_skip,
    ticket_start,
    ticket_transfer,
)
from egov.org.models import Unit
from egov.workspace.views.common import staff_user

WAITING_SHOWN = 20


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 12 else None


@login_required
def counter_screen(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    if not reception_centres(user).exists():
        raise PermissionDenied(_("Bạn không có vai trò tiếp nhận tại trung tâm nào."))
    session = own_open_session(user)
    if session is None:
        return render(request, "workspace/counter_open.html", {"counters": counters_to_open(user)})
    counter = session.counter
    today = timezone.localdate()
    at_counter = counter_tickets(counter, today)
    waiting = waiting_for_counter(counter, today)
    return render(
        request,
        "workspace/counter.html",
        {
            "session": session,
            "counter": counter,
            "current": at_counter.filter(
                state__in=(TicketState.CALLED, TicketState.SERVING)
            ).first(),
            "skipped": at_counter.filter(state=TicketState.SKIPPED).order_by("last_called_at"),
            "waiting": waiting[:WAITING_SHOWN],
            "waiting_count": waiting.count(),
            "other_counters": Counter.objects.filter(centre=counter.centre, active=True).exclude(
                pk=counter.pk
            ),
            "lines": ServiceLine.objects.filter(centre=counter.centre, active=True),
        },
    )


def _transfer(request: HttpRequest, session: CounterSession, ticket: Ticket) -> Ticket:
    target = request.POST.get("to", "")
    kind, _sep, raw = target.partition(":")
    pk = _int(raw) or 0
    to_counter = to_line = None
    if kind == "counter":
        to_counter = Counter.objects.filter(centre=session.counter.centre, pk=pk).first()
    elif kind == "line":
        to_line = ServiceLine.objects.filter(centre=session.counter.centre, pk=pk).first()
    if to_counter is None and to_line is None:
        raise ValidationError(_("Chọn một quầy hoặc một dòng số để chuyển đến."))
    return ticket_transfer(
        actor=request.user, session=session, ticket=ticket, to_line=to_line, to_counter=to_counter
    )


TICKET_ACTIONS = {
    "recall": ticket_recall,
    "start": ticket_start,
    "skip": ticket_skip,
    "no_show": ticket_no_show,
    "finish": ticket_finish,
}


@login_required
@require_POST
def counter_action(request: HttpRequest) -> HttpResponse:
    """One button of the counter screen; refusals come back as a message on the screen."""
    user = staff_user(request)
    action = request.POST.get("action", "")
    screen = redirect("workspace:counter_screen")
    try:
        if action == "open":
            counter = get_counter_to_open(user, _int(request.POST.get("counter")) or 0)
            if counter is None:
                raise ValidationError(_("Không tìm thấy quầy trong trung tâm của bạn."))
            counter_open(actor=user, counter=counter)
            return screen
        session = own_open_session(user)
        if session is None:
            raise ValidationError(_("Quầy của bạn chưa mở."))
        if action == "close":
            counter_close(actor=user, session=session)
        elif action == "next":
            called = ticket_call_next(actor=user, session=session)
            if called is None:
                messages.info(request, _("Không còn ai đang chờ quầy này."))
        elif action in TICKET_ACTIONS or action == "transfer":
            ticket = get_ticket_at_centre(user, _int(request.POST.get("ticket")) or 0)
            if ticket is None:
                raise ValidationError(_("Không tìm thấy số thứ tự."))
            if action == "transfer":
                _transfer(request, session, ticket)
            else:
                TICKET_ACTIONS[action](actor=user, session=session, ticket=ticket)
        else:
            raise ValidationError(_("Thao tác không hợp lệ."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return screen


@login_required
@require_POST
def counter_reception(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Tiếp nhận hồ sơ" from the number at the counter: service starts (if it had not) and
    the counter reception form opens with the number's data."""
    user = staff_user(request)
    session = own_open_session(user)
    ticket = get_ticket_at_centre(user, pk)
    if ticket is None:
        raise Http404(_("Không tìm thấy số thứ tự."))
    if session is None or ticket.counter_id != session.counter_id:
        messages.error(request, _("Số này không ở quầy của bạn."))
        return redirect("workspace:counter_screen")
    if ticket.state == TicketState.CALLED:
        try:
            ticket_start(actor=user, session=session, ticket=ticket)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("workspace:counter_screen")
    return redirect(f"{reverse('workspace:reception')}?{urlencode({'luot': ticket.pk})}")


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        return timezone.localdate()


@login_required
def queue_today(request: HttpRequest) -> HttpResponse:
    """The centre leader's page: the day's queue, counters open, measures and indicators."""
    user = staff_user(request)
    centres = list(overseen_centres(user))
    if not centres:
        raise PermissionDenied(_("Trang này dành cho lãnh đạo, giám sát Trung tâm."))
    chosen = _int(request.GET.get("trung-tam"))
    centre = get_overseen_centre(user, chosen) if chosen else centres[0]
    if centre is None:
        centre = centres[0]
    day = _day(request.GET.get("ngay", "")[:10])
    appointments = list(appointments_of_day(centre, day))
    beyond_plan = appointments_beyond_plan(centre, now=timezone.now())
    return render(
        request,
        "workspace/queue_today.html",
        {
            "centres": centres,
            "centre": centre,
            "day": day,
            "measures": day_measures(centre, day),
            "by_line": waiting_by_line(centre, day),
            "by_counter": counter_measures(centre, day),
            "sessions": open_sessions(centre),
            "tickets": tickets_of_day(centre, day),
            "appointments": appointments,
            "appointment_measures": appointment_measures(centre, day),
            "booked_left": sum(a.state == AppointmentState.BOOKED for a in appointments),
            "beyond_plan": beyond_plan,
            "beyond_count": sum(len(conflict.beyond) for conflict in beyond_plan),
        },
    )


def _cancel_for_centre(
    request: HttpRequest, cancel: Callable[[User, Unit, str], int], **query: str
) -> HttpResponse:
    """The leader's cancel forms: the centre named in the form (one the user oversees, else
    403), the reason, the count cancelled as a message, back to the leader's page."""
    user = staff_user(request)
    centre = get_overseen_centre(user, _int(request.POST.get("trung-tam")) or 0)
    if centre is None:
        raise PermissionDenied(_("Trang này dành cho lãnh đạo, giám sát Trung tâm."))
    try:
        count = cancel(user, centre, request.POST.get("ly_do", "")[:300])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Đã hủy %(count)s lịch hẹn và gửi thông báo cho người đặt.") % {"count": count},
        )
    back = urlencode({"trung-tam": str(centre.pk), **query})
    return redirect(f"{reverse('workspace:queue_today')}?{back}")


@login_required
@require_POST
def queue_cancel_appointments(request: HttpRequest) -> HttpResponse:
    """ "Hủy các lịch hẹn chưa đến của ngày": the centre cannot receive that day's booked
    citizens; each is told why."""
    day = _day(request.POST.get("ngay", "")[:10])
    return _cancel_for_centre(
        request,
        lambda user, centre, reason: appointments_cancel_by_centre(
            actor=user, centre=centre, day=day, reason=reason
        ),
        ngay=day.isoformat(),
    )


@login_required
@require_POST
def queue_cancel_beyond_plan(request: HttpRequest) -> HttpResponse:
    """ "Hủy các lịch hẹn vượt chỗ": after a plan change, the latest booked beyond each coming
    slot's places are cancelled and told why."""
    # The appointments the leader saw listed as beyond: nothing else is cancelled.
    shown: set[int] = {
        number for number in map(_int, request.POST.getlist("lich_hen")[:5000]) if number
    }
    day = _day(request.POST.get("ngay", "")[:10])
    return _cancel_for_centre(
        request,
        lambda user, centre, reason: appointments_cancel_beyond_plan(
            actor=user, centre=centre, reason=reason, shown=shown
        ),
        ngay=day.isoformat(),
    )
