"""The desk checks scans and uploads against the originals: "Đã đối chiếu bản chính — ký số kết
quả số hóa" for one paper or for every one waiting, or "Không khớp bản chính" with a reason
(TT 01/2023/TT-VPCP Điều 8; services in ``dossiers.services.digitisation``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egov.catalog.models import DocumentKind
from egov.datastore.models import StoreDocument
from egov.datastore.selectors import OcrProgress, ocr_progress_of
from egov.dossiers.digitisation import pending_documents
from egov.dossiers.permissions import is_desk_of
from egov.dossiers.services.digitisation import (
    PaperDetails,
    dossier_digitise_reject,
    dossier_digitise_verify,
)
from egov.workspace.views.common import dossier_or_404


def _date(raw: str, label: str, code: str) -> dt.date | None:
    raw = raw.strip()[:20]
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise ValidationError(
            _("%(label)s của %(code)s không hợp lệ.") % {"label": label, "code": code}
        ) from None


def paper_details(post: dict[str, str], code: str) -> PaperDetails:
    """The fields the officer confirmed for the document ``code`` (``<field>__<code>``)."""
    kind_code = post.get(f"kind__{code}", "").strip()[:60]
    kind = DocumentKind.objects.filter(code=kind_code).first() if kind_code else None
    if kind_code and kind is None:
        raise ValidationError(_("Loại giấy tờ của %s không hợp lệ.") % code)
    return PaperDetails(
        code=code,
        kind=kind,
        number=post.get(f"number__{code}", "")[:100],
        issuer=post.get(f"issuer__{code}", "")[:255],
        issued_on=_date(post.get(f"issued_on__{code}", ""), _("Ngày cấp"), code),
        expires_on=_date(post.get(f"expires_on__{code}", ""), _("Ngày hết hạn"), code),
    )


@login_required
@require_POST
def dossier_digitise(request: HttpRequest, code: str) -> HttpResponse:
    """``only``: one document's code, or empty for every pending one; ``reject``: the code of
    the document that does not match the original (with ``reason__<code>``)."""
    dossier = dossier_or_404(request, code)
    post = {key: request.POST.get(key, "")[:2000] for key in request.POST}
    try:
        rejected = post.get("reject", "")[:80]
        if rejected:
            document = dossier_digitise_reject(
                actor=request.user,
                dossier=dossier,
                code=rejected,
                reason=post.get(f"reason__{rejected}", ""),
            )
            messages.success(
                request, _("Đã ghi nhận bản số hóa %s không khớp bản chính.") % document.code
            )
            return redirect("workspace:dossier", code=code)
        only = post.get("only", "")[:80]
        codes = [only] if only else [d.code for d in pending_documents(dossier)]
        done = dossier_digitise_verify(
            actor=request.user,
            dossier=dossier,
            papers=[paper_details(post, c) for c in codes],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Đã ký số kết quả số hóa: %s.") % ", ".join(d.code for d in done),
        )
    return redirect("workspace:dossier", code=code)


@dataclass(frozen=True)
class PendingRow:
    """A paper waiting for the desk's check, with its text recognition and the values the
    form starts from: the document's own, or — only after the officer asked for them with
    "Điền theo gợi ý" — what the recognition suggested (never filled by itself)."""

    document: StoreDocument
    ocr: OcrProgress
    number: str
    expires_on: str
    prefilled: bool


def pending_rows(request: HttpRequest, pending: list[StoreDocument]) -> list[PendingRow]:
    asked = request.GET.get("goi_y", "")[:80]
    rows = []
    for document in pending:
        ocr = ocr_progress_of(document)
        suggested = {s.field: s.value for s in ocr.suggestions}
        prefill = asked == document.code and bool(suggested)
        number = document.number or (suggested.get("number", "") if prefill else "")
        expires = document.expires_on.isoformat() if document.expires_on else ""
        if not expires and prefill:
            expires = suggested.get("valid_until", "")
        rows.append(PendingRow(document, ocr, number, expires, prefill))
    return rows


@login_required
def dossier_ocr_progress(request: HttpRequest, code: str, document_code: str) -> HttpResponse:
    """The recognition fragment of one paper waiting for the desk, polled while it runs."""
    dossier = dossier_or_404(request, code)
    if not is_desk_of(request.user, dossier):
        raise Http404
    document = next((d for d in pending_documents(dossier) if d.code == document_code), None)
    if document is None:
        raise Http404
    return render(
        request,
        "datastore/_ocr_progress.html",
        {
            "ocr": ocr_progress_of(document),
            "poll_url": reverse(
                "workspace:dossier_ocr_progress", args=[dossier.code, document.code]
            ),
        },
    )
