"""Authenticated API for staff tokens and API clients (kiosks, postal service, other systems):
receive, list, get, transition, download forms — the same services and role checks as the
staff workspace. Authentication: ``Authorization: Bearer <key>`` (``manage.py api_client``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.responses import Status

from egov.accounts.api_auth import ApiKeyAuth
from egov.accounts.models import Role, RoleAssignment
from egov.api.errors import ApiError, ErrorResponse
from egov.catalog.selectors import version_by_code
from egov.dossiers.access import get_dossier_for_user
from egov.dossiers.models import Dossier
from egov.dossiers.printing.control_sheet import render_control_sheet
from egov.dossiers.printing.notices import render_supplement_request
from egov.dossiers.printing.receipt import render_receipt
from egov.dossiers.selectors import ACTION_LABELS, QueueFilters, work_queue
from egov.dossiers.services.reception import Applicant, Reception, dossier_receive
from egov.dossiers.state import TransitionError, allowed_actions, dossier_transition
from egov.org.models import Unit

staff_router = Router(tags=["dossiers"], auth=ApiKeyAuth())


class ApplicantIn(Schema):
    kind: str = "citizen"
    name: str
    personal_id: str = ""
    tax_code: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    representative_name: str = ""
    representative_personal_id: str = ""
    birth_date: dt.date | None = None


class ComponentIn(Schema):
    component_id: int
    originals: int = 0
    copies: int = 0


class ReceiveIn(Schema):
    procedure: str
    channel: str = "counter"
    unit: str | None = None
    applicant: ApplicantIn
    components: list[ComponentIn]
    sets: int = 1
    result_delivery: str = "counter"


class EventOut(Schema):
    sequence: int
    action: str
    label: str
    from_status: str
    to_status: str
    at: dt.datetime
    reason: str
    data: dict[str, Any]


class PaymentOut(Schema):
    purpose: str
    amount: int
    method: str
    reference: str
    paid_at: dt.datetime


class ShipmentOut(Schema):
    status: str
    tracking_number: str
    recipient_name: str
    address: str
    requested_at: dt.datetime


class DossierOut(Schema):
    code: str
    status: str
    procedure: str
    procedure_version: int
    receiving_unit: str
    handling_unit: str | None
    partner_unit: str | None
    assignee: str | None
    applicant_name: str
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    fee_quoted: int | None
    revision: int
    allowed_actions: list[str]
    events: list[EventOut]
    payments: list[PaymentOut]
    shipments: list[ShipmentOut]


class DossierSummaryOut(Schema):
    code: str
    status: str
    procedure_name: str
    applicant_name: str
    due_at: dt.datetime | None
    urgency: str


class TransitionIn(Schema):
    """The action and the inputs it takes (unused inputs are ignored): ``handling_unit`` for
    hand_off; ``assignee`` (username) for assign; ``partner_unit`` for transfer_out; ``items``
    for request_supplement; ``amount`` and ``description`` for request_payment; ``amount``,
    ``method`` and ``reference`` for paid; ``received_by`` for return_result and
    postal_delivered; ``recipient_name``, ``recipient_phone`` and ``address`` for
    send_by_post; ``tracking_number`` for postal_delivered."""

    action: str
    reason: str = ""
    revision: int | None = None
    handling_unit: str | None = None
    assignee: str = ""
    partner_unit: str = ""
    items: list[str] = []
    amount: int | None = None
    description: str = ""
    method: str = ""
    reference: str = ""
    received_by: str = ""
    delivery: str = "counter"
    recipient_name: str = ""
    recipient_phone: str = ""
    address: str = ""
    tracking_number: str = ""


def _out(dossier: Dossier, user: Any) -> dict[str, Any]:
    return {
        "code": dossier.code,
        "status": dossier.status,
        "procedure": dossier.procedure_version.procedure.public_code,
        "procedure_version": dossier.procedure_version.number,
        "receiving_unit": dossier.receiving_unit.key,
        "handling_unit": dossier.handling_unit.key if dossier.handling_unit else None,
        "partner_unit": dossier.partner_unit.key if dossier.partner_unit else None,
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
                "from_status": e.from_status,
                "to_status": e.to_status,
                "at": e.at,
                "reason": e.reason,
                "data": e.data,
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


def _dossier_or_404(user: Any, code: str) -> Dossier:
    dossier = get_dossier_for_user(user, code)
    if dossier is None:
        raise ApiError(
            404, "dossier_not_found", _("Không tìm thấy hồ sơ trong phạm vi bạn được xem.")
        )
    return dossier  # type: ignore[no-any-return]


def desk_of(user: Any, unit: str | None) -> Unit:
    """The caller's reception desk: the unit named (key or code), or the first where they
    receive dossiers; 403 otherwise."""
    held = (
        RoleAssignment.objects.valid_on(timezone.localdate())
        .filter(user=user, role=Role.RECEPTIONIST)
        .values("unit_id")
    )
    desks = Unit.objects.filter(pk__in=held).filter(Q(key=unit) | Q(code=unit) if unit else Q())
    desk: Unit | None = desks.order_by("pk").first()
    if desk is None:
        raise ApiError(
            403, "not_a_receptionist", _("Tài khoản không có vai trò tiếp nhận tại đơn vị này.")
        )
    return desk


def _validation_error(exc: ValidationError) -> ApiError:
    if hasattr(exc, "error_dict"):
        details = [{"field": f, "message": m} for f, ms in exc.message_dict.items() for m in ms]
    else:
        details = [{"field": "", "message": m} for m in exc.messages]
    return ApiError(422, "invalid_dossier", _("Hồ sơ chưa hợp lệ."), details)


@staff_router.post(
    "/dossiers",
    response={201: DossierOut, 404: ErrorResponse, 422: ErrorResponse, 403: ErrorResponse},
    summary="Tiếp nhận hồ sơ",
)
def receive(request: HttpRequest, payload: ReceiveIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    version = version_by_code(payload.procedure)
    if version is None:
        raise ApiError(
            404,
            "procedure_not_found",
            _("Không có thủ tục đang áp dụng với mã “%s”.") % payload.procedure,
        )
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
                sets=payload.sets,
                result_delivery=payload.result_delivery,
            ),
        )
    except ValidationError as exc:
        raise _validation_error(exc) from None
    return Status(201, _out(dossier, user))


@staff_router.get(
    "/dossiers", response=list[DossierSummaryOut], summary="Hồ sơ cần xử lý, hạn sớm nhất trước"
)
def list_dossiers(
    request: HttpRequest,
    q: str = "",
    mine: bool = False,
    status: str = "",
    urgency: str = "",
    channel: str = "",
    limit: int = 50,
) -> list[dict[str, Any]]:
    """Filters as in the workspace queue: ``mine`` (assigned to the caller), ``status``,
    ``urgency`` (overdue, due_soon, in_time), ``channel`` (counter, online, post)."""
    user = request.auth  # type: ignore[attr-defined]
    filters = QueueFilters(
        search=q[:100], mine=mine, status=status[:30], urgency=urgency[:10], channel=channel[:10]
    )
    rows = work_queue(user, filters=filters, limit=max(1, min(limit, 200)))
    return [
        {
            "code": row.dossier.code,
            "status": row.dossier.status,
            "procedure_name": row.dossier.procedure_version.name,
            "applicant_name": row.dossier.applicant_name,
            "due_at": row.dossier.due_at,
            "urgency": row.urgency,
        }
        for row in rows
    ]


@staff_router.get(
    "/dossiers/{code}", response={200: DossierOut, 404: ErrorResponse}, summary="Một hồ sơ"
)
def get_dossier(request: HttpRequest, code: str) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    return _out(_dossier_or_404(user, code), user)


@staff_router.post(
    "/dossiers/{code}/transitions",
    response={200: DossierOut, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse},
    summary="Thực hiện một thao tác trên hồ sơ",
)
def transition(request: HttpRequest, code: str, payload: TransitionIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
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
    except TransitionError as exc:
        stale = payload.revision is not None and payload.revision != dossier.revision
        raise ApiError(
            409 if stale else 422, "conflict" if stale else "transition_refused", str(exc)
        ) from None
    return _out(dossier, user)


@staff_router.get("/dossiers/{code}/receipt.pdf", summary="Giấy tiếp nhận (Mẫu 01)")
def receipt(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _dossier_or_404(request.auth, code)  # type: ignore[attr-defined]
    lookup = request.build_absolute_uri("/tra-cuu-ho-so/")
    return HttpResponse(
        render_receipt(dossier, lookup_base_url=lookup), content_type="application/pdf"
    )


@staff_router.get("/dossiers/{code}/control-sheet.pdf", summary="Phiếu kiểm soát (Mẫu 05)")
def control_sheet(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _dossier_or_404(request.auth, code)  # type: ignore[attr-defined]
    return HttpResponse(render_control_sheet(dossier), content_type="application/pdf")


@staff_router.get(
    "/dossiers/{code}/supplement-requests/{number}.pdf",
    response={200: None, 404: ErrorResponse},
    summary="Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (Mẫu 02) trong quá trình giải quyết",
)
def supplement_request(request: HttpRequest, code: str, number: int) -> HttpResponse:
    dossier = _dossier_or_404(request.auth, code)  # type: ignore[attr-defined]
    event = dossier.events.filter(action="request_supplement", data__number=number).first()
    if event is None:
        raise ApiError(404, "notice_not_found", _("Không có phiếu yêu cầu bổ sung này."))
    return HttpResponse(render_supplement_request(dossier, event), content_type="application/pdf")
