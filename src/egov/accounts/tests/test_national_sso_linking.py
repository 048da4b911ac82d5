"""9. An e-ID whose personal ID, verified number or e-mail matches an existing account is
linked to it only after the citizen proves control of that account (its password or an SMS
code to its verified number): never silently, never as a second account."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from allauth.socialaccount.models import SocialAccount
from django.utils import timezone

from egov.accounts.models import CitizenProfile, User
from egov.accounts.tests.sso_support import (
    sign_in,
)
from egov.audit.models import AuditEntry
from egov.notifications.delivery import delivery_text
from egov.notifications.models import Message

PASSWORD = "Mat-khau-cu-2026!"


def _existing(*, email="", personal_id="", phone="", verified=True):
    user = User.objects.create_user("binh-cu", email=email, password=PASSWORD)
    user.full_name = "Trần Thị Bình"
    user.save()
    CitizenProfile.objects.create(
        user=user,
        personal_id=personal_id,
        phone=phone,
        phone_verified_at=timezone.now() if verified and phone else None,
    )
    return user


def _sms_code(phone):
    """What the account's phone receives (the outbox keeps the code masked)."""
    message = Message.objects.filter(event="phone_code", recipient=phone).latest("id")
    return re.search(r"\d{6}", delivery_text(message)).group(0)


@pytest.mark.parametrize(
    "match",
    [
        {"personal_id": "022190000456"},
        {"phone": "+84987654321"},
        {"email": "binh.tran@example.vn"},
        {"email": "BINH.TRAN@example.vn"},
    ],
)
def test_a_matching_account_is_linked_after_its_password(quang_ninh, client, national_sso, match):
    old = _existing(**match)
    users = User.objects.count()
    response = sign_in(client)
    assert response.status_code == 302 and response["Location"] == "/accounts/oidc/vneid/lien-ket/"
    assert "_auth_user_id" not in client.session
    page = client.get("/accounts/oidc/vneid/lien-ket/").content.decode()
    assert "Liên kết với tài khoản đã có" in page and "Sign Up" not in page
    wrong = client.post(
        "/accounts/oidc/vneid/lien-ket/", {"account": old.pk, "action": "password", "password": "x"}
    )
    assert wrong["Location"] == "/accounts/oidc/vneid/lien-ket/"
    assert "_auth_user_id" not in client.session
    assert not SocialAccount.objects.exists()
    done = client.post(
        "/accounts/oidc/vneid/lien-ket/",
        {"account": old.pk, "action": "password", "password": PASSWORD},
    )
    assert done["Location"] == "/ho-so-cua-toi/"
    assert client.session["_auth_user_id"] == str(old.pk)
    assert User.objects.count() == users  # no second account
    assert SocialAccount.objects.get(provider="vneid").user == old
    profile = CitizenProfile.objects.get(user=old)
    assert (profile.personal_id, profile.phone, profile.identity_source) == (
        "022190000456",
        "+84987654321",
        "national_sso",
    )
    assert (
        CitizenProfile.objects.filter(phone="+84987654321", phone_verified_at__isnull=False).count()
        == 1
    )
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "accounts.sso_link_required",
        "accounts.sso_link_failed",
        "accounts.sso_linked",
    } <= actions
    client.logout()
    assert sign_in(client)["Location"] == "/ho-so-cua-toi/"  # linked: straight in next time
    assert client.session["_auth_user_id"] == str(old.pk)


def test_a_matching_account_is_linked_after_an_sms_code(quang_ninh, client, national_sso):
    old = _existing(personal_id="022190000456", phone="+84987654321")
    old.set_unusable_password()
    old.save()
    sign_in(client)
    page = client.get("/accounts/oidc/vneid/lien-ket/").content.decode()
    assert "Gửi mã SMS" in page and "Xác nhận bằng mật khẩu" not in page
    client.post("/accounts/oidc/vneid/lien-ket/", {"account": old.pk, "action": "send"})
    code = _sms_code("+84987654321")
    wrong = "000000" if code != "000000" else "111111"
    client.post(
        "/accounts/oidc/vneid/lien-ket/", {"account": old.pk, "action": "code", "code": wrong}
    )
    assert "_auth_user_id" not in client.session
    done = client.post(
        "/accounts/oidc/vneid/lien-ket/", {"account": old.pk, "action": "code", "code": code}
    )
    assert done["Location"] == "/ho-so-cua-toi/"
    assert client.session["_auth_user_id"] == str(old.pk)
    assert User.objects.filter(citizen_profile__personal_id="022190000456").count() == 1


def test_cancelling_the_link_creates_no_account(quang_ninh, client, national_sso):
    _existing(personal_id="022190000456")
    users = User.objects.count()
    sign_in(client)
    client.post("/accounts/oidc/vneid/lien-ket/", {"action": "cancel"})
    assert User.objects.count() == users and not SocialAccount.objects.exists()
    assert client.get("/accounts/oidc/vneid/lien-ket/")["Location"] == "/accounts/login/"


def test_an_unverified_number_of_another_account_is_no_match(quang_ninh, client, national_sso):
    other = _existing(phone="+84987654321", verified=False)
    assert sign_in(client)["Location"] == "/ho-so-cua-toi/"
    new = User.objects.get(email="binh.tran@example.vn")
    assert new != other
    numbers = CitizenProfile.objects.filter(phone="+84987654321", phone_verified_at__isnull=False)
    assert list(numbers.values_list("user_id", flat=True)) == [new.pk]


def test_a_staff_account_is_never_linked(quang_ninh, client, national_sso):
    """Nor revealed: the sign-in goes on as if it did not match (new account, without the
    staff account's e-mail); see test_national_sso_unproven_match.py."""
    staff = _existing(email="binh.tran@example.vn")
    staff.is_staff = True
    staff.save()
    response = sign_in(client)
    assert response["Location"] == "/ho-so-cua-toi/"
    assert client.session["_auth_user_id"] != str(staff.pk)
    assert SocialAccount.objects.get(provider="vneid").user_id != staff.pk
    assert not User.objects.exclude(pk=staff.pk).filter(email="binh.tran@example.vn").exists()


def test_a_pending_link_expires(quang_ninh, client, national_sso, time_machine):
    old = _existing(personal_id="022190000456")
    sign_in(client)
    time_machine.move_to(timezone.now() + dt.timedelta(minutes=16), tick=False)
    done = client.post(
        "/accounts/oidc/vneid/lien-ket/",
        {"account": old.pk, "action": "password", "password": PASSWORD},
    )
    assert done["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session and not SocialAccount.objects.exists()
