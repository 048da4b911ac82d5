"""Data migration: API keys made before expiry dates existed get the default lifetime."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = ("accounts", "0005_phone_verification")
AFTER = ("accounts", "0006_api_key_expiry_and_revocation")


@pytest.mark.django_db(transaction=True)
def test_existing_keys_get_the_default_lifetime(settings):
    settings.EGOV_API_KEY_LIFETIME_DAYS = 100
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    old_apps = executor.loader.project_state([BEFORE]).apps
    user = old_apps.get_model("accounts", "User").objects.create(username="api.0000abcd")
    old_apps.get_model("accounts", "ApiClient").objects.create(
        name="kiosk-cu", user=user, key_prefix="0000abcd", key_hash="0" * 64
    )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())  # back to the latest schema
    new_apps = executor.loader.project_state([AFTER]).apps
    client = new_apps.get_model("accounts", "ApiClient").objects.get(name="kiosk-cu")
    expected = timezone.now() + dt.timedelta(days=100)
    assert abs(client.expires_at - expected) < dt.timedelta(minutes=1)
    assert client.revoked_at is None and client.active
