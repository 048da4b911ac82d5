"""The desk's other operations through the staff API, for kiosks, the postal service and other
systems: apology (Mẫu 04), fees paid, scans of components, counter notices (Mẫu 02/03) and the
tracking book (Mẫu 06). Same services and access checks as the workspace."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status
from pydantic import AwareDatetime

from egov.accounts.api_auth import ApiKeyAuth, api_user
from egov.accounts.idempotency import idempotent
from egov.catalog.selectors import version_in_force
from egov.core.api_errors import ApiError, ErrorResponse, validation_details
from egov.core.api_types import Column, Text
from egov.core.downloads import pdf_response, stored_file_response
from egov.dossiers.errors import TransitionError
from egov.dossiers.models import (
    CounterNotice,
    DossierPayment,
    NoticeKind,
    PaymentMethod,
    PaymentPurpose,
)
from egov.dossiers.permissions import get_counter_notice_for_actor
from egov.dossiers.printing.letters import (
    apology_filename,
    render_apology,
    render_tracking_book,
    tracking_book_filename,
)
from egov.dossiers.printing.notices import notice_filename, render_notice
from egov.dossiers.printing.refusal_notice import (
    notice_event,
    refusal_notice_filename,
    render_refusal_notice,
)
from egov.dossiers.selectors import TrackingBookError, tracking_book_dossiers
from egov.dossiers.services.apology import dossier_apologise
from egov.dossiers.services.attachments import NOT_RECEIVING_DESK, dossier_attach_scan
from egov.dossiers.services.extensions import dossier_extend
from egov.dossiers.services.notices import counter_notice_issue
from egov.dossiers.services.payments import dossier_record_fee
from egov.dossiers.staff_api import DossierOut, _dossier_or_404, _out, desk_of

# Mounted by the api app under /staff, beside staff_api.staff_router (same tag, same keys).
desk_router = Router(tags=["dossiers"], auth=ApiKeyAuth("dossiers"))


_details = validation_details
# Path parameters that are database ids: bounded so that no value overflows the column.
Id = Annotated[int, Field(ge=1, le=2**31 - 1)]


class ApologyIn(Schema):
    # With its offset (RFC 3339), like every moment the API takes.
    new_due: AwareDatetime
    reason: Annotated[str, Text(2000, min_length=1)]


@desk_router.post(
    "/dossiers/{code}/apology",
    response={200: DossierOut, 401: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse},
    summary="Xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04; một lần, trước hạn ít nhất 01 ngày)",
)
@idempotent(DossierOut)
def apologise(request: HttpRequest, code: str, payload: ApologyIn) -> Any:
    """Records the apology and the new appointment (Mẫu 04) for a dossier that will be late:
    once per dossier, at least one day before its due date. 422 ``apology_refused``
    with the reason otherwise."""
    user = api_user(request)
    dossier = _dossier_or_404(user, code)
    try:
        dossier = dossier_apologise(
            actor=user, dossier=dossier, new_due=payload.new_due, reason=payload.reason
        )
    except TransitionError as exc:
        raise ApiError(422, "apology_refused", str(exc)) from None
    return _out(dossier, user)


@desk_router.get(
    "/dossiers/{code}/apology.pdf",
    response={200: None, 401: ErrorResponse, 404: ErrorResponse},
    summary="Văn bản xin lỗi và hẹn lại (Mẫu 04)",
)
def apology_pdf(request: HttpRequest, code: str) -> HttpResponse:
    """The apology letter (Mẫu 04) as a PDF; 404 ``no_apology`` when none was recorded."""
    dossier = _dossier_or_404(api_user(request), code)
    if dossier.apologised_at is None:
        raise ApiError(404, "no_apology", _("Hồ sơ này chưa có phiếu xin lỗi và hẹn lại."))
    return pdf_response(render_apology(dossier), apology_filename(dossier))


class ExtensionIn(Schema):
    # The key of one of the procedure version's lawful extensions (catalog).
    extension: Annotated[str, Text(40, min_length=1)]
    # The case that the law's extension covers (e.g. what must be verified).
    reason: Annotated[str, Text(2000, min_length=1)]


@desk_router.post(
    "/dossiers/{code}/extensions",
    response={200: DossierOut, 401: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse},
    summary="Gia hạn theo quy định của pháp luật (không tính là xin lỗi, hẹn lại)",
)
@idempotent(DossierOut)
def extend(request: HttpRequest, code: str, payload: ExtensionIn) -> Any:
    """Extends the dossier's time by one of the lawful extensions of its procedure version (not
    an apology); 422 ``extension_refused`` with the reason otherwise."""
    user = api_user(request)
    dossier = _dossier_or_404(user, code)
    try:
        dossier = dossier_extend(
            actor=user, dossier=dossier, extension=payload.extension, reason=payload.reason
        )
    except TransitionError as exc:
        raise ApiError(422, "extension_refused", str(exc)) from None
    return _out(dossier, user)


@desk_router.get(
    "/dossiers/{code}/refusal-notice.pdf",
    response={200: None, 401: ErrorResponse, 404: ErrorResponse},
    summary="Thông báo từ chối, dừng giải quyết hồ sơ (NĐ 61/2018 Điều 19 khoản 8)",
)
def refusal_notice_pdf(request: HttpRequest, code: str) -> HttpResponse:
    """The notice of refusal or of stopping the handling (NĐ 61/2018 Điều 19 khoản 8) as a PDF;
    404 ``no_refusal`` when the dossier was neither refused nor stopped."""
    dossier = _dossier_or_404(api_user(request), code)
    event = notice_event(dossier)
    if event is None:
        raise ApiError(404, "no_refusal", _("Hồ sơ này không bị từ chối hoặc dừng giải quyết."))
    return pdf_response(render_refusal_notice(dossier, event), refusal_notice_filename(dossier))


class FeeIn(Schema):
    amount: int = Field(ge=-(10**13), le=10**13)
    method: PaymentMethod = PaymentMethod.CASH
    reference: Annotated[str, Column(DossierPayment, "reference")] = ""
    note: Annotated[str, Column(DossierPayment, "note")] = ""


class FeeOut(Schema):
    amount: int
    purpose: PaymentPurpose
    method: PaymentMethod
    reference: str
    paid_at: dt.datetime


@desk_router.post(
    "/dossiers/{code}/payments",
    response={201: FeeOut, 401: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse},
    summary="Ghi nhận phí, lệ phí đã thu tại bộ phận một cửa",
)
@idempotent(FeeOut)
def record_fee(request: HttpRequest, code: str, payload: FeeIn) -> Any:
    """Record a fee collected at the desk. Send an ``Idempotency-Key``: a retry with the same
    key (after a timeout) gets the first answer and records nothing more; without it, a retry
    records the payment twice."""
    user = api_user(request)
    dossier = _dossier_or_404(user, code)
    try:
        payment = dossier_record_fee(
            actor=user,
            dossier=dossier,
            amount=payload.amount,
            method=payload.method,
            reference=payload.reference,
            note=payload.note,
        )
    except ValidationError as exc:
        raise ApiError(422, "payment_refused", _("Khoản thu chưa hợp lệ."), _details(exc)) from None
    return Status(201, payment)


class ScanOut(Schema):
    component_id: int
    name: str
    content_type: str
    size: int
    sha256: str


@desk_router.post(
    "/dossiers/{code}/components/{component_id}/scan",
    response={
        200: ScanOut,
        401: ErrorResponse,
        403: ErrorResponse,
        404: ErrorResponse,
        422: ErrorResponse,
    },
    summary="Tải lên bản số hóa của một thành phần hồ sơ (PDF, JPEG, PNG)",
)
def upload_scan(request: HttpRequest, code: str, component_id: Id, file: File[UploadedFile]) -> Any:
    """Attach (or replace) the scan of one component. Safe to retry as it is: sending the same
    file again replaces the scan with the same content (no Idempotency-Key here). 403
    ``forbidden`` when the caller is not the desk that received the dossier; 422
    ``invalid_file`` when the file is refused (type, size, content, or scan quality: below
    EGOV_SCAN_MIN_DPI, black and white only, or blurred — the message says what to do)."""
    user = api_user(request)
    dossier = _dossier_or_404(user, code)
    component = dossier.components.filter(component_id=component_id).first()
    if component is None:
        raise ApiError(404, "component_not_found", _("Không tìm thấy thành phần hồ sơ."))
    try:
        component = dossier_attach_scan(
            actor=user,
            dossier=dossier,
            component=component,
            upload=file,
            original_name=file.name or "",
        )
    except ValidationError as exc:
        if any(e.code == NOT_RECEIVING_DESK for e in exc.error_list):
            raise ApiError(403, "forbidden", " ".join(exc.messages)) from None
        raise ApiError(422, "invalid_file", " ".join(exc.messages), _details(exc)) from None
    scan = component.scan
    assert scan is not None  # just attached
    return {
        "component_id": component.component_id,
        "name": scan.name,
        "content_type": scan.content_type,
        "size": scan.size,
        "sha256": scan.sha256,
    }


@desk_router.get(
    "/dossiers/{code}/components/{component_id}/scan",
    response={200: None, 401: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse},
    summary="Tải về bản số hóa của một thành phần hồ sơ",
)
def download_scan(request: HttpRequest, code: str, component_id: Id) -> Any:
    """The digitised copy of one component as it was stored (PDF or image); 404
    ``scan_not_found`` before it is scanned."""
    dossier = _dossier_or_404(api_user(request), code)
    component = (
        dossier.components.select_related("scan")
        .filter(component_id=component_id, scan__isnull=False)
        .first()
    )
    if component is None or component.scan is None:
        raise ApiError(404, "scan_not_found", _("Thành phần này chưa có bản số hóa."))
    return stored_file_response(
        component.scan,
        filename=f"{dossier.code}-{component.component_id}.{component.scan.extension}",
    )


class NoticeIn(Schema):
    kind: NoticeKind
    procedure: Annotated[str, Text(100, min_length=1)]
    unit: Annotated[str, Text(100)] | None = None
    applicant_name: Annotated[str, Column(CounterNotice, "applicant_name", min_length=1)]
    applicant_phone: Annotated[str, Text(40)] = ""
    applicant_address: Annotated[str, Column(CounterNotice, "applicant_address")] = ""
    applicant_email: Annotated[str, Column(CounterNotice, "applicant_email")] = ""
    items: list[Annotated[str, Text(500)]] = Field([], max_length=100)
    reason: Annotated[str, Text(4000)] = ""


class NoticeOut(Schema):
    id: int
    kind: NoticeKind
    number: int
    year: int


@desk_router.post(
    "/notices",
    response={
        201: NoticeOut,
        401: ErrorResponse,
        403: ErrorResponse,
        404: ErrorResponse,
        422: ErrorResponse,
    },
    summary="Lập phiếu hướng dẫn bổ sung (Mẫu 02) hoặc từ chối (Mẫu 03) tại quầy",
)
@idempotent(NoticeOut)
def issue_notice(request: HttpRequest, payload: NoticeIn) -> Any:
    """Issues a counter notice without receiving a dossier: guidance to complete it (Mẫu 02) or a
    refusal to receive (Mẫu 03), for the procedure and the caller's desk."""
    user = api_user(request)
    version = version_in_force(payload.procedure)
    try:
        notice = counter_notice_issue(
            actor=user,
            unit=desk_of(user, payload.unit),
            version=version,
            kind=payload.kind,
            applicant_name=payload.applicant_name,
            applicant_phone=payload.applicant_phone,
            applicant_address=payload.applicant_address,
            applicant_email=payload.applicant_email,
            items=payload.items,
            reason=payload.reason,
        )
    except ValidationError as exc:
        raise ApiError(422, "invalid_notice", _("Phiếu chưa hợp lệ."), _details(exc)) from None
    return Status(201, notice)


@desk_router.get(
    "/notices/{notice_id}.pdf",
    response={200: None, 401: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse},
    summary="In phiếu Mẫu 02 / Mẫu 03 đã lập tại quầy",
)
def notice_pdf(request: HttpRequest, notice_id: Id) -> HttpResponse:
    """A counter notice (Mẫu 02 or 03) as a PDF; 404 ``notice_not_found`` outside the caller's
    units."""
    user = api_user(request)
    notice = get_counter_notice_for_actor(user, notice_id)
    if notice is None:
        raise ApiError(404, "notice_not_found", _("Không tìm thấy phiếu."))
    return pdf_response(render_notice(notice), notice_filename(notice))


@desk_router.get(
    "/tracking-book.pdf",
    response={
        200: None,
        400: ErrorResponse,
        401: ErrorResponse,
        403: ErrorResponse,
        422: ErrorResponse,
    },
    summary="Sổ theo dõi hồ sơ (Mẫu 06) của bộ phận một cửa trong một khoảng thời gian",
)
def tracking_book(
    request: HttpRequest,
    start: Annotated[str, Text(10)],
    end: Annotated[str, Text(10)],
    unit: Annotated[str, Text(100)] | None = None,
) -> HttpResponse:
    """``start`` and ``end`` as YYYY-MM-DD, at most one year apart; 400 ``invalid_period``
    otherwise."""
    user = api_user(request)
    desk = desk_of(user, unit)
    try:
        dossiers, period = tracking_book_dossiers(desk, start, end)
    except TrackingBookError as exc:
        raise ApiError(400, "invalid_period", str(exc)) from None
    return pdf_response(
        render_tracking_book(dossiers, unit_name=desk.name, period=period),
        tracking_book_filename(start, end),
    )
