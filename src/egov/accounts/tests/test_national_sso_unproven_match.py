"""9. A match on data anyone can type (a personal ID at sign-up, an unverified e-mail) cannot
block a citizen's SSO sign-in: the linking page also offers a new account, which takes nothing
from the other account (nor its e-mail). Staff accounts never match, and are not revealed."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.utils import timezone

from egov.accounts.models import CitizenProfile, User
from egov.accounts.tests.sso_support import sign_in
from egov.audit.models import AuditEntry

LINK = "/accounts/oidc/vneid/lien-ket/"
SQUATTER_PASSWORD = "Mat-khau-ke-gia-2026!"
NEW_ACCOUNT = "Tiếp tục với tài khoản mới"


def _squatter(*, personal_id="", email="", email_row=False, email_verified=False, phone=""):
    """An account that typed the victim's data at sign-up (nothing verified, unless told)."""
    user = User.objects.create_user("ke-gia", email=email, password=SQUATTER_PASSWORD)
    user.full_name = "Kẻ Giả"
    user.save()
    if email_row:
        EmailAddress.objects.create(user=user, email=email, verified=email_verified, primary=True)
    CitizenProfile.objects.create(
        user=user,
        personal_id=personal_id,
        phone=phone,
        phone_verified_at=timezone.now() if phone else None,
    )
    return user


def _new_account_choices():
    return list(
        AuditEntry.objects.filter(action="accounts.sso_new_account_despite_match").values_list(
            "actor_id", "details"
        )
    )


@pytest.mark.parametrize(
    ("claim", "kinds"),
    [
        ({"personal_id": "022190000456"}, ["personal_id"]),
        ({"email": "binh.tran@example.vn"}, ["email"]),
        ({"email": "binh.tran@example.vn", "email_row": True}, ["email"]),
        (
            {"personal_id": "022190000456", "email": "BINH.TRAN@example.vn"},
            ["email", "personal_id"],
        ),
    ],
)
def test_a_typed_claim_lets_the_citizen_continue_with_a_new_account(
    quang_ninh, client, national_sso, claim, kinds
):
    squatter = _squatter(**claim)
    assert sign_in(client)["Location"] == LINK
    page = client.get(LINK).content.decode()
    assert NEW_ACCOUNT in page and "Xác nhận bằng mật khẩu" in page  # either way forward

    done = client.post(LINK, {"action": "new_account"})
    assert done["Location"] == "/ho-so-cua-toi/"
    citizen = User.objects.get(pk=client.session["_auth_user_id"])
    assert citizen != squatter
    assert SocialAccount.objects.get(provider="vneid").user == citizen
    profile = CitizenProfile.objects.get(user=citizen)
    assert (profile.personal_id, profile.identity_source) == ("022190000456", "national_sso")
    # The e-mail another account holds is not given to the new account (ACCOUNT_UNIQUE_EMAIL).
    expected_email = "" if "email" in claim else "binh.tran@example.vn"
    assert citizen.email == expected_email
    assert list(EmailAddress.objects.filter(user=citizen).values_list("email", flat=True)) == (
        [expected_email] if expected_email else []
    )
    # The squatter gains nothing, and keeps what it had.
    squatter.refresh_from_db()
    assert squatter.email == claim.get("email", "")
    assert squatter.check_password(SQUATTER_PASSWORD)
    assert not SocialAccount.objects.filter(user=squatter).exists()
    kept = CitizenProfile.objects.get(user=squatter)
    assert (squatter.full_name, kept.personal_id, kept.identity_source, kept.phone) == (
        "Kẻ Giả",
        claim.get("personal_id", ""),
        "",
        "",
    )
    assert _new_account_choices() == [(citizen.pk, {"kinds": kinds})]
    assert LINK not in client.get("/ho-so-cua-toi/").content.decode()

    client.logout()  # next time: straight into the new account
    assert sign_in(client)["Location"] == "/ho-so-cua-toi/"
    assert client.session["_auth_user_id"] == str(citizen.pk)
    assert User.objects.filter(citizen_profile__personal_id="022190000456").count() == (
        2 if "personal_id" in claim else 1
    )


@pytest.mark.parametrize(
    "proven",
    [
        {"phone": "+84987654321"},
        {"email": "binh.tran@example.vn", "email_row": True, "email_verified": True},
        {"personal_id": "022190000456", "identity_source": "national_sso"},
    ],
)
def test_a_proven_match_offers_no_new_account(quang_ninh, client, national_sso, proven):
    source = proven.pop("identity_source", "")
    owner = _squatter(**proven)
    CitizenProfile.objects.filter(user=owner).update(identity_source=source)
    typed = User.objects.create_user("go-tay", password=SQUATTER_PASSWORD)
    CitizenProfile.objects.create(user=typed, personal_id="022190000456")
    users = User.objects.count()
    assert sign_in(client)["Location"] == LINK
    page = client.get(LINK).content.decode()
    assert NEW_ACCOUNT not in page and "Liên kết với tài khoản đã có" in page
    refused = client.post(LINK, {"action": "new_account"})
    assert refused["Location"] == LINK
    assert "Yêu cầu không hợp lệ." in client.get(LINK).content.decode()
    assert User.objects.count() == users and not SocialAccount.objects.exists()
    assert "_auth_user_id" not in client.session and _new_account_choices() == []


def test_a_match_proven_meanwhile_takes_the_new_account_away(quang_ninh, client, national_sso):
    owner = _squatter(email="binh.tran@example.vn", email_row=True)
    users = User.objects.count()
    sign_in(client)
    assert NEW_ACCOUNT in client.get(LINK).content.decode()
    EmailAddress.objects.filter(user=owner).update(verified=True)  # the owner verified it
    again = client.post(LINK, {"action": "new_account"})
    assert again["Location"] == LINK
    assert NEW_ACCOUNT not in client.get(LINK).content.decode()
    assert User.objects.count() == users and not SocialAccount.objects.exists()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("claim", "landing"),
    [
        ({"email": "binh.tran@example.vn"}, "/ho-so-cua-toi/"),
        (
            {"email": "binh.tran@example.vn", "email_row": True, "email_verified": True},
            "/ho-so-cua-toi/",
        ),
        ({"personal_id": "022190000456"}, "/ho-so-cua-toi/"),
        # A number verified on another account is not verified again on the new one.
        ({"phone": "+84987654321"}, "/tai-khoan/xac-minh-dien-thoai/"),
    ],
)
def test_a_staff_match_is_ignored_and_not_revealed(
    quang_ninh, client, national_sso, claim, landing
):
    staff = _squatter(**claim)
    staff.is_staff = True
    staff.save()
    response = sign_in(client)
    assert response["Location"] == landing  # as if the staff account did not match
    citizen = User.objects.get(pk=client.session["_auth_user_id"])
    assert citizen != staff and not citizen.is_staff
    assert SocialAccount.objects.get(provider="vneid").user == citizen
    assert citizen.email == ("" if "email" in claim else "binh.tran@example.vn")
    staff.refresh_from_db()
    assert staff.email == claim.get("email", "")
    assert CitizenProfile.objects.get(user=staff).personal_id == claim.get("personal_id", "")
    ignored = AuditEntry.objects.filter(action="accounts.sso_staff_match_ignored")
    assert list(ignored.values_list("object_id", flat=True)) == [str(staff.pk)]
    assert not AuditEntry.objects.filter(action="accounts.sso_failed").exists()


def test_a_staff_match_beside_a_citizen_match_is_not_shown(quang_ninh, client, national_sso):
    staff = User.objects.create_user("can-bo", email="binh.tran@example.vn", is_staff=True)
    typed = _squatter(personal_id="022190000456")
    assert sign_in(client)["Location"] == LINK
    page = client.get(LINK).content.decode()
    assert page.count('data-testid="link-candidate"') == 1
    assert f'value="{typed.pk}"' in page and f'value="{staff.pk}"' not in page
    assert "cán bộ" not in page and "b***@example.vn" not in page
    client.post(LINK, {"action": "new_account"})
    citizen = User.objects.get(pk=client.session["_auth_user_id"])
    assert citizen not in (staff, typed) and citizen.email == ""
    assert _new_account_choices() == [(citizen.pk, {"kinds": ["personal_id"]})]
    assert AuditEntry.objects.filter(action="accounts.sso_staff_match_ignored").count() == 1
