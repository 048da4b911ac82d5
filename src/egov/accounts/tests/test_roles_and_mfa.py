import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from egov.accounts.models import Role, User
from egov.accounts.selectors import active_role_assignments, is_staff_member
from egov.accounts.services import role_assign, role_end
from egov.audit.models import AuditEntry
from egov.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from egov.org.models import Unit

pytestmark = pytest.mark.django_db


def test_every_role_has_demo_accounts_at_province_and_local_point(quang_ninh):
    provincial = {a.role for a in DEMO_ACCOUNTS if a.username.startswith("tinh.")}
    local = {a.role for a in DEMO_ACCOUNTS if a.username.startswith("honggai.")}
    assert provincial == set(Role) == local
    for account in DEMO_ACCOUNTS:
        user = User.objects.get(username=account.username)
        assert user.check_password(DEMO_PASSWORD)
        assignments = active_role_assignments(user)
        assert {a.role for a in assignments} == {account.role}
        assert {a.unit.key for a in assignments} == {account.unit_key, *account.also_at}
        assert not user.is_superuser


def test_role_assignment_is_audited_and_overlaps_rejected(quang_ninh):
    user = User.objects.create_user("an.nguyen", password="x" * 12)
    unit = Unit.objects.get(key="qn.so-tu-phap")
    before = AuditEntry.objects.filter(action="accounts.role_assigned").count()
    assignment = role_assign(
        actor=None, user=user, unit=unit, role=Role.SPECIALIST, valid_from=dt.date(2026, 1, 1)
    )
    assert AuditEntry.objects.filter(action="accounts.role_assigned").count() == before + 1
    with pytest.raises(ValidationError):
        role_assign(
            actor=None, user=user, unit=unit, role=Role.SPECIALIST, valid_from=dt.date(2026, 6, 1)
        )
    role_end(actor=None, assignment=assignment, on=dt.date(2026, 3, 1))
    assert AuditEntry.objects.filter(
        action="accounts.role_changed", object_id=str(assignment.pk)
    ).exists()
    assert not active_role_assignments(user, dt.date(2026, 5, 1)).exists()
    assert active_role_assignments(user, dt.date(2026, 2, 1)).exists()
    # A later, non-overlapping period is fine.
    role_assign(
        actor=None, user=user, unit=unit, role=Role.SPECIALIST, valid_from=dt.date(2026, 3, 1)
    )


def test_expired_role_means_no_staff_access(quang_ninh, client):
    user = User.objects.create_user("cu.canbo", password="x" * 12)
    unit = Unit.objects.get(key="qn.ttpvhcc")
    role_assign(
        actor=None,
        user=user,
        unit=unit,
        role=Role.RECEPTIONIST,
        valid_from=dt.date(2020, 1, 1),
        valid_until=dt.date(2021, 1, 1),
    )
    assert not is_staff_member(user)
    client.force_login(user)
    assert client.get("/staff/").status_code == 403


@override_settings(EGOV_REQUIRE_STAFF_MFA=True)
def test_staff_without_totp_are_sent_to_enrolment(receptionist_binh, client):
    client.force_login(receptionist_binh)
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"
    admin = client.get("/admin/")
    assert admin.status_code == 302


@override_settings(EGOV_REQUIRE_STAFF_MFA=False)
def test_mfa_not_forced_when_disabled(receptionist_binh, client):
    client.force_login(receptionist_binh)
    response = client.get("/staff/")
    assert response.status_code == 200
    assert "Cán bộ tiếp nhận (Một cửa)" in response.content.decode()


def test_login_and_failed_login_are_audited(quang_ninh, client):
    client.post("/accounts/login/", {"login": "tinh.tiepnhan", "password": "sai-mat-khau"})
    failed = AuditEntry.objects.filter(action="auth.login_failed").latest("sequence")
    assert failed.details["identifier"] == "tinh.tiepnhan"
    assert "sai-mat-khau" not in str(failed.details)
    assert failed.ip_address == "127.0.0.1"
    client.post("/accounts/login/", {"login": "tinh.tiepnhan", "password": DEMO_PASSWORD})
    assert AuditEntry.objects.filter(action="auth.login", actor_label="tinh.tiepnhan").exists()


def test_wrong_password_shows_vietnamese_error(quang_ninh, client):
    response = client.post("/accounts/login/", {"login": "tinh.tiepnhan", "password": "sai"})
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()
