"""The simulated phone's page (only outside production, see ``contrib.sms.phone``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from egov.contrib.sms.phone import inbox
from egov.core.identity import clean_phone


@never_cache
def simulated_phone(request: HttpRequest) -> HttpResponse:
    typed = request.GET.get("so", "")[:20]
    number, error = "", ""
    if typed:
        try:
            number = clean_phone(typed)
        except ValidationError as exc:
            error = " ".join(exc.messages)
    return render(
        request,
        "simulators/phone.html",
        {
            "typed": typed,
            "number": number,
            "error": error,
            "messages": inbox(number) if number else [],
        },
    )
