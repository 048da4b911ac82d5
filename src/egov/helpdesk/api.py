"""Public read API of the knowledge base: published questions only, searched as on the portal
(no case, no diacritics, đ→d), keyset pages without totals."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from egov.catalog.selectors import ProcedureNotFound
from egov.core.api_errors import ApiError, ErrorResponse
from egov.core.api_types import Text
from egov.helpdesk.models import Question
from egov.helpdesk.selectors import InvalidCursor, procedure_by_code, search_faq

router = Router(tags=["faq"])


class FaqQuery(Schema):
    q: Annotated[str, Text(200)] = ""
    # National code (1.001193) or, for a procedure without one, its data key.
    procedure: Annotated[str, Text(80)] = ""
    field: Annotated[str, Text(60)] = ""
    cursor: Annotated[str, Text(120)] = ""
    limit: int = 20


class FaqOut(Schema):
    id: int
    question: str
    # Plain text; blank lines separate paragraphs. Show it escaped.
    answer: str
    procedure: str | None  # the procedure's public code
    field: str | None  # the field's code
    legal_basis: str
    published_at: dt.datetime


class FaqPage(Schema):
    items: list[FaqOut]
    # Pass as ``cursor`` for the next page; null on the last page.
    next_cursor: str | None


def _out(question: Question) -> dict[str, Any]:
    return {
        "id": question.pk,
        "question": question.question,
        "answer": question.answer,
        "procedure": question.procedure.public_code if question.procedure else None,
        "field": question.field.code if question.field else None,
        "legal_basis": question.legal_basis,
        "published_at": question.published_at,
    }


@router.get(
    "/faq",
    response={200: FaqPage, 404: ErrorResponse, 422: ErrorResponse},
    summary="Hỏi đáp: câu hỏi thường gặp đã công bố",
)
def list_faq(request: HttpRequest, params: Query[FaqQuery]) -> dict[str, Any]:
    """Published questions of the knowledge base, newest first. ``q`` ignores case and
    diacritics (every word must appear; the last may be the start of a word); ``procedure``
    (404 ``procedure_not_found`` for an unknown code) and ``field`` (a field code, as in
    GET /fields) filter. No total: pass ``next_cursor`` as ``cursor`` until it is null."""
    if not 1 <= params.limit <= 100:
        raise ApiError(422, "invalid_limit", _("limit phải từ 1 đến 100."))
    procedure = None
    if params.procedure:
        procedure = procedure_by_code(params.procedure)
        if procedure is None:
            raise ProcedureNotFound(params.procedure)
    try:
        page = search_faq(
            query=params.q,
            field=params.field or None,
            procedure=procedure,
            cursor=params.cursor,
            limit=params.limit,
        )
    except InvalidCursor as error:
        raise ApiError(
            422,
            "invalid_cursor",
            _("Con trỏ trang không hợp lệ; dùng đúng giá trị next_cursor đã nhận."),
        ) from error
    return {"items": [_out(q) for q in page.items], "next_cursor": page.next_cursor}
