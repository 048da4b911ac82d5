import datetime as dt
import io

import pytest
import time_machine
from pypdf import PdfReader

from egov.dossiers.services.reception import dossier_receive
from egov.dossiers.tests.helpers import reception, user
from egov.workdays.engine import VIETNAM_TZ

pytestmark = pytest.mark.django_db


def test_receipt_is_an_a5_pdf_with_the_dossier_facts(quang_ninh, client, settings):
    settings.EGOV_REQUIRE_STAFF_MFA = False
    with time_machine.travel(dt.datetime(2026, 4, 24, 10, 0, tzinfo=VIETNAM_TZ), tick=False):
        dossier = dossier_receive(actor=user("tinh.tiepnhan"), reception=reception())
    client.force_login(user("tinh.tiepnhan"))
    response = client.get(f"/staff/ho-so/{dossier.code}/giay-tiep-nhan.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    page = reader.pages[0]
    width_mm = float(page.mediabox.width) / 72 * 25.4
    height_mm = float(page.mediabox.height) / 72 * 25.4
    assert (round(width_mm), round(height_mm)) == (148, 210)  # A5
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    for expected in [
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        dossier.code,
        "Nguyễn Văn An",
        "Đăng ký thành lập hộ kinh doanh",
        "3 ngày làm việc",
        "10 giờ 00 phút, ngày 24 tháng 04 năm 2026",
        "17 giờ 00 phút, ngày 04 tháng 05 năm 2026",
        "Giấy đề nghị đăng ký hộ kinh doanh",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "/tra-cuu-ho-so/?ma=",
    ]:
        assert expected in text, expected
    fonts = {str(f) for f in page["/Resources"]["/Font"].values()}
    assert fonts  # an embedded TrueType font carries the Vietnamese glyphs


def test_receipt_only_for_staff_of_the_units(quang_ninh, client, settings):
    settings.EGOV_REQUIRE_STAFF_MFA = False
    dossier = dossier_receive(actor=user("tinh.tiepnhan"), reception=reception())
    client.force_login(user("honggai.tiepnhan"))
    assert client.get(f"/staff/ho-so/{dossier.code}/giay-tiep-nhan.pdf").status_code == 404
    client.force_login(user("tinh.giamsat"))  # supervisor of the centre may see it
    assert client.get(f"/staff/ho-so/{dossier.code}/giay-tiep-nhan.pdf").status_code == 200
