"""Every PDF egov prints or stores embeds every font it uses (issue 13, point 15). The signed
official documents are checked where the demo loads them (demo/tests/test_demo_documents.py)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from PIL import Image
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from egov.core.models import StoredFile
from egov.core.printing.scan import image_to_pdf
from egov.core.tests.pdf_fonts import not_embedded
from egov.core.uploads import open_private
from egov.demo.dossiers import load_demo_dossiers
from egov.dossiers.actions import DossierAction
from egov.dossiers.models import CounterNotice, Dossier
from egov.dossiers.printing.control_sheet import render_control_sheet
from egov.dossiers.printing.letters import render_apology, render_tracking_book
from egov.dossiers.printing.notices import render_notice
from egov.dossiers.printing.receipt import render_receipt
from egov.dossiers.printing.refusal_notice import render_refusal_notice
from egov.payments.models import OnlinePayment
from egov.payments.printing import render_payment_receipt

pytestmark = pytest.mark.django_db


def test_the_checker_sees_a_font_that_is_only_named() -> None:
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(72, 720, "Helvetica")
    canvas.save()
    assert not_embedded(buffer.getvalue()) == ["/Helvetica"]


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (200, 100), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def test_every_printed_form_and_stored_result_embeds_its_fonts(quang_ninh) -> None:
    load_demo_dossiers(count=110)
    dossier = Dossier.objects.exclude(received_at=None).earliest("id")
    apologised = Dossier.objects.filter(events__action=DossierAction.APOLOGISE).earliest("id")
    stop = Dossier.objects.filter(events__action=DossierAction.STOP).earliest("id")
    stop_event = stop.events.get(action=DossierAction.STOP)
    pdfs = {
        "Mẫu 01": render_receipt(dossier, lookup_base_url="http://egov.test/tra-cuu/"),
        "Mẫu 03": render_refusal_notice(stop, stop_event),
        "Mẫu 04": render_apology(apologised),
        "Mẫu 05": render_control_sheet(dossier),
        "Mẫu 06": render_tracking_book(
            [dossier], unit_name="Trung tâm", period="tháng 12/2026", on=dt.date(2026, 12, 2)
        ),
        "bản quét": image_to_pdf(_png(), title="Bản quét"),
    }
    for notice in CounterNotice.objects.order_by("id")[:1]:
        pdfs["thông báo"] = render_notice(notice)
    for payment in OnlinePayment.objects.filter(status="paid").order_by("id")[:1]:
        pdfs["biên lai"] = render_payment_receipt(payment)
    for row in StoredFile.objects.filter(content_type="application/pdf"):
        with open_private(row.key) as handle:
            pdfs[row.name] = handle.read()
    # The demo citizen's e-result is a certificate set in Vietnamese, signed by the ward.
    text = PdfReader(io.BytesIO(pdfs["giay-chung-nhan.pdf"])).pages[0].extract_text()
    assert "GIẤY CHỨNG NHẬN ĐĂNG KÝ HỘ KINH DOANH" in text
    assert "5. Chủ hộ kinh doanh:\nNguyễn Văn An, sinh ngày 12/05/1984;" in text
    assert "DỮ LIỆU MINH HỌA CỦA BẢN DEMO EGOV — KHÔNG CÓ GIÁ TRỊ PHÁP LÝ" in text
    assert {name: not_embedded(pdf) for name, pdf in pdfs.items()} == {name: [] for name in pdfs}
