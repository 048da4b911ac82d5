"""An online appointment (issue 17 §3): a citizen books a slot on the portal, checks in at the
kiosk with the code on Monday morning, and the receptionist calls the booked number first
once the slot begins — before a walk-in who took a number earlier — and serves it. axe checks
the booking pages, the appointment page, the kiosk and the counter screen on the way.

The server runs in this process, so moving the clock (time_machine, ticking) moves it too."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from playwright.sync_api import expect

from egov.centre.models import Appointment
from egov.workdays.engine import VIETNAM_TZ
from tests.browser.staff import sign_in

pytestmark = pytest.mark.browser

SUNDAY_EVENING = dt.datetime(2026, 12, 6, 20, 0, tzinfo=VIETNAM_TZ)
MONDAY_0840 = dt.datetime(2026, 12, 7, 8, 40, tzinfo=VIETNAM_TZ)
MONDAY_0900 = dt.datetime(2026, 12, 7, 9, 0, 30, tzinfo=VIETNAM_TZ)


def test_online_appointment_checked_in_and_served_first(page, live_quang_ninh, settings):
    settings.EGOV_REQUIRE_STAFF_MFA = False
    base = live_quang_ninh.url
    with time_machine.travel(SUNDAY_EVENING, tick=True):
        page.goto(f"{base}/xep-hang/")
        page.get_by_role("link", name="Đặt lịch hẹn trực tuyến trước khi đến").click()
        page.get_by_test_id("book-qn.ttpvhcc").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Đặt lịch hẹn")
        page.get_by_test_id("line-A").click()
        page.get_by_test_id("day-2026-12-07").click()
        page.get_by_test_id("slot-09:00").check()
        page.get_by_label("Họ và tên").fill("Trần Thị Bình")
        page.get_by_label("Số điện thoại di động (nhận mã và tin nhắc)").fill("0912 345 678")
        page.get_by_test_id("book").click()
        expect(page.get_by_test_id("appointment-state")).to_have_text("Đã đặt lịch")
        code = page.get_by_test_id("appointment-code").inner_text()
        assert code == Appointment.objects.get().code
        expect(
            page.get_by_role("img", name="Mã QR của lịch hẹn, quét tại kiosk lấy số")
        ).to_be_visible()

    with time_machine.travel(MONDAY_0840, tick=True):
        # A walk-in takes a number first…
        page.goto(f"{base}/xep-hang/qn.ttpvhcc/")
        page.get_by_test_id("line-A").click()
        expect(page.get_by_test_id("ticket-number")).to_have_text("A001")
        # …then the booked citizen checks in with the code.
        page.goto(f"{base}/xep-hang/qn.ttpvhcc/")
        page.get_by_label("Nhập mã lịch hẹn hoặc quét mã QR").fill(code.lower())
        page.get_by_test_id("check-in").click()
        expect(page.get_by_test_id("ticket-number")).to_have_text("A002")
        expect(page.get_by_test_id("ticket-appointment")).to_have_text(
            "Lịch hẹn: được gọi trước từ 09:00"
        )
        sign_in(page, base, "tinh.tiepnhan")
        page.goto(f"{base}/staff/quay/")
        page.get_by_test_id("open-counter-1").click()
        expect(page.get_by_test_id("counter-waiting")).to_contain_text("A002")

    with time_machine.travel(MONDAY_0900, tick=True):
        page.goto(f"{base}/staff/quay/")
        page.get_by_test_id("call-next").click()
        expect(page.get_by_test_id("counter-current")).to_have_text("A002")
        expect(page.get_by_text("lịch hẹn 09:00")).to_be_visible()
        page.get_by_role("button", name="Bắt đầu phục vụ").click()
        page.get_by_role("button", name="Kết thúc").click()
        expect(page.get_by_test_id("counter-current")).to_have_count(0)
        page.get_by_test_id("call-next").click()
        expect(page.get_by_test_id("counter-current")).to_have_text("A001")

    appointment = Appointment.objects.select_related("ticket").get()
    assert appointment.state == "checked_in"
    assert appointment.ticket is not None and appointment.ticket.state == "done"
