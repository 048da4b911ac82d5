"""Chain and key-usage findings get their own verdict and message (not "revocation could not
be checked")."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.utils import timezone
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.signers import SimpleSigner
from pyhanko.sign.timestamps.requests_client import RequestsHTTPTimeStamper
from pyhanko_certvalidator.registry import SimpleCertificateStore

from egov.signing.pki import DevPki
from egov.signing.services import sign_pdf
from egov.signing.tests.fixtures import make_pdf
from egov.signing.verification import Verdict, verify_pdf


def _asn1(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def _signer_with_usage(dev_pki: DevPki, name: str, usage: x509.KeyUsage) -> SimpleSigner:
    """One more end entity of the development issuing CA, with the given key usage."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    issuer = dev_pki.certificate("intermediate")
    now = timezone.now()
    crl = x509.DistributionPoint(
        [x509.UniformResourceIdentifier(f"{dev_pki.base_url}/crl/intermediate.crl")],
        None,
        None,
        None,
    )
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
        .issuer_name(issuer.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=300))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(
                dev_pki.private_key("intermediate").public_key()
            ),
            critical=False,
        )
        .add_extension(x509.CRLDistributionPoints([crl]), critical=False)
        .add_extension(usage, critical=True)
        .sign(dev_pki.private_key("intermediate"), hashes.SHA256())
    )
    der = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return SimpleSigner(
        signing_cert=_asn1(certificate),
        signing_key=asn1_keys.PrivateKeyInfo.load(der),
        cert_registry=SimpleCertificateStore.from_certs(
            [_asn1(issuer), _asn1(dev_pki.certificate("root"))]
        ),
    )


def _usage(*, signature: bool = False, non_repudiation: bool = False) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=signature,
        content_commitment=non_repudiation,
        key_encipherment=not (signature or non_repudiation),
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )


@pytest.mark.parametrize(
    ("usage", "verdict", "message"),
    [
        (_usage(signature=True), Verdict.VALID, "Chữ ký hợp lệ."),
        (_usage(non_repudiation=True), Verdict.VALID, "Chữ ký hợp lệ."),
        (_usage(), Verdict.UNTRUSTED, "Chứng thư số không được cấp cho mục đích ký số."),
    ],
    ids=["digital-signature", "non-repudiation", "key-encipherment-only"],
)
def test_key_usage_policy(dev_pki, usage, verdict, message):
    signer = _signer_with_usage(dev_pki, "Người Ký Thử", usage)
    # Signed elsewhere (pyHanko directly, B-T): sign_pdf itself refuses such a certificate.
    metadata = signers.PdfSignatureMetadata(
        field_name="Sig", md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES
    )
    stamper = RequestsHTTPTimeStamper(dev_pki.tsa_url)
    writer = IncrementalPdfFileWriter(io.BytesIO(make_pdf()))
    pdf_signer = signers.PdfSigner(metadata, signer=signer, timestamper=stamper)
    signed = pdf_signer.sign_pdf(writer).getvalue()
    result = verify_pdf(signed, fetch_revocation=True)
    assert (result.verdict, result.message) == (verdict, message)


def test_certificate_not_yet_valid_at_signing_time(signer_for, dev_pki):
    signed = sign_pdf(make_pdf(), signer=signer_for("leader"), field_name="Sig")
    before = dev_pki.certificate("leader").not_valid_before_utc - dt.timedelta(hours=1)
    result = verify_pdf(signed, at=before)
    assert (result.verdict, result.message) == (
        Verdict.EXPIRED,
        "Chứng thư số chưa có hiệu lực khi ký.",
    )
