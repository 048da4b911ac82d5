"""Signatures that carry their revocation data Adobe-style, in the signed attribute
adbe-revocationInfoArchival (as Adobe Acrobat and many Vietnamese signing tools write them),
with no document security store: verification uses that data, without any network."""

from __future__ import annotations

import io

import pytest
import requests
from asn1crypto import crl as asn1_crl
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers, timestamps
from pyhanko.sign.general import find_unique_cms_attribute
from pyhanko.sign.signers.pdf_cms import (
    GenericPdfSignedAttributeProviderSpec,
    PdfCMSSignedAttributes,
)
from pyhanko.sign.validation import EmbeddedPdfSignature
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.errors import NoDSSFoundError
from pyhanko_certvalidator import ValidationContext

from egov.signing.pki import DevPki
from egov.signing.tests.fixtures import PASSPHRASE, make_pdf
from egov.signing.verification import Revocation, Verdict, verdict_message, verify_pdf


def _asn1(dev_pki: DevPki, name: str) -> asn1_x509.Certificate:
    der = dev_pki.certificate(name).public_bytes(serialization.Encoding.DER)
    return asn1_x509.Certificate.load(der)


def _pkcs12_signer(dev_pki: DevPki, name: str) -> signers.SimpleSigner:
    signer = signers.SimpleSigner.load_pkcs12(
        dev_pki.pkcs12_path(name), passphrase=PASSPHRASE.encode()
    )
    assert isinstance(signer, signers.SimpleSigner)
    return signer


def _adobe_signed(dev_pki: DevPki, signer: signers.Signer, *, embed: bool) -> bytes:
    """adbe.pkcs7.detached with an RFC 3161 timestamp, signed by pyHanko itself; with
    ``embed``, pyHanko fetches OCSP/CRL from the loopback responder and archives them in the
    signed attributes (no DSS for this subfilter)."""
    context = ValidationContext(
        trust_roots=[_asn1(dev_pki, "root")],
        other_certs=[_asn1(dev_pki, "intermediate")],
        allow_fetching=True,
        revocation_mode="hard-fail",
    )
    metadata = signers.PdfSignatureMetadata(
        field_name="Sig",
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.ADOBE_PKCS7_DETACHED,
        embed_validation_info=embed,
        use_pades_lta=False,
        validation_context=context if embed else None,
    )
    pdf_signer = signers.PdfSigner(
        metadata, signer=signer, timestamper=timestamps.HTTPTimeStamper(dev_pki.tsa_url)
    )
    output = pdf_signer.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(make_pdf())))
    return bytes(output.getvalue())


def _archive(data: bytes) -> tuple[int, int]:
    """(CRLs, OCSP responses) archived in the only signature; asserts there is no DSS."""
    reader = PdfFileReader(io.BytesIO(data))
    with pytest.raises(NoDSSFoundError):
        DocumentSecurityStore.read_dss(reader)
    _name, _value, field = next(fields.enumerate_sig_fields(reader, filled_status=True))
    signature = EmbeddedPdfSignature(reader, field.get_object(), "Sig")
    archive = find_unique_cms_attribute(
        signature.signer_info["signed_attrs"], "adobe_revocation_info_archival"
    )
    return len(archive["crl"]), len(archive["ocsp"])


def test_revocation_data_archived_in_the_signature_is_used(dev_pki, trust_services):
    signed = _adobe_signed(dev_pki, _pkcs12_signer(dev_pki, "leader"), embed=True)
    crls, ocsps = _archive(signed)
    assert crls >= 1 and ocsps >= 1
    asked = len(trust_services.requests)

    result = verify_pdf(signed, fetch_revocation=False)

    assert len(trust_services.requests) == asked  # nothing fetched: the archive sufficed
    assert result.verdict == Verdict.VALID
    (report,) = result.signatures
    assert (report.field_name, report.verdict, report.revocation) == (
        "Sig",
        Verdict.VALID,
        Revocation.GOOD,
    )
    assert report.timestamp is not None and report.timestamp.valid
    assert report.signing_time == report.timestamp.time


def test_without_an_archive_the_same_signature_is_indeterminate(dev_pki):
    signed = _adobe_signed(dev_pki, _pkcs12_signer(dev_pki, "leader"), embed=False)
    result = verify_pdf(signed, fetch_revocation=False)
    assert result.verdict == Verdict.INDETERMINATE
    assert result.signatures[0].revocation == Revocation.UNKNOWN


def test_an_archive_that_lists_the_signer_as_revoked_makes_it_revoked(dev_pki):
    # What a tool that archives a CRL without looking at it would write: pyHanko refuses to
    # sign with a revoked certificate, so the CRLs go into the signed attributes directly.
    certificate_lists = [
        asn1_crl.CertificateList.load(
            requests.get(f"{dev_pki.base_url}/crl/{authority}.crl", timeout=10).content
        )
        for authority in ("root", "intermediate")
    ]
    archive = signers.Signer.format_revinfo(ocsp_responses=[], crls=certificate_lists)
    signer = _pkcs12_signer(dev_pki, "revoked")
    signer.signed_attr_prov_spec = GenericPdfSignedAttributeProviderSpec(
        attr_settings=PdfCMSSignedAttributes(adobe_revinfo_attr=archive),
        signing_cert=signer.signing_cert,
        signature_mechanism=None,
        timestamper=None,
    )
    signed = _adobe_signed(dev_pki, signer, embed=False)
    assert _archive(signed) == (2, 0)

    result = verify_pdf(signed, fetch_revocation=False)

    assert result.verdict == Verdict.REVOKED
    assert result.signatures[0].revocation == Revocation.REVOKED
    assert result.message == verdict_message(Verdict.REVOKED)
