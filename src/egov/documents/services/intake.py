"""Intake of an incoming document's file (NĐ 30/2020/NĐ-CP, Điều 21): a scanned PDF or an
uploaded file (PDF as it is; DOCX converted to PDF with LibreOffice), its signatures verified
on receipt and the verdict kept with the document; secret documents keep metadata only."""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.actors import Actor, person
from egov.core.models import StoredFile
from egov.core.printing.official import docx_to_pdf, is_docx
from egov.core.printing.official.convert import ConversionError
from egov.core.uploads import discarded_on_failure, max_upload_bytes, store_private
from egov.documents.catalogue import Confidentiality
from egov.documents.errors import TransitionForbidden, TransitionRefused
from egov.documents.models import IncomingDocument
from egov.documents.notation import format_number, parse_code
from egov.documents.permissions import may_register_incoming
from egov.documents.services.incoming import incoming_receive
from egov.documents.services.outgoing import refuse_secret_file
from egov.org.models import Unit
from egov.signing.verification import Verification, verify_pdf

PREFIX = "documents/incoming"


class IntakeFileRefused(TransitionRefused):
    """The file cannot be taken in: not a PDF or a DOCX, empty, too large, or not convertible."""


def verdict_record(verification: Verification) -> dict[str, Any]:
    """What ``IncomingDocument.signature_verdict`` keeps: the document's verdict and message,
    the moment of the check and, per signature, the signer, verdict, message and time."""
    return {
        "verdict": verification.verdict.value,
        "message": str(verification.message),
        "checked_at": timezone.now().isoformat(),
        "signatures": [
            {
                "field": report.field_name,
                "signer": report.signer_name,
                "organisation": report.signer_organisation,
                "verdict": report.verdict.value,
                "message": str(report.message),
                "time": report.signing_time.isoformat() if report.signing_time else None,
                "timestamped": report.timestamp is not None and report.timestamp.valid,
                "modified_after": report.modified_after,
            }
            for report in verification.signatures
        ],
    }


def verify_file(data: bytes) -> dict[str, Any]:
    """The signatures of ``data`` verified now, as a stored verdict."""
    return verdict_record(verify_pdf(data))


def pdf_from_upload(data: bytes, original_name: str) -> tuple[bytes, str]:
    """The PDF to keep for an upload: a PDF as it is, a DOCX converted with LibreOffice
    (``ConverterUnavailable``'s message when it is not installed); anything else refused."""
    if not data:
        raise IntakeFileRefused(_("Tệp “%s” rỗng.") % (original_name or _("tệp")))
    if len(data) > max_upload_bytes():
        raise IntakeFileRefused(
            _("Tệp “%(name)s” lớn hơn %(mb)d MB.")
            % {"name": original_name or _("tệp"), "mb": settings.EGOV_UPLOAD_MAX_MB}
        )
    if data.startswith(b"%PDF-"):
        return data, original_name or "van-ban-den.pdf"
    if is_docx(data):
        try:
            pdf = docx_to_pdf(data)
        except ConversionError as exc:
            raise IntakeFileRefused(str(exc)) from None
        stem = original_name.rsplit(".", 1)[0] if original_name else "van-ban-den"
        return pdf, f"{stem}.pdf"
    raise IntakeFileRefused(
        _("Tệp “%s” không phải PDF hoặc DOCX; văn bản đến nhận tệp PDF (hoặc DOCX để chuyển).")
        % (original_name or _("tệp"))
    )


def incoming_receive_with_file(
    *,
    actor: Actor,
    agency: Unit,
    data: bytes | None,
    original_name: str = "",
    confidentiality: str = Confidentiality.NORMAL,
    **fields: Any,
) -> IncomingDocument:
    """``incoming_receive`` with the file's bytes: a secret document's file is refused before
    anything is stored; otherwise the file is converted if needed, stored, its signatures
    verified, and the document received with the verdict. The stored file is discarded when
    the receipt fails."""
    if not may_register_incoming(actor, agency):
        raise TransitionForbidden(_("Chỉ văn thư của cơ quan mới được tiếp nhận văn bản đến."))
    if data is not None and confidentiality != Confidentiality.NORMAL:
        # Nothing of a secret document's content is written, not even for a moment.
        refuse_secret_file(confidentiality, StoredFile())
    if data is None:
        return incoming_receive(
            actor=actor, agency=agency, confidentiality=confidentiality, **fields
        )
    pdf, name = pdf_from_upload(data, original_name)
    verdict = verify_file(pdf)
    try:
        stored = store_private(
            io.BytesIO(pdf), original_name=name, prefix=PREFIX, uploaded_by=person(actor)
        )
    except ValidationError as exc:
        raise IntakeFileRefused(" ".join(exc.messages)) from None
    with discarded_on_failure(stored), transaction.atomic():
        return incoming_receive(
            actor=actor,
            agency=agency,
            confidentiality=confidentiality,
            file=stored,
            signature_verdict=verdict,
            **fields,
        )


def read_typed_code(text: str, *, accept_problems: bool = False) -> tuple[str, str, list[str]]:
    """(số, ký hiệu, problems) of a typed-in code (``notation.parse_code``). Empty text: no
    code. A code that cannot be read always has problems; one with mistakes of form only
    (as printed on the sender's document) is kept when ``accept_problems``."""
    if not text.strip():
        return "", "", []
    parsed, problems = parse_code(text)
    if parsed is None:
        return "", "", problems
    if problems and not accept_problems:
        return "", "", problems
    return format_number(parsed.number), parsed.notation, []
