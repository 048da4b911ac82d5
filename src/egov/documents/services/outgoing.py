"""Writes of outgoing documents: the draft, its versions, and the one transition service.

The lifecycle is the table in ``state``; who may act is ``permissions.outgoing_refusal``;
every step appends an ``OutgoingEvent`` through ``events.record_event``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.actors import Actor, person
from egov.accounts.models import User
from egov.core.models import StoredFile
from egov.documents.actions import IncomingAction, OutgoingAction
from egov.documents.catalogue import DocumentType, UnitAbbreviation
from egov.documents.errors import (
    SecretFileRefused,
    StaleRevision,
    StateConflict,
    TransitionForbidden,
    TransitionRefused,
)
from egov.documents.events import record_event
from egov.documents.models import (
    Confidentiality,
    Delegation,
    IncomingDocument,
    IncomingEvent,
    IncomingSource,
    IncomingStatus,
    OutgoingDocument,
    OutgoingEvent,
    OutgoingRecipient,
    OutgoingStatus,
    OutgoingVersion,
    RecipientKind,
    Urgency,
    VersionKind,
)
from egov.documents.notation import build_notation, format_number
from egov.documents.permissions import (
    may_add_version,
    may_be_signer,
    may_draft_in,
    outgoing_refused,
)
from egov.documents.selectors import agency_settings_on, receiving_agency
from egov.documents.series import outgoing_register_name, take_outgoing_number
from egov.documents.state import TRANSITIONS
from egov.org.models import Unit

# The largest page count the models store (PositiveSmallIntegerField).
MAX_PAGES = 32767


@dataclass(frozen=True)
class RecipientInput:
    """A "Nơi nhận": a unit of this system (``unit``) or an outside one (``name``, ``email``)."""

    unit: Unit | None = None
    name: str = ""
    email: str = ""
    organ_id: str = ""


def refuse_secret_file(confidentiality: str, file: StoredFile | None) -> None:
    """Documents marked Mật / Tối mật / Tuyệt mật are kept as metadata only: their content
    may not be stored on a networked system (Luật Bảo vệ bí mật nhà nước 2018, Điều 5.5
    forbids storing state secrets on Internet-connected devices — chưa xác nhận against the
    official text; QĐ 28/2018/QĐ-TTg excludes secret documents from electronic exchange)."""
    if file is not None and confidentiality != Confidentiality.NORMAL:
        raise SecretFileRefused(
            _(
                "Văn bản có độ mật (Mật, Tối mật, Tuyệt mật) chỉ được quản lý thông tin trên hệ "
                "thống; không được tải tệp nội dung lên."
            )
        )


def check_text_lengths(fields: Sequence[tuple[str, str, int]]) -> None:
    """Each (label, value, limit): a value longer than its field (the edXML / NĐ 30 field
    sizes of the models) is refused with the field's name, not cut or a database error."""
    for label, value, limit in fields:
        if len(value) > limit:
            raise TransitionRefused(
                _("“%(field)s” dài quá %(limit)s ký tự.") % {"field": label, "limit": limit}
            )


def check_levels(*, urgency: str, confidentiality: str, page_amount: int | None) -> None:
    """Độ khẩn and độ mật are one of the fixed levels; a page count is not negative."""
    if urgency not in Urgency.values:
        raise TransitionRefused(_("Độ khẩn không hợp lệ."), field="urgency")
    if confidentiality not in Confidentiality.values:
        raise TransitionRefused(_("Độ mật không hợp lệ."), field="confidentiality")
    if page_amount is not None and not 0 <= page_amount <= MAX_PAGES:
        raise TransitionRefused(_("Số trang không hợp lệ."), field="page_amount")


def _check_recipients(recipients: Sequence[RecipientInput]) -> None:
    units: set[int] = set()
    for recipient in recipients:
        if recipient.unit is None and not recipient.name.strip():
            raise TransitionRefused(_("Mỗi nơi nhận cần một đơn vị hoặc một tên."))
        if recipient.unit is not None:
            if recipient.unit.pk in units:
                raise TransitionRefused(_("Nơi nhận “%s” được nhập hai lần.") % recipient.unit.name)
            units.add(recipient.unit.pk)
        check_text_lengths(
            [
                (_("Tên nơi nhận"), recipient.name, 200),
                (_("Thư điện tử nơi nhận"), recipient.email, 254),
                (_("Mã định danh nơi nhận"), recipient.organ_id, 13),
            ]
        )


def _next_version(document: OutgoingDocument) -> int:
    last = document.versions.order_by("-number").values_list("number", flat=True).first()
    return (last or 0) + 1


def _add_version(
    document: OutgoingDocument, *, kind: str, file: StoredFile, actor: Actor, note: str = ""
) -> OutgoingVersion:
    return OutgoingVersion.objects.create(
        document=document,
        number=_next_version(document),
        kind=kind,
        file=file,
        note=note,
        created_by=person(actor),
        created_at=timezone.now(),
    )


@transaction.atomic
def outgoing_create(
    *,
    actor: Actor,
    agency: Unit,
    drafting_unit: Unit,
    document_type: DocumentType,
    subject: str,
    urgency: str = Urgency.NORMAL,
    confidentiality: str = Confidentiality.NORMAL,
    signer: User | None = None,
    unit_abbreviation: UnitAbbreviation | None = None,
    due_date: dt.date | None = None,
    description: str = "",
    page_amount: int | None = None,
    file: StoredFile | None = None,
    recipients: Sequence[RecipientInput] = (),
    layout: dict[str, object] | None = None,
) -> OutgoingDocument:
    """A new draft by ``actor`` in ``drafting_unit`` of ``agency`` (NĐ 30/2020, Điều 10),
    with its first version when ``file`` is given."""
    if drafting_unit != agency and agency not in drafting_unit.ancestors():
        raise TransitionRefused(_("Đơn vị soạn thảo phải thuộc cơ quan ban hành."))
    if not may_draft_in(actor, drafting_unit, agency=agency):
        raise TransitionForbidden(_("Bạn không có quyền soạn thảo văn bản tại đơn vị này."))
    if not subject.strip():
        raise TransitionRefused(_("Cần nhập trích yếu."), field="subject")
    if unit_abbreviation is not None and unit_abbreviation.agency_id != agency.pk:
        raise TransitionRefused(_("Chữ viết tắt đơn vị không thuộc cơ quan ban hành."))
    if signer is not None and not may_be_signer(signer, agency=agency, drafting_unit=drafting_unit):
        raise TransitionRefused(
            _("Người ký phải là lãnh đạo của cơ quan ban hành hoặc của đơn vị soạn thảo.")
        )
    check_levels(urgency=urgency, confidentiality=confidentiality, page_amount=page_amount)
    check_text_lengths([(_("Trích yếu"), subject, 500), (_("Ghi chú"), description, 500)])
    _check_recipients(recipients)
    refuse_secret_file(confidentiality, file)
    document = OutgoingDocument.objects.create(
        agency=agency,
        drafting_unit=drafting_unit,
        document_type=document_type,
        unit_abbreviation=unit_abbreviation,
        subject=subject.strip(),
        urgency=Urgency(urgency),
        confidentiality=Confidentiality(confidentiality),
        signer=signer,
        due_date=due_date,
        description=description,
        page_amount=page_amount,
        created_by=person(actor),
    )
    for recipient in recipients:
        OutgoingRecipient.objects.create(
            document=document,
            kind=RecipientKind.INTERNAL if recipient.unit else RecipientKind.EXTERNAL,
            unit=recipient.unit,
            name=recipient.name or (recipient.unit.name if recipient.unit else ""),
            email=recipient.email,
            organ_id=recipient.organ_id or (recipient.unit.code or "" if recipient.unit else ""),
        )
    data: dict[str, object] = {}
    if file is not None:
        data["version"] = _add_version(
            document, kind=VersionKind.DRAFT, file=file, actor=actor
        ).number
        if layout:
            # Where the composer put the signature block (``services.outgoing_signing``).
            data["layout"] = layout
    record_event(
        OutgoingEvent,
        of=document,
        action=OutgoingAction.CREATE,
        from_status="",
        to_status=document.status,
        actor=actor,
        data=data,
    )
    return document


@transaction.atomic
def outgoing_add_version(
    *,
    actor: Actor,
    document: OutgoingDocument,
    file: StoredFile,
    note: str = "",
    layout: dict[str, object] | None = None,
) -> OutgoingVersion:
    """A new draft version (the draft is edited only while it is a draft; Điều 10.3)."""
    if not may_add_version(actor, document):
        # Past the draft step nobody may; at it, only the drafter and the unit's leader.
        refused = StateConflict if document.status != OutgoingStatus.DRAFT else TransitionForbidden
        raise refused(
            _("Chỉ người soạn thảo mới được cập nhật dự thảo, và chỉ khi văn bản còn là dự thảo.")
        )
    refuse_secret_file(document.confidentiality, file)
    lock_as_read(document)
    version = _add_version(document, kind=VersionKind.DRAFT, file=file, actor=actor, note=note)
    OutgoingDocument.objects.filter(pk=document.pk).update(revision=F("revision") + 1)
    document.refresh_from_db()
    record_event(
        OutgoingEvent,
        of=document,
        action=OutgoingAction.ADD_VERSION,
        from_status=document.status,
        to_status=document.status,
        actor=actor,
        reason=note,
        data={"version": version.number, **({"layout": layout} if layout else {})},
    )
    return version


def stale_revision() -> StaleRevision:
    return StaleRevision(
        _("Văn bản vừa được người khác xử lý. Vui lòng tải lại trang để xem trạng thái mới.")
    )


def lock_as_read(
    document: IncomingDocument | OutgoingDocument, expected_revision: int | None = None
) -> None:
    """Lock the document's row for the rest of the transaction (writers of one document run
    one after the other: its versions, event sequence, revision) and check it is still as
    the caller read it, at ``expected_revision`` when they name one."""
    if expected_revision is not None and expected_revision != document.revision:
        raise stale_revision()
    current = (
        type(document)
        .objects.select_for_update()
        .filter(pk=document.pk)
        .values_list("revision", "status")
        .first()
    )
    if current != (document.revision, document.status):
        raise stale_revision()


@transaction.atomic
def outgoing_transition(
    *,
    actor: Actor,
    document: OutgoingDocument,
    action: str,
    reason: str = "",
    expected_revision: int | None = None,
    file: StoredFile | None = None,
    delegation: str = "",
    signer_position: str = "",
    signer_full_name: str = "",
    issued_date: dt.date | None = None,
) -> OutgoingDocument:
    """Apply ``action`` (``OutgoingAction``) to ``document``.

    - ``sign``: ``file`` is the PDF as signed by the signer (the signing app made it);
      ``delegation`` (TM./KT./Q./TL./TUQ. or empty), ``signer_position`` are recorded.
    - ``register``: takes the next number of the agency's register (``series``), builds the
      ký hiệu and sets ``issued_date`` to today's local date (another ``issued_date`` is
      refused: Điều 15.1).
    - ``agency_sign``: ``file`` is the PDF with the agency's signature added.
    - ``issue``: internal recipients get it as an incoming document at once.
    - ``return``: back to the draft; ``reason`` (the comments) is required.
    Secret documents carry no file. A second person acting on the same revision gets
    StaleRevision; any other refusal is TransitionRefused."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise TransitionRefused(_("Thao tác không tồn tại."), field="action")
    name = OutgoingAction(action)
    lock_as_read(document, expected_revision)
    refused = outgoing_refused(actor, document, name)
    if refused is not None:
        raise refused
    if transition.needs_reason and not reason.strip():
        raise TransitionRefused(_("Cần ghi rõ ý kiến, lý do."), field="reason")
    changes: dict[str, object] = {}
    data: dict[str, object] = {}
    at = timezone.now()
    if transition.needs_file:
        if document.is_secret:
            refuse_secret_file(document.confidentiality, file)
        elif file is None:
            raise TransitionRefused(_("Cần tệp văn bản đã ký số."), field="file")
    if name == OutgoingAction.SIGN:
        if delegation not in Delegation.values:
            raise TransitionRefused(_("Thẩm quyền ký không hợp lệ."), field="delegation")
        check_text_lengths(
            [
                (_("Chức vụ người ký"), signer_position, 100),
                (_("Họ tên người ký"), signer_full_name, 50),
            ]
        )
        signer = document.signer
        changes.update(
            delegation=delegation,
            signer_position=signer_position.strip()[:100],
            signer_full_name=(signer_full_name.strip() or getattr(signer, "display_name", ""))[:50],
        )
        data["delegation"] = delegation
    elif name == OutgoingAction.REGISTER:
        # NĐ 30/2020, Điều 15.1: the number is taken, and the date written, on the day the
        # document is registered and issued — in the register of that year.
        today = timezone.localdate()
        if issued_date is not None and issued_date != today:
            raise TransitionRefused(
                _("Ngày ban hành là ngày vào sổ (hôm nay, %s); không ghi lùi hay ghi trước ngày.")
                % f"{today:%d/%m/%Y}"
            )
        changes.update(_numbering(document, today))
        data.update(number=changes["code_number"], notation=changes["code_notation"])
    elif name == OutgoingAction.ISSUE:
        changes["issued_at"] = at
    try:
        with transaction.atomic():
            updated = OutgoingDocument.objects.filter(
                pk=document.pk, revision=document.revision, status=document.status
            ).update(**changes, status=transition.target, revision=F("revision") + 1)
    except IntegrityError:
        raise TransitionRefused(
            _("Số và ký hiệu này đã được dùng trong năm; vui lòng kiểm tra sổ văn bản đi.")
        ) from None
    if not updated:
        raise stale_revision()
    from_status = document.status
    document.refresh_from_db()
    if transition.needs_file and file is not None:
        data["version"] = _add_version(
            document, kind=transition.needs_file, file=file, actor=actor
        ).number
    if name == OutgoingAction.ISSUE:
        data["delivered"] = _deliver_internally(document, actor, at)
    record_event(
        OutgoingEvent,
        of=document,
        action=name,
        from_status=from_status,
        to_status=transition.target,
        actor=actor,
        reason=reason.strip(),
        data=data,
        at=at,
    )
    return document


def _numbering(document: OutgoingDocument, day: dt.date) -> dict[str, object]:
    """Số, ký hiệu, ngày and sổ (NĐ 30/2020, Điều 15; Phụ lục I, II.3)."""
    settings = agency_settings_on(document.agency, day)
    if settings is None:
        raise TransitionRefused(
            _("Cơ quan chưa khai báo chữ viết tắt và địa danh (thiết lập văn thư).")
        )
    doc_type = document.document_type
    unit = document.unit_abbreviation.abbreviation if document.unit_abbreviation else ""
    if not doc_type.abbreviation and not unit:
        raise TransitionRefused(
            _("Công văn cần chữ viết tắt của đơn vị soạn thảo hoặc lĩnh vực (ví dụ UBND-VX).")
        )
    notation = build_notation(
        type_abbreviation=doc_type.abbreviation, issuer=settings.abbreviation, unit=unit
    )
    register = outgoing_register_name(
        settings=settings, document_type=doc_type, confidentiality=document.confidentiality
    )
    number = take_outgoing_number(document.agency, register, on=day)
    return {
        "code_number": number,
        "code_notation": notation,
        "issued_date": day,
        "year": day.year,
        "register": register,
    }


def _latest_file(document: OutgoingDocument) -> StoredFile | None:
    version = (
        document.versions.filter(kind__in=[VersionKind.AGENCY_SIGNED, VersionKind.PERSONAL_SIGNED])
        .order_by("-number")
        .select_related("file")
        .first()
    )
    return version.file if version else None


def _deliver_internally(document: OutgoingDocument, actor: Actor, now: dt.datetime) -> list[int]:
    """Each internal recipient gets the document as incoming, in the same system, waiting to
    be registered by its clerk (NĐ 30/2020, Điều 18; Điều 21)."""
    file = None if document.is_secret else _latest_file(document)
    delivered: list[int] = []
    for recipient in document.recipients.filter(kind=RecipientKind.INTERNAL).select_related("unit"):
        unit = recipient.unit
        if unit is None:
            continue
        # A division is reached through its agency's văn thư and register; the division is
        # named in "đơn vị hoặc người nhận" for the leader who distributes it.
        agency = receiving_agency(unit)
        incoming = IncomingDocument.objects.create(
            agency=agency,
            to_places="" if agency.pk == unit.pk else unit.name[:1000],
            source=IncomingSource.INTERNAL,
            status=IncomingStatus.RECEIVED,
            organ_id=document.agency.code or "",
            document_type=document.document_type,
            type_name=document.document_type.name,
            code_number=format_number(document.code_number or 1),
            code_notation=document.code_notation,
            issued_date=document.issued_date,
            organ_name=document.agency.name,
            subject=document.subject,
            language=document.language,
            page_amount=document.page_amount,
            signer_position=" ".join(
                part for part in (document.delegation, document.signer_position) if part
            )[:100],
            signer_full_name=document.signer_full_name,
            urgency=document.urgency,
            confidentiality=document.confidentiality,
            due_date=document.due_date,
            file=file,
            arrival_date=now,
            source_outgoing=document,
        )
        recipient.incoming = incoming
        recipient.delivered_at = now
        recipient.save(update_fields=["incoming", "delivered_at"])
        record_event(
            IncomingEvent,
            of=incoming,
            action=IncomingAction.RECEIVE,
            from_status="",
            to_status=incoming.status,
            actor=actor,
            data={"source": IncomingSource.INTERNAL, "outgoing": document.pk},
        )
        delivered.append(incoming.pk)
    return delivered
