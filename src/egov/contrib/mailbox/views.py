"""The simulated mailbox's page (only outside production, see the package)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from egov.contrib.mailbox.backend import messages_for


@never_cache
def simulated_mailbox(request: HttpRequest) -> HttpResponse:
    typed = request.GET.get("thu", "").strip()[:254]
    address, error = "", ""
    if typed:
        try:
            validate_email(typed)
            address = typed
        except ValidationError:
            error = _("Địa chỉ thư điện tử không hợp lệ.")
    return render(
        request,
        "simulators/mailbox.html",
        {
            "typed": typed,
            "address": address,
            "error": error,
            "kept": messages_for(address) if address else [],
        },
    )
