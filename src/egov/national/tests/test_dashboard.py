"""The sync dashboard: provincial administrators see lag, counts and failures and can put the
failed records back in the queue; anyone else is refused."""

import datetime as dt

import pytest
import time_machine

from egov.accounts.models import User
from egov.dossiers.services.reception import dossier_receive
from egov.dossiers.tests.helpers import reception, user
from egov.national.models import NationalSync, SyncStatus
from egov.national.services.push import deliver_due
from egov.workdays.engine import VIETNAM_TZ

pytestmark = pytest.mark.django_db
URL = "/staff/dong-bo-quoc-gia/"


def test_an_administrator_sees_lag_counts_and_failures_and_retries(
    client, quang_ninh, dvcqg, settings
):
    settings.EGOV_REQUIRE_STAFF_MFA = False  # signing in with a second factor is tested elsewhere
    start = dt.datetime(2026, 12, 7, 9, 0, tzinfo=VIETNAM_TZ)
    with time_machine.travel(start, tick=False) as clock:
        failed = dossier_receive(actor=user("tinh.tiepnhan"), reception=reception())
        dvcqg.unknown_update = "refuse"
        deliver_due()
        NationalSync.objects.filter(dossier=failed).update(
            status=SyncStatus.FAILED, last_error="04: older update"
        )
        dvcqg.down = True
        dossier_receive(actor=user("tinh.tiepnhan"), reception=reception())
        deliver_due()
        clock.shift(dt.timedelta(minutes=42))
        client.force_login(user("tinh.quantri"))
        page = client.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Đồng bộ Cổng Dịch vụ công quốc gia" in html
    assert "42 phút (từ 09:00 07/12/2026)" in html
    assert "<dt>Chờ gửi</dt><dd>1</dd>" in html
    assert "<dt>Gửi không thành công</dt><dd>1</dd>" in html
    assert failed.code in html and "04: older update" in html
    assert "portal answered HTTP 503" in html

    answer = client.post(URL)
    assert answer.status_code == 302
    assert NationalSync.objects.get(dossier=failed).status == SyncStatus.PENDING


@pytest.mark.parametrize("username", ["tinh.tiepnhan", "congdan.an"])
def test_other_roles_and_citizens_are_refused(client, quang_ninh, dvcqg, settings, username):
    settings.EGOV_REQUIRE_STAFF_MFA = False
    person = User.objects.filter(username=username).first() or User.objects.create_user(username)
    client.force_login(person)
    assert client.get(URL).status_code == 403
    assert client.post(URL).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, quang_ninh):
    answer = client.get(URL)
    assert answer.status_code == 302 and "login" in answer["Location"]
