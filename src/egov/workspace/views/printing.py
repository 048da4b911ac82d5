"""Printable forms of a dossier and of a desk (PDF)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from egov.core.downloads import pdf_response
from egov.dossiers.actions import DossierAction
from egov.dossiers.permissions import get_counter_notice_for_actor
from egov.dossiers.printing.control_sheet import control_sheet_filename, render_control_sheet
from egov.dossiers.printing.letters import (
    apology_filename,
    render_apology,
    render_tracking_book,
    tracking_book_filename,
)
from egov.dossiers.printing.notices import (
    notice_filename,
    render_notice,
    render_supplement_request,
    supplement_request_filename,
)
from egov.dossiers.printing.receipt import issued_receipt, receipt_filename
from egov.dossiers.printing.refusal_notice import (
    notice_event,
    refusal_notice_filename,
    render_refusal_notice,
)
from egov.dossiers.selectors import TrackingBookError, tracking_book_dossiers
from egov.workspace.views.common import (
    desk_or_403,
    dossier_or_404,
    staff_only,
)


@login_required
def receipt_pdf(request: HttpRequest, code: str) -> HttpResponse:
    dossier = dossier_or_404(request, code)
    if dossier.received_at is None:  # submitted online, not accepted (yet): no Mẫu 01
        raise Http404(_("Hồ sơ chưa được tiếp nhận nên chưa có giấy tiếp nhận."))
    lookup = request.build_absolute_uri(reverse("portal:dossier_lookup"))
    return pdf_response(issued_receipt(dossier, lookup_base_url=lookup), receipt_filename(dossier))


@login_required
def control_sheet_pdf(request: HttpRequest, code: str) -> HttpResponse:
    dossier = dossier_or_404(request, code)
    return pdf_response(render_control_sheet(dossier), control_sheet_filename(dossier))


@login_required
def apology_pdf(request: HttpRequest, code: str) -> HttpResponse:
    dossier = dossier_or_404(request, code)
    if dossier.apologised_at is None:
        raise Http404(_("Hồ sơ này chưa có phiếu xin lỗi và hẹn lại."))
    return pdf_response(render_apology(dossier), apology_filename(dossier))


@login_required
def tracking_book_pdf(request: HttpRequest) -> HttpResponse:
    """Mẫu 06 for the receptionist's unit and a period (?tu=YYYY-MM-DD&den=YYYY-MM-DD)."""
    staff_only(request)
    unit = desk_or_403(request)
    try:
        dossiers, period = tracking_book_dossiers(
            unit, request.GET.get("tu", ""), request.GET.get("den", "")
        )
    except TrackingBookError as exc:
        return HttpResponse(str(exc), status=400)
    pdf = render_tracking_book(dossiers, unit_name=unit.name, period=period)
    return pdf_response(pdf, tracking_book_filename(request.GET["tu"], request.GET["den"]))


@login_required
def notice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    staff_only(request)
    notice = get_counter_notice_for_actor(request.user, pk)
    if notice is None:
        raise Http404(_("Không tìm thấy phiếu."))
    return pdf_response(render_notice(notice), notice_filename(notice))


@login_required
def supplement_request_pdf(request: HttpRequest, code: str, number: int) -> HttpResponse:
    """Mẫu 02 for the n-th supplement asked during processing."""
    dossier = dossier_or_404(request, code)
    event = (
        dossier.events.select_related("actor")
        .filter(action=DossierAction.REQUEST_SUPPLEMENT, data__number=number)
        .first()
    )
    if event is None:
        raise Http404(_("Không có phiếu yêu cầu bổ sung này."))
    return pdf_response(
        render_supplement_request(dossier, event), supplement_request_filename(dossier, number)
    )


@login_required
def refusal_notice_pdf(request: HttpRequest, code: str) -> HttpResponse:
    """The written notice of a refusal or a stop (NĐ 61/2018 Điều 19 khoản 8)."""
    dossier = dossier_or_404(request, code)
    event = notice_event(dossier)
    if event is None:
        raise Http404(_("Hồ sơ này không bị từ chối hoặc dừng giải quyết."))
    return pdf_response(render_refusal_notice(dossier, event), refusal_notice_filename(dossier))
