"""DSS items kept between verifications (egov.signing.evidence.parsed)."""

from __future__ import annotations

import threading

from asn1crypto import crl, ocsp, x509

from egov.signing import evidence, trust
from egov.signing.services import Level, sign_pdf
from egov.signing.tests.fixtures import make_pdf
from egov.signing.verification import Verdict, verify_pdf


def _in_another_thread(action):
    result = []
    thread = threading.Thread(target=lambda: result.append(action()))
    thread.start()
    thread.join()
    return result[0]


def test_the_same_bytes_give_the_object_parsed_the_first_time_in_this_thread() -> None:
    data = trust.trust_roots()[0].dump()
    first = evidence.parsed(x509.Certificate, data)
    assert evidence.parsed(x509.Certificate, bytes(data)) is first
    assert first.dump() == data
    assert _in_another_thread(lambda: evidence.parsed(x509.Certificate, data)) is not first


def test_the_same_bytes_read_as_another_kind_are_parsed_as_that_kind() -> None:
    data = trust.trust_roots()[0].dump()
    certificate = evidence.parsed(x509.Certificate, data)
    as_crl = evidence.parsed(crl.CertificateList, data)
    assert type(certificate) is x509.Certificate and type(as_crl) is crl.CertificateList


def test_large_items_are_not_kept() -> None:
    padding = bytes(evidence.KEPT_ITEM_MAX_BYTES)
    data = b"\x30\x83" + (len(padding) + 5).to_bytes(3, "big")
    data += b"\x04\x83" + len(padding).to_bytes(3, "big") + padding
    first = evidence.parsed(ocsp.OCSPResponse, data)
    assert evidence.parsed(ocsp.OCSPResponse, data) is not first


def _item(number: int) -> bytes:
    return b"\x30\x04\x02\x02" + number.to_bytes(2, "big")


def test_the_least_recently_used_item_makes_room() -> None:
    held = [
        evidence.parsed(x509.Certificate, _item(n)) for n in range(evidence.KEPT_ITEMS_PER_THREAD)
    ]
    assert evidence.parsed(x509.Certificate, _item(0)) is held[0]  # now the most recent
    evidence.parsed(x509.Certificate, _item(evidence.KEPT_ITEMS_PER_THREAD))
    assert evidence.parsed(x509.Certificate, _item(0)) is held[0]
    assert evidence.parsed(x509.Certificate, _item(2)) is held[2]
    assert evidence.parsed(x509.Certificate, _item(1)) is not held[1]


def test_a_file_verified_again_with_kept_items_gets_the_same_report(signer_for) -> None:
    signed = sign_pdf(make_pdf(), signer=signer_for("leader"), field_name="Sig", level=Level.B_LT)
    first, again = verify_pdf(signed), verify_pdf(signed)
    assert first.verdict == Verdict.VALID
    assert again == first
