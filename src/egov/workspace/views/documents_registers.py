"""Registers of official documents (NĐ 30/2020, Phụ lục IV) for the agencies whose văn thư or
leader the user is: choose the agency, the register and the period; download PDF or Excel."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.core.downloads import content_response, pdf_response
from egov.core.inputs import ParamError, checked_period, parse_date_param, parse_int_param
from egov.documents.permissions import may_print_registers, register_agencies
from egov.documents.register_export import register_filename, register_pdf, register_xlsx
from egov.documents.registers import TITLES, RegisterKind, register_for
from egov.workspace.views.common import staff_only

MAX_DAYS = 366
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def document_registers(request: HttpRequest) -> HttpResponse:
    """The form; with ?dinh_dang=pdf|xlsx the register itself."""
    staff_only(request)
    agencies = register_agencies(request.user)
    today = timezone.localdate()
    context: dict[str, object] = {
        "agencies": agencies,
        "kinds": [(kind.value, TITLES[kind]) for kind in RegisterKind],
        "start": today.replace(day=1),
        "end": today,
    }
    output = request.GET.get("dinh_dang")
    if output not in ("pdf", "xlsx"):
        return render(request, "workspace/document_registers.html", context)
    try:
        agency_pk = parse_int_param(
            request.GET.get("co_quan"), default=0, minimum=0, maximum=2**31, label=_("Cơ quan")
        )
        start = parse_date_param(request.GET.get("tu"), default=None, label=_("từ ngày"))
        end = parse_date_param(request.GET.get("den"), default=None, label=_("đến ngày"))
        if start is None or end is None:
            raise ParamError(_("Cần chọn từ ngày và đến ngày."))
        checked_period(start, end, max_days=MAX_DAYS)
        kind = RegisterKind(request.GET.get("so", ""))
    except ParamError as exc:
        context["error"] = str(exc)
        return render(request, "workspace/document_registers.html", context, status=400)
    except ValueError:
        context["error"] = _("Loại sổ không hợp lệ.")
        return render(request, "workspace/document_registers.html", context, status=400)
    agency = next((a for a in agencies if a.pk == agency_pk), None)
    if agency is None or not may_print_registers(request.user, agency):
        raise PermissionDenied(_("Bạn không có quyền in sổ văn bản của cơ quan này."))
    register = register_for(kind, agency=agency, start=start, end=end)
    if output == "xlsx":
        return content_response(
            register_xlsx(register),
            content_type=XLSX,
            filename=register_filename(register, "xlsx"),
        )
    return pdf_response(register_pdf(register), register_filename(register, "pdf"))
