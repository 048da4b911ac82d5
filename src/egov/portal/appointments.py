"""Online appointments at a service centre (đặt lịch hẹn, issue 17 §3): choose the service
line, the day and a slot with free places, leave a name and a phone, and get a code (and a QR)
to check in at the kiosk; the citizen's page shows, prints or cancels it. Works without
JavaScript (each step is a link or a form); rate-limited per client address.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from egov.centre.appointment_selectors import (
    Slot,
    bookable_days,
    bookable_lines,
    booking_centres,
    line_slots,
)
from egov.centre.appointments import appointment_book, appointment_cancel
from egov.centre.models import Appointment, AppointmentState, ServiceLine
from egov.centre.permissions import (
    own_upcoming_appointments,
    public_appointment,
    public_booking_centre,
)
from egov.core.identity import display_phone
from egov.core.ratelimit import hit
from egov.org.models import Unit
from egov.portal.queue import qr_data_uri
from egov.workdays.engine import VIETNAM_TZ


class BookingForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Họ và tên"), max_length=120)
    phone = forms.CharField(
        label=gettext_lazy("Số điện thoại di động (nhận mã và tin nhắc)"), max_length=20
    )
    email = forms.EmailField(label=gettext_lazy("Thư điện tử (không bắt buộc)"), required=False)
    purpose = forms.CharField(
        label=gettext_lazy("Việc cần làm (không bắt buộc)"), max_length=300, required=False
    )


def _centre_or_404(key: str) -> Unit:
    centre = public_booking_centre(key[:80])
    if centre is None:
        raise Http404(_("Không tìm thấy trung tâm nhận đặt lịch hẹn."))
    return centre


def _day(value: str, days: list[dt.date]) -> dt.date | None:
    try:
        day = dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None
    return day if day in days else None


def _slot_value(slot: Slot) -> str:
    return slot.starts_at.astimezone(VIETNAM_TZ).strftime("%H:%M")


@require_GET
def booking_centres_page(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/booking_centres.html",
        {"centres": booking_centres(), "mine": own_upcoming_appointments(request.user)},
    )


def _initial(request: HttpRequest) -> dict[str, str]:
    user = request.user
    if not user.is_authenticated:
        return {}
    profile = getattr(user, "citizen_profile", None)
    phone = getattr(profile, "phone", "") or ""
    return {
        "name": getattr(user, "full_name", "") or "",
        "phone": display_phone(phone) if phone else "",
        "email": user.email or "",
    }


@never_cache
@require_http_methods(["GET", "POST"])
def booking(request: HttpRequest, centre: str) -> HttpResponse:
    """Line → day → slot and contact; POST books and opens the appointment's page."""
    unit = _centre_or_404(centre)
    lines = list(bookable_lines(unit))
    source = request.POST if request.method == "POST" else request.GET
    code = source.get("dong", "")[:1]
    line: ServiceLine | None = next((x for x in lines if x.code == code), None)
    now = timezone.now()
    days = bookable_days(line, now=now) if line is not None else []
    day = _day(source.get("ngay", ""), days)
    slots = [s for s in line_slots(line, day) if s.starts_at > now] if line and day else []
    form = BookingForm(
        request.POST if request.method == "POST" else None, initial=_initial(request)
    )
    context: dict[str, object] = {
        "centre": unit,
        "lines": lines,
        "line": line,
        "days": days,
        "day": day,
        "slots": [(s, _slot_value(s)) for s in slots],
        "form": form,
        "chosen": source.get("gio", "")[:5],
    }
    if request.method != "POST":
        return render(request, "portal/booking.html", context)
    slot = next((s for s in slots if _slot_value(s) == context["chosen"]), None)
    if line is None or day is None or slot is None:
        context["error"] = _("Vui lòng chọn dịch vụ, ngày và một khung giờ còn chỗ.")
        return render(request, "portal/booking.html", context, status=400)
    if not form.is_valid():
        return render(request, "portal/booking.html", context, status=400)
    if not hit(
        request,
        "appointment-book",
        limit=settings.EGOV_QUEUE_BOOKING_RATE_PER_HOUR,
        window_seconds=3600,
    ):
        context["error"] = _("Có quá nhiều lượt đặt lịch từ địa chỉ này. Vui lòng thử lại sau.")
        return render(request, "portal/booking.html", context, status=429)
    try:
        appointment = appointment_book(
            actor=request.user,
            line=line,
            starts_at=slot.starts_at,
            **form.cleaned_data,
        )
    except ValidationError as exc:
        context["error"] = " ".join(exc.messages)
        return render(request, "portal/booking.html", context, status=400)
    return redirect("portal:appointment", key=appointment.key)


def _appointment_or_404(key: str) -> Appointment:
    appointment = public_appointment(key)
    if appointment is None:
        raise Http404(_("Không tìm thấy lịch hẹn."))
    return appointment


def check_in_link(appointment: Appointment) -> str:
    """The QR's text: the appointment's page (for a phone) carrying the code (for the kiosk's
    scanner, ``appointments.parse_check_in``)."""
    path = reverse("portal:appointment", kwargs={"key": appointment.key})
    return f"{settings.EGOV_PUBLIC_URL.rstrip('/')}{path}?ma={appointment.code}"


@never_cache
@require_GET
def appointment_page(request: HttpRequest, key: str) -> HttpResponse:
    appointment = _appointment_or_404(key)
    ticket = appointment.ticket
    return render(
        request,
        "portal/appointment.html",
        {
            "appointment": appointment,
            "qr": qr_data_uri(check_in_link(appointment)),
            "can_cancel": appointment.state == AppointmentState.BOOKED
            and appointment.starts_at > timezone.now(),
            "ticket_url": reverse("portal:queue_ticket", kwargs={"key": ticket.track_key})
            if ticket is not None
            else "",
            "phone": display_phone(appointment.phone),
        },
    )


@require_POST
def appointment_cancel_view(request: HttpRequest, key: str) -> HttpResponse:
    appointment = _appointment_or_404(key)
    try:
        appointment_cancel(actor=request.user, appointment=appointment)
    except ValidationError as exc:
        return render(
            request,
            "portal/appointment.html",
            {
                "appointment": appointment,
                "qr": qr_data_uri(check_in_link(appointment)),
                "can_cancel": False,
                "error": " ".join(exc.messages),
                "phone": display_phone(appointment.phone),
            },
            status=400,
        )
    return redirect("portal:appointment", key=appointment.key)
