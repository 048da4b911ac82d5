from __future__ import annotations

import datetime as dt
import mimetypes
from urllib.parse import urlencode

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from egov.catalog.documents import render_docx
from egov.catalog.fees import describe_rule, exemptions, worked_example
from egov.catalog.models import FormTemplate
from egov.catalog.selectors import (
    CatalogFilters,
    fields_with_counts,
    implementing_units_in_force,
    search_procedures,
    version_by_code,
    version_in_force,
)
from egov.catalog.time_rules import lawful_extensions, supplement_rule
from egov.core.downloads import content_response, stream_response
from egov.core.inputs import has_control_chars
from egov.core.ratelimit import hit
from egov.dossiers.selectors import public_status
from egov.helpdesk.selectors import procedure_questions
from egov.org.selectors import service_centres_valid_on
from egov.portal.forms import ProcedureSearchForm
from egov.workdays.selectors import calendar_for_unit

PER_PAGE = 20


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
            "fields": [f for f in fields_with_counts(today) if getattr(f, "procedure_count", 0)],
            "form": ProcedureSearchForm(),
        },
    )


def procedure_search(request: HttpRequest) -> HttpResponse:
    form = ProcedureSearchForm(request.GET or None)
    cleaned = form.cleaned_data if form.is_bound and form.is_valid() else {}
    filters = CatalogFilters(
        query=cleaned.get("q") or "",
        field=cleaned.get("linh_vuc") or None,
        level=cleaned.get("cap") or None,
        unit=cleaned.get("don_vi") or None,
        online=cleaned.get("truc_tuyen") or None,
    )
    page_number = cleaned.get("trang") or 1
    results = search_procedures(filters, page=page_number, per_page=PER_PAGE)
    params = {k: v for k, v in (request.GET.items()) if k != "trang" and v}
    context = {
        "form": form,
        "results": results,
        "fields": fields_with_counts(),
        "units": implementing_units_in_force(),
        "query_string": urlencode(params),
        "filters": filters,
        "start": (results.page - 1) * PER_PAGE + 1,
        "count_text": _count_text(results.total, results.total_is_capped),
    }
    is_htmx = bool(getattr(request, "htmx", False))
    template = "portal/_results.html" if is_htmx else "portal/search.html"
    return render(request, template, context)


def _count_text(total: int, capped: bool) -> str:
    """ "12 thủ tục", or "Hơn 1.000 thủ tục" past the count's cap."""
    if capped:
        return _("Hơn %(cap)s thủ tục") % {"cap": f"{total - 1:,}".replace(",", ".")}
    return ngettext("%(count)s thủ tục", "%(count)s thủ tục", total) % {
        "count": f"{total:,}".replace(",", ".")
    }


def _day_asked(request: HttpRequest) -> tuple[dt.date | None, str]:
    """``?ngay=DD/MM/YYYY`` (or YYYY-MM-DD): the day whose version the page shows."""
    text = request.GET.get("ngay", "").strip()[:20]
    if not text:
        return None, ""
    day, month, year = [*text.split("/"), "", ""][:3]
    try:
        if "/" in text:
            return dt.date(int(year), int(month), int(day)), ""
        return dt.date.fromisoformat(text), ""
    except ValueError:
        pass
    return None, _("Ngày “%s” không hợp lệ (dạng ngày/tháng/năm, vd. 01/03/2027).") % text


def procedure_detail(request: HttpRequest, code: str) -> HttpResponse:
    day, day_error = _day_asked(request)
    version = version_by_code(code, day)
    if version is None:
        return render(request, "portal/procedure_not_found.html", {"code": code}, status=404)
    channels = []
    for channel in version.channels.all():
        fees = [
            {
                "rule": fee,
                "description": describe_rule(fee),
                "example": worked_example(fee),
                "exemptions": exemptions(fee),
            }
            for fee in channel.fees.all()
        ]
        channels.append({"channel": channel, "fees": fees})
    return render(
        request,
        "portal/procedure_detail.html",
        {
            "version": version,
            "procedure": version.procedure,
            "channels": channels,
            "offered_online": version.channels.filter(kind="online").exists(),
            "supplement": supplement_rule(version),
            "extensions": lawful_extensions(version),
            "day": day,
            "day_error": day_error,
            "faq": procedure_questions(version.procedure),
        },
    )


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def procedure_form_download(
    request: HttpRequest, code: str, form_key: str
) -> HttpResponse | FileResponse:
    version = version_in_force(code)
    if len(form_key) > 100 or has_control_chars(form_key):
        raise Http404(_("Không tìm thấy biểu mẫu."))
    form = (
        FormTemplate.objects.filter(component__version=version, key=form_key)
        .select_related("component")
        .first()
    )
    if form is None:
        raise Http404(_("Không tìm thấy biểu mẫu."))
    if form.file:
        name = form.file.name.rsplit("/", 1)[-1]
        return stream_response(
            form.file.open("rb"),
            content_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
            filename=name,
            private=False,
        )
    return content_response(
        render_docx(form),
        content_type=DOCX,
        filename=f"{form.key}.docx",
        private=False,
    )


def dossier_lookup(request: HttpRequest) -> HttpResponse:
    """Citizens look up a dossier by its code: status, times, steps; a masked name only."""
    code = request.GET.get("ma", "").strip()[:40]
    context: dict[str, object] = {"code": code}
    status = 200
    if "ma" in request.GET and not code:  # the button pressed with an empty box
        context["error"] = _("Hãy nhập mã hồ sơ in trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả.")
        status = 400
    if code:
        if not hit(
            request, "lookup", limit=settings.EGOV_LOOKUP_RATE_PER_MINUTE, window_seconds=60
        ):
            context["error"] = _("Bạn tra cứu quá nhiều lần. Vui lòng thử lại sau ít phút.")
            status = 429
        else:
            context["result"] = public_status(code)
            if context["result"] is None:
                status = 404
    return render(request, "portal/dossier_lookup.html", context, status=status)
