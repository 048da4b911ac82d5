"""The printed one-stop forms as the templates lay them out (issue 12, points 14 and 15): the
text each PDF carries, read back from the file."""

import datetime as dt
import importlib
import io

import pytest
import time_machine
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from pypdf import PdfReader

from egov.catalog.selectors import version_by_code
from egov.core.models import NumberCounter
from egov.dossiers.models import Dossier
from egov.dossiers.printing import layouts
from egov.dossiers.printing.control_sheet import render_control_sheet
from egov.dossiers.printing.letters import render_apology, render_tracking_book, tracking_row
from egov.dossiers.printing.notices import render_notice
from egov.dossiers.printing.qr import receipt_qr_content, template_problem
from egov.dossiers.printing.receipt import render_receipt
from egov.dossiers.selectors import tracking_book_dossiers
from egov.dossiers.services.apology import dossier_apologise
from egov.dossiers.services.notices import counter_notice_issue
from egov.dossiers.services.reception import Applicant, dossier_receive
from egov.dossiers.services.transitions import dossier_transition
from egov.dossiers.tests.helpers import reception, user
from egov.org.models import Unit
from egov.workdays.engine import VIETNAM_TZ

pytestmark = pytest.mark.django_db
LOOKUP = "https://dichvucong.example.vn/tra-cuu-ho-so/"


def at(*args):
    return dt.datetime(*args, tzinfo=VIETNAM_TZ)


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def placed(pdf: bytes) -> dict[str, tuple[float, float]]:
    """Each text run of page 1 → where it starts (x, y)."""
    found: dict[str, tuple[float, float]] = {}

    def visit(text, cm, tm, font, size):
        if text.strip():
            found.setdefault(text.strip(), (tm[4], tm[5]))

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    return found


def receive(when, code="1.001612", applicant=None):
    with time_machine.travel(when, tick=False):
        request = reception(code) if applicant is None else reception(code, applicant=applicant)
        return dossier_receive(actor=user("tinh.tiepnhan"), reception=request)


def test_receipt_heading_book_entry_and_notes(quang_ninh):
    dossier = receive(at(2026, 4, 24, 10, 0))
    pdf = render_receipt(dossier, lookup_base_url=LOOKUP)
    text = text_of(pdf)
    for expected in [
        "Mẫu số 01, TT 01/2018/TT-VPCP",
        "ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Quảng Ninh, ngày 24 tháng 4 năm 2026",
        f"Mã hồ sơ: {dossier.code}",
        "Vào Sổ theo dõi hồ sơ, Quyển số: 2026 Số thứ tự: 1",
        "Ghi chú:",
        "- Giấy tiếp nhận và hẹn trả kết quả được lập thành 02 liên;",
        "- Cá nhân, tổ chức có thể đăng ký nhận kết quả tại Bộ phận tiếp nhận và trả kết quả "
        "hoặc tại nhà (trụ sở tổ chức) qua dịch vụ bưu chính.",
    ]:
        assert expected in text, expected
    # Two columns: the agency at the left, the Quốc hiệu on the same line at the right.
    where = placed(pdf)
    agency, national = (
        where["ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH"],
        where["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
    )
    assert agency[1] == national[1] and agency[0] < national[0] - 150


def test_tracking_book_numbers_per_unit_and_year_without_gaps(quang_ninh, settings):
    settings.EGOV_FORM_PLACE_NAMES = {"qn.ttpvhcc": "Hạ Long"}
    first = receive(at(2026, 12, 30, 9, 0))
    second = receive(at(2026, 12, 31, 9, 0))
    next_year = receive(at(2027, 1, 4, 9, 0))
    elsewhere = Unit.objects.get(key="qn.x.hong-gai.ttpvhcc")
    with time_machine.travel(at(2026, 12, 31, 10, 0), tick=False):
        request = reception()
        request.unit = elsewhere
        other = dossier_receive(actor=user("honggai.tiepnhan"), reception=request)
    entries = [(d.book_year, d.book_sequence) for d in (first, second, next_year, other)]
    assert entries == [(2026, 1), (2026, 2), (2027, 1), (2026, 1)]
    text = text_of(render_receipt(next_year, lookup_base_url=LOOKUP))
    assert "Quyển số: 2027 Số thứ tự: 1" in text
    assert "Hạ Long, ngày 04 tháng 01 năm 2027" in text  # the province's place name


def test_backfill_numbers_earlier_dossiers_and_the_series_continues(quang_ninh):
    dossiers = [receive(at(2026, 3, day, 9, 0)) for day in (3, 2, 4)]  # entered out of order
    Dossier.objects.update(book_year=None, book_sequence=None)
    NumberCounter.objects.filter(series="tracking-book").delete()
    migration = importlib.import_module(
        "egov.dossiers.migrations.0014_backfill_tracking_book_entries"
    )
    migration.number_entries(apps, None)
    numbered = {
        d.pk: (d.book_year, d.book_sequence)
        for d in Dossier.objects.filter(pk__in=[d.pk for d in dossiers])
    }
    assert [numbered[d.pk] for d in dossiers] == [(2026, 2), (2026, 1), (2026, 3)]
    assert receive(at(2026, 3, 5, 9, 0)).book_sequence == 4


def test_receipt_qr_carries_the_codes_as_configured(quang_ninh, settings):
    dossier = receive(at(2026, 4, 24, 10, 0))
    assert receipt_qr_content(dossier, lookup_base_url=LOOKUP) == (
        f"{LOOKUP}?ma={dossier.code}&tthc=1.001612"
    )
    settings.EGOV_RECEIPT_QR = "MaHS={dossier_code};MaTTHC={procedure_code};ID={applicant_id}"
    assert receipt_qr_content(dossier, lookup_base_url=LOOKUP) == (
        f"MaHS={dossier.code};MaTTHC=1.001612;ID=022084000123"
    )
    assert template_problem("{dossier_code}|{ho_ten}") == (
        "EGOV_RECEIPT_QR uses unknown fields ho_ten; known: lookup_url, dossier_code, "
        "procedure_code, unit_code, applicant_id"
    )
    settings.EGOV_RECEIPT_QR = "{ma_ho_so}"
    with pytest.raises(SystemCheckError, match=r"dossiers\.E001"):
        call_command("check")


def test_counter_notices_heading_email_and_signature(quang_ninh):
    unit = Unit.objects.get(key="qn.ttpvhcc")
    with time_machine.travel(at(2026, 3, 4, 9, 0), tick=False):
        guidance = counter_notice_issue(
            actor=user("tinh.tiepnhan"),
            unit=unit,
            version=version_by_code("1.001612"),
            kind="guidance",
            applicant_name="Nguyễn Văn An",
            applicant_email="an@example.vn",
            items=["Bản sao căn cước của chủ hộ"],
        )
        refusal = counter_notice_issue(
            actor=user("tinh.tiepnhan"),
            unit=unit,
            version=version_by_code("1.001612"),
            kind="refusal",
            applicant_name="Trần Thị Bé",
            reason="Thủ tục không thuộc thẩm quyền",
        )
    text = text_of(render_notice(guidance))
    for expected in [
        "Mẫu số 02, TT 01/2018/TT-VPCP",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc",
        "Số: 1/2026",
        "Quảng Ninh, ngày 04 tháng 3 năm 2026",
        "Email: an@example.vn",
        "NGƯỜI HƯỚNG DẪN",
    ]:
        assert expected in text, expected
    text = text_of(render_notice(refusal))
    assert "Email: ……" in text and "NGƯỜI TIẾP NHẬN HỒ SƠ (Ký và ghi rõ họ tên)" in text
    with pytest.raises(ValidationError, match="thư điện tử"):
        counter_notice_issue(
            actor=user("tinh.tiepnhan"),
            unit=unit,
            version=version_by_code("1.001612"),
            kind="refusal",
            applicant_name="Bé",
            applicant_email="không-phải-email",
            reason="x",
        )


def _handled_and_apologised(when, applicant=None):
    ward = Unit.objects.get(key="qn.x.hong-gai.ubnd")
    dossier = receive(when, applicant=applicant)
    with time_machine.travel(when + dt.timedelta(hours=2), tick=False):
        dossier = dossier_transition(
            actor=user("tinh.tiepnhan"), dossier=dossier, action="hand_off", handling_unit=ward
        )
    with time_machine.travel(at(2026, 3, 3, 9, 0), tick=False):
        dossier_apologise(
            actor=user("honggai.lanhdao"),
            dossier=dossier,
            new_due=at(2026, 3, 10, 16, 0),
            reason="Chờ kết quả xác minh",
        )
    dossier.refresh_from_db()
    return dossier


def test_apology_number_heading_recipients_and_organisations(quang_ninh):
    person = _handled_and_apologised(at(2026, 3, 2, 8, 0))
    company = _handled_and_apologised(
        at(2026, 3, 2, 9, 0),
        applicant=Applicant(
            kind="organisation", name="Công ty TNHH Hạ Long Xanh", tax_code="5701234566"
        ),
    )
    text = text_of(render_apology(person))
    for expected in [
        "Mẫu số 04, TT 01/2018/TT-VPCP",
        "ỦY BAN NHÂN DÂN PHƯỜNG HỒNG GAI",
        "Số: 01/PXL",
        "Hồng Gai, ngày 03 tháng 3 năm 2026",
        "Kính gửi: Ông/Bà Nguyễn Văn An",
        f"Ngày 02/03/2026, Trung tâm Phục vụ hành chính công tỉnh Quảng Ninh tiếp nhận hồ sơ "
        f"của Quý Ông/Bà, mã hồ sơ {person.code},",
        "Thời gian hẹn trả kết quả giải quyết hồ sơ: 17 giờ 00 phút, ngày 05/03/2026.",
        "hẹn lại thời gian trả kết quả: 16 giờ 00 phút, ngày 10/03/2026.",
        "Nơi nhận: - Như trên; - Trung tâm Phục vụ hành chính công tỉnh Quảng Ninh; "
        "- Lưu: VT, hồ sơ.",
        "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ",
    ]:
        assert expected in text, expected
    assert "Ngày 08 giờ" not in text
    text = text_of(render_apology(company))
    assert "Số: 02/PXL" in text and "Kính gửi: Công ty TNHH Hạ Long Xanh" in text
    assert "Quý cơ quan, tổ chức" in text and "Quý Ông/Bà" not in text


def test_control_sheet_times_agencies_and_signature_cells(quang_ninh):
    dossier = _handled_and_apologised(at(2026, 3, 2, 8, 0))
    text = text_of(render_control_sheet(dossier))
    for expected in [
        "Mẫu số 05, TT 01/2018/TT-VPCP",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Quảng Ninh, ngày 02 tháng 3 năm 2026",
        "Kèm theo hồ sơ của: Nguyễn Văn An",
        f"Mã hồ sơ: {dossier.code}",
        "Nội dung yêu cầu giải quyết: Đăng ký thành lập hộ kinh doanh",
        "Thời gian nhận hồ sơ: 08 giờ 00 phút, ngày 02/03/2026",
        "Thời gian trả kết quả: 17 giờ 00 phút, ngày 05/03/2026; hẹn lại: 16 giờ 00 phút, "
        "ngày 10/03/2026",
        "Cơ quan (bộ phận) giải quyết hồ sơ: Ủy ban nhân dân phường Hồng Gai",
        "Cơ quan phối hợp giải quyết hồ sơ: ……",
        "TÊN CƠ QUAN THỜI GIAN GIAO, NHẬN HỒ SƠ KẾT QUẢ GIẢI QUYẾT HỒ SƠ (Trước hạn/đúng "
        "hạn/quá hạn) GHI CHÚ",
        "1. Giao: Trung tâm Phục vụ hành chính công tỉnh Quảng Ninh — Trần Thị Bình",
        "10 giờ 00 phút, ngày 02/03/2026",
    ]:
        assert expected in text, expected
    # The hand-off, then blank blocks for the hand-overs to come: each with both signatures.
    assert text.count("Người giao (Ký)") == text.count("Người nhận (Ký)") == 4
    assert text.count("… giờ … phút, ngày … / … / ……") == 3


def test_tracking_book_keeps_the_original_appointment(quang_ninh):
    dossier = _handled_and_apologised(at(2026, 3, 2, 8, 0))
    unit = Unit.objects.get(key="qn.ttpvhcc")
    rows, period = tracking_book_dossiers(unit, "2026-03-01", "2026-03-31")
    assert [tracking_row(row) for row in rows] == [
        [
            "1",
            dossier.code,
            "Đăng ký thành lập hộ kinh doanh",
            "1",
            "Nguyễn Văn An",
            "0912 345 678",
            "Ủy ban nhân dân phường Hồng Gai",
            "02/03/2026 08:00",
            "05/03/2026 17:00; hẹn lại: 10/03/2026 16:00",
            "02/03/2026 10:00",
            "",
            "",
            "",
            "Xin lỗi, hẹn lại ngày 03/03/2026",
        ]
    ]
    text = text_of(render_tracking_book(rows, unit_name=unit.name, period=period))
    for expected in [
        "Mẫu số 06, TT 01/2018/TT-VPCP",
        "Quyển số: 2026",
        "Cơ quan chủ trì giải quyết",
        "Chuyển hồ sơ đến cơ quan giải quyết",
        "Nhận kết quả từ cơ quan giải quyết",
        "Ký nhận",
        "05/03/2026 17:00; hẹn lại: 10/03/2026 16:00",
    ]:
        assert expected in text, expected


def test_tt03_2025_numbering_applies_from_the_configured_day(quang_ninh, settings):
    day = dt.date(2025, 7, 1)
    assert layouts.form_heading("04", dt.date(2026, 1, 1)).reference == (
        "Mẫu số 04, TT 01/2018/TT-VPCP"
    )
    settings.EGOV_FORMS_TT03_2025_FROM = day
    before, after = day - dt.timedelta(days=1), day
    assert layouts.form_heading("04", before).reference == "Mẫu số 04, TT 01/2018/TT-VPCP"
    apology = layouts.form_heading("04", after)
    assert (apology.reference, apology.title) == (
        "Mẫu số 04, TT 03/2025/TT-VPCP (chưa đối chiếu)",
        "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
    )
    assert layouts.form_heading("05", after).form_number == "Mẫu số 06"
    assert layouts.form_heading("06", after).form_number == "Mẫu số 07"
    assert layouts.receipt_layout(before).legal_basis == "Mẫu số 01, TT 01/2018/TT-VPCP"
    assert layouts.receipt_layout(after).legal_basis == (
        "Mẫu số 01, TT 03/2025/TT-VPCP (chưa đối chiếu)"
    )
    dossier = _handled_and_apologised(at(2026, 3, 2, 8, 0))
    text = text_of(render_apology(dossier))
    assert "Mẫu số 04, TT 03/2025/TT-VPCP (chưa đối chiếu)" in text
    assert "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" in text
