from __future__ import annotations

from collections.abc import Callable

import pytest
from lxml import etree

from egov.exchange.tests import golden_pki
from egov.exchange.wire import q
from egov.exchange.xmlsig import DS, PackageSigner, TrustStore, sign_tree


@pytest.fixture(scope="session")
def golden_signer() -> PackageSigner:
    return golden_pki.signer()


@pytest.fixture(scope="session")
def golden_trust() -> TrustStore:
    return golden_pki.trust()


def resign(data: bytes, change: Callable[[etree._Element], None]) -> bytes:
    """``data`` changed by ``change`` and signed again with the golden key: a package whose
    signature is valid but whose content is wrong."""
    root = etree.fromstring(data)
    for signature in root.iter(f"{{{DS}}}Signature"):
        parent = signature.getparent()
        assert parent is not None
        parent.remove(signature)
        break
    change(root)
    header = root.find(f"{q('edXMLEnvelope')}/{q('edXMLHeader')}")
    assert header is not None
    return sign_tree(root, signer=golden_pki.signer(), parent=header)


def node(root: etree._Element, path: str) -> etree._Element:
    """The element at ``path`` (``edXMLEnvelope/edXMLHeader/MessageHeader/Subject``)."""
    found = root.find("/".join(q(part) for part in path.split("/")))
    assert found is not None, path
    return found


def drop(path: str) -> Callable[[etree._Element], None]:
    def change(root: etree._Element) -> None:
        element = node(root, path)
        parent = element.getparent()
        assert parent is not None
        parent.remove(element)

    return change


def set_text(path: str, text: str) -> Callable[[etree._Element], None]:
    def change(root: etree._Element) -> None:
        node(root, path).text = text

    return change
