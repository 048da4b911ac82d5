"""Issue 9, point 2 and the outbox part of point 6: SMS codes are counted for good, burnt at
the limit, sent a limited number of times, and never readable from the outbox."""

import re

import pytest
from django.utils import timezone

from egov.accounts.citizens import (
    PHONE_CODE_ATTEMPTS,
    PHONE_CODES_PER_HOUR,
    ProfileInput,
    citizen_profile_save,
    phone_verification_send,
)
from egov.accounts.models import CitizenProfile, User
from egov.audit.models import AuditEntry
from egov.contrib.sms.simulator import SmsSimulator
from egov.notifications.delivery import deliver_due, delivery_text
from egov.notifications.models import Message, MessageStatus

RESET = "/tai-khoan/quen-mat-khau/"
OLD_PASSWORD = "Mat-khau-cu-2026!"


def _citizen(verified=True):
    account = User.objects.create_user("an.nguyen", password=OLD_PASSWORD)
    citizen_profile_save(
        actor=account,
        user=account,
        data=ProfileInput(full_name="Nguyễn Văn An", phone="0912345678"),
    )
    if verified:
        CitizenProfile.objects.filter(user=account).update(phone_verified_at=timezone.now())
    return account


def _code_sent():
    message = Message.objects.filter(event="phone_code").latest("id")
    return re.search(r"\b(\d{6})\b", delivery_text(message)).group(1)


def _wrong(code):
    return f"{(int(code) + 1) % 1_000_000:06d}"


@pytest.mark.django_db(transaction=True)
def test_wrong_reset_codes_are_counted_for_good_and_burn_the_code(quang_ninh, client):
    """Each wrong code is committed before the page answers (no transaction wraps this
    test): after the limit even the right code is refused and the password stays."""
    account = _citizen()
    client.post(RESET, {"phone": "0912345678", "send": "1"})
    code = _code_sent()
    for attempt in range(1, PHONE_CODE_ATTEMPTS + 1):
        page = client.post(
            RESET, {"phone": "0912345678", "code": _wrong(code), "password": "Mat-khau-moi-2026!"}
        )
        assert CitizenProfile.objects.get(user=account).phone_code_attempts == attempt
    assert "Nhập sai quá 5 lần; mã đã bị hủy, hãy gửi mã mới." in page.content.decode()
    right = client.post(
        RESET, {"phone": "0912345678", "code": code, "password": "Mat-khau-moi-2026!"}
    )
    assert "Hãy bấm “Gửi mã”" in right.content.decode()
    account.refresh_from_db()
    assert account.check_password(OLD_PASSWORD)
    assert AuditEntry.objects.filter(action="accounts.phone_code_wrong").count() == 5


@pytest.mark.django_db
def test_phone_verification_counts_and_burns_the_same_way(quang_ninh, client):
    account = _citizen(verified=False)
    client.force_login(account)
    client.post("/tai-khoan/xac-minh-dien-thoai/", {"send": "1"})
    code = _code_sent()
    for _ in range(PHONE_CODE_ATTEMPTS):
        client.post("/tai-khoan/xac-minh-dien-thoai/", {"code": _wrong(code)})
    client.post("/tai-khoan/xac-minh-dien-thoai/", {"code": code})
    profile = CitizenProfile.objects.get(user=account)
    assert profile.phone_verified_at is None
    assert (profile.phone_code_attempts, profile.phone_code_hash) == (5, "")


@pytest.mark.django_db
def test_codes_per_hour_are_limited_per_account(quang_ninh):
    from django.core.exceptions import ValidationError

    account = _citizen()
    for _ in range(PHONE_CODES_PER_HOUR):
        phone_verification_send(actor=None, user=account)
    with pytest.raises(ValidationError, match="Đã gửi mã nhiều lần"):
        phone_verification_send(actor=None, user=account)
    assert Message.objects.filter(event="phone_code").count() == PHONE_CODES_PER_HOUR


@pytest.mark.django_db
def test_the_outbox_never_shows_a_live_code(quang_ninh, settings):
    simulator = SmsSimulator(api_key="khoa", secret_key="bi-mat").start()
    try:
        settings.EGOV_SMS_BACKEND = "esms"
        settings.EGOV_SMS_API_URL = simulator.url
        settings.EGOV_SMS_API_KEY = "khoa"
        settings.EGOV_SMS_SECRET_KEY = "bi-mat"
        settings.EGOV_SMS_BRANDNAME = "QUANGNINH"
        settings.EGOV_ZALO_BACKEND = "database"
        settings.EGOV_ZALO_TEMPLATES = {"phone_code": "231009"}  # never used for codes
        account = _citizen()
        phone_verification_send(actor=None, user=account)
        message = Message.objects.get(event="phone_code")
        code = _code_sent()
        assert message.channel == "sms"
        assert code not in message.body and "******" in message.body
        assert code not in str(message.payload)
        assert deliver_due().sent == 1
        (sent,) = simulator.delivered.values()
        assert f"Ma xac minh so dien thoai tai khoan dich vu cong: {code}." in sent["Content"]
        message.refresh_from_db()
        assert message.status == MessageStatus.SENT and message.payload == {}
        assert code not in message.body
    finally:
        simulator.stop()


@pytest.mark.django_db
def test_outside_production_the_code_reaches_the_simulated_phone(quang_ninh, client):
    account = _citizen(verified=False)
    phone_verification_send(actor=None, user=account)
    code = _code_sent()
    empty = client.get("/dien-thoai-mo-phong/?so=0912 345 678").content.decode()
    assert "Chưa có tin nhắn nào trong một giờ qua." in empty
    assert deliver_due().sent == 1
    page = client.get("/dien-thoai-mo-phong/?so=0912 345 678").content.decode()
    assert f"Ma xac minh so dien thoai tai khoan dich vu cong: {code}." in page
    assert "Tin nhắn đến +84912345678" in page
    wrong = client.get("/dien-thoai-mo-phong/?so=12%00").content.decode()
    assert 'aria-invalid="true"' in wrong
    client.force_login(account)
    verify = client.get("/tai-khoan/xac-minh-dien-thoai/").content.decode()
    assert 'href="/dien-thoai-mo-phong/?so=%2B84912345678"' in verify
