from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from egov.org.selectors import service_centres_valid_on
from egov.workdays.selectors import calendar_for_unit


def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    calendar = calendar_for_unit(None)
    return render(
        request,
        "portal/home.html",
        {
            "today": today,
            "is_working_day": calendar.is_working_day(today),
            "day_off_reason": calendar.day_off_reason(today),
            "centres": service_centres_valid_on(today).select_related("area"),
        },
    )
