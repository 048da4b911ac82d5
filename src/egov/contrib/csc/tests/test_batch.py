"""Several PDFs signed after one confirmation on the phone (``CscBatch``), against the
simulator over HTTP; the simulated phone (``test_csc.Phone``) notes every request it answers."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from egov.contrib.csc.batch import CscBatch
from egov.contrib.csc.client import CscDeclined, CscTimeout
from egov.contrib.csc.signer import CscSigner
from egov.contrib.csc.simulator import CredentialMaterial, CscSimulator
from egov.contrib.csc.tests.test_csc import Phone, _pdf, client_for
from egov.signing.services import RESERVED_HEX_DIGITS

USER = "079203000001"


@pytest.fixture
def simulator(material: CredentialMaterial) -> Iterator[CscSimulator]:
    simulator = CscSimulator().start()
    simulator.add_credential(USER, material=material, credential_id="CRED-3", multisign=3)
    simulator.add_credential(USER, material=material, credential_id="CRED-1", multisign=1)
    yield simulator
    simulator.stop()


def _job(text: str):
    def sign(signer: CscSigner) -> bytes:
        metadata = signers.PdfSignatureMetadata(
            field_name="ChuKyLanhDao", subfilter=fields.SigSeedSubFilter.PADES
        )
        writer = IncrementalPdfFileWriter(io.BytesIO(_pdf()))
        writer.document_meta.title = text  # three different documents
        signed: io.BytesIO = signers.PdfSigner(metadata, signer=signer).sign_pdf(
            writer, bytes_reserved=RESERVED_HEX_DIGITS
        )
        return signed.getvalue()

    return sign


def _broken(signer: CscSigner) -> bytes:
    raise ValueError("this document cannot be read")


def _batch(simulator: CscSimulator, credential_id: str, description: str) -> CscBatch:
    client = client_for(simulator)
    return CscBatch(client, client.credential_info(credential_id), description=description)


def _valid(signed: bytes, material: CredentialMaterial) -> bool:
    root = asn1_x509.Certificate.load(material.root.public_bytes(serialization.Encoding.DER))
    [embedded] = PdfFileReader(io.BytesIO(signed)).embedded_signatures
    status = validate_pdf_signature(embedded, ValidationContext(trust_roots=[root]))
    return bool(status.intact and status.valid and status.trusted)


def test_three_documents_one_confirmation(
    simulator: CscSimulator, material: CredentialMaterial
) -> None:
    batch = _batch(simulator, "CRED-3", "Ký 3 văn bản")
    with Phone(simulator, "approve") as phone:
        results = batch.sign_all([_job("một"), _job("hai"), _job("ba")])
    assert [(r["numSignatures"], r["description"]) for r in phone.seen] == [(3, "Ký 3 văn bản")]
    assert all(isinstance(r, bytes) and _valid(r, material) for r in results)


def test_a_credential_without_multisign_is_asked_once_per_document(
    simulator: CscSimulator, material: CredentialMaterial
) -> None:
    batch = _batch(simulator, "CRED-1", "Ký 2 văn bản")
    with Phone(simulator, "approve") as phone:
        results = batch.sign_all([_job("một"), _job("hai")])
    assert [r["numSignatures"] for r in phone.seen] == [1, 1]
    assert all(isinstance(r, bytes) and _valid(r, material) for r in results)


def test_a_document_that_fails_first_is_left_out(
    simulator: CscSimulator, material: CredentialMaterial
) -> None:
    batch = _batch(simulator, "CRED-3", "Ký")
    with Phone(simulator, "approve") as phone:
        first, broken = batch.sign_all([_job("một"), _broken])
    assert [r["numSignatures"] for r in phone.seen] == [1]
    assert isinstance(first, bytes) and _valid(first, material)
    assert isinstance(broken, ValueError)


def test_declined_reaches_every_document(simulator: CscSimulator) -> None:
    batch = _batch(simulator, "CRED-3", "Ký")
    with Phone(simulator, "decline"):
        results = batch.sign_all([_job("một"), _job("hai")])
    assert [type(r) for r in results] == [CscDeclined, CscDeclined]


def test_nobody_answers(simulator: CscSimulator) -> None:
    simulator.authorization_timeout = 0.2
    batch = _batch(simulator, "CRED-3", "Ký")
    results = batch.sign_all([_job("một"), _job("hai")])
    assert [type(r) for r in results] == [CscTimeout, CscTimeout]
