"""edXML status messages (trạng thái văn bản): the receiver tells the sender what became of a
document — arrived, rejected, accepted, assigned, in progress, completed — and both sides
exchange recall requests and answers.

Public interface (stable; the axis adapter and the inbox integration use it)::

    build_status_package(message: StatusMessage, *, signer: PackageSigner) -> bytes
    parse_status_package(data: bytes, *, trust: TrustStore) -> ParsedStatus
    package_kind(data: bytes) -> Literal["document", "status"]

Layout (research notes documents-and-signatures.md §2.3 [S: STATUS-CS, LGSP-JOB]): the same
``edXML/edXMLEnvelope/edXMLHeader`` as a document package, whose header holds ``Status`` —
``ResponseFor`` (OrganId, Code, PromulgationDate, DocumentId of the document concerned),
``From``, ``To``, ``StatusCode``, ``Description``, ``Timestamp``, ``StaffInfo`` — and the
enveloped ``ds:Signature`` (egov.exchange.xmlsig). ``To`` is not in the implementations the
notes cite (chưa xác nhận); it is written so the axis can route the status without looking the
document up. The status codes are data (``egov.exchange.codes``, ``data/codes.json``): 01 đã
đến, 02 từ chối tiếp nhận, 03 đã tiếp nhận, 04 phân công, 05 đang xử lý, 06 hoàn thành, 13 lấy
lại/thu hồi, 15 đồng ý, 16 từ chối cập nhật/lấy lại/thu hồi — from third-party code, to be
confirmed against QCVN 102:2016 and its SĐ1:2022 amendment.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from cryptography import x509
from django.utils.translation import gettext as _
from lxml import etree

from egov.exchange.codes import StatusKind, code_tables
from egov.exchange.edxml import (
    Organ,
    ResponseFor,
    StaffInfo,
    read_organ,
    read_response_for,
    read_staff,
    write_organ,
    write_response_for,
    write_staff,
)
from egov.exchange.errors import MalformedPackage, MissingElement
from egov.exchange.wire import NSMAP, Reader, element, format_timestamp, q
from egov.exchange.xmlsig import PackageSigner, TrustStore, parse_xml, sign_tree, verify_tree

__all__ = [
    "ParsedStatus",
    "StatusKind",
    "StatusMessage",
    "build_status_package",
    "package_kind",
    "parse_status_package",
]

SIGNATURE_LOCATION = f"./{q('edXMLEnvelope')}/{q('edXMLHeader')}/"
# NĐ 30/2020, Điều 21.2.b: a document returned to its sender says why; so does a refused
# recall (Phụ lục VI III.8).
REASON_REQUIRED = frozenset({StatusKind.REJECTED, StatusKind.RECALL_REFUSED})


@dataclass(frozen=True)
class StatusMessage:
    response_for: ResponseFor
    from_organ: Organ
    to_organ: Organ
    status: StatusKind
    timestamp: dt.datetime
    staff: StaffInfo
    description: str = ""


@dataclass(frozen=True)
class ParsedStatus:
    message: StatusMessage
    signer_subject: str
    signer_certificate: x509.Certificate


def _check(message: StatusMessage) -> None:
    required = {
        "Status/ResponseFor/DocumentId": message.response_for.document_id,
        "Status/ResponseFor/OrganId": message.response_for.organ_id,
        "Status/ResponseFor/Code": message.response_for.code,
        "Status/From/OrganId": message.from_organ.organ_id,
        "Status/From/OrganName": message.from_organ.organ_name,
        "Status/To/OrganId": message.to_organ.organ_id,
        "Status/To/OrganName": message.to_organ.organ_name,
        "Status/StaffInfo/Staff": message.staff.staff,
    }
    if message.status in REASON_REQUIRED:
        required["Status/Description"] = message.description
    for path, value in required.items():
        if not value.strip():
            raise MissingElement(path)


def status_tree(message: StatusMessage) -> tuple[etree._Element, etree._Element]:
    """The unsigned status package and the element the signature goes into."""
    _check(message)
    root = etree.Element(q("edXML"), nsmap=NSMAP)
    header = element(element(root, "edXMLEnvelope"), "edXMLHeader")
    node = element(header, "Status")
    write_response_for(node, message.response_for)
    write_organ(node, "From", message.from_organ)
    write_organ(node, "To", message.to_organ)
    element(node, "StatusCode", code_tables().status.wire(message.status))
    element(node, "Description", message.description)
    element(node, "Timestamp", format_timestamp(message.timestamp))
    write_staff(node, message.staff)
    return root, header


def build_status_package(message: StatusMessage, *, signer: PackageSigner) -> bytes:
    """The signed status package (UTF-8 bytes, deterministic). A rejection (02) and a refused
    recall (16) need a description: ``MissingElement`` otherwise."""
    root, header = status_tree(message)
    return sign_tree(root, signer=signer, parent=header)


def read_status(root: etree._Element) -> StatusMessage:
    header = Reader(root, "").child("edXMLEnvelope").child("edXMLHeader")
    reader = Reader(header.node, "").child("Status")
    wire = reader.text("StatusCode").strip()
    meaning = code_tables().status.meaning(wire)
    if meaning is None:
        raise reader.invalid("StatusCode", wire)
    status = StatusKind(meaning)
    description = reader.optional_text("Description")
    if status in REASON_REQUIRED and not description.strip():
        raise MissingElement("Status/Description")
    return StatusMessage(
        response_for=read_response_for(reader.child("ResponseFor")),
        from_organ=read_organ(reader.child("From")),
        to_organ=read_organ(reader.child("To")),
        status=status,
        timestamp=reader.timestamp("Timestamp"),
        staff=read_staff(reader.child("StaffInfo")),
        description=description,
    )


def parse_status_package(data: bytes, *, trust: TrustStore) -> ParsedStatus:
    """Verify and read a status package; errors as ``parse_document_package``."""
    verified = verify_tree(data, trust=trust, location=SIGNATURE_LOCATION, root_tag=q("edXML"))
    return ParsedStatus(
        message=read_status(verified.root),
        signer_subject=verified.certificate.subject.rfc4514_string(),
        signer_certificate=verified.certificate,
    )


def package_kind(data: bytes) -> Literal["document", "status"]:
    """Which parser a received package needs (nothing is verified here)."""
    root = parse_xml(data)
    header = root.find(f"{q('edXMLEnvelope')}/{q('edXMLHeader')}")
    if root.tag != q("edXML") or header is None:
        raise MalformedPackage(_("Gói tin không phải là gói tin edXML."))
    if header.find(q("Status")) is not None:
        return "status"
    if header.find(q("MessageHeader")) is not None:
        return "document"
    raise MalformedPackage(_("Gói tin không phải là gói tin edXML."))
