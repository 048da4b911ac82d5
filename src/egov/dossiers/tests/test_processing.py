"""Processing inside the competent unit: assignment to a person, liên thông to another agency
and back, supplements asked during processing (Mẫu 02, once), financial obligations."""

import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from egov.dossiers.control_sheet import control_rows
from egov.dossiers.errors import TransitionError
from egov.dossiers.models import DossierPayment, DossierStatus
from egov.dossiers.permissions import allowed_actions, get_dossier_for_actor
from egov.dossiers.selectors import QueueFilters, work_queue
from egov.dossiers.services.reception import dossier_receive
from egov.dossiers.services.transitions import dossier_transition
from egov.dossiers.tests.helpers import reception, user
from egov.org.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_processing(quang_ninh):
    """A judicial-record dossier handed to Sở Tư pháp (Chi and Xuân are its specialists)."""
    dossier = dossier_receive(
        actor=user("tinh.tiepnhan"), reception=reception("qn-cap-phieu-ly-lich-tu-phap")
    )
    return dossier_transition(actor=user("tinh.tiepnhan"), dossier=dossier, action="hand_off")


def act(username, dossier, action, reason="", **data):
    return dossier_transition(
        actor=user(username), dossier=dossier, action=action, reason=reason, data=data
    )


def test_assignment_reassignment_and_per_person_queue(in_processing):
    dossier = in_processing
    with pytest.raises(TransitionError, match="không phải chuyên viên thụ lý"):
        act("tinh.lanhdaophong", dossier, "assign", assignee="tinh.tiepnhan")
    with pytest.raises(TransitionError, match="quyền"):
        act("tinh.chuyenvien", dossier, "assign", assignee="tinh.chuyenvien")
    dossier = act("tinh.lanhdaophong", dossier, "assign", assignee="tinh.chuyenvien2")
    assert dossier.assignee.username == "tinh.chuyenvien2"
    mine = QueueFilters(mine=True)
    assert [r.dossier.pk for r in work_queue(user("tinh.chuyenvien2"), filters=mine)] == [
        dossier.pk
    ]
    assert work_queue(user("tinh.chuyenvien"), filters=mine) == []
    # The other specialist of the unit still sees it in the unit queue but may not act on it.
    assert dossier.pk in [r.dossier.pk for r in work_queue(user("tinh.chuyenvien"))]
    with pytest.raises(TransitionError, match="đã được phân công cho Đinh Thị Xuân"):
        act("tinh.chuyenvien", dossier, "submit_for_approval")
    with pytest.raises(TransitionError, match="cần ghi rõ lý do"):
        act("tinh.lanhdaophong", dossier, "assign", assignee="tinh.chuyenvien")
    dossier = act(
        "tinh.lanhdaophong",
        dossier,
        "assign",
        "Chuyên viên Xuân nghỉ phép",
        assignee="tinh.chuyenvien",
    )
    event = dossier.events.last()
    assert event.data["previous"] == "tinh.chuyenvien2" and event.reason.startswith("Chuyên viên")
    dossier = act("tinh.chuyenvien", dossier, "submit_for_approval")
    assert [r.giver.split(" — ")[1] for r in control_rows(dossier)][-2:] == [
        "Phạm Văn Dũng",
        "Lê Minh Chi",
    ]


def test_a_dossier_is_submitted_to_the_leader_once_until_its_work_changes(in_processing):
    dossier = act("tinh.lanhdaophong", in_processing, "assign", assignee="tinh.chuyenvien")
    specialist = user("tinh.chuyenvien")
    assert "submit_for_approval" in allowed_actions(specialist, dossier)
    dossier = act("tinh.chuyenvien", dossier, "submit_for_approval")
    submitted = dossier.events.get(action="submit_for_approval")
    at = timezone.localtime(submitted.at).strftime("%H:%M %d/%m/%Y")
    assert "submit_for_approval" not in allowed_actions(specialist, dossier)
    with pytest.raises(
        TransitionError, match=f"^Hồ sơ đã được trình lãnh đạo lúc {at} và đang chờ phê duyệt.$"
    ):
        act("tinh.chuyenvien", dossier, "submit_for_approval")
    assert dossier.events.filter(action="submit_for_approval").count() == 1
    assert "approve" in allowed_actions(user("tinh.lanhdaophong"), dossier)
    # Sent to another agency for verification and back: new work, a new submission.
    dossier = act(
        "tinh.chuyenvien", dossier, "transfer_out", "Xác minh", partner_unit="qn.x.hong-gai.ubnd"
    )
    dossier = act("honggai.chuyenvien", dossier, "transfer_back")
    assert "submit_for_approval" in allowed_actions(specialist, dossier)
    dossier = act("tinh.chuyenvien", dossier, "submit_for_approval")
    assert dossier.events.filter(action="submit_for_approval").count() == 2


def test_interagency_round_trip_is_visible_to_the_partner_and_recorded(in_processing):
    dossier = in_processing
    ward = Unit.objects.get(key="qn.x.hong-gai.ubnd")
    partner_staff = user("honggai.chuyenvien")
    assert get_dossier_for_actor(partner_staff, dossier.code) is None
    with pytest.raises(TransitionError, match="phải khác đơn vị đang giải quyết"):
        act("tinh.chuyenvien", dossier, "transfer_out", "Xác minh", partner_unit="qn.so-tu-phap")
    with pytest.raises(TransitionError, match="Không tìm thấy đơn vị"):
        act("tinh.chuyenvien", dossier, "transfer_out", "Xác minh", partner_unit="khong-co")
    dossier = act("tinh.chuyenvien", dossier, "transfer_out", "Xác minh cư trú", partner_unit=ward)
    assert dossier.status == DossierStatus.INTERAGENCY and dossier.partner_unit == ward
    assert get_dossier_for_actor(partner_staff, dossier.code) is not None
    assert [r.dossier.pk for r in work_queue(partner_staff)] == [dossier.pk]
    # The handling unit waits; it cannot approve while the partner holds the dossier.
    with pytest.raises(TransitionError, match="Không thể"):
        act("tinh.lanhdaophong", dossier, "approve")
    with pytest.raises(TransitionError, match="quyền"):
        act("tinh.chuyenvien", dossier, "transfer_back")
    dossier = act("honggai.chuyenvien", dossier, "transfer_back", "Đã xác minh: đúng")
    assert dossier.status == DossierStatus.PROCESSING
    assert work_queue(partner_staff) == []  # back home: off the partner's queue
    rows = control_rows(dossier)
    assert [r.receiver for r in rows][-2:] == [ward.name, dossier.handling_unit.name]
    assert rows[-1].giver.startswith(ward.name)


def test_supplement_during_processing_lists_every_item_once_with_a_printable_form(
    in_processing, client, settings
):
    settings.EGOV_REQUIRE_STAFF_MFA = False
    dossier = act(
        "tinh.chuyenvien",
        in_processing,
        "request_supplement",
        "Hồ sơ thiếu thông tin",
        items=["Bản sao CCCD", "Tờ khai có chữ ký", "bản sao  CCCD"],
    )
    dossier = act("tinh.tiepnhan", dossier, "supplemented")
    with pytest.raises(TransitionError, match="chỉ yêu cầu bổ sung một lần"):
        act("tinh.chuyenvien", dossier, "request_supplement", items=["Giấy tờ khác"])
    client.force_login(user("tinh.tiepnhan"))
    page = client.get(f"/staff/ho-so/{dossier.code}/").content.decode()
    assert f"/staff/ho-so/{dossier.code}/phieu-bo-sung/1.pdf" in page
    response = client.get(f"/staff/ho-so/{dossier.code}/phieu-bo-sung/1.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text
    assert f"{dossier.code}-BS1" in text and "1. Bản sao CCCD" in text
    assert "2. Tờ khai có chữ ký" in text and "3." not in text
    assert client.get(f"/staff/ho-so/{dossier.code}/phieu-bo-sung/2.pdf").status_code == 404
    client.force_login(user("honggai.tiepnhan"))
    assert client.get(f"/staff/ho-so/{dossier.code}/phieu-bo-sung/1.pdf").status_code == 404
    # Where local rules allow a second request, it is numbered 2.
    settings.EGOV_SUPPLEMENT_REQUESTS_MAX = 2
    dossier = act("tinh.chuyenvien", dossier, "request_supplement", items=["Giấy tờ khác"])
    assert dossier.events.last().data["number"] == 2


def test_financial_obligation_amount_is_checked_and_recorded(in_processing):
    dossier = in_processing
    with pytest.raises(TransitionError, match="Số tiền phải là số nguyên"):
        act("tinh.chuyenvien", dossier, "request_payment", amount="năm trăm")
    with pytest.raises(TransitionError, match="lớn hơn 0"):
        act("tinh.chuyenvien", dossier, "request_payment", amount=0)
    dossier = act(
        "tinh.chuyenvien", dossier, "request_payment", amount="1.250.000", description="Lệ phí"
    )
    assert dossier.events.last().data == {"amount": 1_250_000, "description": "Lệ phí"}
    with pytest.raises(TransitionError, match=r"1\.000\.000 đồng\) khác số tiền phải nộp"):
        act("tinh.tiepnhan", dossier, "paid", amount=1_000_000)
    with pytest.raises(TransitionError, match="Hình thức nộp tiền không hợp lệ"):
        act("tinh.tiepnhan", dossier, "paid", amount=1_250_000, method="vang")
    assert not DossierPayment.objects.exists()
    dossier = act(
        "tinh.tiepnhan",
        dossier,
        "paid",
        amount=1_250_000,
        method="bank_transfer",
        reference="UNC 15",
    )
    payment = DossierPayment.objects.get()
    assert (payment.amount, payment.purpose, payment.method, payment.reference) == (
        1_250_000,
        "obligation",
        "bank_transfer",
        "UNC 15",
    )
    assert payment.recorded_by.username == "tinh.tiepnhan"
    assert dossier.status == DossierStatus.PROCESSING


def test_approval_codes_the_result_and_the_public_lookup_shows_it(in_processing, client):
    dossier = act("tinh.lanhdaophong", in_processing, "approve")
    assert dossier.result_code == f"{dossier.code}-KQ1"
    assert dossier.events.last().data == {"result_code": f"{dossier.code}-KQ1"}
    public = client.get(f"/api/v1/public/dossiers/{dossier.code}").json()
    assert public["result_ready"] is True and public["result_code"] == f"{dossier.code}-KQ1"
    page = client.get("/tra-cuu-ho-so/", {"ma": dossier.code}).content.decode()
    assert f"{dossier.code}-KQ1" in page
