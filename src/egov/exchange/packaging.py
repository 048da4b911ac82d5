"""Packages of the exchange, built and read with the edXML package format of this app
(``edxml``, ``status``, ``mapping``, ``xmlsig``: QCVN 102:2016/BTTTT, XML-DSig with the
agency's certificate): what is sent for a queued package or status message, and what is read
— signature verified against the exchange trust store — from a package that arrived. The
rows of the exchange log keep the numeric BussinessDocType and the wire StatusCode."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.documents.models import IncomingDocument, OutgoingDocument
from egov.documents.notation import format_number
from egov.exchange.codes import BusinessDocType, StatusKind, code_tables
from egov.exchange.edxml import (
    Business,
    Organ,
    ResponseFor,
    StaffInfo,
    build_document_package,
    document_id_for,
    parse_document_package,
)
from egov.exchange.errors import PackageError as EdxmlError
from egov.exchange.mapping import incoming_fields_from_message, message_from_outgoing
from egov.exchange.models import SentPackage
from egov.exchange.models import StatusMessage as StatusRow
from egov.exchange.status import StatusMessage, build_status_package, parse_status_package
from egov.exchange.xmlsig import TrustStore, agency_package_signer

# The exchange log's BussinessDocType (0-3, as on the wire) and the format's names.
KINDS = {
    0: BusinessDocType.NEW,
    1: BusinessDocType.RECALL,
    2: BusinessDocType.UPDATE,
    3: BusinessDocType.REPLACE,
}
NUMBERS = {kind: number for number, kind in KINDS.items()}


class PackageError(ValueError):
    """A package that cannot be read or whose signature does not verify."""


def document_id(document: OutgoingDocument) -> str:
    """``<OrganId>,<yyyy/mm/dd>,<số/ký hiệu>`` — the same id the edXML mapping writes."""
    day = document.issued_date or timezone.localdate()
    number = format_number(document.code_number or 0)
    return document_id_for(document.agency.code or "", day, f"{number}/{document.code_notation}")


def document_package(sent: SentPackage) -> bytes:
    recipient = Organ(
        organ_id=sent.to_organ, organ_name=sent.recipient.name, email=sent.recipient.email
    )
    message = message_from_outgoing(sent.outgoing, [recipient])
    kind = KINDS[sent.business_type]
    if kind != BusinessDocType.NEW:
        earlier = sent.replaces_document_id or sent.document_id
        message = dataclasses.replace(
            message,
            business=Business(
                document_id=earlier,
                doc_type=kind,
                reason=sent.reason,
                replaced_document_ids=(earlier,) if sent.replaces_document_id else (),
            ),
            # A recall carries no file: the receiver already has it.
            attachments=() if kind == BusinessDocType.RECALL else message.attachments,
        )
    return build_document_package(message, signer=agency_package_signer(sent.from_organ))


def _answered(status: StatusRow) -> IncomingDocument | None:
    received = status.received
    if received is None:
        return None
    if received.incoming is not None:
        return received.incoming
    return received.concerns.incoming if received.concerns is not None else None


def status_package(status: StatusRow) -> bytes:
    document = _answered(status)
    received = status.received
    agency_name = received.agency.name if received and received.agency else status.from_organ
    code = (
        f"{document.code_number}/{document.code_notation}".strip("/")
        if document
        else status.document_id
    )
    meaning = code_tables().status.meaning(status.code)
    if meaning is None:
        raise ImproperlyConfigured(f"status code {status.code!r} is not in the code list")
    issued = document.issued_date if document and document.issued_date else timezone.localdate()
    message = StatusMessage(
        response_for=ResponseFor(
            organ_id=status.to_organ,
            code=code or status.document_id,
            promulgation_date=issued,
            document_id=status.document_id,
        ),
        from_organ=Organ(organ_id=status.from_organ, organ_name=agency_name),
        to_organ=Organ(
            organ_id=status.to_organ,
            organ_name=(document.organ_name if document else "") or status.to_organ,
        ),
        status=StatusKind(meaning),
        timestamp=status.at.replace(microsecond=0),
        staff=StaffInfo(department=agency_name, staff=status.staff or _("Văn thư")),
        description=status.description,
    )
    return build_status_package(message, signer=agency_package_signer(status.from_organ))


# --- reading ------------------------------------------------------------------------------


@dataclass
class DocumentRead:
    document_id: str
    from_organ: str
    organ_name: str
    business_type: int
    reason: str
    replaces_document_id: str
    fields: dict[str, Any]
    attachments: list[tuple[str, bytes]] = field(default_factory=list)
    signer: str = ""


@dataclass(frozen=True)
class StatusRead:
    document_id: str
    from_organ: str
    code: str
    description: str
    at: dt.datetime | None
    staff: str


def read_document(data: bytes) -> DocumentRead:
    """The verified package (XML-DSig against the exchange trust store); PackageError when it
    cannot be read or verified."""
    try:
        parsed = parse_document_package(data, trust=TrustStore.from_settings())
    except EdxmlError as exc:
        raise PackageError(str(exc)) from None
    message = parsed.message
    header, business = message.header, message.business
    fields = incoming_fields_from_message(parsed)
    organ_name = str(fields.pop("organ_name") or "")
    replaces = ""
    if business.doc_type in (BusinessDocType.UPDATE, BusinessDocType.REPLACE):
        replaces = (
            business.replaced_document_ids[0]
            if business.replaced_document_ids
            else business.document_id
        )
    return DocumentRead(
        document_id=header.document_id,
        from_organ=header.from_organ.organ_id,
        organ_name=organ_name,
        business_type=NUMBERS[business.doc_type],
        reason=business.reason[:500],
        replaces_document_id=replaces if replaces != header.document_id else "",
        fields=fields,
        attachments=[
            (a.name or "van-ban.pdf", a.content)
            for a in message.attachments
            if a.content.startswith(b"%PDF-")
        ],
        signer=parsed.signer_subject,
    )


def read_status(data: bytes) -> StatusRead:
    try:
        parsed = parse_status_package(data, trust=TrustStore.from_settings())
    except EdxmlError as exc:
        raise PackageError(str(exc)) from None
    message = parsed.message
    return StatusRead(
        document_id=message.response_for.document_id,
        from_organ=message.from_organ.organ_id,
        code=code_tables().status.wire(message.status),
        description=message.description[:500],
        at=message.timestamp,
        staff=message.staff.staff[:100],
    )
