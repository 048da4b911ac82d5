"""The provincial administrators' overview of partner subscriptions and their health."""

from __future__ import annotations

import pytest

from egov.accounts.models import User
from egov.webhooks.models import PauseReason, Subscription
from egov.webhooks.tests.helpers import subscribe

pytestmark = pytest.mark.django_db
URL = "/staff/doi-tac/su-kien/"


@pytest.fixture(autouse=True)
def _no_mfa(settings):
    settings.EGOV_REQUIRE_STAFF_MFA = False


def test_provincial_administrators_see_every_subscription_with_its_health(client, partner):
    subscribe(partner, "https://doitac.example.vn/hook", "dossier.received")
    Subscription.objects.update(state="paused", pause_reason=PauseReason.FAILING)
    client.force_login(User.objects.get(username="tinh.quantri"))
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Hệ thống đối tác" in page
    assert "https://doitac.example.vn/hook" in page
    assert "Tạm dừng (Gửi không thành công liên tục)" in page


@pytest.mark.parametrize("who", ["tinh.tiepnhan", "tinh.lanhdaotrungtam"])
def test_other_staff_are_refused(client, quang_ninh, who):
    client.force_login(User.objects.get(username=who))
    assert client.get(URL).status_code == 403
