"""The OCR run of one store document, as the background task ``recognise_store_document_task``
performs it (issue 16 §4).

``ocr_status`` goes queued → running → done, failed or skipped, and ``ocr_progress`` (0–100)
follows: 5 once the file is read, 10 → 90 as pages are recognised (after each page, or each
tenth of a long file), 95 while fields are looked for, 100 when done. Every step is a short
transaction of its own, so that the officer's page sees it while the run goes on.

What the run keeps is text: ``ocr_text`` (pages separated by a form feed), ``search_text`` and
``suggested_fields``. The searchable PDF OCRmyPDF makes is dropped — the file stays the scan
the officer checks against the original and signs. A signed file is never recognised (it is
``skipped``, the reason in ``ocr_error``): the signed original stays byte for byte as received.
A failure leaves the document as it was apart from the status and its reason.
"""

from __future__ import annotations

import logging
import unicodedata

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from egov.accounts.actors import SYSTEM
from egov.core.ocr import (
    EncryptedPdfRefused,
    OcrError,
    SignedPdfRefused,
    TooManyPages,
    UnsupportedInput,
    is_signed_pdf,
    ocr_pdf,
)
from egov.core.uploads import open_private
from egov.datastore.models import OcrStatus, StoreDocument
from egov.datastore.services import search_text_of
from egov.datastore.state import StoreAction, allowed, move
from egov.datastore.suggestions import suggest_fields

logger = logging.getLogger(__name__)

PROGRESS_READ = 5
PROGRESS_PAGES_FROM = 10
PROGRESS_PAGES_TO = 90
PROGRESS_FIELDS = 95
PROGRESS_DONE = 100
ERROR_LENGTH = 300
# What the stored file's sniffed type says OCR should read: refused anyway, it is damaged.
READABLE_TYPES = ("application/pdf", "image/png", "image/jpeg", "image/tiff")


def recognise(*, document_id: int) -> str:
    """Run OCR on the document's file; returns the status it ended in. Messages are kept in
    the site's language (Vietnamese)."""
    with translation.override(settings.LANGUAGE_CODE):
        document = _start(document_id)
        if document is None:
            current = StoreDocument.objects.filter(pk=document_id).values_list(
                "ocr_status", flat=True
            )
            return current.first() or ""
        try:
            return _run(document)
        except Exception:
            logger.exception("OCR of store document %s failed", document_id)
            _end(
                document_id,
                OcrStatus.FAILED,
                _("Lỗi không lường trước khi nhận dạng chữ; hãy thử lại hoặc báo quản trị viên."),
            )
            raise


def _run(document: StoreDocument) -> str:
    try:
        with open_private(document.file.key) as stream:
            data = stream.read()
    except OSError:
        return _end(document.pk, OcrStatus.FAILED, _("Không đọc được tệp đã lưu của giấy tờ này."))
    if is_signed_pdf(data):
        return _end(document.pk, OcrStatus.SKIPPED, _signed_reason())
    _set_progress(document.pk, PROGRESS_READ)

    def on_page(done: int, total: int) -> None:
        span = PROGRESS_PAGES_TO - PROGRESS_PAGES_FROM
        _set_progress(document.pk, PROGRESS_PAGES_FROM + span * done // total)

    _set_progress(document.pk, PROGRESS_PAGES_FROM)
    try:
        result = ocr_pdf(data, on_page=on_page)
    except (SignedPdfRefused, EncryptedPdfRefused, TooManyPages) as refused:
        return _end(document.pk, OcrStatus.SKIPPED, str(refused))
    except UnsupportedInput as refused:
        readable = document.file.content_type in READABLE_TYPES
        return _end(document.pk, OcrStatus.FAILED if readable else OcrStatus.SKIPPED, str(refused))
    except OcrError as failed:
        return _end(document.pk, OcrStatus.FAILED, str(failed))
    _set_progress(document.pk, PROGRESS_FIELDS)
    text = _tidy(result.text)
    suggested = suggest_fields(text, document.kind)
    return _finish(document.pk, text=text, suggested=suggested, pages=result.page_count)


def _signed_reason() -> str:
    return _("Tệp có chữ ký số: không nhận dạng chữ để tệp đã ký được giữ nguyên như khi nhận.")


def _tidy(text: str) -> str:
    """NFC, no white space at the ends of lines, pages still separated by a form feed."""
    pages = unicodedata.normalize("NFC", text).split("\f")
    return "\f".join(
        "\n".join(line.rstrip() for line in page.strip().splitlines()) for page in pages
    )


@transaction.atomic
def _start(document_id: int) -> StoreDocument | None:
    """Mark a queued document running; None when there is nothing to run (gone, or no longer
    queued: an earlier task already ran it)."""
    document = (
        # "of self": PostgreSQL refuses to lock the nullable side of the join to the kind.
        StoreDocument.objects.select_for_update(of=("self",))
        .select_related("file", "kind")
        .filter(pk=document_id)
        .first()
    )
    if document is None or document.ocr_status != OcrStatus.QUEUED:
        return None
    if document.signed_file_id is not None and document.signed_file_id == document.file_id:
        _end(document.pk, OcrStatus.SKIPPED, _signed_reason())
        return None
    document.ocr_status = OcrStatus.RUNNING
    document.ocr_progress = 0
    document.ocr_error = ""
    document.ocr_started_at = timezone.now()
    document.save(update_fields=["ocr_status", "ocr_progress", "ocr_error", "ocr_started_at"])
    return document


@transaction.atomic
def _set_progress(document_id: int, percent: int) -> None:
    StoreDocument.objects.filter(pk=document_id, ocr_status=OcrStatus.RUNNING).update(
        ocr_progress=percent
    )


@transaction.atomic
def _end(document_id: int, status: str, reason: str) -> str:
    """A run that ends without text: its status and reason; nothing else changes."""
    StoreDocument.objects.filter(pk=document_id).update(
        ocr_status=status, ocr_error=reason[:ERROR_LENGTH]
    )
    return status


@transaction.atomic
def _finish(document_id: int, *, text: str, suggested: dict[str, str], pages: int) -> str:
    document = StoreDocument.objects.select_for_update().get(pk=document_id)
    if document.ocr_status != OcrStatus.RUNNING:
        # Queued again while this run went on: the next run writes the result.
        return str(document.ocr_status)
    document.ocr_text = text
    document.search_text = search_text_of(document)
    document.suggested_fields = suggested
    document.ocr_status = OcrStatus.DONE
    document.ocr_progress = PROGRESS_DONE
    document.ocr_error = ""
    fields = (
        "ocr_text",
        "search_text",
        "suggested_fields",
        "ocr_status",
        "ocr_progress",
        "ocr_error",
    )
    if allowed(document, StoreAction.RECOGNISE):
        move(
            document,
            StoreAction.RECOGNISE,
            actor=SYSTEM,
            data={"pages": pages, "characters": len(text), "suggested": sorted(suggested)},
            fields=fields,
        )
    else:
        # Rejected or revoked meanwhile: the text is kept for search, no event is due.
        document.save(update_fields=list(fields))
    return OcrStatus.DONE
