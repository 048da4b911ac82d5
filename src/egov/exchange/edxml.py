"""edXML document packages (QCVN 102:2016/BTTTT): typed messages, the builder and the parser.

Public interface (stable; the axis adapter and the inbox integration use it)::

    build_document_package(message: DocumentMessage, *, signer: PackageSigner) -> bytes
    parse_document_package(data: bytes, *, trust: TrustStore) -> ParsedPackage
    document_id_for(organ_id: str, promulgation_date: dt.date, number_and_notation: str) -> str

``parse_document_package`` verifies the XML signature and the certificate chain first, then
reads only the signed content; it raises a subclass of ``egov.exchange.errors.PackageError``
(Vietnamese message, stable ``code``) for anything wrong, never something else.

Layout of a package (research notes documents-and-signatures.md §2.2 [S: EDXML-SAMPLE,
EDXML-BUILDER]; namespace ``http://www.mic.gov.vn/TBT/QCVN_102_2016``)::

    edXML
      edXMLEnvelope
        edXMLHeader
          MessageHeader      From, To*, DocumentId, Code, PromulgationInfo, DocumentType,
                             Subject, Content?, SignerInfo, DueDate?, OtherInfo, SteeringType,
                             ToPlaces, ResponseFor*
          TraceHeaderList    TraceHeader* (OrganId, Timestamp), Bussiness
          ds:Signature       XML-DSig, enveloped (egov.exchange.xmlsig)
        edXMLBody
          edXMLManifest version="1.0"   Reference* (ContentId, ContentType, Description,
                                        AttachmentName)
      AttachmentEncoded      Attachment* (ContentId, AttachmentName, Description,
                             ContentType, ContentTransferEncoded = base64)

Unconfirmed (chưa xác nhận, notes §2.2 and §7.1): the code lists of DocumentType, Priority and
SteeringType; the children of ReplacementInfoList (written here as ReplacementInfo/DocumentId);
the position of ResponseFor in MessageHeader; whether attachments must be zipped before base64
(the SDK sample zips them; files are sent as they are here, with their own MIME type).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from dataclasses import dataclass

from cryptography import x509
from lxml import etree

from egov.exchange.codes import BusinessDocType, Priority, SteeringType, code_tables
from egov.exchange.errors import BadAttachmentEncoding, InvalidValue, MissingElement
from egov.exchange.wire import (
    NSMAP,
    Reader,
    element,
    format_date,
    format_timestamp,
    optional,
    q,
)
from egov.exchange.xmlsig import PackageSigner, TrustStore, sign_tree, verify_tree

__all__ = [
    "Attachment",
    "Business",
    "Code",
    "DocumentMessage",
    "DocumentType",
    "MessageHeader",
    "Organ",
    "OtherInfo",
    "ParsedPackage",
    "PromulgationInfo",
    "ResponseFor",
    "SignerInfo",
    "StaffInfo",
    "TraceHeader",
    "build_document_package",
    "document_id_for",
    "parse_document_package",
]

SIGNATURE_LOCATION = f"./{q('edXMLEnvelope')}/{q('edXMLHeader')}/"


# --- the message ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Organ:
    """From / To: an agency by its mã định danh (``000.00.00.G22``, QĐ 20/2020/QĐ-TTg)."""

    organ_id: str
    organ_name: str
    organization_in_charge: str = ""
    organ_add: str = ""
    email: str = ""
    telephone: str = ""
    fax: str = ""
    website: str = ""


@dataclass(frozen=True)
class Code:
    """Số and ký hiệu (NĐ 30/2020, Điều 15): ``CodeNumber`` ``05``, ``CodeNotation``
    ``QĐ-UBND``."""

    number: str
    notation: str

    @property
    def text(self) -> str:
        return f"{self.number}/{self.notation}"


@dataclass(frozen=True)
class PromulgationInfo:
    place: str
    date: dt.date


@dataclass(frozen=True)
class DocumentType:
    """``Type`` and ``TypeDetail`` are codes of an unconfirmed list [U]; kept as given."""

    type_code: str
    type_name: str
    type_detail: str = ""


@dataclass(frozen=True)
class SignerInfo:
    """Thẩm quyền (``TL. BỘ TRƯỞNG``), chức vụ and họ tên of the person who signed."""

    competence: str
    position: str
    full_name: str


@dataclass(frozen=True)
class OtherInfo:
    priority: Priority = Priority.NORMAL
    sphere_of_promulgation: str = ""
    typer_notation: str = ""
    promulgation_amount: int | None = None
    page_amount: int | None = None
    direction: bool = False
    appendixes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ResponseFor:
    """The earlier document this one answers (or a status message is about)."""

    organ_id: str
    code: str
    promulgation_date: dt.date
    document_id: str


@dataclass(frozen=True)
class MessageHeader:
    from_organ: Organ
    to_organs: tuple[Organ, ...]
    document_id: str
    code: Code
    promulgation: PromulgationInfo
    document_type: DocumentType
    subject: str
    signer: SignerInfo
    content: str = ""
    due_date: dt.date | None = None
    other_info: OtherInfo = OtherInfo()
    steering_type: SteeringType = SteeringType.NORMAL
    to_places: tuple[str, ...] = ()
    response_for: tuple[ResponseFor, ...] = ()


@dataclass(frozen=True)
class TraceHeader:
    """One hop: which agency handled the package, when."""

    organ_id: str
    timestamp: dt.datetime


@dataclass(frozen=True)
class StaffInfo:
    department: str
    staff: str
    email: str = ""
    mobile: str = ""


@dataclass(frozen=True)
class Business:
    """Bussiness (sic): what the package does. ``document_id`` is the document concerned
    (the message's own id for a new document, the earlier one for recall, update and
    replace); ``replaced_document_ids`` the documents a replacement supersedes."""

    document_id: str
    doc_type: BusinessDocType = BusinessDocType.NEW
    reason: str = ""
    paper: bool = False
    staff: StaffInfo | None = None
    replaced_document_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Attachment:
    content_id: str
    name: str
    content_type: str
    content: bytes
    description: str = ""


@dataclass(frozen=True)
class DocumentMessage:
    header: MessageHeader
    traces: tuple[TraceHeader, ...]
    business: Business
    attachments: tuple[Attachment, ...] = ()


@dataclass(frozen=True)
class ParsedPackage:
    """A verified package: its message (attachments included) and who signed it."""

    message: DocumentMessage
    signer_subject: str
    signer_certificate: x509.Certificate


def document_id_for(organ_id: str, promulgation_date: dt.date, number_and_notation: str) -> str:
    """The global id of a document: ``<OrganId>,<yyyy/mm/dd>,<số/ký hiệu>`` (notes §2.2,
    e.g. ``000.00.00.G22,2015/09/30,7816/VPCP-TTĐT``)."""
    return f"{organ_id},{format_date(promulgation_date)},{number_and_notation}"


# --- writing -------------------------------------------------------------------------------


def write_organ(parent: etree._Element, name: str, organ: Organ) -> None:
    node = element(parent, name)
    element(node, "OrganId", organ.organ_id)
    optional(node, "OrganizationInCharge", organ.organization_in_charge)
    element(node, "OrganName", organ.organ_name)
    optional(node, "OrganAdd", organ.organ_add)
    optional(node, "Email", organ.email)
    optional(node, "Telephone", organ.telephone)
    optional(node, "Fax", organ.fax)
    optional(node, "Website", organ.website)


def write_response_for(parent: etree._Element, response: ResponseFor) -> None:
    node = element(parent, "ResponseFor")
    element(node, "OrganId", response.organ_id)
    element(node, "Code", response.code)
    element(node, "PromulgationDate", format_date(response.promulgation_date))
    element(node, "DocumentId", response.document_id)


def write_staff(parent: etree._Element, staff: StaffInfo) -> None:
    node = element(parent, "StaffInfo")
    element(node, "Department", staff.department)
    element(node, "Staff", staff.staff)
    optional(node, "Email", staff.email)
    optional(node, "Mobile", staff.mobile)


def _check_message(message: DocumentMessage) -> None:
    """What the parser requires, refused before anything is signed."""
    header = message.header
    required = {
        "MessageHeader/From/OrganId": header.from_organ.organ_id,
        "MessageHeader/From/OrganName": header.from_organ.organ_name,
        "MessageHeader/DocumentId": header.document_id,
        "MessageHeader/Code/CodeNumber": header.code.number,
        "MessageHeader/Code/CodeNotation": header.code.notation,
        "MessageHeader/PromulgationInfo/Place": header.promulgation.place,
        "MessageHeader/DocumentType/Type": header.document_type.type_code,
        "MessageHeader/DocumentType/TypeName": header.document_type.type_name,
        "MessageHeader/Subject": header.subject,
        "MessageHeader/SignerInfo/FullName": header.signer.full_name,
        "TraceHeaderList/Bussiness/DocumentId": message.business.document_id,
    }
    for path, value in required.items():
        if not value.strip():
            raise MissingElement(path)
    if not header.to_organs:
        raise MissingElement("MessageHeader/To")
    for organ in header.to_organs:
        if not organ.organ_id.strip():
            raise MissingElement("MessageHeader/To/OrganId")
    if not message.traces:
        raise MissingElement("TraceHeaderList/TraceHeader")
    seen: set[str] = set()
    for attachment in message.attachments:
        if not attachment.content_id.strip():
            raise MissingElement("AttachmentEncoded/Attachment/ContentId")
        if attachment.content_id in seen:
            raise InvalidValue("AttachmentEncoded/Attachment/ContentId", attachment.content_id)
        seen.add(attachment.content_id)


def document_tree(message: DocumentMessage) -> tuple[etree._Element, etree._Element]:
    """The unsigned package and the element the signature goes into (edXMLHeader)."""
    _check_message(message)
    tables = code_tables()
    header = message.header
    root = etree.Element(q("edXML"), nsmap=NSMAP)
    envelope = element(root, "edXMLEnvelope")
    xml_header = element(envelope, "edXMLHeader")

    node = element(xml_header, "MessageHeader")
    write_organ(node, "From", header.from_organ)
    for organ in header.to_organs:
        write_organ(node, "To", organ)
    element(node, "DocumentId", header.document_id)
    code = element(node, "Code")
    element(code, "CodeNumber", header.code.number)
    element(code, "CodeNotation", header.code.notation)
    promulgation = element(node, "PromulgationInfo")
    element(promulgation, "Place", header.promulgation.place)
    element(promulgation, "PromulgationDate", format_date(header.promulgation.date))
    doc_type = element(node, "DocumentType")
    element(doc_type, "Type", header.document_type.type_code)
    optional(doc_type, "TypeDetail", header.document_type.type_detail)
    element(doc_type, "TypeName", header.document_type.type_name)
    element(node, "Subject", header.subject)
    optional(node, "Content", header.content)
    signer = element(node, "SignerInfo")
    optional(signer, "Competence", header.signer.competence)
    optional(signer, "Position", header.signer.position)
    element(signer, "FullName", header.signer.full_name)
    if header.due_date is not None:
        element(node, "DueDate", format_date(header.due_date))
    other = header.other_info
    other_node = element(node, "OtherInfo")
    element(other_node, "Priority", tables.priority.wire(other.priority))
    optional(other_node, "SphereOfPromulgation", other.sphere_of_promulgation)
    optional(other_node, "TyperNotation", other.typer_notation)
    if other.promulgation_amount is not None:
        element(other_node, "PromulgationAmount", str(other.promulgation_amount))
    if other.page_amount is not None:
        element(other_node, "PageAmount", str(other.page_amount))
    element(other_node, "Direction", "true" if other.direction else "false")
    if other.appendixes:
        appendixes = element(other_node, "Appendixes")
        for appendix in other.appendixes:
            element(appendixes, "Appendix", appendix)
    element(node, "SteeringType", tables.steering_type.wire(header.steering_type))
    places = element(node, "ToPlaces")
    for place in header.to_places:
        element(places, "Place", place)
    for response in header.response_for:
        write_response_for(node, response)

    trace_list = element(xml_header, "TraceHeaderList")
    for trace in message.traces:
        trace_node = element(trace_list, "TraceHeader")
        element(trace_node, "OrganId", trace.organ_id)
        element(trace_node, "Timestamp", format_timestamp(trace.timestamp))
    business = message.business
    business_node = element(trace_list, "Bussiness")
    element(business_node, "DocumentId", business.document_id)
    element(business_node, "BussinessDocType", tables.business_doc_type.wire(business.doc_type))
    optional(business_node, "BussinessDocReason", business.reason)
    element(business_node, "Paper", "1" if business.paper else "0")
    if business.staff is not None:
        write_staff(business_node, business.staff)
    if business.replaced_document_ids:
        replacements = element(business_node, "ReplacementInfoList")
        for document_id in business.replaced_document_ids:
            element(element(replacements, "ReplacementInfo"), "DocumentId", document_id)

    body = element(envelope, "edXMLBody")
    manifest = element(body, "edXMLManifest")
    manifest.set("version", "1.0")
    for attachment in message.attachments:
        reference = element(manifest, "Reference")
        element(reference, "ContentId", attachment.content_id)
        element(reference, "ContentType", attachment.content_type)
        optional(reference, "Description", attachment.description)
        element(reference, "AttachmentName", attachment.name)
    encoded = element(root, "AttachmentEncoded")
    for attachment in message.attachments:
        node = element(encoded, "Attachment")
        element(node, "ContentId", attachment.content_id)
        element(node, "AttachmentName", attachment.name)
        optional(node, "Description", attachment.description)
        element(node, "ContentType", attachment.content_type)
        element(node, "ContentTransferEncoded", base64.b64encode(attachment.content).decode())
    return root, xml_header


def build_document_package(message: DocumentMessage, *, signer: PackageSigner) -> bytes:
    """The signed edXML package of ``message`` (UTF-8 bytes). Deterministic: the same
    message and key give the same bytes. Raises ``MissingElement`` / ``InvalidValue`` for a
    message the parser would refuse."""
    root, xml_header = document_tree(message)
    return sign_tree(root, signer=signer, parent=xml_header)


# --- reading -------------------------------------------------------------------------------


def read_organ(reader: Reader) -> Organ:
    return Organ(
        organ_id=reader.text("OrganId"),
        organ_name=reader.text("OrganName"),
        organization_in_charge=reader.optional_text("OrganizationInCharge"),
        organ_add=reader.optional_text("OrganAdd"),
        email=reader.optional_text("Email"),
        telephone=reader.optional_text("Telephone"),
        fax=reader.optional_text("Fax"),
        website=reader.optional_text("Website"),
    )


def read_response_for(reader: Reader) -> ResponseFor:
    return ResponseFor(
        organ_id=reader.text("OrganId"),
        code=reader.text("Code"),
        promulgation_date=reader.date("PromulgationDate"),
        document_id=reader.text("DocumentId"),
    )


def read_staff(reader: Reader) -> StaffInfo:
    return StaffInfo(
        department=reader.optional_text("Department"),
        staff=reader.text("Staff"),
        email=reader.optional_text("Email"),
        mobile=reader.optional_text("Mobile"),
    )


def _coded(reader: Reader, name: str, table: str) -> str:
    wire = reader.text(name).strip()
    meaning = getattr(code_tables(), table).meaning(wire)
    if meaning is None:
        raise reader.invalid(name, wire)
    return str(meaning)


def _read_header(reader: Reader) -> MessageHeader:
    code = reader.child("Code")
    promulgation = reader.child("PromulgationInfo")
    doc_type = reader.child("DocumentType")
    signer = reader.child("SignerInfo")
    other = reader.maybe_child("OtherInfo")
    to_organs = tuple(read_organ(r) for r in reader.children("To"))
    if not to_organs:
        raise MissingElement(f"{reader.path}/To")
    other_info = OtherInfo()
    if other is not None:
        appendixes = other.maybe_child("Appendixes")
        other_info = OtherInfo(
            priority=Priority(_coded(other, "Priority", "priority")),
            sphere_of_promulgation=other.optional_text("SphereOfPromulgation"),
            typer_notation=other.optional_text("TyperNotation"),
            promulgation_amount=other.optional_int("PromulgationAmount"),
            page_amount=other.optional_int("PageAmount"),
            direction=other.boolean("Direction"),
            appendixes=tuple(
                a.own_text() for a in (appendixes.children("Appendix") if appendixes else [])
            ),
        )
    places = reader.maybe_child("ToPlaces")
    steering = (
        SteeringType(_coded(reader, "SteeringType", "steering_type"))
        if reader.optional_text("SteeringType").strip()
        else SteeringType.NORMAL
    )
    return MessageHeader(
        from_organ=read_organ(reader.child("From")),
        to_organs=to_organs,
        document_id=reader.text("DocumentId"),
        code=Code(number=code.text("CodeNumber"), notation=code.text("CodeNotation")),
        promulgation=PromulgationInfo(
            place=promulgation.text("Place"), date=promulgation.date("PromulgationDate")
        ),
        document_type=DocumentType(
            type_code=doc_type.text("Type"),
            type_name=doc_type.text("TypeName"),
            type_detail=doc_type.optional_text("TypeDetail"),
        ),
        subject=reader.text("Subject"),
        content=reader.optional_text("Content"),
        signer=SignerInfo(
            competence=signer.optional_text("Competence"),
            position=signer.optional_text("Position"),
            full_name=signer.text("FullName"),
        ),
        due_date=reader.optional_date("DueDate"),
        other_info=other_info,
        steering_type=steering,
        to_places=tuple(p.own_text() for p in (places.children("Place") if places else [])),
        response_for=tuple(read_response_for(r) for r in reader.children("ResponseFor")),
    )


def _read_business(reader: Reader) -> Business:
    staff = reader.maybe_child("StaffInfo")
    replacements = reader.maybe_child("ReplacementInfoList")
    replaced: list[str] = []
    if replacements is not None:
        replaced = [r.text("DocumentId") for r in replacements.children("ReplacementInfo")]
    return Business(
        document_id=reader.text("DocumentId"),
        doc_type=BusinessDocType(_coded(reader, "BussinessDocType", "business_doc_type")),
        reason=reader.optional_text("BussinessDocReason"),
        paper=reader.boolean("Paper"),
        staff=read_staff(staff) if staff is not None else None,
        replaced_document_ids=tuple(replaced),
    )


def decode_base64(text: str, content_id: str) -> bytes:
    try:
        return base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        raise BadAttachmentEncoding(content_id) from None


def _read_attachments(root: Reader) -> tuple[Attachment, ...]:
    manifest = root.child("edXMLEnvelope").child("edXMLBody").child("edXMLManifest")
    references = {r.text("ContentId"): r for r in manifest.children("Reference")}
    encoded = root.maybe_child("AttachmentEncoded")
    attachments: list[Attachment] = []
    for node in encoded.children("Attachment") if encoded else []:
        content_id = node.text("ContentId")
        if content_id not in references:
            raise InvalidValue(f"{node.path}/ContentId", content_id)
        attachments.append(
            Attachment(
                content_id=content_id,
                name=node.text("AttachmentName"),
                content_type=node.text("ContentType"),
                description=node.optional_text("Description"),
                content=decode_base64(node.optional_text("ContentTransferEncoded"), content_id),
            )
        )
    listed = {a.content_id for a in attachments}
    for content_id in references:
        if content_id not in listed:
            raise MissingElement(f"AttachmentEncoded/Attachment[{content_id}]")
    return tuple(attachments)


def read_document(root: etree._Element) -> DocumentMessage:
    """The message of a (verified) package root."""
    top = Reader(root, "")
    # Paths in errors start below edXMLHeader, as the notes and the QCVN name the parts.
    header = Reader(top.child("edXMLEnvelope").child("edXMLHeader").node, "")
    trace_list = header.child("TraceHeaderList")
    traces = tuple(
        TraceHeader(organ_id=t.text("OrganId"), timestamp=t.timestamp("Timestamp"))
        for t in trace_list.children("TraceHeader")
    )
    return DocumentMessage(
        header=_read_header(header.child("MessageHeader")),
        traces=traces,
        business=_read_business(trace_list.child("Bussiness")),
        attachments=_read_attachments(top),
    )


def parse_document_package(data: bytes, *, trust: TrustStore) -> ParsedPackage:
    """Verify and read a document package. Raises ``MalformedPackage``, ``SignatureInvalid``,
    ``UntrustedCertificate``, ``MissingElement``, ``InvalidValue`` or
    ``BadAttachmentEncoding`` (all ``PackageError``)."""
    verified = verify_tree(data, trust=trust, location=SIGNATURE_LOCATION, root_tag=q("edXML"))
    message = read_document(verified.root)
    return ParsedPackage(
        message=message,
        signer_subject=verified.certificate.subject.rfc4514_string(),
        signer_certificate=verified.certificate,
    )
