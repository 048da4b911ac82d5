"""Public read API of the catalog (same search semantics and ranking as the portal)."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from egov.catalog.fees import FeeInputError, exemptions, quote
from egov.catalog.models import (
    ChannelKind,
    FeeKind,
    ImplementingLevel,
    OnlineService,
    ProcedureVersion,
    TimeKind,
)
from egov.catalog.selectors import (
    CatalogFilters,
    fields_with_counts,
    search_procedures,
    version_in_force,
)
from egov.catalog.time_rules import lawful_extensions, supplement_rule
from egov.core.api_errors import ApiError, ErrorResponse
from egov.core.api_types import Text
from egov.core.cursors import decode_cursor, encode_cursor

router = Router(tags=["catalog"])


class FieldOut(Schema):
    code: str
    name: str
    procedure_count: int


class ProcedureSummary(Schema):
    code: str
    national_code: str | None
    local_code: str | None
    name: str
    field: str
    implementing_level: str
    online_service: str
    online_service_basis: str
    online_partial_reason: str  # public reason of a "một phần" service (NĐ 224/2026 Điều 14)
    service_level: int  # NĐ 43/2011 level of old versions: repealed, kept for old clients
    version: int


class ProcedurePage(Schema):
    items: list[ProcedureSummary]
    # Pass as ``cursor`` for the next page; null on the last page.
    next_cursor: str | None


class ProcedureQuery(Schema):
    q: Annotated[str, Text(200)] = ""
    field: Annotated[str, Text(50)] | None = None
    level: ImplementingLevel | None = None
    unit: Annotated[str, Text(100)] | None = None
    online: OnlineService | None = None
    cursor: Annotated[str, Text(120)] = ""
    limit: int = 20


PROCEDURES_CURSOR = "proc"


class FeeExemptionOut(Schema):
    key: str
    condition: str
    categories: list[str]
    basis: str
    confirmed: bool


class FeeRuleOut(Schema):
    name: str
    kind: FeeKind
    amount: int | None
    note: str
    legal_basis: str
    exemptions: list[FeeExemptionOut]


class ChannelOut(Schema):
    kind: ChannelKind
    time_kind: TimeKind
    time_amount: str | None
    cutoff: str | None
    cutoff_basis: str
    time_note: str
    fees: list[FeeRuleOut]


class SupplementRuleOut(Schema):
    """NĐ 61/2018 Điều 19 khoản 4, or the procedure's sector rule."""

    clock: str  # restart (the general rule) or pause
    request_days: int
    applicant_days: int | None
    basis: str


class LawfulExtensionOut(Schema):
    key: str
    name: str
    mode: str  # add: more after the appointment; total: at most this from reception
    time_kind: str
    amount: int
    basis: str
    confirmed: bool


class FormOut(Schema):
    key: str
    title: str
    url: str


class ComponentOut(Schema):
    id: int = Field(
        description=(
            "Mã thành phần của phiên bản đang có hiệu lực: gửi trong components[].component_id "
            "khi tiếp nhận hồ sơ (POST /staff/dossiers). Một phiên bản mới có mã mới."
        )
    )
    name: str
    originals: int | None
    copies: int | None
    required: bool
    condition: str
    forms: list[FormOut]


class UnitRef(Schema):
    key: str
    code: str | None
    name: str


class ProcedureDetail(ProcedureSummary):
    valid_from: dt.date
    competent_unit: UnitRef | None
    competent_authority: str  # as the law names it (e.g. Ủy ban nhân dân cấp xã)
    competent_authority_basis: str
    implementing_units: list[UnitRef]  # where the dossier is received
    applicant_types: list[str]
    requirements: str
    results: list[str]
    legal_basis: list[dict[str, Any]]
    steps: list[str]
    unconfirmed: list[str]
    channels: list[ChannelOut]
    components: list[ComponentOut]
    supplement: SupplementRuleOut
    lawful_extensions: list[LawfulExtensionOut]


class FeeLineOut(Schema):
    name: str
    amount: int | None
    explanation: str


class FeeQuoteOut(Schema):
    code: str
    channel: ChannelKind
    amount: int | None
    currency: str
    lines: list[FeeLineOut]


def _summary(version: ProcedureVersion) -> dict[str, Any]:
    procedure = version.procedure
    return {
        "code": procedure.public_code,
        "national_code": procedure.national_code,
        "local_code": procedure.local_code,
        "name": version.name,
        "field": version.field.code,
        "implementing_level": version.implementing_level,
        "online_service": version.online_service,
        "online_service_basis": version.online_service_basis,
        "online_partial_reason": version.online_partial_reason,
        "service_level": version.service_level,
        "version": version.number,
    }


def _unit_ref(unit: Any) -> dict[str, Any]:
    return {"key": unit.key, "code": unit.code, "name": unit.name}


@router.get("/fields", response=list[FieldOut], summary="Lĩnh vực thủ tục")
def list_fields(request: HttpRequest) -> list[dict[str, Any]]:
    """The fields (lĩnh vực) of the catalog with how many procedures in force each has."""
    return [
        {"code": f.code, "name": f.name, "procedure_count": getattr(f, "procedure_count", 0)}
        for f in fields_with_counts()
    ]


@router.get(
    "/procedures", response={200: ProcedurePage, 422: ErrorResponse}, summary="Tìm, liệt kê thủ tục"
)
def list_procedures(request: HttpRequest, params: Query[ProcedureQuery]) -> dict[str, Any]:
    """Search ignores case and diacritics and ranks the best match first; pages are
    returned without a total count: pass ``next_cursor`` as ``cursor`` for the next page,
    until it is null (the same query and ``limit`` with it)."""
    if not 1 <= params.limit <= 100:
        raise ApiError(422, "invalid_limit", _("limit phải từ 1 đến 100."))
    number = 1
    if params.cursor:
        decoded = decode_cursor(PROCEDURES_CURSOR, params.cursor)
        if decoded is None or not 1 <= decoded[0] <= 10000:
            raise ApiError(
                422,
                "invalid_cursor",
                _("Con trỏ trang không hợp lệ; dùng đúng giá trị next_cursor đã nhận."),
            )
        number = decoded[0]
    if len(params.q) > 200:
        raise ApiError(422, "invalid_query", _("Từ khóa dài quá 200 ký tự."))
    page = search_procedures(
        CatalogFilters(
            query=params.q,
            field=params.field,
            level=params.level,
            unit=params.unit,
            online=params.online,
        ),
        page=number,
        per_page=params.limit,
    )
    following = encode_cursor(PROCEDURES_CURSOR, number + 1)
    return {
        "items": [_summary(v) for v in page.versions],
        "next_cursor": following if page.has_next and number < 10000 else None,
    }


@router.get(
    "/procedures/{code}",
    response={200: ProcedureDetail, 404: ErrorResponse},
    summary="Chi tiết thủ tục theo mã quốc gia hoặc mã của tỉnh",
)
def get_procedure(request: HttpRequest, code: str) -> dict[str, Any]:
    """The procedure version in force today, by national code or the province's code: requirements,
    components (their ``id`` is what receiving and scanning take), form templates, channels,
    time, fees, competent and receiving units, legal basis. 404 ``procedure_not_found``."""
    version = version_in_force(code)
    public_code = version.procedure.public_code
    return {
        **_summary(version),
        "valid_from": version.valid_from,
        "competent_unit": _unit_ref(version.competent_unit) if version.competent_unit else None,
        "competent_authority": version.competent_authority,
        "competent_authority_basis": version.competent_authority_basis,
        "implementing_units": [_unit_ref(u) for u in version.implementing_units.all()],
        "applicant_types": version.applicant_types,
        "requirements": version.requirements,
        "results": version.results,
        "legal_basis": version.legal_basis,
        "steps": version.steps,
        "unconfirmed": version.unconfirmed,
        "supplement": asdict(supplement_rule(version)),
        "lawful_extensions": [asdict(e) for e in lawful_extensions(version)],
        "channels": [
            {
                "kind": c.kind,
                "time_kind": c.time_kind,
                "time_amount": f"{c.time_amount.normalize():f}"
                if c.time_amount is not None
                else None,
                "cutoff": c.cutoff.strftime("%H:%M") if c.cutoff else None,
                "cutoff_basis": c.cutoff_basis,
                "time_note": c.time_note,
                "fees": [
                    {
                        "name": f.name,
                        "kind": f.kind,
                        "amount": f.amount,
                        "note": f.note,
                        "legal_basis": f.legal_basis,
                        "exemptions": [
                            {**asdict(e), "categories": list(e.categories)} for e in exemptions(f)
                        ],
                    }
                    for f in c.fees.all()
                ],
            }
            for c in version.channels.all()
        ],
        "components": [
            {
                "id": comp.pk,
                "name": comp.name,
                "originals": comp.originals,
                "copies": comp.copies,
                "required": comp.required,
                "condition": comp.condition,
                "forms": [
                    {
                        "key": form.key,
                        "title": form.title,
                        "url": f"/thu-tuc/{public_code}/bieu-mau/{form.key}.docx",
                    }
                    for form in comp.forms.all()
                ],
            }
            for comp in version.components.all()
        ],
    }


@router.get(
    "/procedures/{code}/fee",
    response={200: FeeQuoteOut, 404: ErrorResponse, 422: ErrorResponse},
    summary="Tính phí, lệ phí theo quy tắc của thủ tục",
)
def procedure_fee(
    request: HttpRequest,
    code: str,
    channel: ChannelKind = ChannelKind.COUNTER,
    pages: int = 1,
    copies: int = 1,
    category: Annotated[str, Text(50)] | None = None,
) -> dict[str, Any]:
    """The fees and charges for one channel, page and copy count (and fee category, where the
    procedure has them), as the catalog's rules compute them for a dossier received today.
    422 ``channel_not_offered`` when the procedure has no such channel."""
    version = version_in_force(code)
    selected = next((c for c in version.channels.all() if c.kind == channel), None)
    if selected is None:
        raise ApiError(
            422,
            "channel_not_offered",
            _("Thủ tục này không có hình thức nộp “%s”.") % ChannelKind(channel).label,
        )
    if not 1 <= pages <= 10000 or not 1 <= copies <= 1000:
        raise ApiError(
            422, "invalid_quantity", _("Số trang phải từ 1 đến 10000, số bản từ 1 đến 1000.")
        )
    try:
        result = quote(selected.fees.all(), pages=pages, copies=copies, category=category)
    except FeeInputError as exc:
        raise ApiError(422, "invalid_fee_input", str(exc)) from None
    return {
        "code": version.procedure.public_code,
        "channel": selected.kind,
        "amount": result.total,
        "currency": "VND",
        "lines": [
            {"name": line.name, "amount": line.amount, "explanation": line.explanation}
            for line in result.lines
        ],
    }
