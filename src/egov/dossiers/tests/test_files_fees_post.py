"""Scans of received components, fees paid at the desk, and results sent by post."""

import hashlib
import io

import pytest
from django.core.exceptions import ValidationError

from egov.contrib.postal.gateway import HttpPostalGateway, is_valid_s10, s10_number
from egov.contrib.postal.simulator import PostalSimulator
from egov.core.models import StoredFile
from egov.core.tests.scan_samples import document_pdf, good_scan_png
from egov.datastore.models import StoreDocument
from egov.dossiers.errors import TransitionError
from egov.dossiers.models import Dossier, DossierStatus, ResultShipment, ShipmentStatus
from egov.dossiers.services.payments import dossier_record_fee
from egov.dossiers.services.postal import book_shipments, shipment_book
from egov.dossiers.services.reception import dossier_receive
from egov.dossiers.services.transitions import dossier_transition
from egov.dossiers.tests.helpers import reception, user

pytestmark = pytest.mark.django_db

# A real (born-digital, image-free) PDF: scans are now read and checked for quality.
PDF = document_pdf()
PNG = good_scan_png()


def upload(content, name):
    buffer = io.BytesIO(content)
    buffer.name = name
    return buffer, name


def received_with(scan=None, **extra):
    """Receive a judicial-record dossier; ``scan`` (content, name) is the first component's."""
    request = reception("qn-cap-phieu-ly-lich-tu-phap")
    first = next(iter(request.components))
    request.scans = {first: upload(*scan)} if scan else {}
    for key, value in extra.items():
        setattr(request, key, value)
    return dossier_receive(actor=user("tinh.tiepnhan"), reception=request), first


def test_scan_is_checked_by_content_stored_privately_and_served_only_to_staff(
    quang_ninh, client, settings, _private_files
):
    settings.EGOV_REQUIRE_STAFF_MFA = False
    dossier, component_id = received_with((PDF, "to-khai.pdf"))
    item = dossier.components.get(component_id=component_id)
    scan = item.scan
    assert scan.sha256 == hashlib.sha256(PDF).hexdigest() and scan.size == len(PDF)
    assert scan.content_type == "application/pdf" and scan.name == "to-khai.pdf"
    assert scan.uploaded_by == user("tinh.tiepnhan")
    stored = _private_files / scan.key
    assert stored.read_bytes() == PDF
    assert "to-khai" not in scan.key and scan.key.endswith(".pdf")  # random name
    url = f"/staff/ho-so/{dossier.code}/so-hoa/{item.pk}/"
    client.force_login(user("tinh.chuyenvien"))  # competent unit's specialist may read it
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{dossier.code}-{item.pk}.pdf"'
    )
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    client.force_login(user("honggai.tiepnhan"))
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to sign-in


def test_bad_scans_stop_the_reception_and_leave_nothing_behind(
    quang_ninh, settings, _private_files
):
    settings.EGOV_UPLOAD_MAX_MB = 1
    before = Dossier.objects.count()
    with pytest.raises(ValidationError) as info:
        received_with((b"MZ\x90\x00 this is a program", "giay-to.pdf"))
    assert "không đúng định dạng cho phép (PDF, JPEG, PNG)" in str(info.value)
    with pytest.raises(ValidationError, match="lớn hơn 1 MB"):
        received_with((PDF + b"0" * (1024 * 1024), "lon.pdf"))
    with pytest.raises(ValidationError, match="rỗng"):
        received_with((b"", "rong.pdf"))
    assert Dossier.objects.count() == before
    assert not _private_files.exists() or not any(p.is_file() for p in _private_files.rglob("*"))


def test_a_failed_reception_removes_the_scans_already_stored(quang_ninh, _private_files):
    from egov.dossiers.services.reception import Applicant

    with pytest.raises(ValidationError, match="định danh"):
        received_with(
            (PNG, "anh.png"), applicant=Applicant(kind="citizen", name="An", personal_id="1")
        )
    assert not any(p.is_file() for p in _private_files.rglob("*"))
    assert not StoredFile.objects.exists()  # nor their rows


def test_desk_replaces_a_scan_and_other_roles_cannot(
    quang_ninh, client, settings, _private_files, django_capture_on_commit_callbacks
):
    settings.EGOV_REQUIRE_STAFF_MFA = False
    dossier, component_id = received_with()
    item = dossier.components.get(component_id=component_id)
    url = f"/staff/ho-so/{dossier.code}/so-hoa/{item.pk}/"
    client.force_login(user("tinh.chuyenvien"))
    file, _ = upload(PNG, "anh.png")
    page = client.post(url, {"scan": file}, follow=True).content.decode()
    assert "Chỉ bộ phận tiếp nhận hồ sơ mới được số hóa thành phần hồ sơ." in page
    client.force_login(user("tinh.tiepnhan"))
    file, _ = upload(PNG, "anh.png")
    client.post(url, {"scan": file})
    first = dossier.components.get(pk=item.pk).scan
    file, _ = upload(PDF, "ban-moi.pdf")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"scan": file})
    item.refresh_from_db()
    assert item.scan != first and item.scan.content_type == "application/pdf"
    # The replaced scan stays with its store document, rejected as replaced (TT 01/2023
    # Điều 8: the applicant's data store keeps what it was given, and why it is not used).
    assert (_private_files / first.key).exists()
    replaced = StoreDocument.objects.get(file=first)
    assert replaced.state == "rejected"
    assert replaced.events.last().data == {"reason": "Đã thay bằng bản số hóa khác."}
    assert item.store_document.file == item.scan and item.store_document.state == "pending"
    file, _ = upload(b"<html>", "trang.pdf")
    page = client.post(url, {"scan": file}, follow=True).content.decode()
    assert "không đúng định dạng" in page
    item.refresh_from_db()
    assert item.scan.content_type == "application/pdf"  # the good scan is kept
    assert StoredFile.objects.count() == 2  # the refused file left no row


def test_fees_paid_at_the_counter_and_corrections(quang_ninh):
    dossier, _ = received_with(fee_paid=100_000, fee_reference="BL 0001")
    assert list(dossier.payments.values_list("amount", "purpose", "reference")) == [
        (100_000, "fee", "BL 0001")
    ]
    desk = user("tinh.tiepnhan")
    with pytest.raises(ValidationError, match="cần ghi rõ lý do"):
        dossier_record_fee(actor=desk, dossier=dossier, amount=-100_000, method="cash")
    with pytest.raises(ValidationError, match="không thể âm"):
        dossier_record_fee(
            actor=desk, dossier=dossier, amount=-150_000, method="cash", note="Thu nhầm"
        )
    with pytest.raises(ValidationError, match="Chỉ bộ phận tiếp nhận"):
        dossier_record_fee(
            actor=user("tinh.chuyenvien"), dossier=dossier, amount=5_000, method="cash"
        )
    dossier_record_fee(actor=desk, dossier=dossier, amount=-100_000, method="cash", note="Miễn")
    assert sum(dossier.payments.values_list("amount", flat=True)) == 0
    # Each payment row has its own event in the history, after the reception; refusals none.
    assert list(dossier.events.values_list("action", "from_status", "to_status", "data")) == [
        ("receive", "", "received", dossier.events.get(sequence=1).data),
        (
            "record_payment",
            "received",
            "received",
            {"purpose": "fee", "amount": 100_000, "method": "cash"},
        ),
        (
            "record_payment",
            "received",
            "received",
            {"purpose": "fee", "amount": -100_000, "method": "cash"},
        ),
    ]


def test_s10_numbers_match_published_examples():
    assert is_valid_s10("EE123456785US") and is_valid_s10("RR473124829GB")
    assert not is_valid_s10("EE123456784US") and not is_valid_s10("EE12345678US")
    assert s10_number(12345678, service="EE", country="US") == "EE123456785US"
    assert all(is_valid_s10(s10_number(n)) for n in range(1, 2000, 7))


def ready_for_post(quang_ninh_unused=None):
    dossier, _ = received_with()
    for username, action in (
        ("tinh.tiepnhan", "hand_off"),
        ("tinh.lanhdaophong", "approve"),
    ):
        dossier = dossier_transition(actor=user(username), dossier=dossier, action=action)
    return dossier


def test_result_by_post_with_the_local_register(quang_ninh, django_capture_on_commit_callbacks):
    dossier = ready_for_post()
    with pytest.raises(TransitionError, match="địa chỉ nhận kết quả"):
        dossier_transition(actor=user("tinh.buudien"), dossier=dossier, action="send_by_post")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        dossier = dossier_transition(
            actor=user("tinh.buudien"),
            dossier=dossier,
            action="send_by_post",
            data={"address": "Tổ 5, phường Hồng Gai", "recipient_phone": "0912 345 678"},
        )
    assert len(callbacks) == 1  # the booking is enqueued only once the transition committed
    shipment = ResultShipment.objects.get(dossier=dossier)
    assert shipment.recipient_phone == "+84912345678" and shipment.recipient_name == "Nguyễn Văn An"
    shipment = shipment_book(shipment_id=shipment.pk)
    assert shipment.status == ShipmentStatus.BOOKED and is_valid_s10(shipment.tracking_number)
    assert dossier.status == DossierStatus.RESULT_IN_TRANSIT
    with pytest.raises(TransitionError, match="người đã nhận bưu gửi"):
        dossier_transition(actor=user("tinh.buudien"), dossier=dossier, action="postal_delivered")
    with pytest.raises(TransitionError, match="không khớp"):
        dossier_transition(
            actor=user("tinh.buudien"),
            dossier=dossier,
            action="postal_delivered",
            data={"received_by": "An", "tracking_number": "EE123456785US"},
        )
    dossier = dossier_transition(
        actor=user("tinh.buudien"),
        dossier=dossier,
        action="postal_delivered",
        data={"received_by": "Nguyễn Văn An", "tracking_number": shipment.tracking_number.lower()},
    )
    assert dossier.status == DossierStatus.RETURNED
    assert dossier.events.last().data == {
        "received_by": "Nguyễn Văn An",
        "delivery": "post",
        "tracking_number": shipment.tracking_number,
    }
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.DELIVERED and shipment.closed_at is not None


def test_failed_delivery_brings_the_result_back_to_the_desk(quang_ninh):
    dossier = ready_for_post()
    dossier = dossier_transition(
        actor=user("tinh.tiepnhan"),
        dossier=dossier,
        action="send_by_post",
        data={"address": "Tổ 5, phường Hồng Gai"},
    )
    with pytest.raises(TransitionError, match="lý do"):
        dossier_transition(actor=user("tinh.tiepnhan"), dossier=dossier, action="postal_failed")
    dossier = dossier_transition(
        actor=user("tinh.tiepnhan"),
        dossier=dossier,
        action="postal_failed",
        reason="Không có người nhận sau 3 lần phát",
    )
    assert dossier.status == DossierStatus.RESULT_READY
    assert ResultShipment.objects.get(dossier=dossier).status == ShipmentStatus.FAILED


def test_operator_outage_is_retried_and_books_exactly_once(quang_ninh, settings):
    simulator = PostalSimulator(api_key="khoa-bi-mat").start()
    try:
        settings.EGOV_POSTAL_GATEWAY = "http"
        settings.EGOV_POSTAL_API_URL = simulator.url
        settings.EGOV_POSTAL_API_KEY = "sai-khoa"
        dossier = ready_for_post()
        dossier_transition(
            actor=user("tinh.tiepnhan"),
            dossier=dossier,
            action="send_by_post",
            data={"address": "Tổ 5, phường Hồng Gai"},
        )
        shipment = ResultShipment.objects.get(dossier=dossier)
        shipment = shipment_book(shipment_id=shipment.pk)  # wrong key: refused, kept pending
        assert shipment.status == ShipmentStatus.REQUESTED and shipment.attempts == 1
        assert shipment.last_error == (
            "postal operator unreachable or invalid answer: HTTP Error 401: Unauthorized"
        )
        settings.EGOV_POSTAL_API_KEY = "khoa-bi-mat"
        simulator.failures_left = 2  # the operator is down for two more tries
        assert book_shipments().failed == 1
        assert book_shipments().failed == 1
        run = book_shipments()
        assert (run.booked, run.failed) == (1, 0)
        shipment.refresh_from_db()
        assert shipment.status == ShipmentStatus.BOOKED and shipment.attempts == 4
        assert is_valid_s10(shipment.tracking_number) and shipment.last_error == ""
        assert len(simulator.bookings) == 1
        booked = simulator.bookings[f"{dossier.code}/{shipment.pk}"]["shipment"]
        assert booked["address"] == "Tổ 5, phường Hồng Gai"
        assert booked["reference"] == dossier.code
        # Booking again (a retried task) changes nothing and calls nobody.
        assert shipment_book(shipment_id=shipment.pk).tracking_number == shipment.tracking_number
        assert book_shipments().booked == 0
        # The same Idempotency-Key answers the same number (a lost answer retried).
        again = HttpPostalGateway(simulator.url, "khoa-bi-mat", 5)
        from egov.contrib.postal.gateway import ShipmentRequest

        same = again.book(
            ShipmentRequest(
                reference=dossier.code,
                serial=shipment.pk,
                recipient_name="Nguyễn Văn An",
                recipient_phone="",
                address="Tổ 5, phường Hồng Gai",
                sender_unit="TTPVHCC",
            )
        )
        assert same.tracking_number == shipment.tracking_number
    finally:
        simulator.stop()


def test_the_dossier_page_warns_while_the_quoted_fee_is_not_collected(quang_ninh, client, settings):
    settings.EGOV_REQUIRE_STAFF_MFA = False
    dossier, _ = received_with()
    assert dossier.fee_quoted == 200_000  # lý lịch tư pháp: 200.000 đ (TT 244/2016)
    client.force_login(user("tinh.tiepnhan"))
    url = f"/staff/ho-so/{dossier.code}/"
    page = client.get(url).content.decode()
    assert "<dd>dự tính 200.000 đ; đã thu 0 đ</dd>" in page
    assert (
        "Chưa thu đủ phí, lệ phí: dự tính 200.000 đ, mới thu 0 đ. Hãy thu đủ trước khi trả kết quả."
    ) in page
    dossier_record_fee(actor=user("tinh.tiepnhan"), dossier=dossier, amount=200_000, method="cash")
    page = client.get(url).content.decode()
    assert "<dd>dự tính 200.000 đ; đã thu 200.000 đ</dd>" in page
    assert 'data-testid="fee-short"' not in page
    assert '<td class="number">200.000 đ</td>' in page
