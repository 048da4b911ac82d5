"""New outgoing drafts from the built-in composer, an uploaded PDF or a DOCX (converted).

The composer (``egov.core.printing.official``) prints the draft without number and date
(empty form fields there, filled by the văn thư after signing) and tells where ô 7c is; that
box and the printed delegation prefix are recorded with the version (``layout``) for
``outgoing_signing``. An uploaded or converted draft gets the same fields where its page 1
shows the blank "Số:" and date line, before anyone signs (``number_date``); what it got is
recorded with its version too.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from egov.accounts.models import User
from egov.core.printing import official
from egov.core.uploads import discarded_on_failure, max_upload_bytes, store_private
from egov.documents.catalogue import DocumentType, UnitAbbreviation
from egov.documents.errors import TransitionRefused
from egov.documents.models import Confidentiality, OutgoingDocument, OutgoingVersion, Urgency
from egov.documents.notation import build_notation
from egov.documents.number_date import draft_with_fields
from egov.documents.permissions import may_add_version
from egov.documents.selectors import agency_settings_on
from egov.documents.services.outgoing import RecipientInput, outgoing_add_version, outgoing_create
from egov.org.models import Unit

FILE_PREFIX = "documents/outgoing"

# The document types the composer lays out (NĐ 30/2020, Phụ lục I), by catalogue key.
COMPOSER_KINDS: dict[str, official.DocumentKind] = {
    "cong-van": official.DocumentKind.CONG_VAN,
    "quyet-dinh": official.DocumentKind.QUYET_DINH,
    "to-trinh": official.DocumentKind.TO_TRINH,
    "thong-bao": official.DocumentKind.THONG_BAO,
    "bao-cao": official.DocumentKind.BAO_CAO,
    "ke-hoach": official.DocumentKind.KE_HOACH,
    "giay-moi": official.DocumentKind.GIAY_MOI,
}
_URGENCY = {
    Urgency.URGENT: official.Urgency.URGENT,
    Urgency.VERY_URGENT: official.Urgency.VERY_URGENT,
    Urgency.FLASH: official.Urgency.FLASH,
}


@dataclass(frozen=True)
class Composition:
    """What the drafter types in the composer."""

    document_type: DocumentType
    subject: str
    signer: User
    signer_position: str
    delegation: str = ""
    on_behalf_of: str = ""
    addressees: tuple[str, ...] = ()
    body: tuple[str, ...] = ()
    grounds: tuple[str, ...] = ()
    articles: tuple[str, ...] = ()
    authority: str = ""
    recipient_lines: tuple[str, ...] = ()
    unit_abbreviation: UnitAbbreviation | None = None
    urgency: str = Urgency.NORMAL
    confidentiality: str = Confidentiality.NORMAL
    recipients: Sequence[RecipientInput] = field(default_factory=tuple)


_EMAIL = re.compile(r"<([^<>]+)>\s*$")
MAX_RECIPIENTS = 100


def external_recipients(text: str) -> list[RecipientInput]:
    """Outside recipients typed one a line: "Tên cơ quan <thư điện tử>" or just the name.
    ValidationError (translated) for a bad address or a line without a name."""
    found: list[RecipientInput] = []
    for raw in text.splitlines()[: MAX_RECIPIENTS * 2]:
        line = raw.strip()
        if not line:
            continue
        match = _EMAIL.search(line)
        email = match.group(1).strip() if match else ""
        name = line[: match.start()].strip() if match else line
        if email:
            try:
                validate_email(email)
            except ValidationError:
                raise ValidationError(
                    _("Địa chỉ thư điện tử “%(email)s” không hợp lệ.") % {"email": email}
                ) from None
        if not name:
            raise ValidationError(_("Mỗi dòng nơi nhận bên ngoài cần có tên."))
        found.append(RecipientInput(name=name[:200], email=email[:254]))
    return found[:MAX_RECIPIENTS]


def _urgency(value: str) -> official.Urgency | None:
    return _URGENCY.get(Urgency(value))


def _confidentiality(value: str) -> official.Confidentiality | None:
    for level in official.Confidentiality:
        if Confidentiality(value).label.upper() == level.value:
            return level
    return None


def compose(agency: Unit, composition: Composition) -> official.RenderedDocument:
    """The draft PDF of ``composition`` for ``agency`` (no number, no date)."""
    kind = COMPOSER_KINDS.get(composition.document_type.key)
    if kind is None:
        raise TransitionRefused(
            _("Trình soạn thảo chưa hỗ trợ loại “%s”; hãy tải lên tệp PDF hoặc DOCX.")
            % composition.document_type.name
        )
    settings = agency_settings_on(agency)
    if settings is None:
        raise TransitionRefused(
            _("Cơ quan chưa khai báo chữ viết tắt và địa danh (thiết lập văn thư).")
        )
    unit = composition.unit_abbreviation.abbreviation if composition.unit_abbreviation else ""
    if not kind.abbreviation and not unit:
        raise TransitionRefused(
            _("Công văn cần chữ viết tắt của đơn vị soạn thảo hoặc lĩnh vực (ví dụ UBND-VX).")
        )
    delegation = official.Delegation(composition.delegation) if composition.delegation else None
    document = official.OfficialDocument(
        kind=kind,
        issuer=agency.name.upper(),
        parent_agency=agency.parent.name.upper() if agency.parent else "",
        symbol=build_notation(
            type_abbreviation=composition.document_type.abbreviation,
            issuer=settings.abbreviation,
            unit=unit,
        ),
        place=settings.place_name,
        summary=composition.subject.strip(),
        signer=official.Signer(
            position=composition.signer_position.strip().upper(),
            full_name=composition.signer.full_name or composition.signer.get_username(),
            delegation=delegation,
            on_behalf_of=composition.on_behalf_of.strip().upper(),
        ),
        body=composition.body,
        addressees=composition.addressees,
        recipients=composition.recipient_lines,
        archive_units=unit,
        authority=composition.authority.strip().upper(),
        grounds=composition.grounds,
        articles=composition.articles,
        urgency=_urgency(composition.urgency),
        confidentiality=_confidentiality(composition.confidentiality),
    )
    try:
        return official.render(document)
    except official.CompositionError as exc:
        raise TransitionRefused(str(exc)) from exc


def outgoing_compose(
    *, actor: User, agency: Unit, drafting_unit: Unit, composition: Composition
) -> OutgoingDocument:
    """A new draft written with the composer; its PDF is the first version (none for a
    secret document: only its metadata is kept)."""
    if not composition.subject.strip():
        raise TransitionRefused(_("Cần nhập trích yếu."))
    rendered = compose(agency, composition)
    box = rendered.personal_signature
    layout: dict[str, object] = {
        "personal": [box.page + 1, box.x, box.y, box.w, box.h],
        "delegation": composition.delegation,
        "position": composition.signer_position.strip()[:100],
    }
    secret = composition.confidentiality != Confidentiality.NORMAL
    file = None
    if not secret:
        file = store_private(
            io.BytesIO(rendered.pdf),
            original_name="du-thao.pdf",
            prefix=FILE_PREFIX,
            uploaded_by=actor,
        )
    with discarded_on_failure(*([file] if file else [])):
        return outgoing_create(
            actor=actor,
            agency=agency,
            drafting_unit=drafting_unit,
            document_type=composition.document_type,
            subject=composition.subject,
            urgency=composition.urgency,
            confidentiality=composition.confidentiality,
            signer=composition.signer,
            unit_abbreviation=composition.unit_abbreviation,
            page_amount=rendered.page_count,
            file=file,
            recipients=composition.recipients,
            layout=layout if file else None,
        )


def draft_pdf(data: bytes, name: str) -> bytes:
    """An uploaded draft as PDF: a PDF as it is, a DOCX converted by LibreOffice. Raises
    ValidationError (translated) for anything else, a damaged PDF, a file too large, or no
    converter."""
    if len(data) > max_upload_bytes():
        raise ValidationError(_("Tệp “%s” quá lớn.") % name)
    try:
        if data.startswith(b"%PDF-"):
            pdf = data
        elif official.is_docx(data):
            pdf = official.docx_to_pdf(data)
        else:
            raise ValidationError(_("Tệp “%s” không phải PDF hoặc DOCX.") % name)
        official.pdf_page_count(pdf)  # one that cannot be read is refused here, not later
    except official.ConversionError as exc:
        raise ValidationError(str(exc)) from exc
    return pdf


def outgoing_upload(
    *,
    actor: User,
    agency: Unit,
    drafting_unit: Unit,
    document_type: DocumentType,
    subject: str,
    data: bytes,
    name: str,
    signer: User | None,
    unit_abbreviation: UnitAbbreviation | None = None,
    urgency: str = Urgency.NORMAL,
    confidentiality: str = Confidentiality.NORMAL,
    recipients: Sequence[RecipientInput] = (),
) -> OutgoingDocument:
    """A new draft from an uploaded PDF (its content kept as it is) or DOCX (converted to
    PDF), with number and date fields added where page 1 shows the blanks."""
    secret = confidentiality != Confidentiality.NORMAL
    file = None
    page_amount = None
    layout = None
    if not secret:
        pdf, layout = draft_with_fields(draft_pdf(data, name))
        page_amount = official.pdf_page_count(pdf)
        stem = name.rsplit(".", 1)[0] or "du-thao"
        file = store_private(
            io.BytesIO(pdf), original_name=f"{stem}.pdf", prefix=FILE_PREFIX, uploaded_by=actor
        )
    with discarded_on_failure(*([file] if file else [])):
        return outgoing_create(
            actor=actor,
            agency=agency,
            drafting_unit=drafting_unit,
            document_type=document_type,
            subject=subject,
            urgency=urgency,
            confidentiality=confidentiality,
            signer=signer,
            unit_abbreviation=unit_abbreviation,
            page_amount=page_amount,
            file=file,
            recipients=recipients,
            layout=layout,
        )


def outgoing_revise(
    *, actor: User, document: OutgoingDocument, data: bytes, name: str, note: str = ""
) -> OutgoingVersion:
    """A new draft version from an uploaded PDF or DOCX (after a return with comments, say).
    The signature goes where an uploaded file's goes (``outgoing_signing.uploaded_signature_box``);
    a composer draft's number and date fields are kept if the PDF still has them, other files
    get them where page 1 shows the blanks."""
    if not may_add_version(actor, document):
        raise TransitionRefused(
            _("Chỉ người soạn thảo mới được cập nhật dự thảo, và chỉ khi văn bản còn là dự thảo.")
        )
    pdf, layout = draft_with_fields(draft_pdf(data, name))
    stem = name.rsplit(".", 1)[0] or "du-thao"
    file = store_private(
        io.BytesIO(pdf), original_name=f"{stem}.pdf", prefix=FILE_PREFIX, uploaded_by=actor
    )
    with discarded_on_failure(file):
        return outgoing_add_version(
            actor=actor, document=document, file=file, note=note[:500], layout=layout
        )
