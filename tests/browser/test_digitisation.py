"""Issue 16 §7: a department leader opens "Tỷ lệ số hóa" from the menu, sees this month's
paper dossier that is not digitised, and follows the number to it. axe-core checks every page
loaded (conftest.py)."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from egov.dossiers.models import Dossier
from egov.dossiers.services.reception import dossier_receive
from egov.dossiers.tests.helpers import reception, user
from egov.org.models import Unit
from tests.browser.staff import sign_in

pytestmark = pytest.mark.browser


def test_the_leader_finds_the_dossier_not_digitised(page, live_quang_ninh, settings):
    settings.EGOV_REQUIRE_STAFF_MFA = False
    department = Unit.objects.get(key="qn.so-tu-phap")
    dossier = dossier_receive(actor=user("tinh.tiepnhan"), reception=reception())
    Dossier.objects.filter(pk=dossier.pk).update(handling_unit=department)
    sign_in(page, live_quang_ninh.url, "tinh.lanhdaophong")
    page.get_by_role("link", name="Tỷ lệ số hóa").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Tỷ lệ số hóa hồ sơ, kết quả và tái sử dụng dữ liệu"
    )
    today = timezone.localdate()
    expect(page.get_by_label("Kỳ (YYYY-MM, YYYY-Qn hoặc YYYY)")).to_have_value(
        f"{today.year}-{today.month:02d}"
    )
    cell = page.locator(f'tr[data-unit="{department.code}"] td[data-figure="counter_digitised"]')
    expect(cell).to_contain_text("0,00 %")
    cell.get_by_role("link", name="Hồ sơ chưa đạt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ của tỷ lệ số hóa")
    rows = page.get_by_test_id("drill-down-dossiers").locator("tbody tr")
    expect(rows.get_by_role("link", name=dossier.code)).to_be_visible()
