"""The queue's public pages: the kiosk that gives numbers, the paper ticket (80 mm), the page
the ticket's QR opens to follow one's place, and the centre's display board (TV) with its
small fragment polled every 2 s.

The fragment answers ``304 Not Modified`` while nothing was called (ETag and Last-Modified
from one indexed aggregate, ``centre.selectors.board_version``), so fifty screens polling a
centre cost almost nothing (bench/board_bench.py, docs/performance.md).
"""

from __future__ import annotations

import base64
import datetime as dt
import time

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date, parse_http_date_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from egov.centre.appointments import appointment_check_in, parse_check_in
from egov.centre.models import ServiceLine, Ticket, TicketState
from egov.centre.permissions import public_centre, public_ticket
from egov.centre.selectors import BoardState, board_calls, board_state, people_ahead
from egov.centre.services import ticket_issue
from egov.core.clientip import client_ip
from egov.core.inputs import has_control_chars
from egov.core.ratelimit import hit, over_limit, record
from egov.org.models import RECEIVING_KINDS, Unit

BOARD_ROWS = 8


def _centre_or_404(key: str) -> Unit:
    centre = public_centre(key[:80])
    if centre is None:
        raise Http404(_("Không tìm thấy trung tâm có xếp hàng lấy số."))
    return centre


def _ticket_or_404(key: str) -> Ticket:
    ticket = public_ticket(key)
    if ticket is None:
        raise Http404(_("Không tìm thấy số thứ tự."))
    return ticket


@require_GET
def centres(request: HttpRequest) -> HttpResponse:
    """The centres that have a queue, with their kiosk and board."""
    found = (
        Unit.objects.filter(kind__in=RECEIVING_KINDS, service_lines__active=True)
        .distinct()
        .order_by("name")
    )
    return render(request, "portal/queue_centres.html", {"centres": found})


@require_http_methods(["GET", "POST"])
def kiosk(request: HttpRequest, centre: str) -> HttpResponse:
    """Choose a line, take a number (optionally a phone for the SMS and a name for the desk)."""
    unit = _centre_or_404(centre)
    lines = list(ServiceLine.objects.filter(centre=unit, active=True).order_by("order", "code"))
    context: dict[str, object] = {"centre": unit, "lines": lines}
    if request.method != "POST":
        return render(request, "portal/queue_kiosk.html", context)
    phone = request.POST.get("phone", "")[:30]
    name = request.POST.get("name", "")[:120]
    context.update(phone=phone, name=name)
    line = next((line for line in lines if line.code == request.POST.get("line", "")), None)
    if line is None or has_control_chars(phone) or has_control_chars(name):
        context["error"] = _("Vui lòng chọn một dòng số trên màn hình.")
        return render(request, "portal/queue_kiosk.html", context, status=400)
    if not hit(
        request, "queue-kiosk", limit=settings.EGOV_QUEUE_KIOSK_RATE_PER_MINUTE, window_seconds=60
    ):
        context["error"] = _("Kiosk đang quá tải. Vui lòng thử lại sau ít phút.")
        return render(request, "portal/queue_kiosk.html", context, status=429)
    try:
        ticket = ticket_issue(actor=request.user, line=line, phone=phone, name=name)
    except ValidationError as exc:
        context["error"] = " ".join(exc.messages)
        return render(request, "portal/queue_kiosk.html", context, status=400)
    return redirect("portal:queue_receipt", key=ticket.track_key)


CHECK_IN_WRONG = "queue-check-in-wrong"


@require_POST
def kiosk_check_in(request: HttpRequest, centre: str) -> HttpResponse:
    """A booked citizen types their appointment code (or scans the confirmation's QR): the
    number, called first from their slot's start, is printed as any other. Wrong codes are
    counted per centre and client address (``EGOV_QUEUE_CHECK_IN_WRONG_PER_HOUR``), so codes
    cannot be probed from outside while the centre's own kiosks keep working."""
    unit = _centre_or_404(centre)
    lines = list(ServiceLine.objects.filter(centre=unit, active=True).order_by("order", "code"))
    code = request.POST.get("code", "")[:300]
    # Only the code itself goes back into the field: a scanned link carries the appointment
    # page's key, which the next person at the kiosk must not see.
    context: dict[str, object] = {"centre": unit, "lines": lines, "code": parse_check_in(code)}
    if has_control_chars(code) or not code.strip():
        context["check_in_error"] = _("Vui lòng nhập mã lịch hẹn (6 ký tự).")
        return render(request, "portal/queue_kiosk.html", context, status=400)
    wrong_key = f"{unit.pk}:{client_ip(request) or '-'}"
    if not hit(
        request,
        "queue-check-in",
        limit=settings.EGOV_QUEUE_KIOSK_RATE_PER_MINUTE,
        window_seconds=60,
    ) or over_limit(
        CHECK_IN_WRONG,
        wrong_key,
        limit=settings.EGOV_QUEUE_CHECK_IN_WRONG_PER_HOUR,
        window_seconds=3600,
    ):
        context["check_in_error"] = _(
            "Đã nhập sai mã quá nhiều lần. Vui lòng lấy số thường ở trên hoặc hỏi cán bộ hướng dẫn."
        )
        return render(request, "portal/queue_kiosk.html", context, status=429)
    try:
        appointment = appointment_check_in(actor=request.user, centre=unit, code=code)
    except ValidationError as exc:
        if exc.code == "not_found":
            record(CHECK_IN_WRONG, wrong_key, window_seconds=3600)
        context["check_in_error"] = " ".join(exc.messages)
        return render(request, "portal/queue_kiosk.html", context, status=400)
    assert appointment.ticket is not None
    return redirect("portal:queue_receipt", key=appointment.ticket.track_key)


def _track_url(ticket: Ticket) -> str:
    path = reverse("portal:queue_ticket", kwargs={"key": ticket.track_key})
    return f"{settings.EGOV_PUBLIC_URL.rstrip('/')}{path}"


def qr_data_uri(text: str) -> str:
    """A QR code of ``text`` as an SVG data URI (an <img>, allowed by the CSP's img-src)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    svg = image.to_string(encoding="unicode")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


@require_GET
def receipt(request: HttpRequest, key: str) -> HttpResponse:
    """The paper ticket (80 mm receipt printer): printed by the kiosk's browser at once."""
    ticket = _ticket_or_404(key)
    track_url = _track_url(ticket)
    return render(
        request,
        "portal/queue_receipt.html",
        {
            "ticket": ticket,
            "ahead": people_ahead(ticket),
            "track_url": track_url,
            "qr": qr_data_uri(track_url),
            "kiosk_url": reverse("portal:queue_kiosk", kwargs={"centre": ticket.centre.key}),
        },
    )


@require_GET
def track(request: HttpRequest, key: str) -> HttpResponse:
    """One's place in the queue and the numbers being called (refreshed every 10 s)."""
    ticket = _ticket_or_404(key)
    context = {
        "ticket": ticket,
        "ahead": people_ahead(ticket),
        "calls": board_calls(ticket.centre, ticket.day, limit=4),
        "today": ticket.day == timezone.localdate(),
        "waiting": ticket.state == TicketState.WAITING,
    }
    partial = request.headers.get("HX-Request") == "true"
    template = "portal/_queue_track.html" if partial else "portal/queue_track.html"
    return render(request, template, context)


@require_GET
def board(request: HttpRequest, centre: str) -> HttpResponse:
    """The display board (a TV in kiosk mode): numbers called and their counters, live."""
    unit = _centre_or_404(centre)
    today = timezone.localdate()
    return render(
        request,
        "portal/queue_board.html",
        {"centre": unit, "calls": board_calls(unit, today, limit=BOARD_ROWS)},
    )


# Each worker reuses a centre's board state for EGOV_QUEUE_BOARD_CACHE_SECONDS (1 s): fifty
# screens polling every 2 s then cost a few queries a second instead of 25, and a call shows
# at most that much later (docs/performance.md).
_STATES: dict[tuple[str, dt.date], tuple[float, BoardState | None]] = {}


def _board_state_now(key: str, today: dt.date) -> BoardState | None:
    ttl = settings.EGOV_QUEUE_BOARD_CACHE_SECONDS
    now = time.monotonic()
    cached = _STATES.get((key, today))
    if ttl and cached is not None and cached[0] > now:
        return cached[1]
    state = board_state(key, today)
    if ttl:
        if len(_STATES) >= _RENDERED_MAX:
            _STATES.clear()
        _STATES[(key, today)] = (now + ttl, state)
    return state


# The rows of each board version, rendered once per worker and language: when a number is
# called, every screen of the centre asks for the new rows within 2 s.
_RENDERED: dict[tuple[str, str], bytes] = {}
_RENDERED_MAX = 256


def _board_rows(request: HttpRequest, state: BoardState, today: dt.date, etag: str) -> bytes:
    key = (etag, get_language())
    rows = _RENDERED.get(key)
    if rows is None:
        calls = board_calls(state.centre_id, today, limit=BOARD_ROWS)
        rows = render_to_string("portal/_queue_board_calls.html", {"calls": calls}).encode()
        if len(_RENDERED) >= _RENDERED_MAX:
            _RENDERED.clear()
        _RENDERED[key] = rows
    return rows


def _etag(state: BoardState, today: dt.date) -> str:
    stamp = int(state.version.timestamp() * 1_000_000) if state.version else 0
    return f'"q{state.centre_id}-{today:%Y%m%d}-{stamp}"'


@require_GET
def board_fragment(request: HttpRequest, centre: str) -> HttpResponse:
    """The board's rows; 304 while nothing new was called (one query, ``board_state``)."""
    today = timezone.localdate()
    state = _board_state_now(centre[:80], today)
    if state is None:
        raise Http404(_("Không tìm thấy trung tâm có xếp hàng lấy số."))
    etag = _etag(state, today)
    version = state.version
    response: HttpResponse
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    else:
        since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
        unchanged = (
            "If-None-Match" not in request.headers
            and since is not None
            and version is not None
            and int(version.timestamp()) <= since
        )
        if unchanged:
            response = HttpResponseNotModified()
        else:
            response = HttpResponse(_board_rows(request, state, today, etag))
    response["ETag"] = etag
    if version is not None:
        response["Last-Modified"] = http_date(version.timestamp())
    # Cached by the browser but asked again every time: the poll is a cheap revalidation.
    response["Cache-Control"] = "no-cache"
    response["Vary"] = "HX-Request, Accept-Language"
    return response
