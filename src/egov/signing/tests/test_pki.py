"""The development PKI: generated once, loaded afterwards; the management command."""

from __future__ import annotations

import io

from cryptography import x509
from django.core.management import call_command

from egov.org.models import Unit
from egov.signing.pki import ensure_dev_pki
from egov.signing.signers import Pkcs12Signer, agency_signer_for
from egov.signing.tests.fixtures import PASSPHRASE


def test_ensure_dev_pki_is_idempotent(tmp_path):
    first = ensure_dev_pki(tmp_path / "pki", passphrase=PASSPHRASE)
    files = {p.name: p.read_bytes() for p in first.directory.iterdir()}
    second = ensure_dev_pki(tmp_path / "pki", passphrase=PASSPHRASE)
    assert second == first
    assert {p.name: p.read_bytes() for p in second.directory.iterdir()} == files
    assert sorted(files) == [
        "agency.p12",
        "expired.p12",
        "intermediate.key.pem",
        "intermediate.pem",
        "leader.p12",
        "ocsp.key.pem",
        "ocsp.pem",
        "outsider.p12",
        "pki.json",
        "revoked.p12",
        "root.key.pem",
        "root.pem",
        "tsa.key.pem",
        "tsa.pem",
        "untrusted-root.pem",
    ]


def test_certificates_carry_the_loopback_urls(dev_pki):
    leader = dev_pki.certificate("leader")
    aia = leader.extensions.get_extension_for_class(x509.AuthorityInformationAccess).value
    assert [d.access_location.value for d in aia] == [
        f"{dev_pki.base_url}/ocsp",
        f"{dev_pki.base_url}/certs/intermediate.cer",
    ]
    points = leader.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
    assert points[0].full_name[0].value == f"{dev_pki.base_url}/crl/intermediate.crl"
    subject = leader.subject.rfc4514_string()
    assert subject == "CN=Nguyễn Văn Dũng,O=UBND tỉnh Quảng Ninh,C=VN"
    agency = dev_pki.certificate("agency").subject.rfc4514_string()
    assert agency == "CN=UBND tỉnh Quảng Ninh,O=UBND tỉnh Quảng Ninh,ST=Quảng Ninh,C=VN"


def test_dev_pki_command(tmp_path, settings):
    settings.EGOV_PKI_DIR = str(tmp_path / "command-pki")
    out = io.StringIO()
    call_command("dev_pki", stdout=out)
    call_command("dev_pki", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == lines[1]
    assert str(tmp_path / "command-pki") in lines[0]


def test_agency_signer_outside_production_is_the_dev_agency(dev_pki):
    signer = agency_signer_for(Unit(code="000.00.00.H47", name="UBND tỉnh Quảng Ninh"))
    assert isinstance(signer, Pkcs12Signer)
    assert signer.signing_cert.subject.native["common_name"] == "UBND tỉnh Quảng Ninh"
    assert agency_signer_for(Unit(code="000.00.00.H47", name="x")) is signer


def test_services_already_answering_are_not_started_again(
    dev_pki, trust_services, settings, tmp_path
):
    """A worker that does not own the loopback services never decrypts the PKI's keys: here
    the keys of a copy of the PKI are unreadable, and its port is served by the session."""
    import shutil

    from egov.signing import trust

    copy = tmp_path / "pki"
    shutil.copytree(dev_pki.directory, copy)
    for key in copy.glob("*.key.pem"):
        key.write_bytes(b"not a key")
    settings.EGOV_PKI_DIR = str(copy)
    settings.EGOV_SIGNING_TSA_URL = ""
    assert trust.tsa_url() == f"{dev_pki.base_url}/tsa"
    assert copy not in trust._services
