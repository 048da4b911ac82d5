import datetime as dt
import io

import pytest
import time_machine
from pypdf import PdfReader

from egov.dossiers.services.apology import dossier_apologise
from egov.dossiers.services.reception import dossier_receive
from egov.dossiers.tests.helpers import reception, user
from egov.workdays.engine import VIETNAM_TZ

pytestmark = pytest.mark.django_db


def at(*args):
    return dt.datetime(*args, tzinfo=VIETNAM_TZ)


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


@pytest.fixture
def staff(client, settings):
    settings.EGOV_REQUIRE_STAFF_MFA = False

    def login(name):
        client.force_login(user(name))
        return client

    return login


def test_apology_letter(quang_ninh, staff):
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        dossier = dossier_receive(
            actor=user("tinh.tiepnhan"), reception=reception("qn-cap-phieu-ly-lich-tu-phap")
        )
    client = staff("tinh.chuyenvien")
    assert client.get(f"/staff/ho-so/{dossier.code}/phieu-xin-loi.pdf").status_code == 404
    with time_machine.travel(at(2026, 3, 10, 9, 0), tick=False):
        dossier_apologise(
            actor=user("tinh.lanhdaophong"),
            dossier=dossier,
            new_due=at(2026, 3, 20, 16, 0),
            reason="Chờ kết quả xác minh",
        )
    response = client.get(f"/staff/ho-so/{dossier.code}/phieu-xin-loi.pdf")
    text = text_of(response.content)
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in text
    assert "Chờ kết quả xác minh" in text and dossier.code in text
    assert "17 giờ 00 phút, ngày 12/03/2026" in text  # the original due moment
    assert "16 giờ 00 phút, ngày 20/03/2026" in text  # the new one


def test_tracking_book_for_the_unit_and_period(quang_ninh, staff):
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        first = dossier_receive(actor=user("tinh.tiepnhan"), reception=reception())
    with time_machine.travel(at(2026, 3, 9, 9, 0), tick=False):
        second = dossier_receive(actor=user("tinh.tiepnhan"), reception=reception("2.000884"))
    client = staff("tinh.tiepnhan")
    response = client.get("/staff/so-theo-doi.pdf", {"tu": "2026-03-01", "den": "2026-03-05"})
    assert response.status_code == 200
    page = PdfReader(io.BytesIO(response.content)).pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)  # A4 landscape
    text = text_of(response.content)
    assert "SỔ THEO DÕI HỒ SƠ" in text and first.code in text and second.code not in text
    for bad in [
        {"tu": "x", "den": "2026-03-05"},
        {"tu": "2026-03-05", "den": "2026-03-01"},
        {"tu": "2024-01-01", "den": "2026-01-01"},
    ]:
        assert client.get("/staff/so-theo-doi.pdf", bad).status_code == 400
    assert (
        staff("tinh.chuyenvien")
        .get("/staff/so-theo-doi.pdf", {"tu": "2026-03-01", "den": "2026-03-05"})
        .status_code
        == 403
    )


def test_form_headings_are_versioned_by_date(monkeypatch):
    """A later circular's heading applies to dossiers received from its date; earlier
    dossiers keep the heading of their day."""
    import datetime as dt

    from egov.dossiers.printing import layouts

    later = layouts.FormHeading(
        "05", dt.date(2026, 1, 1), "Mẫu số 06", "TT mới", "PHIẾU KIỂM SOÁT (MẪU MỚI)"
    )
    monkeypatch.setattr(layouts, "FORM_HEADINGS", [*layouts.FORM_HEADINGS, later])
    assert layouts.form_heading("05", dt.date(2025, 12, 31)).reference == (
        "Mẫu số 05, TT 01/2018/TT-VPCP"
    )
    assert layouts.form_heading("05", dt.date(2026, 1, 1)) is later
    assert layouts.form_heading("02", dt.date(2010, 1, 1)).form_number == "Mẫu số 02"
