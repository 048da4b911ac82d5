"""Making electronic copies: sao y, sao lục, trích sao (NĐ 30/2020/NĐ-CP, Điều 25-27).

``make_copy`` takes one source — an incoming document, an outgoing document of the agency, an
electronic copy already made, or a digitised paper document (``PaperScan``) — checks what the
decree allows, numbers the copy in the agency's one copy series (its own số and ký hiệu, e.g.
``05/SY-UBND``), then applies the agency's digital signature: no image, a text stamp at the
top right of page 1 with the copy's form, the agency and the signing time (Phụ lục I, Phần
II.I.3; ``signing.services.sign_text_stamp``, PAdES B-LT).

- Who: the văn thư of the agency only (Điều 32.2.c-d; ``permissions.may_make_copies``).
- Documents marked Mật, Tối mật or Tuyệt mật are refused: their content is not kept on a
  networked system (metadata only), and copying them follows the law on state secrets
  (Điều 27.2).
- Sao y copies a bản gốc or bản chính (Điều 25.1): not a copy; a copy of a copy is a sao lục.
- Sao lục is made from a bản sao y (Điều 25.2.b): an electronic sao y made here, an incoming
  document registered as a bản sao y (SY) of another agency, or a digitised paper sao y.
- The source's PDF is taken as it is for sao y and sao lục (its own signatures stay valid;
  the agency's signature is added as an incremental update); for trích sao only the chosen
  pages, which the source's signatures do not cover (``printing.pages``).
- Sao y and sao lục of an electronic source: see ``EGOV_DOCUMENT_COPY_FROM_ELECTRONIC``.

Numbering and signing are two steps, as for outgoing documents: the number is taken and the
copy stored in one transaction, the signature is made after it. If the signature fails (e.g.
the timestamp service is down) the copy keeps its number, waits as ``numbered`` and the văn
thư signs it again with ``sign_copy`` — no number is lost or given twice.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.actors import Actor
from egov.accounts.models import User
from egov.core.models import StoredFile
from egov.core.uploads import discard_stored, discarded_on_failure, open_private, store_private
from egov.documents.actions import CopyAction
from egov.documents.catalogue import SECRET_LEVELS, Confidentiality, DocumentType
from egov.documents.copies import COPY_TYPE_KEYS, CopyForm, CopySource, CopyStatus
from egov.documents.errors import CopyForbidden, CopyNotSigned, CopyRefused, CopyStateConflict
from egov.documents.events import record_event
from egov.documents.models import (
    CopyEvent,
    ElectronicCopy,
    IncomingDocument,
    IncomingSource,
    IncomingStatus,
    OutgoingDocument,
    OutgoingStatus,
    VersionKind,
)
from egov.documents.notation import build_notation, number_line
from egov.documents.permissions import may_make_copies
from egov.documents.printing.pages import (
    PagesError,
    extract_pages,
    format_pages,
    is_old_pdf,
    page_count,
    parse_pages,
)
from egov.documents.selectors import agency_settings_on, document_type
from egov.documents.series import COPY_REGISTER, take_copy_number
from egov.documents.services.outgoing import check_text_lengths
from egov.documents.services.outgoing_signing import latest_version_file
from egov.org.models import Unit
from egov.signing.services import SigningError, sign_text_stamp
from egov.signing.signers import agency_signer_for

FILE_PREFIX = "documents/copies"
# Incoming documents a copy may be made of: registered ones (Điều 22: an unregistered
# document is not yet the agency's).
COPYABLE_INCOMING = frozenset(
    {IncomingStatus.REGISTERED, IncomingStatus.DISTRIBUTED, IncomingStatus.COMPLETED}
)
# Outgoing documents: once they carry the agency's signature (the bản gốc, Điều 17-18).
COPYABLE_OUTGOING = frozenset({OutgoingStatus.AGENCY_SIGNED, OutgoingStatus.ISSUED})
# Incoming documents whose file is the digitisation of a paper received.
PAPER_SOURCES = frozenset({IncomingSource.SCAN, IncomingSource.PAPER})
SAO_Y_KEY = COPY_TYPE_KEYS[CopyForm.SAO_Y]


@dataclass(frozen=True)
class PaperScan:
    """A paper document digitised for a paper → electronic copy (Điều 25.1.c, 25.2.a, 25.3.a):
    the PDF, what the paper is (type, số, ký hiệu, date, issuer), and whether the paper is
    itself a bản sao y (then a sao lục may be made of it)."""

    agency: Unit
    data: bytes
    name: str
    description: str
    is_sao_y: bool = False
    confidentiality: str = Confidentiality.NORMAL


@dataclass(frozen=True)
class _Source:
    kind: str
    agency: Unit
    electronic: bool
    is_copy: bool
    is_sao_y: bool
    incoming: IncomingDocument | None = None
    outgoing: OutgoingDocument | None = None
    copy: ElectronicCopy | None = None
    file: StoredFile | None = None
    paper: PaperScan | None = None


def _secret() -> CopyRefused:
    return CopyRefused(
        _(
            "Văn bản có độ mật (Mật, Tối mật, Tuyệt mật) không được sao trên hệ thống: hệ thống "
            "chỉ quản lý thông tin của văn bản mật; việc sao văn bản mật theo quy định về bảo vệ "
            "bí mật nhà nước."
        )
    )


def _incoming_source(document: IncomingDocument) -> _Source:
    if document.is_secret:
        raise _secret()
    if document.status not in COPYABLE_INCOMING:
        raise CopyRefused(_("Chỉ sao được văn bản đến đã vào sổ."))
    if document.file is None:
        raise CopyRefused(
            _(
                "Văn bản đến này là văn bản giấy chưa có bản số hóa trên hệ thống; hãy sao từ "
                "bản số hóa văn bản giấy."
            )
        )
    kind = document.document_type
    return _Source(
        kind=CopySource.INCOMING,
        agency=document.agency,
        electronic=document.source not in PAPER_SOURCES,
        is_copy=kind is not None and kind.is_copy,
        is_sao_y=kind is not None and kind.key == SAO_Y_KEY,
        incoming=document,
        file=document.file,
    )


def _outgoing_source(document: OutgoingDocument) -> _Source:
    if document.is_secret:
        raise _secret()
    file = latest_version_file(document, VersionKind.AGENCY_SIGNED)
    if document.status not in COPYABLE_OUTGOING or file is None:
        raise CopyRefused(_("Chỉ sao được văn bản đi đã có chữ ký số của cơ quan."))
    return _Source(
        kind=CopySource.OUTGOING,
        agency=document.agency,
        electronic=True,
        is_copy=document.document_type.is_copy,
        is_sao_y=document.document_type.key == SAO_Y_KEY,
        outgoing=document,
        file=file,
    )


def _copy_source(copy: ElectronicCopy) -> _Source:
    if copy.status != CopyStatus.SIGNED or copy.file is None:
        raise CopyRefused(_("Bản sao này chưa được ký số nên chưa sao lại được."))
    return _Source(
        kind=CopySource.COPY,
        agency=copy.agency,
        electronic=True,
        is_copy=True,
        is_sao_y=copy.form == CopyForm.SAO_Y,
        incoming=copy.incoming,
        outgoing=copy.outgoing,
        copy=copy,
        file=copy.file,
    )


def _paper_source(paper: PaperScan) -> _Source:
    if paper.confidentiality in SECRET_LEVELS:
        raise _secret()
    if paper.confidentiality not in Confidentiality.values:
        raise CopyRefused(_("Độ mật không hợp lệ."))
    if not paper.description.strip():
        raise CopyRefused(
            _(
                "Hãy ghi văn bản giấy được sao: tên loại, số, ký hiệu, ngày tháng và cơ quan "
                "ban hành."
            )
        )
    if paper.data.startswith(b"%PDF-") and is_old_pdf(paper.data):
        raise CopyRefused(
            _(
                "Bản số hóa phải là tệp PDF phiên bản 1.4 trở lên (Nghị định 30/2020/NĐ-CP, "
                "Phụ lục I, Phần II, mục I.2)."
            )
        )
    return _Source(
        kind=CopySource.PAPER_SCAN,
        agency=paper.agency,
        electronic=False,
        is_copy=paper.is_sao_y,
        is_sao_y=paper.is_sao_y,
        paper=paper,
    )


def _source(
    *,
    incoming: IncomingDocument | None,
    outgoing: OutgoingDocument | None,
    copy_of: ElectronicCopy | None,
    paper: PaperScan | None,
) -> _Source:
    given = [s for s in (incoming, outgoing, copy_of, paper) if s is not None]
    if len(given) != 1:
        raise CopyRefused(_("Hãy chọn đúng một văn bản để sao."))
    if incoming is not None:
        return _incoming_source(incoming)
    if outgoing is not None:
        return _outgoing_source(outgoing)
    if copy_of is not None:
        return _copy_source(copy_of)
    assert paper is not None
    return _paper_source(paper)


def _check_form(form: str, source: _Source) -> None:
    """What Điều 25 allows for this source."""
    if form not in CopyForm.values:
        raise CopyRefused(_("Hình thức sao không hợp lệ (sao y, sao lục hoặc trích sao)."))
    if form == CopyForm.SAO_Y and source.is_copy:
        raise CopyRefused(
            _(
                "Sao y được thực hiện từ bản gốc hoặc bản chính; sao từ một bản sao y là sao lục "
                "(Nghị định 30/2020/NĐ-CP, Điều 25)."
            )
        )
    if form == CopyForm.SAO_LUC and not source.is_sao_y:
        raise CopyRefused(
            _(
                "Sao lục chỉ được thực hiện từ bản sao y (Nghị định 30/2020/NĐ-CP, Điều 25 "
                "khoản 2); văn bản này không phải là bản sao y."
            )
        )
    if (
        form in (CopyForm.SAO_Y, CopyForm.SAO_LUC)
        and source.electronic
        and not settings.EGOV_DOCUMENT_COPY_FROM_ELECTRONIC
    ):
        raise CopyRefused(
            _(
                "Theo thiết lập của hệ thống, bản sao điện tử hình thức sao y, sao lục chỉ được "
                "làm từ văn bản giấy được số hóa (Nghị định 30/2020/NĐ-CP, Điều 25); văn bản "
                "điện tử này chỉ được trích sao."
            )
        )


def copy_refusal(
    actor: Actor,
    *,
    incoming: IncomingDocument | None = None,
    outgoing: OutgoingDocument | None = None,
    copy_of: ElectronicCopy | None = None,
) -> str | None:
    """Why ``actor`` may not copy this document now (None: a copy may be made; the form and
    the pages are checked when it is made)."""
    try:
        source = _source(incoming=incoming, outgoing=outgoing, copy_of=copy_of, paper=None)
        _check_actor(actor, source.agency)
    except CopyRefused as exc:
        return str(exc)
    return None


def _check_actor(actor: Actor, agency: Unit) -> None:
    if not may_make_copies(actor, agency):
        raise CopyForbidden(
            _(
                "Chỉ văn thư của cơ quan được sao văn bản và ký số của cơ quan lên bản sao "
                "(Nghị định 30/2020/NĐ-CP, Điều 32)."
            )
        )


def _read(file: StoredFile) -> bytes:
    with open_private(file.key) as stream:
        return stream.read()


def _pages_for(form: str, pages: str | None, count: int) -> list[int]:
    """The pages of a trích sao (none for the other forms)."""
    if form != CopyForm.TRICH_SAO:
        if pages and pages.strip():
            raise CopyRefused(_("Chỉ khi trích sao mới chọn trang; sao y, sao lục sao cả văn bản."))
        return []
    try:
        chosen = parse_pages(pages or "", count)
    except PagesError as exc:
        raise CopyRefused(exc.message) from None
    if len(chosen) == count:
        raise CopyRefused(
            _(
                "Trích sao là sao một phần nội dung văn bản; muốn sao cả %(count)d trang thì "
                "chọn sao y."
            )
            % {"count": count}
        )
    return chosen


def _prepared(data: bytes, pages: list[int]) -> bytes:
    """What the agency signs: the source as it is, or the chosen pages of it."""
    if not pages:
        return data
    try:
        return extract_pages(data, pages)
    except PagesError as exc:
        raise CopyRefused(exc.message) from None


def _numbering(agency: Unit, form: str) -> tuple[DocumentType, str]:
    """The copy's document type (SY, SL, TrS) and its ký hiệu ``<type>-<agency>``."""
    kind = document_type(agency, COPY_TYPE_KEYS[form])
    if kind is None:
        raise CopyRefused(_("Danh mục loại văn bản chưa có loại bản sao này."))
    agency_settings = agency_settings_on(agency)
    if agency_settings is None:
        raise CopyRefused(
            _(
                "Cơ quan chưa khai báo chữ viết tắt tên cơ quan trong thiết lập văn thư nên "
                "chưa cấp được số bản sao."
            )
        )
    try:
        notation = build_notation(
            type_abbreviation=kind.abbreviation, issuer=agency_settings.abbreviation
        )
    except ValueError:
        raise CopyRefused(_("Không lập được ký hiệu bản sao từ thiết lập văn thư.")) from None
    return kind, notation


def make_copy(
    *,
    actor: User,
    form: str,
    incoming: IncomingDocument | None = None,
    outgoing: OutgoingDocument | None = None,
    copy_of: ElectronicCopy | None = None,
    paper: PaperScan | None = None,
    pages: str | None = None,
    purpose: str = "",
    recipients: str = "",
) -> ElectronicCopy:
    """Make, number and sign an electronic copy of one source (see the module docstring).

    Raises ``CopyRefused`` (translated; nothing is stored, no number taken) for a source or an
    input the copy may not be made of, and ``CopyNotSigned`` when the copy was numbered but
    the agency's signature failed (it waits for ``sign_copy``)."""
    source = _source(incoming=incoming, outgoing=outgoing, copy_of=copy_of, paper=paper)
    _check_actor(actor, source.agency)
    _check_form(form, source)
    check_text_lengths(
        [
            (_("Mục đích sao"), purpose, 500),
            (_("Nơi nhận"), recipients, 1000),
            (_("Văn bản giấy được sao"), paper.description if paper else "", 500),
        ]
    )
    data = paper.data if paper is not None else _read(source.file) if source.file else b""
    try:
        count = page_count(data)
    except PagesError as exc:
        raise CopyRefused(exc.message) from None
    chosen = _pages_for(form, pages, count)
    prepared = _prepared(data, chosen)
    kind, notation = _numbering(source.agency, form)
    scan = _store_scan(paper, actor) if paper is not None else None
    with discarded_on_failure(*([scan] if scan else [])), transaction.atomic():
        today = timezone.localdate()
        copy = ElectronicCopy.objects.create(
            agency=source.agency,
            form=form,
            status=CopyStatus.NUMBERED,
            source_kind=source.kind,
            incoming=source.incoming,
            outgoing=source.outgoing,
            source_copy=source.copy,
            scan=scan,
            source_description=paper.description.strip() if paper else "",
            document_type=kind,
            code_number=take_copy_number(source.agency, on=today),
            code_notation=notation,
            year=today.year,
            register=COPY_REGISTER,
            pages=format_pages(chosen),
            page_count=len(chosen) or count,
            purpose=purpose.strip(),
            recipients=recipients.strip(),
            made_by=actor,
        )
        record_event(
            CopyEvent,
            of=copy,
            action=CopyAction.MAKE,
            from_status="",
            to_status=CopyStatus.NUMBERED,
            actor=actor,
            data={"number": copy.number_text, "form": form, "source": source.kind},
        )
    return _sign(actor, copy, prepared)


def _store_scan(paper: PaperScan, actor: User) -> StoredFile:
    try:
        return store_private(
            io.BytesIO(paper.data),
            original_name=paper.name or "ban-so-hoa.pdf",
            prefix=FILE_PREFIX,
            uploaded_by=actor,
        )
    except ValidationError as exc:
        raise CopyRefused(" ".join(exc.messages)) from None


def _source_bytes(copy: ElectronicCopy) -> bytes:
    """The PDF the copy was made of, read again (to sign a numbered copy once more)."""
    if copy.source_kind == CopySource.PAPER_SCAN:
        file = copy.scan
    elif copy.source_kind == CopySource.COPY:
        file = copy.source_copy.file if copy.source_copy else None
    elif copy.source_kind == CopySource.OUTGOING:
        assert copy.outgoing is not None
        file = latest_version_file(copy.outgoing, VersionKind.AGENCY_SIGNED)
    else:
        file = copy.incoming.file if copy.incoming else None
    if file is None:
        raise CopyRefused(_("Không còn tệp của văn bản được sao."))
    return _read(file)


def sign_copy(*, actor: User, copy: ElectronicCopy) -> ElectronicCopy:
    """Sign a copy that kept its number when its signature failed (``numbered``)."""
    _check_actor(actor, copy.agency)
    if copy.status != CopyStatus.NUMBERED:
        raise CopyStateConflict(_("Bản sao này đã được ký số."))
    data = _source_bytes(copy)
    try:
        pages = parse_pages(copy.pages, page_count(data)) if copy.pages else []
    except PagesError as exc:
        raise CopyRefused(exc.message) from None
    return _sign(actor, copy, _prepared(data, pages))


def _file_name(copy: ElectronicCopy) -> str:
    notation = copy.code_notation.replace("Đ", "D").replace("đ", "d")
    return f"ban-sao-{copy.code_number:02d}-{notation}-{copy.year}.pdf"


def _signature(copy: ElectronicCopy, prepared: bytes) -> bytes:
    try:
        signer = agency_signer_for(copy.agency)
    except ImproperlyConfigured:
        raise SigningError(
            _("Chưa cấu hình chứng thư số của %s; báo quản trị hệ thống.") % copy.agency.name
        ) from None
    detail = ""
    if settings.EGOV_DOCUMENT_COPY_STAMP_NUMBER:
        detail = number_line(copy.code_number, copy.code_notation)
    return sign_text_stamp(
        prepared,
        signer=signer,
        heading=copy.heading,
        agency=copy.agency.name,
        detail=detail,
        when=timezone.now(),
        field_name=f"SigBanSao{copy.pk}",
    )


def _sign(actor: User, copy: ElectronicCopy, prepared: bytes) -> ElectronicCopy:
    try:
        signed = _signature(copy, prepared)
    except SigningError as exc:
        raise CopyNotSigned(
            _(
                "Đã cấp số bản sao %(number)s nhưng chưa ký số được: %(reason)s Hãy ký số lại "
                "bản sao này."
            )
            % {"number": copy.number_text, "reason": exc.message},
            copy,
        ) from None
    file = store_private(
        io.BytesIO(signed), original_name=_file_name(copy), prefix=FILE_PREFIX, uploaded_by=actor
    )
    with discarded_on_failure(file), transaction.atomic():
        locked = ElectronicCopy.objects.select_for_update().get(pk=copy.pk)
        if locked.status == CopyStatus.NUMBERED:
            locked.file = file
            locked.status = CopyStatus.SIGNED
            locked.signed_at = timezone.now()
            locked.save(update_fields=["file", "status", "signed_at"])
            record_event(
                CopyEvent,
                of=locked,
                action=CopyAction.AGENCY_SIGN,
                from_status=CopyStatus.NUMBERED,
                to_status=CopyStatus.SIGNED,
                actor=actor,
                data={"sha256": file.sha256},
            )
            return locked
    # Signed meanwhile by another request: that signature stays, this one goes.
    discard_stored(file)
    return locked


__all__ = ["PaperScan", "copy_refusal", "make_copy", "sign_copy"]
