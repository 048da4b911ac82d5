"""Signing the "kết quả số hóa" of a paper checked against its original.

TT 01/2023/TT-VPCP Điều 8: the person who digitised the paper signs the result with their
**personal** digital signature. An officer without a personal signing method (production without
a remote signing service or a token for them: ``signing.signers.personal_signing_method`` says
so) gets the receiving unit's agency certificate instead, as e-results do
(``dossiers.eresults``) — chưa xác nhận whether a province accepts the agency's signature here;
the store document records who signed.

The scan or upload is made a PDF first (images at their real size, ``core.printing.scan``) and
signed at PAdES B-LT with the NĐ 30/2020 text stamp at the top right of page 1: the digitisation
code, who signed, and the time. The signed file is verified once (``signing.verification``); a
signature that cannot be made or does not verify raises ValidationError (code
``signing_failed``) and nothing is stored — never an unsigned "valid" document.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from pyhanko.sign.signers import Signer

from egov.accounts.actors import Actor, person
from egov.core.printing.scan import NotAnImage, image_to_pdf
from egov.core.uploads import open_private
from egov.datastore.models import StoreDocument
from egov.org.models import Unit
from egov.signing.services import SigningError, sign_text_stamp
from egov.signing.signers import agency_signer_for, personal_signer_for, personal_signing_method
from egov.signing.verification import Verdict, verify_pdf

DIGITISED_FIELD = "SigSoHoa"
# A signature that verifies, or whose revocation alone could not be checked yet.
ACCEPTED_VERDICTS = frozenset({Verdict.VALID, Verdict.INDETERMINATE})
SIGNING_FAILED = "signing_failed"


@dataclass(frozen=True)
class SignedDigitisation:
    data: bytes
    verdict: str
    signer: str
    personal: bool


def _failed(document: StoreDocument, reason: str) -> ValidationError:
    return ValidationError(
        _("Chưa ký số được kết quả số hóa %(code)s nên giấy tờ vẫn chờ đối chiếu: %(reason)s")
        % {"code": document.code, "reason": reason},
        code=SIGNING_FAILED,
    )


def _pdf_of(document: StoreDocument) -> bytes:
    try:
        with open_private(document.file.key) as stream:
            data = stream.read()
    except OSError:
        raise _failed(document, _("không đọc được tệp đã lưu; hãy tải lại bản số hóa.")) from None
    if document.file.content_type == "application/pdf":
        return data
    try:
        return image_to_pdf(data, title=document.code)
    except NotAnImage:
        raise _failed(document, _("không đọc được ảnh để chuyển thành PDF.")) from None


def _signer(actor: Actor, document: StoreDocument, unit: Unit) -> tuple[Signer, str, bool]:
    """The officer's personal signer when they have a signing method, else the unit's."""
    user = person(actor)
    if user is not None:
        try:
            personal_signing_method(user)
        except SigningError:
            pass  # no personal method: the agency signs (module docstring)
        else:
            try:
                return personal_signer_for(user), f"{user}, {unit.name}", True
            except SigningError as exc:
                raise _failed(document, exc.message) from None
    try:
        return agency_signer_for(unit), unit.name, False
    except ImproperlyConfigured:
        raise _failed(
            document, _("chưa cấu hình chứng thư số của %s. Báo quản trị hệ thống.") % unit.name
        ) from None


def sign_digitised(*, actor: Actor, document: StoreDocument, unit: Unit) -> SignedDigitisation:
    data = _pdf_of(document)
    signer, shown, personal = _signer(actor, document, unit)
    try:
        signed = sign_text_stamp(
            data,
            signer=signer,
            heading=document.code,
            agency=shown,
            detail=_("Kết quả số hóa, đã đối chiếu bản chính"),
            when=timezone.now(),
            field_name=DIGITISED_FIELD,
        )
    except SigningError as exc:
        raise _failed(document, exc.message) from None
    verification = verify_pdf(signed)
    if verification.verdict not in ACCEPTED_VERDICTS:
        raise _failed(document, verification.message)
    last = verification.signatures[-1] if verification.signatures else None
    name = (last.signer_name or last.signer_organisation) if last is not None else shown
    return SignedDigitisation(
        data=signed, verdict=verification.verdict, signer=name, personal=personal
    )
