"""Authenticated API for staff tokens and API clients (kiosks, postal service, other systems):
receive, list, get, transition, download forms — the same services and role checks as the
staff workspace. Authentication: ``Authorization: Bearer <key>`` (``manage.py api_client``)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from egov.accounts.api_auth import ApiKeyAuth, api_user
from egov.accounts.idempotency import idempotent
from egov.accounts.models import User
from egov.catalog.models import ChannelKind
from egov.catalog.selectors import version_in_force
from egov.core.api_errors import ApiError, ErrorResponse, validation_details
from egov.core.api_render import normalise_moments
from egov.core.api_types import Column, Text
from egov.core.cursors import decode_cursor, encode_cursor
from egov.core.downloads import pdf_response
from egov.core.identity import ApplicantKind
from egov.dossiers.actions import ACTION_LABELS, DossierAction
from egov.dossiers.errors import (
    StaleRevision,
    StateConflict,
    TransitionForbidden,
    TransitionRefused,
)
from egov.dossiers.models import (
    Dossier,
    DossierStatus,
    PaymentMethod,
    PaymentPurpose,
    ResultDelivery,
    ShipmentStatus,
)
from egov.dossiers.permissions import (
    allowed_actions,
    get_dossier_for_actor,
    reception_desk,
    refusal,
)
from egov.dossiers.printing.control_sheet import control_sheet_filename, render_control_sheet
from egov.dossiers.printing.notices import render_supplement_request, supplement_request_filename
from egov.dossiers.printing.receipt import issued_receipt, receipt_filename
from egov.dossiers.selectors import (
    QueueCursor,
    QueueFilters,
    QueueScope,
    QueueUrgency,
    assignable_specialists,
    work_queue_page,
)
from egov.dossiers.selectors_changes import dossier_changes
from egov.dossiers.services.reception import (
    APPLICANT_COLUMNS,
    MAX_COPIES,
    MAX_SETS,
    Applicant,
    Reception,
    dossier_receive,
)
from egov.dossiers.services.transitions import dossier_transition
from egov.org.models import Unit
from egov.org.selectors import unit_ref

staff_router = Router(tags=["dossiers"], auth=ApiKeyAuth("dossiers"))


# Identity numbers are checked by their own cleaners (egov.core.identity); the limit here only
# bounds the raw input (spaces and dots are allowed in it).
IdentityText = Annotated[str, Text(40)]


class ApplicantIn(Schema):
    kind: ApplicantKind = ApplicantKind.CITIZEN
    name: Annotated[str, Column(Dossier, "applicant_name")]
    personal_id: IdentityText = ""
    tax_code: IdentityText = ""
    phone: IdentityText = ""
    email: Annotated[str, Column(Dossier, "applicant_email")] = ""
    address: Annotated[str, Column(Dossier, "applicant_address")] = ""
    representative_name: Annotated[str, Column(Dossier, "representative_name")] = ""
    representative_personal_id: IdentityText = ""
    birth_date: dt.date | None = None


class ComponentIn(Schema):
    component_id: int = Field(ge=1, le=2**31 - 1)
    originals: int = Field(0, ge=0, le=MAX_COPIES)
    copies: int = Field(0, ge=0, le=MAX_COPIES)
    # The code of a valid document of the applicant's data store standing for this component
    # instead of paper (NĐ 45/2020 Điều 16): then originals and copies may be 0.
    store_document: Annotated[str, Text(80)] = ""


class DossierReceiveIn(Schema):
    procedure: Annotated[str, Text(100, min_length=1)]
    channel: ChannelKind = ChannelKind.COUNTER
    unit: Annotated[str, Text(100)] | None = None
    applicant: ApplicantIn
    components: list[ComponentIn] = Field(max_length=200)
    sets: int = Field(1, ge=1, le=MAX_SETS)
    result_delivery: ResultDelivery = ResultDelivery.COUNTER


class EventOut(Schema):
    sequence: int
    action: DossierAction
    label: str
    # None for the event that created the dossier (reception, online submission).
    from_status: DossierStatus | None
    to_status: DossierStatus
    at: dt.datetime
    reason: str
    # The action's data; moments in it are written like every other (RFC 3339, +07:00).
    data: dict[str, Any]


class PaymentOut(Schema):
    purpose: PaymentPurpose
    amount: int
    method: PaymentMethod
    reference: str
    paid_at: dt.datetime


class ShipmentOut(Schema):
    status: ShipmentStatus
    tracking_number: str
    recipient_name: str
    address: str
    requested_at: dt.datetime


class DossierOut(Schema):
    code: str
    status: DossierStatus
    procedure: str
    procedure_version: int
    # Units by their code (mã định danh), or their key when they have none — as requests name
    # them.
    receiving_unit: str
    handling_unit: str | None
    partner_unit: str | None
    assignee: str | None
    applicant_name: str
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    fee_quoted: int | None
    revision: int
    allowed_actions: list[DossierAction]
    events: list[EventOut]
    payments: list[PaymentOut]
    shipments: list[ShipmentOut]


class DossierSummaryOut(Schema):
    code: str
    status: DossierStatus
    procedure_name: str
    applicant_name: str
    due_at: dt.datetime | None
    urgency: QueueUrgency


class DossierPage(Schema):
    items: list[DossierSummaryOut]
    # Pass as ``cursor`` for the next page; null on the last page.
    next_cursor: str | None


class ChangeOut(Schema):
    dossier: str  # the dossier's code
    sequence: int  # the event's number within its dossier
    action: DossierAction
    from_status: DossierStatus | None
    to_status: DossierStatus
    at: dt.datetime


class ChangesPageOut(Schema):
    items: list[ChangeOut]
    # Never null: pass it as ``since`` next time (now, or later when ``items`` was short).
    next_cursor: str


class AssigneeOut(Schema):
    username: str
    full_name: str


ShortText = Annotated[str, Text(255)]


class TransitionIn(Schema):
    """The action and the inputs it takes (unused inputs are ignored): ``handling_unit`` for
    hand_off; ``assignee`` (username) for assign; ``partner_unit`` for transfer_out; ``items``
    for request_supplement; ``amount`` and ``description`` for request_payment; ``amount``,
    ``method`` and ``reference`` for paid; ``received_by`` for return_result and
    postal_delivered; ``recipient_name``, ``recipient_phone`` and ``address`` for
    send_by_post; ``tracking_number`` for postal_delivered."""

    action: DossierAction
    reason: Annotated[str, Text(4000)] = ""
    revision: int | None = Field(None, ge=0, le=2**31 - 1)
    handling_unit: ShortText | None = None
    assignee: Annotated[str, Text(150)] = ""
    partner_unit: ShortText = ""
    items: list[Annotated[str, Text(500)]] = Field([], max_length=100)
    amount: int | None = Field(None, ge=-(10**13), le=10**13)
    description: Annotated[str, Text(500)] = ""
    method: PaymentMethod | None = None
    reference: Annotated[str, Text(100)] = ""
    received_by: ShortText = ""
    delivery: ResultDelivery = ResultDelivery.COUNTER
    recipient_name: ShortText = ""
    recipient_phone: Annotated[str, Text(40)] = ""
    address: Annotated[str, Text(500)] = ""
    tracking_number: Annotated[str, Text(20)] = ""


def _out(dossier: Dossier, user: User) -> dict[str, Any]:
    return {
        "code": dossier.code,
        "status": dossier.status,
        "procedure": dossier.procedure_version.procedure.public_code,
        "procedure_version": dossier.procedure_version.number,
        "receiving_unit": unit_ref(dossier.receiving_unit),
        "handling_unit": unit_ref(dossier.handling_unit) if dossier.handling_unit else None,
        "partner_unit": unit_ref(dossier.partner_unit) if dossier.partner_unit else None,
        "assignee": dossier.assignee.get_username() if dossier.assignee else None,
        "applicant_name": dossier.applicant_name,
        "received_at": dossier.received_at,
        "due_at": dossier.due_at,
        "fee_quoted": dossier.fee_quoted,
        "revision": dossier.revision,
        "allowed_actions": allowed_actions(user, dossier),
        "events": [
            {
                "sequence": e.sequence,
                "action": e.action,
                "label": str(ACTION_LABELS.get(e.action, e.action)),
                "from_status": e.from_status or None,
                "to_status": e.to_status,
                "at": e.at,
                "reason": e.reason,
                "data": normalise_moments(e.data),
            }
            for e in dossier.events.all()
        ],
        "payments": list(
            dossier.payments.values("purpose", "amount", "method", "reference", "paid_at")
        ),
        "shipments": list(
            dossier.shipments.values(
                "status", "tracking_number", "recipient_name", "address", "requested_at"
            )
        ),
    }


def _dossier_or_404(user: User, code: str) -> Dossier:
    dossier = get_dossier_for_actor(user, code)
    if dossier is None:
        raise ApiError(
            404, "dossier_not_found", _("Không tìm thấy hồ sơ trong phạm vi bạn được xem.")
        )
    return dossier


def desk_of(user: User, unit: str | None) -> Unit:
    """The caller's reception desk (permissions.reception_desk): the unit named (key or code),
    or the first where they receive dossiers; 403 otherwise."""
    desk = reception_desk(user, unit)
    if desk is None:
        raise ApiError(
            403, "not_a_receptionist", _("Tài khoản không có vai trò tiếp nhận tại đơn vị này.")
        )
    return desk


_APPLICANT_FIELDS = {*APPLICANT_COLUMNS, "kind", "personal_id", "tax_code", "phone"} | {
    "representative_personal_id"
}


def _validation_error(exc: ValidationError) -> ApiError:
    details = validation_details(exc)
    for detail in details:
        if detail["field"] in _APPLICANT_FIELDS:
            detail["field"] = f"applicant.{detail['field']}"
    return ApiError(422, "invalid_dossier", _("Hồ sơ chưa hợp lệ."), details)


@staff_router.post(
    "/dossiers",
    response={
        201: DossierOut,
        401: ErrorResponse,
        403: ErrorResponse,
        404: ErrorResponse,
        422: ErrorResponse,
    },
    summary="Tiếp nhận hồ sơ",
)
@idempotent(DossierOut)
def receive(request: HttpRequest, payload: DossierReceiveIn) -> Any:
    """Receives a dossier at the caller's desk (``unit``: its code or key) under the procedure
    version in force: applicant, components by the ``id`` of the procedure detail with their
    originals and copies, delivery of the result. The answer is the new dossier with its code
    and due date.

    A component may instead name ``store_document``: the code of a document in the applicant's
    data store (kho dữ liệu, NĐ 45/2020 Điều 16) — the applicant's own (by the personal ID, or
    the tax code of an organisation), of the kind the component asks for, valid today. Then no
    original or copy is needed; the dossier records the reuse (event ``reuse_store_document``).
    Any other code is refused: 422 ``invalid_dossier`` with a detail on ``store_documents``."""
    user = api_user(request)
    version = version_in_force(payload.procedure)
    unit = desk_of(user, payload.unit)
    try:
        dossier = dossier_receive(
            actor=user,
            reception=Reception(
                unit=unit,
                version=version,
                channel=payload.channel,
                applicant=Applicant(**payload.applicant.dict()),
                components={c.component_id: (c.originals, c.copies) for c in payload.components},
                store_documents={
                    c.component_id: c.store_document for c in payload.components if c.store_document
                },
                sets=payload.sets,
                result_delivery=payload.result_delivery,
            ),
        )
    except ValidationError as exc:
        raise _validation_error(exc) from None
    return Status(201, _out(dossier, user))


@staff_router.get(
    "/dossiers",
    response={200: DossierPage, 401: ErrorResponse, 422: ErrorResponse},
    summary="Hồ sơ trong phạm vi được xem, hạn sớm nhất trước",
)
def list_dossiers(
    request: HttpRequest,
    q: Annotated[str, Text(100)] = "",
    mine: bool = False,
    scope: QueueScope = QueueScope.OPEN,
    status: DossierStatus | None = None,
    urgency: QueueUrgency | None = None,
    channel: ChannelKind | None = None,
    cursor: Annotated[str, Text(120)] = "",
    limit: Annotated[int, Field(ge=1, le=200)] = 50,
) -> dict[str, Any]:
    """Filters as in the workspace queue: ``mine`` (assigned to the caller), ``urgency``,
    ``channel``, ``q`` (a code or its beginning, a personal ID, words of the applicant's name).
    ``scope`` says which dossiers: ``open`` (the work queue, default), ``closed`` (returned,
    refused, withdrawn, stopped) or ``all``; a ``status`` overrides it. An unknown value of any
    filter is refused (422 ``invalid_input``), never ignored. Paging: pass ``next_cursor`` back
    as ``cursor`` until it is null; 422 ``invalid_cursor`` for a token not made here."""
    user = api_user(request)
    position = None
    if cursor:
        position = QueueCursor.decode(cursor)
        if position is None:
            raise _invalid_cursor()
    filters = QueueFilters(
        search=q,
        mine=mine,
        status=status or "",
        urgency=urgency or "",
        channel=channel or "",
        scope=scope,
    )
    page = work_queue_page(user, filters=filters, cursor=position, per_page=limit)
    return {
        "items": [
            {
                "code": row.dossier.code,
                "status": row.dossier.status,
                "procedure_name": row.dossier.procedure_version.name,
                "applicant_name": row.dossier.applicant_name,
                "due_at": row.dossier.due_at,
                "urgency": row.urgency,
            }
            for row in page.rows
        ],
        "next_cursor": page.next_cursor or None,
    }


def _invalid_cursor() -> ApiError:
    return ApiError(
        422,
        "invalid_cursor",
        _("Con trỏ trang không hợp lệ; dùng đúng giá trị next_cursor đã nhận."),
        [{"field": "cursor", "message": _("Giá trị không hợp lệ."), "code": "invalid_cursor"}],
    )


@staff_router.get(
    "/dossiers/changes",
    response={200: ChangesPageOut, 401: ErrorResponse, 422: ErrorResponse},
    summary="Các thay đổi của hồ sơ, theo thứ tự ghi nhận (đồng bộ không cần webhook)",
)
def dossier_changes_feed(
    request: HttpRequest,
    since: Annotated[str, Text(120)] = "",
    limit: Annotated[int, Field(ge=1, le=500)] = 100,
) -> dict[str, Any]:
    """Every event (reception, transitions, apology, extension) of the dossiers the caller
    may see, oldest first. ``since`` is a ``next_cursor`` of an earlier answer, or a moment
    with its offset (RFC 3339: ``2026-05-04T00:00:00+07:00``) to start from; empty: from the
    beginning. Keep the ``next_cursor`` of each answer and ask again with it; a short page
    means the partner has caught up (poll again later). Events appear once they are
    EGOV_CHANGES_SETTLE_SECONDS (default 5) seconds old. Read the dossier for its current
    state (``GET /staff/dossiers/{code}``)."""
    user = api_user(request)
    after_id, moment = 0, None
    if since:
        decoded = decode_cursor(CHANGES_CURSOR, since)
        if decoded is not None:
            after_id = decoded[0]
        else:
            moment = _moment(since)
    page = dossier_changes(user, after_id=after_id, since=moment, limit=limit)
    return {
        "items": [
            {
                "dossier": e.dossier.code,
                "sequence": e.sequence,
                "action": e.action,
                "from_status": e.from_status or None,
                "to_status": e.to_status,
                "at": e.at,
            }
            for e in page.events
        ],
        "next_cursor": encode_cursor(CHANGES_CURSOR, page.last_id),
    }


CHANGES_CURSOR = "chg"


def _moment(text: str) -> dt.datetime:
    """``since`` as a moment; it must carry its offset, like every moment the API takes."""
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise ApiError(
            422,
            "invalid_input",
            _("Dữ liệu gửi lên không hợp lệ."),
            [
                {
                    "field": "since",
                    "message": _(
                        "Cần next_cursor đã nhận, hoặc một thời điểm có độ lệch múi giờ "
                        "(RFC 3339), ví dụ 2026-05-04T17:00:00+07:00."
                    ),
                    "code": "timezone_aware" if moment is not None else "datetime_parsing",
                }
            ],
        )
    return moment


@staff_router.get(
    "/dossiers/{code}",
    response={200: DossierOut, 401: ErrorResponse, 404: ErrorResponse},
    summary="Một hồ sơ",
)
def get_dossier(request: HttpRequest, code: str) -> Any:
    """One dossier within the caller's reach, with its events; 404 ``dossier_not_found``
    for any other."""
    user = api_user(request)
    return _out(_dossier_or_404(user, code), user)


@staff_router.post(
    "/dossiers/{code}/transitions",
    response={
        200: DossierOut,
        401: ErrorResponse,
        403: ErrorResponse,
        404: ErrorResponse,
        409: ErrorResponse,
        422: ErrorResponse,
    },
    summary="Thực hiện một thao tác trên hồ sơ",
    openapi_extra={
        "responses": {
            403: {"description": "forbidden: vai trò, phạm vi hoặc phân công không cho phép."},
            409: {
                "description": (
                    "revision_conflict: hồ sơ vừa được người khác xử lý (revision đã thay đổi, "
                    "hoặc khác revision gửi lên) — tải lại hồ sơ rồi quyết định lại; "
                    "state_conflict: trạng thái hiện tại không cho phép thao tác này."
                )
            },
            422: {
                "description": (
                    "invalid_input: dữ liệu của thao tác thiếu hoặc sai (details nêu trường); "
                    "idempotency_key_reused, invalid_idempotency_key."
                )
            },
        }
    },
)
@idempotent(DossierOut)
def transition(request: HttpRequest, code: str, payload: TransitionIn) -> Any:
    """Apply one action of the lifecycle. Safe to retry only with ``revision`` (the one read
    with the dossier) or an ``Idempotency-Key``: a retry with the same ``revision`` after the
    first succeeded answers 409 ``revision_conflict`` instead of acting twice; without either,
    a retried request may act twice (e.g. two supplement requests). 403 ``forbidden`` when the
    caller's roles, scope or assignment do not allow the action; 409 ``state_conflict`` when
    the dossier's status does not; 422 ``invalid_input`` when the action's inputs are missing
    or wrong (the field named in ``details``)."""
    user = api_user(request)
    dossier = _dossier_or_404(user, code)
    inputs = payload.dict(exclude={"action", "reason", "revision"})
    inputs["handling_unit"] = inputs["handling_unit"] or ""
    try:
        dossier = dossier_transition(
            actor=user,
            dossier=dossier,
            action=payload.action,
            reason=payload.reason,
            expected_revision=payload.revision,
            data=inputs,
        )
    except StaleRevision as exc:
        raise ApiError(409, "revision_conflict", str(exc)) from None
    except TransitionForbidden as exc:
        raise ApiError(403, "forbidden", str(exc)) from None
    except StateConflict as exc:
        raise ApiError(409, "state_conflict", str(exc)) from None
    except TransitionRefused as exc:
        field = exc.field
        detail = {"field": field, "message": str(exc), "code": "invalid"}
        raise ApiError(422, "invalid_input", str(exc), [detail]) from None
    return _out(dossier, user)


@staff_router.get(
    "/dossiers/{code}/receipt.pdf",
    response={200: None, 401: ErrorResponse, 404: ErrorResponse},
    summary="Giấy tiếp nhận (Mẫu 01)",
)
def receipt(request: HttpRequest, code: str) -> HttpResponse:
    """The receipt (Giấy tiếp nhận, Mẫu 01) as a PDF; 404 ``receipt_not_issued`` while an
    online dossier has not been accepted."""
    dossier = _dossier_or_404(api_user(request), code)
    if dossier.received_at is None:  # submitted online, not accepted (yet): no Mẫu 01
        raise ApiError(
            404,
            "receipt_not_issued",
            _("Hồ sơ chưa được tiếp nhận nên chưa có giấy tiếp nhận."),
        )
    lookup = request.build_absolute_uri("/tra-cuu-ho-so/")
    return pdf_response(issued_receipt(dossier, lookup_base_url=lookup), receipt_filename(dossier))


@staff_router.get(
    "/dossiers/{code}/control-sheet.pdf",
    response={200: None, 401: ErrorResponse, 404: ErrorResponse},
    summary="Phiếu kiểm soát (Mẫu 05)",
)
def control_sheet(request: HttpRequest, code: str) -> HttpResponse:
    """The control sheet (Phiếu kiểm soát quá trình giải quyết, Mẫu 05) as a PDF, with every
    hand-over so far."""
    dossier = _dossier_or_404(api_user(request), code)
    return pdf_response(render_control_sheet(dossier), control_sheet_filename(dossier))


@staff_router.get(
    "/dossiers/{code}/supplement-requests/{number}.pdf",
    response={200: None, 401: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse},
    summary="Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (Mẫu 02) trong quá trình giải quyết",
)
def supplement_request(
    request: HttpRequest, code: str, number: Annotated[int, Field(ge=1, le=1000)]
) -> HttpResponse:
    """The n-th supplement request of the dossier (Mẫu 02) as a PDF; 404 ``notice_not_found``
    when there is no such request."""
    dossier = _dossier_or_404(api_user(request), code)
    event = dossier.events.filter(
        action=DossierAction.REQUEST_SUPPLEMENT, data__number=number
    ).first()
    if event is None:
        raise ApiError(404, "notice_not_found", _("Không có phiếu yêu cầu bổ sung này."))
    return pdf_response(
        render_supplement_request(dossier, event), supplement_request_filename(dossier, number)
    )


@staff_router.get(
    "/dossiers/{code}/assignees",
    response={200: list[AssigneeOut], 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse},
    summary="Chuyên viên có thể được phân công xử lý hồ sơ",
)
def list_assignees(request: HttpRequest, code: str) -> Any:
    """The specialists a leader may assign the dossier to (action ``assign``, input
    ``assignee`` = ``username``), by name — the same list as the workspace's form: those of
    the handling unit and the units above it. 403 ``forbidden`` when the caller may not assign
    this dossier."""
    user = api_user(request)
    dossier = _dossier_or_404(user, code)
    refused = refusal(user, dossier, DossierAction.ASSIGN)
    if refused is not None:
        raise ApiError(403, "forbidden", refused)
    return [
        {"username": person.get_username(), "full_name": person.full_name}
        for person in assignable_specialists(dossier)
    ]
