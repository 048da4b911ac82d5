"""Who issues the notices of the competent agency, read back from the PDFs: the apology with a
new date is signed by the head of the agency handling the dossier (NĐ 61/2018 Điều 19 khoản 9),
and a dossier stopped during processing or refused gets a written notice with the reasons
(Điều 19 khoản 8)."""

import datetime as dt

import pytest
import time_machine

from egov.dossiers.services.apology import dossier_apologise
from egov.dossiers.services.reception import dossier_receive
from egov.dossiers.services.transitions import dossier_transition
from egov.dossiers.tests.helpers import reception, user
from egov.dossiers.tests.test_letters import text_of
from egov.org.models import Unit
from egov.workdays.engine import VIETNAM_TZ

pytestmark = pytest.mark.django_db


def at(*args):
    return dt.datetime(*args, tzinfo=VIETNAM_TZ)


@pytest.fixture
def handed(quang_ninh):
    """A dossier received at the provincial centre, handed to the ward that resolves it."""
    ward = Unit.objects.get(key="qn.x.hong-gai.ubnd")
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        dossier = dossier_receive(actor=user("tinh.tiepnhan"), reception=reception("1.001612"))
        return dossier_transition(
            actor=user("tinh.tiepnhan"), dossier=dossier, action="hand_off", handling_unit=ward
        )


@pytest.fixture
def logged_in(client, settings):
    settings.EGOV_REQUIRE_STAFF_MFA = False

    def login(name):
        client.force_login(user(name))
        return client

    return login


def test_apology_is_issued_by_the_agency_and_signed_by_its_head(handed, logged_in):
    with time_machine.travel(at(2026, 3, 3, 9, 0), tick=False):
        dossier_apologise(
            actor=user("honggai.lanhdao"),
            dossier=handed,
            new_due=at(2026, 3, 10, 17, 0),
            reason="Chờ kết quả xác minh",
        )
    pdf = logged_in("tinh.tiepnhan").get(f"/staff/ho-so/{handed.code}/phieu-xin-loi.pdf")
    text = text_of(pdf.content)
    ward = "Ủy ban nhân dân phường Hồng Gai"
    assert Unit.objects.get(key="qn.x.hong-gai.ubnd").name == ward
    assert ward.upper() in text  # the issuing agency's header
    assert f"{ward} xin lỗi Quý Ông/Bà" in text
    assert "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ (Ký, ghi rõ họ tên và đóng dấu) Nguyễn Văn Nam" in text
    assert "Trần Thị Bình" not in text  # the receptionist neither issues nor signs it


def test_the_desk_may_not_issue_the_apology_in_the_workspace(handed, logged_in):
    client = logged_in("tinh.tiepnhan")
    with time_machine.travel(at(2026, 3, 3, 9, 0), tick=False):
        page = client.get(f"/staff/ho-so/{handed.code}/").content.decode()
        assert "Xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04)" not in page
        answer = client.post(
            f"/staff/ho-so/{handed.code}/xin-loi/",
            {"new_due": "2026-03-10T17:00", "reason": "Chậm"},
            follow=True,
        ).content.decode()
    assert "thủ trưởng cơ quan, đơn vị giải quyết hồ sơ ký" in answer
    handed.refresh_from_db()
    assert handed.apologised_at is None


def test_stop_during_processing_gives_a_written_notice(handed, logged_in):
    client = logged_in("honggai.lanhdao")
    url = f"/staff/ho-so/{handed.code}/thong-bao-tu-choi.pdf"
    assert client.get(url).status_code == 404
    with time_machine.travel(at(2026, 3, 3, 14, 0), tick=False):
        dossier_transition(
            actor=user("honggai.lanhdao"),
            dossier=handed,
            action="stop",
            reason="Địa điểm kinh doanh thuộc khu vực cấm kinh doanh theo quy hoạch",
        )
    page = client.get(f"/staff/ho-so/{handed.code}/").content.decode()
    assert "Thông báo từ chối, dừng giải quyết (PDF)" in page
    text = text_of(client.get(url).content)
    assert text.startswith("ỦY BAN NHÂN DÂN PHƯỜNG HỒNG GAI Mẫu số 03, TT 01/2018/TT-VPCP")
    for part in (
        f"Số: {handed.code}-TC",
        "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
        "Kính gửi: Nguyễn Văn An",
        f"Mã hồ sơ: {handed.code}",
        "Nội dung yêu cầu giải quyết: Đăng ký thành lập hộ kinh doanh",
        "Qua thẩm tra, thẩm định, Ủy ban nhân dân phường Hồng Gai thông báo hồ sơ không đủ "
        "điều kiện giải quyết và dừng giải quyết hồ sơ với lý do sau: Địa điểm kinh doanh "
        "thuộc khu vực cấm kinh doanh theo quy hoạch",
        "Xin thông báo để Quý Ông/Bà được biết và thực hiện.",
        "…, ngày 03 tháng 03 năm 2026",
        "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ (Ký, ghi rõ họ tên và đóng dấu) Nguyễn Văn Nam",
    ):
        assert part in text, part


def test_refusal_notice_through_the_staff_api(quang_ninh, client):
    from egov.dossiers.tests.test_staff_api import make_key

    key = make_key(unit="qn.so-tu-phap", role="department_leader", name="lanhdao")
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        dossier = dossier_receive(
            actor=user("tinh.tiepnhan"), reception=reception("qn-cap-phieu-ly-lich-tu-phap")
        )
        dossier = dossier_transition(
            actor=user("tinh.tiepnhan"), dossier=dossier, action="hand_off"
        )
    url = f"/api/v1/staff/dossiers/{dossier.code}/refusal-notice.pdf"
    missing = client.get(url, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "no_refusal"
    dossier_transition(
        actor=user("tinh.lanhdaophong"),
        dossier=dossier,
        action="stop",
        reason="Người yêu cầu không thuộc đối tượng được cấp Phiếu",
    )
    pdf = client.get(url, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert pdf.status_code == 200
    text = text_of(pdf.content)
    assert "SỞ TƯ PHÁP" in text and "Phạm Văn Dũng" in text
    assert "Người yêu cầu không thuộc đối tượng được cấp Phiếu" in text
