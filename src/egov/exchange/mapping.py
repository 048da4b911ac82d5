"""Between our documents (egov.documents) and edXML messages.

Public interface (stable; branch ``axis`` sends and receives with it)::

    message_from_outgoing(
        document: OutgoingDocument,
        recipients: Sequence[Organ],
        *,
        staff: StaffInfo | None = None,
        sent_at: datetime | None = None,
    ) -> DocumentMessage
    axis_recipients(document: OutgoingDocument) -> tuple[Organ, ...]
    incoming_fields_from_message(parsed: ParsedPackage) -> dict[str, Any]

Nothing here writes. ``incoming_fields_from_message`` gives keyword arguments for the intake
of an incoming document (the names of ``IncomingDocument`` fields); lengths are checked by
the service that stores them, not cut here.

Field correspondence (NĐ 30/2020, Phụ lục VI Phần II; our model already names its fields
after the edXML tags):

=========================  =========================================================
edXML                      OutgoingDocument → / → IncomingDocument
=========================  =========================================================
From/OrganId, OrganName    agency.code, agency.name → organ_id, organ_name
Code                       code_number (2 digits at least), code_notation
PromulgationInfo           AgencySettings.place_name, issued_date → issued_date
DocumentType               document_type (Type per data/codes.json [U], TypeDetail =
                           our key, TypeName) → document_type (by key), type_name
Subject                    subject
SignerInfo                 delegation (Competence), signer_position, signer_full_name →
                           signer_position = "Competence Position", signer_full_name
DueDate                    due_date
OtherInfo/Priority         urgency (độ khẩn; codes [U]) → urgency
OtherInfo/PageAmount,      page_amount, issued_amount → page_amount
PromulgationAmount
ToPlaces                   names of every "Nơi nhận" → to_places ("; "-joined)
Attachment                 the latest signed PDF (agency-signed, else personally signed)
=========================  =========================================================
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from egov.core.uploads import open_private
from egov.documents.catalogue import Urgency
from egov.documents.models import (
    OutgoingDocument,
    OutgoingStatus,
    RecipientKind,
    VersionKind,
)
from egov.documents.notation import format_number
from egov.documents.selectors import agency_settings_on, document_type
from egov.exchange.codes import BusinessDocType, Priority, code_tables
from egov.exchange.edxml import (
    Attachment,
    Business,
    Code,
    DocumentMessage,
    DocumentType,
    MessageHeader,
    Organ,
    OtherInfo,
    ParsedPackage,
    PromulgationInfo,
    SignerInfo,
    StaffInfo,
    TraceHeader,
    document_id_for,
)
from egov.exchange.errors import NotExchangeable

__all__ = ["axis_recipients", "incoming_fields_from_message", "message_from_outgoing"]


def _signed_pdf(document: OutgoingDocument) -> Attachment | None:
    version = (
        document.versions.filter(kind__in=[VersionKind.AGENCY_SIGNED, VersionKind.PERSONAL_SIGNED])
        .select_related("file")
        .order_by("-number")
        .first()
    )
    if version is None:
        return None
    with open_private(version.file.key) as handle:
        content = handle.read()
    return Attachment(
        content_id="cid:1",
        name=version.file.name,
        content_type=version.file.content_type or "application/pdf",
        content=content,
        description=document.subject[:200],
    )


def axis_recipients(document: OutgoingDocument) -> tuple[Organ, ...]:
    """The outside recipients that have a unit code: those the axis can deliver to."""
    return tuple(
        Organ(organ_id=r.organ_id, organ_name=r.name, email=r.email)
        for r in document.recipients.filter(kind=RecipientKind.EXTERNAL).exclude(organ_id="")
    )


def message_from_outgoing(
    document: OutgoingDocument,
    recipients: Sequence[Organ],
    *,
    staff: StaffInfo | None = None,
    sent_at: dt.datetime | None = None,
) -> DocumentMessage:
    """The edXML message of an issued outgoing document for ``recipients`` (a new document,
    BussinessDocType new; recall, update and replace are the same message with another
    ``Business``, see docs/exchange.md). Raises ``NotExchangeable``."""
    if document.status != OutgoingStatus.ISSUED:
        raise NotExchangeable(_("Chỉ gửi liên thông được văn bản đã phát hành."))
    if document.is_secret:
        # QĐ 28/2018/QĐ-TTg: secret documents are not exchanged electronically.
        raise NotExchangeable(_("Văn bản mật không được gửi qua trục liên thông."))
    agency = document.agency
    if not agency.code:
        raise NotExchangeable(_("Cơ quan ban hành chưa có mã định danh."))
    if not recipients:
        raise NotExchangeable(_("Văn bản chưa có nơi nhận có mã định danh."))
    if document.code_number is None or document.issued_date is None:
        raise NotExchangeable(_("Chỉ gửi liên thông được văn bản đã phát hành."))
    settings = agency_settings_on(agency, document.issued_date)
    number = format_number(document.code_number)
    document_id = document_id_for(
        agency.code, document.issued_date, f"{number}/{document.code_notation}"
    )
    attachment = _signed_pdf(document)
    header = MessageHeader(
        from_organ=Organ(
            organ_id=agency.code,
            organ_name=agency.name,
            organ_add=agency.address,
            email=agency.email,
            telephone=agency.phone,
        ),
        to_organs=tuple(recipients),
        document_id=document_id,
        code=Code(number=number, notation=document.code_notation),
        promulgation=PromulgationInfo(
            place=settings.place_name if settings else agency.name, date=document.issued_date
        ),
        document_type=DocumentType(
            type_code=code_tables().document_type_code(document.document_type.key),
            type_name=document.document_type.name,
            type_detail=document.document_type.key,
        ),
        subject=document.subject,
        signer=SignerInfo(
            competence=document.delegation,
            position=document.signer_position,
            full_name=document.signer_full_name,
        ),
        due_date=document.due_date,
        other_info=OtherInfo(
            priority=Priority(document.urgency),
            promulgation_amount=document.issued_amount,
            page_amount=document.page_amount,
        ),
        to_places=tuple(r.name for r in document.recipients.all()),
    )
    moment = sent_at or timezone.now()
    return DocumentMessage(
        header=header,
        traces=(TraceHeader(organ_id=agency.code, timestamp=moment.replace(microsecond=0)),),
        business=Business(document_id=document_id, doc_type=BusinessDocType.NEW, staff=staff),
        attachments=(attachment,) if attachment else (),
    )


def incoming_fields_from_message(parsed: ParsedPackage) -> dict[str, Any]:
    """Field values of an ``IncomingDocument`` for a received, verified package (no file: the
    attachments are stored by the caller)."""
    header = parsed.message.header
    kind = (
        document_type(None, header.document_type.type_detail)
        if header.document_type.type_detail
        else None
    )
    signer_position = " ".join(p for p in (header.signer.competence, header.signer.position) if p)
    return {
        "organ_id": header.from_organ.organ_id,
        "organ_name": header.from_organ.organ_name,
        "document_type": kind,
        "type_name": header.document_type.type_name,
        "code_number": header.code.number,
        "code_notation": header.code.notation,
        "issued_date": header.promulgation.date,
        "subject": header.subject,
        "page_amount": header.other_info.page_amount,
        "signer_position": signer_position,
        "signer_full_name": header.signer.full_name,
        "urgency": Urgency(header.other_info.priority.value),
        "to_places": "; ".join(header.to_places),
        "due_date": header.due_date,
    }
