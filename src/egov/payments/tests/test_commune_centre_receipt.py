"""The fee receipt of a dossier received at a commune-level service centre names that centre
as the unit collecting the fee (it has its own fee account since 07/2025; issue 12, point 13)."""

import io

import pytest
from pypdf import PdfReader

from egov.dossiers.actions import DossierAction
from egov.dossiers.services.reception import dossier_receive
from egov.dossiers.services.transitions import dossier_transition
from egov.dossiers.tests.helpers import reception, user
from egov.org.models import Unit
from egov.payments.tests.test_vnpay_ipn import gateway_result, ipn, start

pytestmark = pytest.mark.django_db


def test_fee_receipt_names_the_commune_centre(quang_ninh, client):
    request = reception()
    request.unit = Unit.objects.get(key="qn.x.hong-gai.ttpvhcc")
    dossier = dossier_receive(actor=user("honggai.tiepnhan"), reception=request)
    dossier = dossier_transition(
        actor=user("honggai.tiepnhan"),
        dossier=dossier,
        action=DossierAction.HAND_OFF,
        data={"handling_unit": "qn.x.hong-gai.ubnd"},
    )
    dossier = dossier_transition(
        actor=user("honggai.chuyenvien"),
        dossier=dossier,
        action=DossierAction.REQUEST_PAYMENT,
        data={"amount": 100_000, "description": "Lệ phí"},
    )
    _url, params = start(client, dossier)
    assert ipn(client, gateway_result(params))["RspCode"] == "00"
    pdf = client.get(f"/thanh-toan/bien-lai/{params['vnp_TxnRef']}.pdf")
    assert pdf.status_code == 200
    pages = PdfReader(io.BytesIO(pdf.content)).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert text.startswith(
        "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH QUẢNG NINH TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG "
        "PHƯỜNG HỒNG GAI BIÊN NHẬN THANH TOÁN TRỰC TUYẾN"
    )
    assert "Đơn vị thu phí, lệ phí: Trung tâm Phục vụ hành chính công phường Hồng Gai" in text
    assert f"Mã hồ sơ: {dossier.code}" in text and dossier.code.startswith("000.02.89.H49-")
