"""Receipts (Mẫu 01) carry the desk's agency signature where the province enables it
(``EGOV_SIGN_RECEIPTS``): a visible text stamp under the receiver's signature line."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from egov.dossiers.services.reception import dossier_receive
from egov.dossiers.tests.helpers import reception, user
from egov.signing.tests.fixtures import pdfsig
from egov.signing.verification import Verdict, verify_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _signing(signing_settings):
    """The development PKI signs for the desk."""


@pytest.fixture
def receipt_url(quang_ninh, client, settings):
    settings.EGOV_REQUIRE_STAFF_MFA = False
    dossier = dossier_receive(actor=user("tinh.tiepnhan"), reception=reception())
    client.force_login(user("tinh.tiepnhan"))
    return f"/staff/ho-so/{dossier.code}/giay-tiep-nhan.pdf", dossier


def test_unsigned_by_default(client, receipt_url):
    url, _dossier = receipt_url
    assert verify_pdf(client.get(url).content).verdict == Verdict.NO_SIGNATURE


def test_signed_with_a_stamp_under_the_receivers_line(
    client, receipt_url, settings, tmp_path, nss_db
):
    settings.EGOV_SIGN_RECEIPTS = True
    url, _dossier = receipt_url
    response = client.get(url)
    assert response.status_code == 200
    verification = verify_pdf(response.content)
    assert verification.verdict == Verdict.VALID
    (signature,) = verification.signatures
    assert (signature.field_name, signature.signer_organisation) == (
        "SigBoPhanMotCua",
        "UBND tỉnh Quảng Ninh",
    )
    reader = PdfReader(io.BytesIO(response.content))
    last = reader.pages[-1]
    (widget,) = [a.get_object() for a in last["/Annots"]]
    _x1, y1, x2, _y2 = (float(v) for v in widget["/Rect"])
    width = float(last.mediabox.width)
    assert x2 == pytest.approx(width - 34, abs=1)  # right-aligned on the 12 mm margin
    assert y1 > 60  # above the footer notes
    path = tmp_path / "giay-tiep-nhan.pdf"
    path.write_bytes(response.content)
    report = pdfsig(path, nss_db)
    assert "Signature Validation: Signature is Valid." in report


def test_a_failed_signature_still_hands_the_receipt_out(client, receipt_url, settings):
    settings.EGOV_SIGN_RECEIPTS = True
    settings.EGOV_SIGNING_TSA_URL = "http://127.0.0.1:9/tsa"
    url, _dossier = receipt_url
    response = client.get(url)
    assert response.status_code == 200
    assert verify_pdf(response.content).verdict == Verdict.NO_SIGNATURE
