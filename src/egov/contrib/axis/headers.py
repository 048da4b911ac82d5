"""The routing header of a package, as the axis reads it: who sends, to whom, which document.

The axis routes on the edXML MessageHeader (QCVN 102:2016/BTTTT): ``From/OrganId`` and each
``To/OrganId`` of a document message; a status message (``Status``) goes to the organ of the
document it answers (``ResponseFor/OrganId``) unless it names a ``To``. Elements are matched
by local name, so the standard's namespace (``http://www.mic.gov.vn/TBT/QCVN_102_2016``) and
an unqualified document read alike. The rest of the package is opaque to the axis.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

EDOC, STATUS = "edoc", "status"
MESSAGE_TYPES = (EDOC, STATUS)
# A package larger than this is refused before parsing (the axis is not a file store).
MAX_PACKAGE_BYTES = 50 * 1024 * 1024


class HeaderError(ValueError):
    """The package is not XML or lacks the elements the axis routes on."""


@dataclass(frozen=True)
class RoutingHeader:
    message_type: str
    from_organ: str
    to_organs: tuple[str, ...]
    document_id: str
    # BussinessDocType of a document message (0 new, 1 recall, 2 update, 3 replace); the
    # status code of a status message.
    business_type: str


def _parser() -> etree.XMLParser:
    # No entities, no network, no huge trees: the package comes from outside.
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def _text(node: etree._Element, path: str) -> str:
    found = node.xpath(path)
    if not found:
        return ""
    first = found[0]
    value = first if isinstance(first, str) else (first.text or "")
    return str(value).strip()


def _local(*names: str) -> str:
    return "/".join(f"*[local-name()='{name}']" for name in names)


def read_header(data: bytes, message_type: str) -> RoutingHeader:
    """The routing header of ``data`` (a document or a status message)."""
    if message_type not in MESSAGE_TYPES:
        raise HeaderError(f"unknown message type {message_type!r}")
    if len(data) > MAX_PACKAGE_BYTES:
        raise HeaderError("package too large")
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as exc:
        raise HeaderError(f"not XML: {exc}") from None
    if message_type == EDOC:
        headers = root.xpath(".//" + _local("MessageHeader"))
        if not headers:
            raise HeaderError("no MessageHeader")
        header = headers[0]
        sender = _text(header, _local("From", "OrganId"))
        recipients = tuple(
            str(node.text or "").strip()
            for node in header.xpath(_local("To", "OrganId"))
            if str(node.text or "").strip()
        )
        document_id = _text(header, _local("DocumentId"))
        business = _text(root, ".//" + _local("Bussiness", "BussinessDocType")) or "0"
    else:
        statuses = root.xpath("descendant-or-self::" + _local("Status"))
        if not statuses:
            raise HeaderError("no Status")
        status = statuses[0]
        sender = _text(status, _local("From", "OrganId"))
        named = tuple(
            str(node.text or "").strip()
            for node in status.xpath(_local("To", "OrganId"))
            if str(node.text or "").strip()
        )
        answered = _text(status, _local("ResponseFor", "OrganId"))
        recipients = named or ((answered,) if answered else ())
        document_id = _text(status, _local("ResponseFor", "DocumentId"))
        business = _text(status, _local("StatusCode"))
    if not sender:
        raise HeaderError("no From/OrganId")
    if not recipients:
        raise HeaderError("no recipient OrganId")
    if not document_id:
        raise HeaderError("no DocumentId")
    return RoutingHeader(
        message_type=message_type,
        from_organ=sender,
        to_organs=recipients,
        document_id=document_id,
        business_type=business,
    )
