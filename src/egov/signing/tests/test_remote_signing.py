"""Remote signing (CSC API v2 simulator) with a certificate of the development PKI: the PDF it
signs through ``sign_pdf`` validates against the development trust roots, B-LT included."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from egov.contrib.csc.client import CscClient
from egov.contrib.csc.signer import CscSigner
from egov.contrib.csc.simulator import CscSimulator, credential_material
from egov.signing.pki import LEADER_NAME, DevPki
from egov.signing.services import sign_pdf
from egov.signing.tests.fixtures import make_pdf, pdfsig
from egov.signing.verification import Revocation, Verdict, verify_pdf

USER = "022084000123"


@pytest.fixture
def simulator(dev_pki: DevPki) -> Iterator[CscSimulator]:
    simulator = CscSimulator().start()
    simulator.auto_answer = "approve"  # the signer confirms on the phone
    material = credential_material(
        common_name="Trần Thị Chi",
        organisation="UBND tỉnh Quảng Ninh",
        issuer=dev_pki.csc_issuer(),
    )
    simulator.add_credential(USER, material=material, credential_id="CRED-CHI")
    yield simulator
    simulator.stop()


def test_a_remote_signature_validates_against_the_dev_roots(simulator, tmp_path, nss_db):
    client = CscClient(
        simulator.csc_url,
        client_id=simulator.client_id,
        client_secret=simulator.client_secret,
        timeout=5.0,
        confirm_timeout=30.0,
        poll_interval=0.02,
    )
    signer = CscSigner(client, "CRED-CHI", description="Ký tờ trình 05/TTr-VP")
    assert [c.subject.native["common_name"] for c in signer.cert_registry] == [
        "Egov Dev Issuing CA (chỉ để thử nghiệm)",
        "Egov Dev Root CA (chỉ để thử nghiệm)",
    ]
    signed = sign_pdf(make_pdf(), signer=signer, field_name="SigNguoiKy")

    verification = verify_pdf(signed)
    assert verification.verdict == Verdict.VALID
    (signature,) = verification.signatures
    assert (signature.signer_name, signature.signer_organisation, signature.revocation) == (
        "Trần Thị Chi",
        "UBND tỉnh Quảng Ninh",
        Revocation.GOOD,  # the dev OCSP responder answered for it; B-LT carries the answer
    )
    path = tmp_path / "ky-tu-xa.pdf"
    path.write_bytes(signed)
    report = pdfsig(path, nss_db)
    assert "Signature Validation: Signature is Valid." in report
    assert "Certificate Validation: Certificate is Trusted." in report
    assert LEADER_NAME not in report  # a credential of its own, not the leader's key
