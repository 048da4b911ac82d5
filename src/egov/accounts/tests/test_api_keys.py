"""API keys: expiry, revocation, rotation, last use, inactive service accounts (issue 9,
point 5)."""

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from egov.accounts.models import ApiClient, User
from egov.accounts.services import (
    api_client_authenticate,
    api_client_create,
    api_client_revoke,
    api_client_rotate,
)
from egov.audit.models import AuditEntry
from egov.org.models import Unit

pytestmark = pytest.mark.django_db

LIST = "/api/v1/staff/dossiers"


def command(*args):
    out, err = StringIO(), StringIO()
    call_command("api_client", *args, stdout=out, stderr=err)
    return out.getvalue().strip()


def get(client, key):
    return client.get(LIST, HTTP_AUTHORIZATION=f"Bearer {key}")


@pytest.fixture
def kiosk(quang_ninh):
    key = command("create", "kiosk-1", "--unit", "qn.ttpvhcc", "--role", "receptionist")
    return ApiClient.objects.get(name="kiosk-1"), key


def test_new_keys_expire_after_the_configured_lifetime(kiosk, client, settings):
    client_row, key = kiosk
    expected = timezone.now() + dt.timedelta(days=settings.EGOV_API_KEY_LIFETIME_DAYS)
    assert abs(client_row.expires_at - expected) < dt.timedelta(minutes=1)
    assert get(client, key).status_code == 200
    with time_machine.travel(client_row.expires_at + dt.timedelta(seconds=1)):
        assert get(client, key).status_code == 401
        assert api_client_authenticate(key) is None
    short = command(
        "create", "kiosk-2", "--unit", "qn.ttpvhcc", "--role", "receptionist", "--days", "30"
    )
    row = ApiClient.objects.get(name="kiosk-2")
    assert (row.expires_at - timezone.now()).days == 29
    with time_machine.travel(timezone.now() + dt.timedelta(days=31)):
        assert get(client, short).status_code == 401


def test_revoked_key_is_refused_at_once_and_audited(kiosk, client):
    client_row, key = kiosk
    assert "Đã thu hồi" in command("revoke", "kiosk-1", "--reason", "máy bị mất")
    assert get(client, key).status_code == 401
    client_row.refresh_from_db()
    assert client_row.revoked_at is not None and not client_row.active
    entry = AuditEntry.objects.get(action="accounts.api_client_revoked")
    assert entry.details == {"key_prefix": client_row.key_prefix, "reason": "máy bị mất"}
    with pytest.raises(CommandError, match="đã bị thu hồi"):
        command("revoke", "kiosk-1")
    with pytest.raises(CommandError, match="đã bị thu hồi"):
        command("rotate", "kiosk-1")


def test_rotation_replaces_the_key_and_is_audited(kiosk, client):
    client_row, old = kiosk
    new = command("rotate", "kiosk-1", "--days", "90")
    assert new != old and new.startswith("egov_")
    assert get(client, old).status_code == 401
    assert get(client, new).status_code == 200
    client_row.refresh_from_db()
    assert (client_row.expires_at - timezone.now()).days == 89
    assert new not in (client_row.key_hash, client_row.key_prefix)
    entry = AuditEntry.objects.get(action="accounts.api_client_rotated")
    assert entry.details["key_prefix"] == client_row.key_prefix
    assert entry.details["old_key_prefix"] == old.split("_")[1]
    assert new not in str(entry.details)


def test_inactive_service_account_is_refused(kiosk, client):
    client_row, key = kiosk
    User.objects.filter(pk=client_row.user_id).update(is_active=False)
    assert get(client, key).status_code == 401


def test_last_use_is_written_at_most_once_a_minute(kiosk, client, django_assert_num_queries):
    client_row, key = kiosk
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert get(client, key).status_code == 200
        client_row.refresh_from_db()
        assert client_row.last_used_at == start
        # Within the minute: authenticating reads only, it writes nothing.
        with django_assert_num_queries(1):
            assert api_client_authenticate(key) is not None
    with time_machine.travel(start + dt.timedelta(seconds=59), tick=False):
        api_client_authenticate(key)
        client_row.refresh_from_db()
        assert client_row.last_used_at == start
    with time_machine.travel(start + dt.timedelta(seconds=61), tick=False):
        api_client_authenticate(key)
        client_row.refresh_from_db()
        assert client_row.last_used_at == start + dt.timedelta(seconds=61)


def test_list_shows_state_without_keys(kiosk):
    _client_row, key = kiosk
    command("create", "buu-dien", "--unit", "qn.ttpvhcc", "--role", "postal")
    command("revoke", "buu-dien")
    listing = command("list")
    lines = dict(line.split("\t", 1) for line in listing.splitlines())
    assert lines["kiosk-1"].split("\t")[1] == "đang hoạt động"
    assert lines["buu-dien"].split("\t")[1] == "đã thu hồi"
    assert key not in listing


def test_only_provincial_administrators_manage_api_clients(kiosk):
    client_row, _key = kiosk
    ward_admin = User.objects.get(username="honggai.quantri")
    unit = Unit.objects.get(key="qn.x.hong-gai.ttpvhcc")
    with pytest.raises(ValidationError, match="Chỉ quản trị viên cấp tỉnh mới được"):
        api_client_create(actor=ward_admin, name="x", unit=unit, role="receptionist")
    with pytest.raises(ValidationError, match="Chỉ quản trị viên cấp tỉnh mới được"):
        api_client_revoke(actor=ward_admin, client=client_row)
    with pytest.raises(ValidationError, match="Chỉ quản trị viên cấp tỉnh mới được"):
        api_client_rotate(actor=ward_admin, client=client_row)
    provincial = User.objects.get(username="tinh.quantri")
    _row, key = api_client_rotate(actor=provincial, client=client_row)
    assert api_client_authenticate(key) is not None


def test_admin_revokes_and_rotates_showing_the_new_key_once(kiosk, client, settings):
    settings.EGOV_REQUIRE_STAFF_MFA = False
    client_row, old = kiosk
    client.force_login(User.objects.get(username="tinh.quantri"))
    changelist = "/admin/accounts/apiclient/"
    assert client.get(changelist).status_code == 200
    response = client.post(
        changelist, {"action": "rotate", "_selected_action": [client_row.pk]}, follow=False
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    new = page.split('data-testid="new-key">', 1)[1].split("<", 1)[0]
    assert new.startswith("egov_") and api_client_authenticate(new) is not None
    assert api_client_authenticate(old) is None
    assert new not in client.get(f"{changelist}{client_row.pk}/change/").content.decode()
    client.post(changelist, {"action": "revoke", "_selected_action": [client_row.pk]})
    assert api_client_authenticate(new) is None
    assert AuditEntry.objects.filter(
        action="accounts.api_client_revoked", actor_label="tinh.quantri"
    ).exists()
    # A unit administrator does not see API clients at all.
    client.force_login(User.objects.get(username="honggai.quantri"))
    assert client.get(changelist).status_code == 403
    assert client.get(f"{changelist}{client_row.pk}/change/").status_code == 403
