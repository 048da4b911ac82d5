"""Writes of incoming documents (NĐ 30/2020/NĐ-CP, Điều 20-24): receive, register with số
đến, return to the sender, distribute with instructions and deadlines, handle, link the reply;
and the audit entries of views and downloads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.actors import SYSTEM, Actor, person
from egov.accounts.models import User
from egov.audit.services import audit_record
from egov.core.models import StoredFile
from egov.documents.actions import IncomingAction
from egov.documents.catalogue import Confidentiality, DocumentType, Urgency
from egov.documents.errors import (
    DocumentError,
    StateConflict,
    TransitionForbidden,
    TransitionRefused,
)
from egov.documents.events import record_event
from egov.documents.models import (
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    ElectronicCopy,
    IncomingDocument,
    IncomingEvent,
    IncomingSource,
    IncomingStatus,
    OutgoingDocument,
    OutgoingStatus,
)
from egov.documents.permissions import (
    assignee_refusal,
    get_outgoing_for_actor,
    may_distribute,
    may_handle,
    may_register_incoming,
)
from egov.documents.selectors import incoming_duplicates
from egov.documents.series import incoming_register_name, take_incoming_number
from egov.documents.services.outgoing import (
    check_levels,
    check_text_lengths,
    lock_as_read,
    refuse_secret_file,
    stale_revision,
)
from egov.org.models import Unit
from egov.workdays.selectors import calendar_for_unit

# A reply is linked once it has its số (registered, counter-signed or issued).
REPLY_STATUSES = frozenset(
    {OutgoingStatus.REGISTERED, OutgoingStatus.AGENCY_SIGNED, OutgoingStatus.ISSUED}
)


class DuplicateWarning(DocumentError):
    """The agency already has a document with the same issuer, số and ký hiệu this year;
    the clerk may register it anyway with a reason (``override_reason``)."""

    def __init__(self, duplicates: list[IncomingDocument]) -> None:
        super().__init__(
            _("Văn bản có thể trùng với văn bản đến số %s đã vào sổ; ghi lý do nếu vẫn vào sổ.")
            % ", ".join(str(d.arrival_number or d.pk) for d in duplicates)
        )
        self.duplicates = duplicates


def _move(
    document: IncomingDocument,
    target: str,
    *,
    action: IncomingAction,
    actor: Actor,
    reason: str = "",
    data: dict[str, Any] | None = None,
    changes: dict[str, Any] | None = None,
) -> None:
    """One step of the document, if its row is still as read: status ``target`` (it may be
    the status it has), ``changes``, the next revision, and the step's event."""
    updated = IncomingDocument.objects.filter(
        pk=document.pk, revision=document.revision, status=document.status
    ).update(**(changes or {}), status=target, revision=F("revision") + 1)
    if not updated:
        raise stale_revision()
    from_status = document.status
    document.refresh_from_db()
    record_event(
        IncomingEvent,
        of=document,
        action=action,
        from_status=from_status,
        to_status=document.status,
        actor=actor,
        reason=reason,
        data=data,
    )


@transaction.atomic
def incoming_receive(
    *,
    actor: Actor,
    agency: Unit,
    source: str,
    organ_name: str,
    subject: str,
    organ_id: str = "",
    code_number: str = "",
    code_notation: str = "",
    issued_date: dt.date | None = None,
    document_type: DocumentType | None = None,
    type_name: str = "",
    language: str = "Tiếng Việt",
    page_amount: int | None = None,
    description: str = "",
    signer_position: str = "",
    signer_full_name: str = "",
    urgency: str = Urgency.NORMAL,
    confidentiality: str = Confidentiality.NORMAL,
    to_places: str = "",
    due_date: dt.date | None = None,
    file: StoredFile | None = None,
    signature_verdict: dict[str, Any] | None = None,
    arrival_date: dt.datetime | None = None,
    event_data: dict[str, Any] | None = None,
) -> IncomingDocument:
    """A document received by the agency's clerk (scan, upload, paper, e-mail), waiting to be
    registered (Điều 21). Secret documents: metadata only, a file is refused. The system
    itself (``SYSTEM``) receives what arrives through the inter-agency axis
    (``incoming_receive_exchanged``); ``event_data`` goes into the receive event."""
    if actor is not SYSTEM and not may_register_incoming(actor, agency):
        raise TransitionForbidden(_("Chỉ văn thư của cơ quan mới được tiếp nhận văn bản đến."))
    if source not in IncomingSource.values or (
        source == IncomingSource.EXCHANGE and actor is not SYSTEM
    ):
        raise TransitionRefused(_("Nguồn tiếp nhận không hợp lệ."), field="source")
    if not organ_name.strip() or not subject.strip():
        raise TransitionRefused(_("Cần nhập cơ quan ban hành và trích yếu."))
    check_levels(urgency=urgency, confidentiality=confidentiality, page_amount=page_amount)
    check_text_lengths(
        [
            (_("Cơ quan ban hành"), organ_name, 200),
            (_("Mã định danh cơ quan ban hành"), organ_id, 13),
            (_("Trích yếu"), subject, 500),
            (_("Số"), code_number, 11),
            (_("Ký hiệu"), code_notation, 30),
            (_("Tên loại văn bản"), type_name, 100),
            (_("Ngôn ngữ"), language, 30),
            (_("Ghi chú"), description, 500),
            (_("Chức vụ người ký"), signer_position, 100),
            (_("Họ tên người ký"), signer_full_name, 50),
            (_("Đơn vị hoặc người nhận"), to_places, 1000),
        ]
    )
    refuse_secret_file(confidentiality, file)
    if source in (IncomingSource.SCAN, IncomingSource.UPLOAD, IncomingSource.EMAIL) and (
        file is None and confidentiality == Confidentiality.NORMAL
    ):
        raise TransitionRefused(_("Cần tệp văn bản cho nguồn tiếp nhận này."))
    document = IncomingDocument.objects.create(
        agency=agency,
        source=source,
        organ_id=organ_id.strip(),
        organ_name=organ_name.strip(),
        subject=subject.strip(),
        code_number=code_number.strip(),
        code_notation=code_notation.strip(),
        issued_date=issued_date,
        document_type=document_type,
        type_name=type_name or (document_type.name if document_type else ""),
        language=language,
        page_amount=page_amount,
        description=description,
        signer_position=signer_position,
        signer_full_name=signer_full_name,
        urgency=Urgency(urgency),
        confidentiality=Confidentiality(confidentiality),
        to_places=to_places,
        due_date=due_date,
        file=file,
        signature_verdict=signature_verdict or {},
        arrival_date=arrival_date or timezone.now(),
        created_by=person(actor),
    )
    record_event(
        IncomingEvent,
        of=document,
        action=IncomingAction.RECEIVE,
        from_status="",
        to_status=document.status,
        actor=actor,
        data={"source": source, **(event_data or {})},
    )
    return document


@transaction.atomic
def incoming_receive_exchanged(
    *,
    agency: Unit,
    organ_name: str,
    subject: str,
    file: StoredFile | None,
    signature_verdict: dict[str, Any],
    data: dict[str, Any],
    **fields: Any,
) -> IncomingDocument:
    """A document that arrived through the inter-agency axis (egov.exchange's polling, acting
    as the system): it waits in the agency's "chờ tiếp nhận" list for the clerk to accept
    (register, Điều 22) or refuse it (return to the sender, Điều 21.2.b). ``fields`` are the
    metadata keywords of ``incoming_receive``; ``data`` goes into the receive event."""
    return incoming_receive(
        actor=SYSTEM,
        agency=agency,
        source=IncomingSource.EXCHANGE,
        organ_name=organ_name,
        subject=subject,
        file=file,
        signature_verdict=signature_verdict,
        event_data=data,
        **fields,
    )


@transaction.atomic
def incoming_withdraw(
    *, actor: Actor, document: IncomingDocument, action: str, reason: str = ""
) -> IncomingDocument:
    """Take a document out of handling because its sender recalled it (``recall``, the
    clerk agreed: NĐ 30/2020 Điều 18.4, Phụ lục VI III.8) or replaced it with a later one
    (``replace``). The row and its history are kept (the event says why); the caller
    (egov.exchange) checked who may decide. Runs inside the caller's transaction."""
    targets = {
        IncomingAction.RECALL: IncomingStatus.RECALLED,
        IncomingAction.REPLACE: IncomingStatus.REPLACED,
    }
    name = IncomingAction(action)
    if name not in targets:
        raise TransitionRefused(_("Thao tác không tồn tại."), field="action")
    lock_as_read(document)
    if document.status in (IncomingStatus.RECALLED, IncomingStatus.REPLACED):
        raise StateConflict(_("Văn bản đã được thu hồi hoặc thay thế."))
    _move(document, targets[name], action=name, actor=actor, reason=reason.strip())
    return document


@transaction.atomic
def incoming_register(
    *,
    actor: Actor,
    document: IncomingDocument,
    override_reason: str = "",
    expected_revision: int | None = None,
) -> IncomingDocument:
    """Give the document its số đến in the agency's register of the year (Điều 22.2) and the
    day of arrival. A possible duplicate (same issuer, số, ký hiệu in the year) raises
    DuplicateWarning unless ``override_reason`` says why it is registered anyway."""
    lock_as_read(document, expected_revision)
    if not may_register_incoming(actor, document.agency):
        raise TransitionForbidden(_("Chỉ văn thư của cơ quan mới được vào sổ văn bản đến."))
    if document.status != IncomingStatus.RECEIVED:
        raise StateConflict(_("Văn bản đã được vào sổ hoặc đã trả lại."))
    year = (document.issued_date or timezone.localdate()).year
    duplicates = list(
        incoming_duplicates(
            agency=document.agency,
            organ_name=document.organ_name,
            organ_id=document.organ_id,
            code_number=document.code_number,
            code_notation=document.code_notation,
            year=year,
            exclude_pk=document.pk,
        )
    )
    if duplicates and not override_reason.strip():
        raise DuplicateWarning(duplicates)
    today = timezone.localdate()
    register = incoming_register_name(confidentiality=document.confidentiality)
    number = take_incoming_number(document.agency, register, on=today)
    _move(
        document,
        IncomingStatus.REGISTERED,
        action=IncomingAction.REGISTER,
        actor=actor,
        reason=override_reason.strip() if duplicates else "",
        data={
            "arrival_number": number,
            "register": register,
            "duplicates": [d.pk for d in duplicates],
        },
        changes={
            "arrival_number": number,
            "arrival_year": today.year,
            "register": register,
            "registered_at": timezone.now(),
            "duplicate_of": duplicates[0] if duplicates else None,
            "duplicate_override_reason": override_reason.strip()[:500] if duplicates else "",
        },
    )
    return document


@transaction.atomic
def incoming_return_to_sender(
    *, actor: Actor, document: IncomingDocument, reason: str, expected_revision: int | None = None
) -> IncomingDocument:
    """Return an invalid or misaddressed document (Điều 21.2.b); the reason is required."""
    lock_as_read(document, expected_revision)
    if not may_register_incoming(actor, document.agency):
        raise TransitionForbidden(
            _("Chỉ văn thư của cơ quan mới được trả lại văn bản đến cho nơi gửi.")
        )
    if document.status != IncomingStatus.RECEIVED:
        raise StateConflict(_("Chỉ được trả lại văn bản chưa vào sổ."))
    if not reason.strip():
        raise TransitionRefused(_("Cần ghi rõ lý do trả lại."), field="reason")
    _move(
        document,
        IncomingStatus.RETURNED,
        action=IncomingAction.RETURN_TO_SENDER,
        actor=actor,
        reason=reason.strip(),
    )
    return document


@dataclass(frozen=True)
class AssigneeInput:
    """One unit or person a document is given to; ``working_days`` sets the deadline on the
    agency's working-day calendar (None: no deadline of its own)."""

    unit: Unit | None = None
    person: User | None = None
    instructions: str = ""
    working_days: int | None = None


def _due(agency: Unit, start: dt.datetime, days: int | None) -> dt.datetime | None:
    if days is None:
        return None
    if days < 0:
        raise TransitionRefused(_("Số ngày làm việc không được âm."))
    return calendar_for_unit(agency).add_working_days(start, days)


def _check_assignees(document: IncomingDocument, everyone: Sequence[AssigneeInput]) -> None:
    """Each assignee may be given the document (``permissions.assignee_refusal``); nobody
    twice, the lead not also co-operating."""
    seen: set[tuple[str, int]] = set()
    for item in everyone:
        refusal = assignee_refusal(document, unit=item.unit, user=item.person)
        if refusal is not None:
            raise TransitionRefused(refusal)
        keys = []
        if item.unit is not None:
            keys.append(("unit", item.unit.pk))
        if item.person is not None:
            keys.append(("person", item.person.pk))
        for key in keys:
            if key in seen:
                raise TransitionRefused(
                    _("Mỗi đơn vị hoặc người chỉ được giao một lần (chủ trì hoặc phối hợp).")
                )
            seen.add(key)


@transaction.atomic
def incoming_distribute(
    *,
    actor: Actor,
    document: IncomingDocument,
    lead: AssigneeInput,
    cooperating: Sequence[AssigneeInput] = (),
    instructions: str = "",
    expected_revision: int | None = None,
) -> list[Assignment]:
    """The leader's distribution (Điều 23): one lead (chủ trì) and co-operating units or
    people (phối hợp), with instructions (bút phê) and deadlines in working days."""
    lock_as_read(document, expected_revision)
    if not may_distribute(actor, document):
        raise TransitionForbidden(_("Chỉ lãnh đạo cơ quan mới được phân phối văn bản đến."))
    if document.status != IncomingStatus.REGISTERED:
        raise StateConflict(_("Chỉ được phân phối văn bản đã vào sổ và chưa được phân phối."))
    everyone = [lead, *cooperating]
    _check_assignees(document, everyone)
    now = timezone.now()
    rows = [
        Assignment.objects.create(
            document=document,
            role=AssignmentRole.LEAD if index == 0 else AssignmentRole.COOPERATE,
            unit=item.unit,
            person=item.person,
            instructions=(item.instructions or instructions).strip(),
            due_at=_due(document.agency, now, item.working_days),
            assigned_by=person(actor),
            assigned_at=now,
        )
        for index, item in enumerate(everyone)
    ]
    lead_due = rows[0].due_at
    changes: dict[str, Any] = {}
    if lead_due is not None and document.due_date is None:
        changes["due_date"] = timezone.localdate(lead_due)
    _move(
        document,
        IncomingStatus.DISTRIBUTED,
        action=IncomingAction.DISTRIBUTE,
        actor=actor,
        reason=instructions.strip(),
        changes=changes,
        data={
            "assignments": [
                {
                    "id": row.pk,
                    "role": row.role,
                    "unit": row.unit_id,
                    "person": row.person_id,
                    "due_at": row.due_at.isoformat() if row.due_at else None,
                }
                for row in rows
            ]
        },
    )
    return rows


def _assignment_step(
    *, actor: Actor, assignment: Assignment, target: str, action: IncomingAction, note: str
) -> Assignment:
    # Lock the document first: its status, revision and event sequence change below.
    document = IncomingDocument.objects.select_for_update().get(pk=assignment.document_id)
    assignment.document = document
    if not may_handle(actor, assignment):
        raise TransitionForbidden(_("Văn bản không được giao cho bạn xử lý."))
    allowed = {
        AssignmentStatus.IN_PROGRESS: {AssignmentStatus.ASSIGNED},
        AssignmentStatus.DONE: {AssignmentStatus.ASSIGNED, AssignmentStatus.IN_PROGRESS},
    }[AssignmentStatus(target)]
    if assignment.status not in allowed:
        raise StateConflict(
            _("Phần việc này đã ở trạng thái “%s”.") % assignment.get_status_display()
        )
    now = timezone.now()
    changes: dict[str, Any] = {"status": target}
    if target == AssignmentStatus.DONE:
        changes.update(done_at=now, note=note.strip())
    updated = Assignment.objects.filter(pk=assignment.pk, status=assignment.status).update(
        **changes
    )
    if not updated:
        raise stale_revision()
    from_status = assignment.status
    assignment.refresh_from_db()
    # The lead's completion completes the document; any other step only changes its revision.
    lead_done = target == AssignmentStatus.DONE and assignment.role == AssignmentRole.LEAD
    _move(
        document,
        IncomingStatus.COMPLETED if lead_done else document.status,
        action=action,
        actor=actor,
        reason=note.strip(),
        data={"assignment": assignment.pk, "from": from_status, "to": target},
    )
    assignment.document = document
    return assignment


@transaction.atomic
def assignment_start(*, actor: Actor, assignment: Assignment) -> Assignment:
    """The handler starts (edXML status 05)."""
    return _assignment_step(
        actor=actor,
        assignment=assignment,
        target=AssignmentStatus.IN_PROGRESS,
        action=IncomingAction.START,
        note="",
    )


@transaction.atomic
def assignment_complete(*, actor: Actor, assignment: Assignment, note: str = "") -> Assignment:
    """The handler is done (edXML status 06); the lead's completion completes the document."""
    return _assignment_step(
        actor=actor,
        assignment=assignment,
        target=AssignmentStatus.DONE,
        action=IncomingAction.COMPLETE,
        note=note,
    )


@transaction.atomic
def incoming_link_reply(
    *, actor: Actor, document: IncomingDocument, reply: OutgoingDocument
) -> IncomingDocument:
    """Record the outgoing document that answers this one (Phụ lục IV, sổ theo dõi)."""
    lock_as_read(document)
    lead = document.assignments.filter(role=AssignmentRole.LEAD).first()
    if not (
        (lead is not None and may_handle(actor, lead))
        or may_distribute(actor, document)
        or may_register_incoming(actor, document.agency)
    ):
        raise TransitionForbidden(_("Bạn không có quyền gắn văn bản trả lời."))
    if reply.agency_id != document.agency_id:
        raise TransitionRefused(_("Văn bản trả lời phải do chính cơ quan nhận ban hành."))
    if get_outgoing_for_actor(actor, reply.pk) is None:
        raise TransitionForbidden(_("Bạn không có quyền xem văn bản trả lời này."))
    if document.status not in (IncomingStatus.DISTRIBUTED, IncomingStatus.COMPLETED):
        raise StateConflict(_("Chỉ được gắn văn bản trả lời cho văn bản đến đã phân phối."))
    if reply.status not in REPLY_STATUSES:
        raise TransitionRefused(
            _("Văn bản trả lời phải đã có số (đã vào sổ văn bản đi) trước khi gắn.")
        )
    _move(
        document,
        document.status,
        action=IncomingAction.LINK_REPLY,
        actor=actor,
        data={"reply": reply.pk, "code": reply.number_text},
        changes={"reply": reply},
    )
    return document


@transaction.atomic
def document_record_access(
    *,
    actor: Actor,
    document: IncomingDocument | OutgoingDocument | ElectronicCopy,
    kind: str,
    ip_address: str | None = None,
) -> None:
    """Audit a view or a download (NĐ 30/2020, Phụ lục VI: access history is kept). Call it
    after loading the document (or the electronic copy) through ``permissions``."""
    if kind not in ("view", "download"):
        raise ValueError("kind is 'view' or 'download'")
    if isinstance(document, ElectronicCopy):
        direction = "copy"
    else:
        direction = "in" if isinstance(document, IncomingDocument) else "out"
    audit_record(
        actor=person(actor),
        action=f"document.{direction}.{kind}",
        target=document,
        ip_address=ip_address,
    )
