"""E-results carry the competent agency's digital signature, and say so to the applicant.

NĐ 45/2020/NĐ-CP Điều 14 khoản 3 (as amended by NĐ 118/2025/NĐ-CP, which takes over from
NĐ 61/2018 and NĐ 107/2021 on the one-stop mechanism — chưa xác nhận which of its articles
restate this): an electronic result has the same legal value as the paper one only if it carries
the **competent agency's digital signature** and keeps its integrity. So every result file
(``<dossier code>-KQ<n>``) is signed with the agency certificate of the competent unit
(``signing.signers.agency_signer_for``) at PAdES B-LT before it is stored: an RFC 3161
timestamp and the chain's revocation data, so it still verifies after the certificate expires.

Appearance (decided here; chưa xác nhận for e-results): no seal image, the NĐ 30 text stamp at
the top right of page 1 — the result code, the agency, the signing time in ISO 8601 with
+07:00 — as NĐ 30/2020/NĐ-CP Phụ lục I (II.8, Phần II.I.3) prescribes for the agency's signature
on electronic copies and separate attachments. NĐ 45/2020 fixes who signs, not where; a seal
image placed on an uploaded file's last page could cover its content, the stamp does not.

Uploads that are not PDFs: a JPEG/PNG scan of the signed paper result is digitised into a
one-page PDF at its real size (``core.printing.scan``) and that PDF is signed — a province's
desk scans paper results as images as often as PDFs, and an unsigned image is not a valid
e-result (chưa xác nhận whether a province would rather refuse images; refusing is one line
here). Anything else is refused by the upload rules (PDF, JPEG, PNG only).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.core.printing.scan import NotAnImage, image_to_pdf
from egov.core.uploads import ACCEPTED_LABEL, max_upload_bytes, sniff
from egov.dossiers.models import Dossier, DossierFile
from egov.org.models import Unit
from egov.signing.services import SigningError, sign_text_stamp
from egov.signing.signers import agency_signer_for
from egov.signing.verification import Verdict, verdict_message, verify_pdf

RESULT_FIELD = "SigKetQua"


def result_agency(dossier: Dossier) -> Unit:
    """The agency whose certificate signs the result: the procedure's competent unit (cơ quan
    có thẩm quyền), else the unit the dossier was handed to, else the receiving unit."""
    unit = (
        dossier.procedure_version.competent_unit or dossier.handling_unit or dossier.receiving_unit
    )
    return unit


@dataclass(frozen=True)
class SignedResult:
    data: bytes
    name: str  # what the applicant downloads: the upload's name, ``.pdf`` for a scan
    # Verified right after signing (verify_pdf, ~60-190 ms: too slow for every page view).
    verdict: str
    agency: str


def _read(upload: IO[bytes], original_name: str) -> tuple[bytes, str]:
    """The upload's bytes and type, checked like every upload (``core.uploads``)."""
    label = original_name[:255] or _("tệp")
    upload.seek(0)
    data = upload.read(max_upload_bytes() + 1)
    if not data:
        raise ValidationError(_("Tệp “%s” rỗng.") % label)
    sniffed = sniff(data[:16])
    if sniffed is None:
        raise ValidationError(
            _("Tệp “%(name)s” không đúng định dạng cho phép (%(types)s).")
            % {"name": label, "types": ACCEPTED_LABEL}
        )
    if len(data) > max_upload_bytes():
        raise ValidationError(
            _("Tệp “%(name)s” lớn hơn %(mb)d MB.")
            % {"name": label, "mb": settings.EGOV_UPLOAD_MAX_MB}
        )
    return data, sniffed[0]


def sign_result(
    *, dossier: Dossier, upload: IO[bytes], original_name: str, code: str
) -> SignedResult:
    """The result file as the applicant will get it: a PDF signed by the competent agency.
    Raises ValidationError (Vietnamese, for the officer) when the file is refused or the
    signature cannot be made; nothing is stored here."""
    data, content_type = _read(upload, original_name)
    name = original_name[:255] or f"{code}.pdf"
    if content_type != "application/pdf":
        try:
            data = image_to_pdf(data, title=code)
        except NotAnImage:
            raise ValidationError(
                _("Không đọc được ảnh “%s” để chuyển thành PDF.") % name[:255]
            ) from None
        stem = name.rsplit(".", 1)[0] if "." in name else name
        name = f"{stem[:250]}.pdf"
    unit = result_agency(dossier)
    try:
        signed = sign_text_stamp(
            data,
            signer=agency_signer_for(unit),
            heading=code,
            agency=unit.name,
            when=timezone.now(),
            field_name=RESULT_FIELD,
        )
    except SigningError as exc:
        raise ValidationError(
            _("Chưa ký số được kết quả nên hồ sơ chưa được phê duyệt: %s Vui lòng thử lại.")
            % exc.message
        ) from None
    except ImproperlyConfigured:
        raise ValidationError(
            _(
                "Chưa cấu hình chứng thư số của %s nên không ký được kết quả; hồ sơ chưa được "
                "phê duyệt. Báo quản trị hệ thống."
            )
            % unit.name
        ) from None
    verification = verify_pdf(signed)
    last = verification.signatures[-1] if verification.signatures else None
    agency = (last.signer_organisation or last.signer_name) if last is not None else ""
    return SignedResult(data=signed, name=name, verdict=verification.verdict, agency=agency)


@dataclass(frozen=True)
class ResultSignature:
    valid: bool
    message: str


def result_signature(result: DossierFile) -> ResultSignature:
    """What the applicant's page says about a result's signature: the verdict recorded when
    the agency signed it (B-LT keeps it checkable later; anyone re-checks the file itself at
    /xac-thuc-van-ban/)."""
    if result.signature_verdict == Verdict.VALID:
        return ResultSignature(
            valid=True,
            message=_("Kết quả điện tử có chữ ký số hợp lệ của %s.") % result.signature_agency,
        )
    if not result.signature_verdict:
        return ResultSignature(valid=False, message=_("Kết quả điện tử này chưa được ký số."))
    verdict = Verdict(result.signature_verdict)
    return ResultSignature(
        valid=False,
        # Two sentences: the verdict's message has a colon of its own ("Chưa xác định: …").
        message=_("Chữ ký số trên kết quả điện tử chưa hợp lệ. %s") % verdict_message(verdict),
    )
