"""Signing, numbering and issuing an outgoing document: the files of the later steps.

- ``outgoing_sign``: the signer's personal signature at ô 7c of the latest draft
  (``egov.signing.services.sign_personal`` with ``signers.personal_signer_for``), stored as the
  ``personal_signed`` version by the ``sign`` transition. ``outgoing_sign_many`` signs several,
  each on its own (one failure does not undo the others). Its steps (``signing_terms``,
  ``draft_to_sign``, ``record_personal_signature``) are shared with remote signing
  (``outgoing_remote_signing``), where a background task waits for the signer's phone; a
  remote signer is refused here, where a web request would wait.
- ``outgoing_register_and_seal``: the văn thư takes the number (``register``), writes number
  and date into the signed PDF by filling its form fields (the personal signature stays valid,
  ``egov.signing.fill``), then adds the agency's signature with the seal over the left third of
  the personal one (``agency_sign``). NĐ 30/2020/NĐ-CP, Điều 15 (number and date after
  signing), Điều 32.2.d (the agency signs after the competent person).
- ``outgoing_issue``: the ``issue`` transition (internal recipients get an incoming document)
  and an e-mail to each outside recipient with an address.

Where the signature goes: the draft made by the composer records its ô 7c box in the event of
its version (``layout``); an uploaded PDF gets the default box of ``default_signature_box``
(last page, right column), stated on the signing page.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader

from egov.accounts.models import User
from egov.core.models import StoredFile
from egov.core.printing.official.signature_block import find_signature_spot
from egov.core.uploads import discarded_on_failure, open_private, store_private
from egov.documents.actions import OutgoingAction
from egov.documents.errors import StaleRevision, TransitionRefused
from egov.documents.models import (
    OutgoingDocument,
    RecipientKind,
    VersionKind,
)
from egov.documents.notation import format_number
from egov.documents.number_date import write_number_and_date
from egov.documents.permissions import outgoing_refused
from egov.documents.selectors_outgoing import draft_layouts
from egov.documents.services.outgoing import outgoing_transition, stale_revision
from egov.notifications.services import Recipient, notification_enqueue
from egov.signing.services import (
    PERSONAL_FIELD,
    Box,
    SigningError,
    sign_agency,
    sign_personal,
    signature_field_box,
)
from egov.signing.signers import (
    agency_signer_for,
    personal_signer_for,
    personal_signing_method,
)

# ô 7c of an uploaded PDF is looked for between the signer's position and name on the last page
# (``official.signature_block``). Where the file does not show them (a scan, another layout):
# on the last page, right half, 60 x 25 mm, its bottom edge 80 mm above the bottom of the page
# — where the signature block of an A4 document usually ends up. The drafter is told on the
# page; a composer draft knows its exact box.
DEFAULT_BOX_WIDTH = 60 / 25.4 * 72
DEFAULT_BOX_HEIGHT = 25 / 25.4 * 72
DEFAULT_BOX_BOTTOM = 80 / 25.4 * 72
FILE_PREFIX = "documents/outgoing"


def _read(file: StoredFile) -> bytes:
    with open_private(file.key) as stream:
        return stream.read()


def latest_version_file(document: OutgoingDocument, kind: str) -> StoredFile | None:
    version = document.versions.filter(kind=kind).order_by("-number").select_related("file").first()
    return version.file if version else None


def _layout(document: OutgoingDocument) -> dict[str, object]:
    """The composer's layout recorded with the latest draft version (empty for uploads)."""
    return draft_layouts([document])[document.pk]


def uploaded_signature_box(document: OutgoingDocument, data: bytes) -> Box:
    """ô 7c of an uploaded PDF: between the signer's position and name where the last page
    shows them, else the default box (see DEFAULT_BOX_*)."""
    spot = find_signature_spot(
        data, names=[document.signer_full_name], positions=[document.signer_position]
    )
    if spot is not None:
        return Box(page=spot.page, x=spot.x, y=spot.y, width=spot.width, height=spot.height)
    return default_signature_box(data)


def default_signature_box(data: bytes) -> Box:
    """The default ô 7c of an uploaded PDF (see DEFAULT_BOX_*)."""
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        node = reader.root["/Pages"]
        count = int(node["/Count"])
        media = node.get("/MediaBox")
        while node.get("/Type") != "/Page":  # down the page tree to the last page
            node = node["/Kids"][-1]
            media = node.get("/MediaBox", media)
        x1, _y1, x2, _y2 = (float(v) for v in media)
    except (PdfError, ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
        raise SigningError(_("Tài liệu PDF bị hỏng, không ký được.")) from exc
    width = x2 - x1
    return Box(
        page=count,
        x=x1 + width * 0.75 - DEFAULT_BOX_WIDTH / 2,
        y=DEFAULT_BOX_BOTTOM,
        width=DEFAULT_BOX_WIDTH,
        height=DEFAULT_BOX_HEIGHT,
    )


def signature_box(document: OutgoingDocument, data: bytes) -> Box:
    """Where the personal signature of ``document`` goes (the composer's box, or the default)."""
    personal = _layout(document).get("personal")
    if isinstance(personal, list) and len(personal) == 5:
        page, x, y, w, h = personal
        return Box(page=int(page), x=float(x), y=float(y), width=float(w), height=float(h))
    return uploaded_signature_box(document, data)


def _store(data: bytes, name: str, actor: User) -> StoredFile:
    return store_private(
        io.BytesIO(data), original_name=name, prefix=FILE_PREFIX, uploaded_by=actor
    )


def _check(actor: User, document: OutgoingDocument, action: str, revision: int | None) -> None:
    """Refuse before the slow part (signing) what the transition would refuse after it."""
    if revision is not None and revision != document.revision:
        raise stale_revision()
    refused = outgoing_refused(actor, document, action)
    if refused is not None:
        raise refused


@dataclass(frozen=True)
class SignTerms:
    """Thẩm quyền ký and chức vụ as the signature records them."""

    delegation: str
    position: str


def signing_terms(
    *,
    actor: User,
    document: OutgoingDocument,
    delegation: str | None,
    signer_position: str,
    expected_revision: int | None,
) -> SignTerms:
    """Check that ``actor`` may sign ``document`` now and settle the terms: ``delegation``
    None means as printed on the draft (none for an uploaded file). A composer draft printed
    its delegation prefix already: another one is refused (return the draft to fix it)."""
    _check(actor, document, OutgoingAction.SIGN, expected_revision)
    printed = _layout(document).get("delegation")
    if delegation is None:
        delegation = printed if isinstance(printed, str) else ""
    if isinstance(printed, str) and printed != delegation:
        raise TransitionRefused(
            _(
                "Dự thảo đã in thẩm quyền ký “%(printed)s”; muốn ký với thẩm quyền khác, hãy "
                "trả lại dự thảo để sửa."
            )
            % {"printed": printed or _("ký trực tiếp")}
        )
    position = signer_position or str(_layout(document).get("position") or "")
    return SignTerms(delegation, position)


def draft_to_sign(document: OutgoingDocument) -> tuple[bytes, Box]:
    """The latest draft's bytes and where the personal signature goes on it."""
    draft = latest_version_file(document, VersionKind.DRAFT)
    if draft is None:
        raise TransitionRefused(_("Văn bản chưa có tệp dự thảo để ký."))
    data = _read(draft)
    return data, signature_box(document, data)


def record_personal_signature(
    *,
    actor: User,
    document: OutgoingDocument,
    signed: bytes,
    terms: SignTerms,
    expected_revision: int | None,
) -> OutgoingDocument:
    """Store the PDF the signer signed and apply the ``sign`` transition with it."""
    file = _store(signed, f"van-ban-{document.pk}-da-ky.pdf", actor)
    with discarded_on_failure(file), transaction.atomic():
        return outgoing_transition(
            actor=actor,
            document=document,
            action=OutgoingAction.SIGN,
            file=file,
            delegation=terms.delegation,
            signer_position=terms.position,
            expected_revision=expected_revision,
        )


def signs_remotely(user: User) -> bool:
    """Whether ``user`` signs through the remote signing service (a phone confirmation the
    web request must not wait for: ``services.outgoing_remote_signing``)."""
    try:
        return personal_signing_method(user).remote
    except SigningError:  # said again, to the user, by the signing step itself
        return False


def outgoing_sign(
    *,
    actor: User,
    document: OutgoingDocument,
    delegation: str | None = None,
    signer_position: str = "",
    expected_revision: int | None = None,
) -> OutgoingDocument:
    """The signer approves and signs ``document`` (NĐ 30/2020, Điều 13); see
    ``signing_terms`` for ``delegation``. A signer who signs remotely is refused here (the
    confirmation on the phone goes through a remote signing request instead).
    Raises TransitionRefused, StaleRevision or SigningError (all translated)."""
    terms = signing_terms(
        actor=actor,
        document=document,
        delegation=delegation,
        signer_position=signer_position,
        expected_revision=expected_revision,
    )
    if document.is_secret:
        return outgoing_transition(
            actor=actor,
            document=document,
            action=OutgoingAction.SIGN,
            delegation=terms.delegation,
            signer_position=terms.position,
            expected_revision=expected_revision,
        )
    if signs_remotely(actor):
        raise SigningError(
            _(
                "Bạn ký số từ xa, xác nhận trên điện thoại: hãy ký từ trang “Văn bản chờ tôi "
                "ký” hoặc gửi yêu cầu ký số từ xa."
            )
        )
    data, box = draft_to_sign(document)
    signed = sign_personal(data, signer=personal_signer_for(actor), box=box)
    return record_personal_signature(
        actor=actor,
        document=document,
        signed=signed,
        terms=terms,
        expected_revision=expected_revision,
    )


@dataclass(frozen=True)
class SignOutcome:
    document: OutgoingDocument
    ok: bool
    message: str


def outgoing_sign_many(
    *,
    actor: User,
    documents: list[tuple[OutgoingDocument, int | None]],
    delegation: str | None = None,
    signer_position: str = "",
) -> list[SignOutcome]:
    """Sign several documents in one step (the leader's queue): each on its own, in the
    order given; a refusal or failure is reported for that document and the others go on."""
    outcomes: list[SignOutcome] = []
    for document, revision in documents:
        try:
            outgoing_sign(
                actor=actor,
                document=document,
                delegation=delegation,
                signer_position=signer_position,
                expected_revision=revision,
            )
        except (TransitionRefused, StaleRevision) as exc:
            outcomes.append(SignOutcome(document, False, str(exc)))
        except SigningError as exc:
            outcomes.append(SignOutcome(document, False, exc.message))
        else:
            outcomes.append(SignOutcome(document, True, _("Đã ký số.")))
    return outcomes


def outgoing_agency_seal(
    *, actor: User, document: OutgoingDocument, expected_revision: int | None = None
) -> OutgoingDocument:
    """Write the number and date into the signed PDF (its form fields: the composer's, or
    those given to an uploaded draft, ``number_date``) and add the agency's signature with the
    seal (``agency_sign``)."""
    _check(actor, document, OutgoingAction.AGENCY_SIGN, expected_revision)
    if document.is_secret:
        return outgoing_transition(
            actor=actor,
            document=document,
            action=OutgoingAction.AGENCY_SIGN,
            expected_revision=expected_revision,
        )
    personal = latest_version_file(document, VersionKind.PERSONAL_SIGNED)
    if personal is None:
        raise TransitionRefused(_("Văn bản chưa có bản đã ký số của người có thẩm quyền."))
    data = write_number_and_date(document, _read(personal), _layout(document))
    sealed = sign_agency(
        data,
        signer=agency_signer_for(document.agency),
        # The seal goes over the personal signature where it was drawn.
        personal_box=signature_field_box(data, PERSONAL_FIELD) or signature_box(document, data),
    )
    file = _store(sealed, f"{document.code_number or document.pk}-{document.pk}.pdf", actor)
    with discarded_on_failure(file), transaction.atomic():
        return outgoing_transition(
            actor=actor,
            document=document,
            action=OutgoingAction.AGENCY_SIGN,
            file=file,
            expected_revision=expected_revision,
        )


def outgoing_register_and_seal(
    *,
    actor: User,
    document: OutgoingDocument,
    expected_revision: int | None = None,
    issued_date: dt.date | None = None,
) -> OutgoingDocument:
    """Register (number, ký hiệu, date) then seal. If sealing fails, the document stays
    registered with its number and the văn thư seals it again (``outgoing_agency_seal``)."""
    _check(actor, document, OutgoingAction.REGISTER, expected_revision)
    document = outgoing_transition(
        actor=actor,
        document=document,
        action=OutgoingAction.REGISTER,
        expected_revision=expected_revision,
        issued_date=issued_date,
    )
    return outgoing_agency_seal(actor=actor, document=document, expected_revision=document.revision)


@transaction.atomic
def outgoing_issue(
    *, actor: User, document: OutgoingDocument, expected_revision: int | None = None
) -> OutgoingDocument:
    """Issue (NĐ 30/2020, Điều 18): internal recipients receive it as incoming (the
    transition); each outside recipient with an e-mail address gets a notice through the
    outbox with the number, the subject and the fingerprint of the signed file (the file
    itself travels by the inter-agency exchange, next issue)."""
    document = outgoing_transition(
        actor=actor,
        document=document,
        action=OutgoingAction.ISSUE,
        expected_revision=expected_revision,
    )
    signed = latest_version_file(document, VersionKind.AGENCY_SIGNED)
    for recipient in document.recipients.filter(kind=RecipientKind.EXTERNAL).exclude(email=""):
        notification_enqueue(
            event="document_issued",
            reference=f"outgoing:{document.pk}",
            recipient=Recipient(email=recipient.email),
            context={
                "recipient": recipient.name,
                "agency": document.agency.name,
                "number": f"{format_number(document.code_number or 0)}/{document.code_notation}",
                "date": document.issued_date.strftime("%d/%m/%Y") if document.issued_date else "",
                "subject": document.subject,
                "sha256": signed.sha256 if signed else "",
                "verify_path": "/xac-thuc-van-ban/",
                "secret": document.is_secret,
            },
            unit=document.agency,
        )
    return document


__all__ = [
    "SignOutcome",
    "SignTerms",
    "default_signature_box",
    "draft_to_sign",
    "outgoing_agency_seal",
    "outgoing_issue",
    "outgoing_register_and_seal",
    "outgoing_sign",
    "outgoing_sign_many",
    "record_personal_signature",
    "signature_box",
    "signing_terms",
    "signs_remotely",
]
