"""A signature timestamp that is broken or issued by an untrusted authority is not evidence: the
signature is not valid and its signing time stays unknown."""

from __future__ import annotations

import datetime as dt
import io

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from django.utils import timezone
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.timestamps import DummyTimeStamper
from pyhanko_certvalidator.registry import SimpleCertificateStore

from egov.signing.pki import DevPki
from egov.signing.runner import outside_event_loop
from egov.signing.tests.fixtures import make_pdf
from egov.signing.verification import Verdict, verify_pdf


def _asn1_cert(dev_pki: DevPki, name: str) -> asn1_x509.Certificate:
    der = dev_pki.certificate(name).public_bytes(serialization.Encoding.DER)
    return asn1_x509.Certificate.load(der)


def _asn1_key(dev_pki: DevPki, name: str) -> asn1_keys.PrivateKeyInfo:
    der = dev_pki.private_key(name).private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return asn1_keys.PrivateKeyInfo.load(der)


def _signed_with(stamper: DummyTimeStamper, signer: signers.Signer) -> bytes:
    """A B-T signature made elsewhere (pyHanko directly) with the given time-stamping
    authority."""
    metadata = signers.PdfSignatureMetadata(
        field_name="Sig", md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(make_pdf()))
    pdf_signer = signers.PdfSigner(metadata, signer=signer, timestamper=stamper)
    # pyHanko starts its own event loop; a browser test earlier in the same worker leaves
    # Playwright's loop running in this thread.
    signed: bytes = outside_event_loop(lambda: pdf_signer.sign_pdf(writer).getvalue())
    return signed


def test_timestamp_from_an_untrusted_authority(dev_pki, signer_for):
    claimed = timezone.now() - dt.timedelta(hours=5)
    rogue = DummyTimeStamper(
        tsa_cert=_asn1_cert(dev_pki, "outsider"),
        tsa_key=_asn1_key(dev_pki, "outsider"),
        certs_to_embed=SimpleCertificateStore.from_certs([_asn1_cert(dev_pki, "untrusted-root")]),
        fixed_dt=claimed,
    )
    signed = _signed_with(rogue, signer_for("leader"))

    result = verify_pdf(signed, fetch_revocation=True)
    assert result.verdict == Verdict.UNTRUSTED
    assert result.message == (
        "Dấu thời gian không do tổ chức cung cấp dịch vụ cấp dấu thời gian tin cậy cấp."
    )
    (report,) = result.signatures
    assert (report.intact, report.trusted) == (True, True)
    assert report.timestamp is not None
    assert (report.timestamp.valid, report.timestamp.time) == (False, claimed)
    assert report.signing_time is None
    assert report.claimed_signing_time is not None


def test_timestamp_whose_signature_does_not_match(dev_pki, signer_for):
    # The dev TSA's certificate, but the token signed with another key.
    forged = DummyTimeStamper(
        tsa_cert=_asn1_cert(dev_pki, "tsa"), tsa_key=_asn1_key(dev_pki, "leader")
    )
    signed = _signed_with(forged, signer_for("leader"))

    result = verify_pdf(signed, fetch_revocation=True)
    assert result.verdict == Verdict.INVALID
    assert result.message == (
        "Chữ ký không hợp lệ: dấu thời gian bị hỏng hoặc không khớp với chữ ký."
    )
    (report,) = result.signatures
    assert report.timestamp is not None and report.timestamp.valid is False
    assert report.signing_time is None


def test_trusted_timestamp_gives_the_signing_time(dev_pki, signer_for):
    stamper = DummyTimeStamper(
        tsa_cert=_asn1_cert(dev_pki, "tsa"), tsa_key=_asn1_key(dev_pki, "tsa")
    )
    signed = _signed_with(stamper, signer_for("leader"))

    (report,) = verify_pdf(signed, fetch_revocation=True).signatures
    assert report.verdict == Verdict.VALID
    assert report.timestamp is not None and report.timestamp.valid
    assert report.signing_time == report.timestamp.time
