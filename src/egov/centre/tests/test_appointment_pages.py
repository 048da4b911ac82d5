"""Online appointment pages: choose line, day and slot, book, see the code and QR, cancel;
check in at the kiosk by code; refusals as clear 400s; the leader's page lists the day's
appointments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from egov.accounts.models import User
from egov.centre.models import Appointment, AppointmentEvent, Ticket
from egov.centre.tests.test_appointments import SUNDAY_EVENING, at
from egov.dossiers.tests.helpers import user
from egov.notifications.models import Message
from egov.org.models import Unit

BOOKING = reverse("portal:booking", kwargs={"centre": "qn.ttpvhcc"})
CHECK_IN = reverse("portal:queue_check_in", kwargs={"centre": "qn.ttpvhcc"})
FORM = {
    "dong": "A",
    "ngay": "2026-12-07",
    "gio": "09:00",
    "name": "Trần Văn An",
    "phone": "0912 345 678",
    "email": "",
    "purpose": "Đăng ký khai sinh",
}


@pytest.fixture
def clock(quang_ninh, settings) -> Iterator[Any]:
    settings.EGOV_REQUIRE_STAFF_MFA = False
    with time_machine.travel(SUNDAY_EVENING, tick=False) as traveller:
        yield traveller


@pytest.mark.django_db
def test_booking_step_by_step_then_the_appointments_page(client, clock):
    centres = client.get(reverse("portal:booking_centres")).content.decode()
    assert f'href="{BOOKING}"' in centres
    assert 'data-testid="book-qn.x.hong-gai.ttpvhcc"' in centres
    first = client.get(BOOKING).content.decode()
    assert 'data-testid="line-A"' in first and 'data-testid="line-U"' not in first
    assert "2. Ngày đến" not in first
    days = client.get(BOOKING, {"dong": "A"}).content.decode()
    assert 'data-testid="day-2026-12-07"' in days and 'data-testid="day-2026-12-12"' not in days
    slots = client.get(BOOKING, {"dong": "A", "ngay": "2026-12-07"}).content.decode()
    assert slots.count('name="gio"') == 15
    assert "09:00–09:30" in slots and "còn 2 chỗ" in slots

    booked = client.post(BOOKING, FORM)
    appointment = Appointment.objects.get()
    assert booked.status_code == 302
    assert booked["Location"] == reverse("portal:appointment", kwargs={"key": appointment.key})
    assert (appointment.purpose, appointment.starts_at) == ("Đăng ký khai sinh", at(9))
    page = client.get(booked["Location"]).content.decode()
    assert f'data-testid="appointment-code">{appointment.code}<' in page
    assert 'data-testid="appointment-state">Đã đặt lịch<' in page
    assert "data:image/svg+xml;base64," in page
    assert "0912 345 678" in page
    assert Message.objects.filter(event="appointment_booked").count() == 1
    # The slot now shows one place left.
    again = client.get(BOOKING, {"dong": "A", "ngay": "2026-12-07"}).content.decode()
    assert "còn 1 chỗ" in again

    cancel = reverse("portal:appointment_cancel", kwargs={"key": appointment.key})
    assert client.post(cancel).status_code == 302
    assert Appointment.objects.get().state == "cancelled"
    refused = client.post(cancel)
    assert refused.status_code == 400
    assert "“Đã hủy”, không hủy được nữa" in refused.content.decode()


@pytest.mark.django_db
def test_booking_refusals_are_clear_400s(client, clock):
    bad_phone = client.post(BOOKING, FORM | {"phone": "123"})
    assert bad_phone.status_code == 400
    assert "Số điện thoại “123” không hợp lệ" in bad_phone.content.decode()
    no_slot = client.post(BOOKING, FORM | {"gio": "09:15"})
    assert no_slot.status_code == 400
    assert "Vui lòng chọn dịch vụ, ngày và một khung giờ còn chỗ." in no_slot.content.decode()
    assert client.post(BOOKING, FORM | {"ngay": "2026-12-12"}).status_code == 400
    assert client.post(BOOKING, FORM | {"ngay": "\x00"}).status_code == 400
    assert client.post(BOOKING, FORM | {"name": "An\x00"}).status_code == 400
    assert client.post(BOOKING, FORM | {"name": ""}).status_code == 400
    assert not Appointment.objects.exists()
    assert client.get(reverse("portal:booking", kwargs={"centre": "khong-co"})).status_code == 404
    assert client.get(reverse("portal:appointment", kwargs={"key": "x\x00"})).status_code == 404


@pytest.mark.django_db
def test_booking_is_rate_limited_per_address(client, clock, settings):
    settings.EGOV_QUEUE_BOOKING_RATE_PER_HOUR = 1
    assert client.post(BOOKING, FORM).status_code == 302
    second = client.post(BOOKING, FORM | {"phone": "0912 000 002", "gio": "10:00"})
    assert second.status_code == 429
    assert Appointment.objects.count() == 1


@pytest.mark.django_db
def test_kiosk_check_in_prints_a_number_called_first_from_the_slot(client, clock):
    client.post(BOOKING, FORM)
    appointment = Appointment.objects.get()
    clock.move_to(at(8, 40))
    kiosk = client.get(reverse("portal:queue_kiosk", kwargs={"centre": "qn.ttpvhcc"}))
    assert "Đã đặt lịch hẹn trực tuyến?" in kiosk.content.decode()
    wrong = client.post(CHECK_IN, {"code": "ZZZZZZ"})
    assert wrong.status_code == 400
    assert "Không tìm thấy lịch hẹn có mã này tại trung tâm" in wrong.content.decode()
    assert client.post(CHECK_IN, {"code": "\x00"}).status_code == 400
    # A scanned link that fails comes back as its code only (not the page's key).
    scanned = client.post(
        CHECK_IN, {"code": f"https://x.example/lich-hen/{appointment.key}/?ma=ZZZZZZ"}
    )
    assert scanned.status_code == 400
    assert appointment.key not in scanned.content.decode()
    assert 'value="ZZZZZZ"' in scanned.content.decode()
    done = client.post(CHECK_IN, {"code": f" {appointment.code.lower()} "})
    ticket = Ticket.objects.get()
    assert done.status_code == 302
    assert done["Location"] == reverse("portal:queue_receipt", kwargs={"key": ticket.track_key})
    receipt = client.get(done["Location"]).content.decode()
    assert 'data-testid="ticket-number">A001<' in receipt
    assert 'data-testid="ticket-appointment">Lịch hẹn: được gọi trước từ 09:00<' in receipt
    twice = client.post(CHECK_IN, {"code": appointment.code})
    assert twice.status_code == 400
    assert "đang ở trạng thái “Đã đến, đã nhận số”" in twice.content.decode()
    page = client.get(reverse("portal:appointment", kwargs={"key": appointment.key}))
    assert 'data-testid="appointment-ticket"' in page.content.decode()

    # The leader sees it among the day's appointments.
    client.force_login(user("tinh.lanhdaotrungtam"))
    leader = client.get(reverse("workspace:queue_today"), {"ngay": "2026-12-07"}).content.decode()
    assert f"<td>{appointment.code}</td><td>Đã đến, đã nhận số</td><td>A001</td>" in leader


@pytest.mark.django_db
def test_the_day_after_the_horizon_is_not_offered(client, clock, settings):
    settings.EGOV_QUEUE_BOOKING_DAYS_AHEAD = 1
    days = client.get(BOOKING, {"dong": "A"}).content.decode()
    assert 'data-testid="day-2026-12-07"' in days
    assert 'data-testid="day-2026-12-08"' not in days


@pytest.mark.django_db
def test_a_signed_in_citizen_finds_their_upcoming_appointments(client, clock):
    citizen = User.objects.create_user(
        "an.tran", email="an.tran@example.vn", full_name="Trần Văn An"
    )
    client.force_login(citizen)
    form = client.get(BOOKING, {"dong": "A", "ngay": "2026-12-07"}).content.decode()
    assert f'value="{citizen.full_name}"' in form
    assert client.post(BOOKING, FORM).status_code == 302
    appointment = Appointment.objects.get()
    assert appointment.user == citizen
    page = client.get(reverse("portal:booking_centres")).content.decode()
    link = reverse("portal:appointment", kwargs={"key": appointment.key})
    assert f'<a href="{link}">09:00, 07/12/2026 — ' in page
    client.force_login(user("tinh.tiepnhan"))
    other = client.get(reverse("portal:booking_centres")).content.decode()
    assert 'data-testid="my-appointments"' not in other


@pytest.mark.django_db
def test_wrong_codes_are_limited_per_centre_and_address(client, clock, settings):
    settings.EGOV_QUEUE_CHECK_IN_WRONG_PER_HOUR = 2
    client.post(BOOKING, FORM)
    appointment = Appointment.objects.get()
    clock.move_to(at(8, 40))
    assert client.post(CHECK_IN, {"code": "ZZZZZZ"}).status_code == 400
    assert client.post(CHECK_IN, {"code": "YYYYYY"}).status_code == 400
    blocked = client.post(CHECK_IN, {"code": appointment.code})
    assert blocked.status_code == 429
    assert "Đã nhập sai mã quá nhiều lần" in blocked.content.decode()
    assert not Ticket.objects.exists()
    # Another centre's kiosk at the same address is not blocked.
    other = reverse("portal:queue_check_in", kwargs={"centre": "qn.x.hong-gai.ttpvhcc"})
    assert client.post(other, {"code": "ZZZZZZ"}).status_code == 400


@pytest.mark.django_db
def test_the_centre_cancels_a_days_appointments_and_tells_each_citizen(client, clock):
    client.post(BOOKING, FORM)
    client.post(BOOKING, FORM | {"gio": "10:00", "phone": "0912 000 002", "email": "b@example.vn"})
    kept = client.post(BOOKING, FORM | {"ngay": "2026-12-08", "phone": "0912 000 003"})
    assert kept.status_code == 302
    centre = Unit.objects.get(key="qn.ttpvhcc")
    cancel = reverse("workspace:queue_cancel_appointments")
    form = {"trung-tam": str(centre.pk), "ngay": "2026-12-07", "ly_do": "Mất điện toàn tòa nhà"}
    # A receptionist of the centre may not; nor a leader of another centre.
    client.force_login(user("tinh.tiepnhan"))
    assert client.post(cancel, form).status_code == 403
    client.force_login(user("honggai.lanhdaotrungtam"))
    assert client.post(cancel, form).status_code == 403
    assert not Appointment.objects.filter(state="cancelled").exists()
    client.force_login(user("tinh.lanhdaotrungtam"))
    page = client.get(reverse("workspace:queue_today"), {"ngay": "2026-12-07"}).content.decode()
    assert 'data-testid="cancel-appointments"' in page
    assert "Không thể tiếp 2 người đã đặt lịch ngày này?" in page
    refused = client.post(cancel, form | {"ly_do": " "}, follow=True)
    assert "Vui lòng ghi lý do hủy" in refused.content.decode()
    done = client.post(cancel, form, follow=True)
    assert "Đã hủy 2 lịch hẹn và gửi thông báo cho người đặt." in done.content.decode()
    assert sorted(Appointment.objects.values_list("day", "state")) == [
        (dt.date(2026, 12, 7), "cancelled"),
        (dt.date(2026, 12, 7), "cancelled"),
        (dt.date(2026, 12, 8), "booked"),
    ]
    sent = Message.objects.filter(event="appointment_cancelled").order_by("channel", "recipient")
    assert [(m.channel, m.recipient) for m in sent] == [
        ("email", "b@example.vn"),
        ("sms", "+84912000002"),
        ("sms", "+84912345678"),
    ]
    assert "Ly do: Mat dien toan toa nha." in sent[1].body
    event = AppointmentEvent.objects.filter(action="cancel").first()
    assert event is not None
    assert (event.actor, event.data) == (
        user("tinh.lanhdaotrungtam"),
        {"by_centre": True, "reason": "Mất điện toàn tòa nhà"},
    )


@pytest.mark.django_db
def test_the_leader_sees_appointments_beyond_a_changed_plan_and_cancels_them(client, clock):
    from egov.centre.models import Counter

    client.post(BOOKING, FORM)
    clock.shift(60)
    client.post(BOOKING, FORM | {"phone": "0912 000 002"})
    first, second = Appointment.objects.order_by("booked_at")
    centre = Unit.objects.get(key="qn.ttpvhcc")
    client.force_login(user("tinh.lanhdaotrungtam"))
    today = reverse("workspace:queue_today")
    assert 'data-testid="beyond-plan"' not in client.get(today).content.decode()
    Counter.objects.filter(centre=centre, number=2).update(active=False)
    page = client.get(today).content.decode()
    assert 'data-testid="beyond-plan"' in page
    assert "<td>07/12/2026</td><td>09:00</td><td>A — " in page
    assert f"<td>2</td><td>1</td><td>{second.code}</td>" in page
    assert "Hủy 1 lịch hẹn vượt chỗ" in page
    cancel = reverse("workspace:queue_cancel_beyond_plan")
    assert f'<input type="hidden" name="lich_hen" value="{second.pk}">' in page
    form = {
        "trung-tam": str(centre.pk),
        "ngay": "2026-12-07",
        "ly_do": "Quầy 2 tạm dừng",
        "lich_hen": [str(second.pk)],
    }
    client.force_login(user("tinh.tiepnhan"))
    assert client.post(cancel, form).status_code == 403
    client.force_login(user("tinh.lanhdaotrungtam"))
    refused = client.post(cancel, form | {"ly_do": ""}, follow=True)
    assert "Vui lòng ghi lý do hủy" in refused.content.decode()
    done = client.post(cancel, form)
    assert done.url == f"{reverse('workspace:queue_today')}?trung-tam={centre.pk}&ngay=2026-12-07"
    done = client.get(done.url)
    assert "Đã hủy 1 lịch hẹn và gửi thông báo cho người đặt." in done.content.decode()
    assert 'data-testid="beyond-plan"' not in done.content.decode()
    assert sorted(Appointment.objects.values_list("pk", "state")) == [
        (first.pk, "booked"),
        (second.pk, "cancelled"),
    ]
