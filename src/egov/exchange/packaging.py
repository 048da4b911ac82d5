"""Packages of the exchange: what is sent for an outgoing document or a status, and what
is read from a package that arrived.

The edXML elements used are those of QCVN 102:2016/BTTTT as observed in the VPCP SDK sample
(docs/exchange.md): MessageHeader (From, To, DocumentId, Code, PromulgationInfo,
DocumentType, Subject, SignerInfo, DueDate, OtherInfo/Priority), TraceHeaderList/Bussiness
(BussinessDocType, BussinessDocReason, ReplacementInfoList) and AttachmentEncoded; the
status message ``Status`` (ResponseFor, From, StatusCode, Description, Timestamp,
StaffInfo). The PDF attachments carry the signatures, verified on receipt.
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from lxml import etree

from egov.core.uploads import open_private
from egov.documents.catalogue import Urgency
from egov.documents.models import OutgoingDocument, VersionKind
from egov.documents.notation import format_number
from egov.exchange.models import SentPackage, StatusMessage
from egov.workdays.engine import VIETNAM_TZ

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
# edXML OtherInfo/Priority: the code list is chưa xác nhận (QCVN text not read).
PRIORITY = {Urgency.NORMAL: "0", Urgency.URGENT: "1", Urgency.VERY_URGENT: "2", Urgency.FLASH: "3"}
URGENCY = {code: urgency for urgency, code in PRIORITY.items()}


class PackageError(ValueError):
    """A package that cannot be read (not XML, or the header lacks what we need)."""


def document_id(document: OutgoingDocument) -> str:
    """``<OrganId>,<yyyy/mm/dd>,<số/ký hiệu>`` (the SDK sample's form)."""
    day = document.issued_date or timezone.localdate()
    return f"{document.agency.code},{day:%Y/%m/%d},{document.number_text}"


def _sub(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
    node = etree.SubElement(parent, f"{{{NS}}}{name}")
    if text is not None:
        node.text = text
    return node


def _bytes(root: etree._Element) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def _signed_file(document: OutgoingDocument) -> tuple[str, bytes] | None:
    if document.is_secret:
        return None
    version = (
        document.versions.filter(kind__in=[VersionKind.AGENCY_SIGNED, VersionKind.PERSONAL_SIGNED])
        .order_by("-number")
        .select_related("file")
        .first()
    )
    if version is None:
        return None
    with open_private(version.file.key) as stream:
        return version.file.name or "van-ban.pdf", stream.read()


def document_package(sent: SentPackage) -> bytes:
    document = sent.outgoing
    root = etree.Element(f"{{{NS}}}edXML", nsmap={"edXML": NS})
    envelope = _sub(root, "edXMLEnvelope")
    header = _sub(envelope, "edXMLHeader")
    message = _sub(header, "MessageHeader")
    sender = _sub(message, "From")
    _sub(sender, "OrganId", sent.from_organ)
    _sub(sender, "OrganName", document.agency.name)
    to = _sub(message, "To")
    _sub(to, "OrganId", sent.to_organ)
    _sub(to, "OrganName", sent.recipient.name)
    _sub(message, "DocumentId", sent.document_id)
    code = _sub(message, "Code")
    _sub(code, "CodeNumber", format_number(document.code_number or 0))
    _sub(code, "CodeNotation", document.code_notation)
    promulgation = _sub(message, "PromulgationInfo")
    if document.issued_date:
        _sub(promulgation, "PromulgationDate", f"{document.issued_date:%Y/%m/%d}")
    kind = _sub(message, "DocumentType")
    _sub(kind, "TypeName", document.document_type.name)
    _sub(message, "Subject", document.subject)
    signer = _sub(message, "SignerInfo")
    _sub(signer, "Competence", document.delegation)
    _sub(signer, "Position", document.signer_position)
    _sub(signer, "FullName", document.signer_full_name)
    if document.due_date:
        _sub(message, "DueDate", f"{document.due_date:%Y/%m/%d}")
    other = _sub(message, "OtherInfo")
    _sub(other, "Priority", PRIORITY.get(Urgency(document.urgency), "0"))
    if document.page_amount:
        _sub(other, "PageAmount", str(document.page_amount))
    trace = _sub(header, "TraceHeaderList")
    hop = _sub(trace, "TraceHeader")
    _sub(hop, "OrganId", sent.from_organ)
    _sub(hop, "Timestamp", f"{timezone.now().astimezone(VIETNAM_TZ):%Y/%m/%d %H:%M:%S}")
    business = _sub(trace, "Bussiness")
    _sub(business, "DocumentId", sent.document_id)
    _sub(business, "BussinessDocType", str(sent.business_type))
    _sub(business, "BussinessDocReason", sent.reason)
    if sent.replaces_document_id:
        replaced = _sub(_sub(business, "ReplacementInfoList"), "ReplacementInfo")
        _sub(replaced, "DocumentId", sent.replaces_document_id)
    signed = _signed_file(document) if sent.business_type != 1 else None
    if signed is not None:
        name, data = signed
        manifest = _sub(_sub(envelope, "edXMLBody"), "edXMLManifest")
        manifest.set("version", "1.0")
        reference = _sub(manifest, "Reference")
        _sub(reference, "ContentId", "cid:1")
        _sub(reference, "ContentType", "application/pdf")
        _sub(reference, "AttachmentName", name)
        attachment = _sub(_sub(root, "AttachmentEncoded"), "Attachment")
        _sub(attachment, "ContentId", "cid:1")
        _sub(attachment, "AttachmentName", name)
        _sub(attachment, "ContentType", "application/pdf")
        _sub(attachment, "ContentTransferEncoded", base64.b64encode(data).decode("ascii"))
    return _bytes(root)


def status_package(status: StatusMessage) -> bytes:
    root = etree.Element(f"{{{NS}}}edXML", nsmap={"edXML": NS})
    node = _sub(_sub(_sub(root, "edXMLEnvelope"), "edXMLHeader"), "Status")
    response = _sub(node, "ResponseFor")
    _sub(response, "OrganId", status.to_organ)
    _sub(response, "DocumentId", status.document_id)
    _sub(_sub(node, "From"), "OrganId", status.from_organ)
    _sub(node, "StatusCode", status.code)
    _sub(node, "Description", status.description)
    _sub(node, "Timestamp", f"{status.at.astimezone(VIETNAM_TZ):%Y/%m/%d %H:%M:%S}")
    _sub(_sub(node, "StaffInfo"), "Staff", status.staff)
    return _bytes(root)


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


@dataclass(frozen=True)
class StatusRead:
    document_id: str
    from_organ: str
    code: str
    description: str
    at: dt.datetime | None
    staff: str


def _parse(data: bytes) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        return etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise PackageError(str(exc)) from None


def _q(*names: str) -> str:
    return "/".join(f"*[local-name()='{name}']" for name in names)


def _text(node: etree._Element, *names: str) -> str:
    found = node.xpath(_q(*names))
    return str(found[0].text or "").strip() if found else ""


def _date(text: str) -> dt.date | None:
    try:
        return dt.date(*map(int, text.split("/"))) if text else None
    except (TypeError, ValueError):
        return None


def read_document(data: bytes) -> DocumentRead:
    root = _parse(data)
    headers = root.xpath(".//" + _q("MessageHeader"))
    if not headers:
        raise PackageError("no MessageHeader")
    header = headers[0]
    business = root.xpath(".//" + _q("Bussiness"))
    kind = _text(business[0], "BussinessDocType") if business else "0"
    try:
        business_type = int(kind or "0")
    except ValueError:
        raise PackageError(f"BussinessDocType {kind!r}") from None
    if business_type not in (0, 1, 2, 3):
        raise PackageError(f"BussinessDocType {kind!r}")
    signer_parts = (
        _text(header, "SignerInfo", "Competence"),
        _text(header, "SignerInfo", "Position"),
    )
    fields: dict[str, Any] = {
        "organ_id": _text(header, "From", "OrganId")[:13],
        "code_number": _text(header, "Code", "CodeNumber")[:11],
        "code_notation": _text(header, "Code", "CodeNotation")[:30],
        "issued_date": _date(_text(header, "PromulgationInfo", "PromulgationDate")),
        "type_name": _text(header, "DocumentType", "TypeName")[:100],
        "signer_position": " ".join(p for p in signer_parts if p)[:100],
        "signer_full_name": _text(header, "SignerInfo", "FullName")[:50],
        "due_date": _date(_text(header, "DueDate")),
        "urgency": URGENCY.get(_text(header, "OtherInfo", "Priority"), Urgency.NORMAL),
    }
    pages = _text(header, "OtherInfo", "PageAmount")
    if pages.isdigit():
        fields["page_amount"] = int(pages)
    read = DocumentRead(
        document_id=_text(header, "DocumentId"),
        from_organ=_text(header, "From", "OrganId"),
        organ_name=_text(header, "From", "OrganName")[:200],
        business_type=business_type,
        reason=_text(business[0], "BussinessDocReason")[:500] if business else "",
        replaces_document_id=(
            _text(business[0], "ReplacementInfoList", "ReplacementInfo", "DocumentId")
            if business
            else ""
        ),
        fields=fields | {"subject": _text(header, "Subject")[:500]},
    )
    if not read.document_id or not read.from_organ:
        raise PackageError("no DocumentId or From/OrganId")
    for attachment in root.xpath(".//" + _q("AttachmentEncoded", "Attachment")):
        encoded = _text(attachment, "ContentTransferEncoded")
        try:
            content = base64.b64decode(encoded, validate=False)
        except ValueError:
            raise PackageError("attachment is not base64") from None
        read.attachments.append((_text(attachment, "AttachmentName") or "van-ban.pdf", content))
    return read


def read_status(data: bytes) -> StatusRead:
    root = _parse(data)
    statuses = root.xpath("descendant-or-self::" + _q("Status"))
    if not statuses:
        raise PackageError("no Status")
    node = statuses[0]
    stamp = _text(node, "Timestamp")
    try:
        at = dt.datetime.strptime(stamp, "%Y/%m/%d %H:%M:%S").replace(tzinfo=VIETNAM_TZ)
    except ValueError:
        at = None
    read = StatusRead(
        document_id=_text(node, "ResponseFor", "DocumentId"),
        from_organ=_text(node, "From", "OrganId"),
        code=_text(node, "StatusCode")[:2],
        description=_text(node, "Description")[:500],
        at=at,
        staff=_text(node, "StaffInfo", "Staff")[:100],
    )
    if not read.document_id or not read.code:
        raise PackageError("no DocumentId or StatusCode")
    return read
