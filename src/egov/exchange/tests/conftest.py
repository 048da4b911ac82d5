"""The exchange tests' world: the documents tests' small province (the People's Committee
000.00.00.T01 and Sở Nội vụ 000.00.00.T02), both connected to an axis simulator through
the committee's system, and a ministry (000.00.00.G22) on the axis outside this system."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.test import override_settings
from lxml import etree

from egov.contrib.axis.simulator import AxisSimulator
from egov.contrib.axis.store import AxisStore
from egov.documents.tests.conftest import Province, province
from egov.exchange.axis import HttpAxis
from egov.exchange.tests import golden_pki
from egov.exchange.wire import q
from egov.exchange.xmlsig import DS, PackageSigner, TrustStore, sign_tree

__all__ = ["Province", "province"]

COMMITTEE, DEPARTMENT, MINISTRY = "000.00.00.T01", "000.00.00.T02", "000.00.00.G22"


@dataclass
class World:
    simulator: AxisSimulator
    axis: HttpAxis
    ministry: HttpAxis


@pytest.fixture
def world() -> Iterator[World]:
    store = AxisStore()
    store.register(code=COMMITTEE, name="Ủy ban nhân dân tỉnh Thử", secret="secret-t01")
    store.register(code=DEPARTMENT, name="Sở Nội vụ tỉnh Thử", secret="x", via=COMMITTEE)
    store.register(code=MINISTRY, name="Văn phòng Chính phủ", secret="secret-g22")
    simulator = AxisSimulator(store).start()
    with override_settings(
        EGOV_AXIS_URL=simulator.base_url,
        EGOV_AXIS_ORGAN_ID=COMMITTEE,
        EGOV_AXIS_SECRET="secret-t01",
    ):
        yield World(
            simulator=simulator,
            axis=HttpAxis(
                base_url=simulator.base_url, organ_id=COMMITTEE, secret="secret-t01", timeout=5
            ),
            ministry=HttpAxis(
                base_url=simulator.base_url, organ_id=MINISTRY, secret="secret-g22", timeout=5
            ),
        )
    simulator.stop()
    store.close()


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
