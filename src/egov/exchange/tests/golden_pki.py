"""A fixed, committed test PKI for the golden files: a root and an agency certificate with its
key, valid 2020-2099. Test-only material (chỉ để thử nghiệm), trusted nowhere else. With a fixed
key, RSA PKCS#1 v1.5 signatures are deterministic, so a package built twice has the same bytes
and can be compared with its golden file exactly.

``python -m egov.exchange.tests.golden_pki`` writes a new set (then the golden files must be
written again: ``EGOV_UPDATE_GOLDEN=1 pytest src/egov/exchange``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from egov.exchange.xmlsig import PackageSigner, TrustStore

DIRECTORY = Path(__file__).resolve().parent / "golden" / "pki"


def signer() -> PackageSigner:
    key = serialization.load_pem_private_key((DIRECTORY / "agency.key.pem").read_bytes(), None)
    assert isinstance(key, rsa.RSAPrivateKey)
    certificate = x509.load_pem_x509_certificate((DIRECTORY / "agency.pem").read_bytes())
    return PackageSigner(key=key, certificate=certificate)


def trust() -> TrustStore:
    return TrustStore.from_files([str(DIRECTORY / "root.pem")])


def _name(common_name: str, organisation: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _usage(*, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=not ca,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def regenerate() -> None:
    start = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    end = dt.datetime(2099, 12, 31, tzinfo=dt.UTC)
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    agency_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root_name = _name("Golden Test Root CA (chỉ để thử nghiệm)", "Egov Golden Tests")
    root = (
        x509.CertificateBuilder()
        .subject_name(root_name)
        .issuer_name(root_name)
        .public_key(root_key.public_key())
        .serial_number(1001)
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(ca=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), False)
        .sign(root_key, hashes.SHA256())
    )
    agency = (
        x509.CertificateBuilder()
        .subject_name(_name("UBND tỉnh Quảng Ninh (thử nghiệm)", "UBND tỉnh Quảng Ninh"))
        .issuer_name(root_name)
        .public_key(agency_key.public_key())
        .serial_number(1002)
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(ca=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(agency_key.public_key()), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), False
        )
        .sign(root_key, hashes.SHA256())
    )
    DIRECTORY.mkdir(parents=True, exist_ok=True)
    (DIRECTORY / "root.pem").write_bytes(root.public_bytes(serialization.Encoding.PEM))
    (DIRECTORY / "agency.pem").write_bytes(agency.public_bytes(serialization.Encoding.PEM))
    (DIRECTORY / "agency.key.pem").write_bytes(
        agency_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


if __name__ == "__main__":
    regenerate()
