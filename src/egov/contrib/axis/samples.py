"""Routing-only packages (the edXML header parts the axis reads), for the axis's own tests and
for trials of the simulator without egov's edXML builder."""

from __future__ import annotations

from lxml import etree

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"


def _sub(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
    node = etree.SubElement(parent, f"{{{NS}}}{name}")
    if text is not None:
        node.text = text
    return node


def edoc(sender: str, recipients: list[str], document_id: str, business: int = 0) -> bytes:
    """A document message with the routing part of an edXML header (QCVN 102:2016)."""
    root = etree.Element(f"{{{NS}}}edXML", nsmap={"edXML": NS})
    header = _sub(_sub(root, "edXMLEnvelope"), "edXMLHeader")
    message = _sub(header, "MessageHeader")
    _sub(_sub(message, "From"), "OrganId", sender)
    for code in recipients:
        _sub(_sub(message, "To"), "OrganId", code)
    _sub(message, "DocumentId", document_id)
    trace = _sub(header, "TraceHeaderList")
    _sub(_sub(trace, "Bussiness"), "BussinessDocType", str(business))
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def status(sender: str, answered_organ: str, document_id: str, code: str) -> bytes:
    root = etree.Element(f"{{{NS}}}edXML", nsmap={"edXML": NS})
    node = _sub(_sub(_sub(root, "edXMLEnvelope"), "edXMLHeader"), "Status")
    response = _sub(node, "ResponseFor")
    _sub(response, "OrganId", answered_organ)
    _sub(response, "DocumentId", document_id)
    _sub(_sub(node, "From"), "OrganId", sender)
    _sub(node, "StatusCode", code)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
