"""Reads of the data store that are not about who may see what (that is ``permissions``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov.catalog.document_kinds import is_reusable
from egov.catalog.models import DocumentKind
from egov.core.text import fold_words
from egov.datastore.models import OcrStatus, StoreDocument, StoreState


def still_valid(on: dt.date) -> Q:
    return Q(state=StoreState.VALID) & (Q(valid_until__isnull=True) | Q(valid_until__gte=on))


def reusable_documents(
    *, owner_kind: str, owner_identifier: str, kind: DocumentKind | None, on: dt.date | None = None
) -> QuerySet[StoreDocument]:
    """The owner's documents that may stand for a component asking for ``kind`` on ``on``:
    same kind, valid (checked and signed, not revoked) and not past their validity — newest
    first. None for a kind that is never reused (văn bản ủy quyền) or no kind at all."""
    if not owner_identifier or not is_reusable(kind):
        return StoreDocument.objects.none()
    day = on or timezone.localdate()
    return (
        StoreDocument.objects.filter(
            still_valid(day),
            owner_kind=owner_kind,
            owner_identifier=owner_identifier,
            kind=kind,
        )
        .select_related("kind", "file", "signed_file")
        .order_by("-issued_on", "-created_at", "-id")
    )


def search_store_documents(queryset: QuerySet[StoreDocument], text: str) -> QuerySet[StoreDocument]:
    """The documents of ``queryset`` (already limited to what the user may see) whose title,
    number, issuer or recognised text contain every word of ``text`` — case, tone marks and
    đ/Đ ignored ("dang ky" finds "Đăng ký"). No word at all: ``queryset`` as it is.

    ``search_text`` is stored folded (``services.search_text_of``), so a substring test is the
    same on SQLite and PostgreSQL."""
    for word in fold_words(text):
        queryset = queryset.filter(search_text__contains=word)
    return queryset


@dataclass(frozen=True)
class OcrProgress:
    """What the officer's page shows of a document's OCR run."""

    status: str
    label: str
    percent: int
    # Why it failed or was skipped (Vietnamese, as the task wrote it).
    reason: str
    # Queued or running: the page polls again.
    running: bool
    # Fields suggested from the text, for the officer to confirm (never applied by themselves).
    suggestions: tuple[Suggestion, ...]


@dataclass(frozen=True)
class Suggestion:
    field: str
    label: str
    # As suggested_fields holds it (dates: YYYY-MM-DD) and as shown (dates: dd/mm/yyyy).
    value: str
    shown: str


SUGGESTED_FIELD_LABELS = {
    "number": _("Số"),
    "full_name": _("Họ, chữ đệm và tên"),
    "date_of_birth": _("Ngày sinh"),
    "valid_until": _("Có giá trị đến"),
}


def _shown(value: str) -> str:
    try:
        return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
    except ValueError:
        return value


def ocr_progress_of(document: StoreDocument) -> OcrProgress:
    status = OcrStatus(document.ocr_status)
    suggested = document.suggested_fields if status == OcrStatus.DONE else {}
    return OcrProgress(
        status=status.value,
        label=str(status.label),
        percent=document.ocr_progress,
        reason=document.ocr_error if status in (OcrStatus.FAILED, OcrStatus.SKIPPED) else "",
        running=status in (OcrStatus.QUEUED, OcrStatus.RUNNING),
        suggestions=tuple(
            Suggestion(field, str(label), suggested[field], _shown(suggested[field]))
            for field, label in SUGGESTED_FIELD_LABELS.items()
            if isinstance(suggested.get(field), str)
        ),
    )
