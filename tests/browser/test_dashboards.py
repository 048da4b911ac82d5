"""Issue 15: a department leader opens his dashboard from the menu, drills down from the
overdue count to the dossier, then exports the quarter's Biểu 06 to Excel, whose totals are the
page's; anyone reads /thong-ke/. axe-core checks every page loaded
(conftest.py), charts and tables included."""

import datetime as dt

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from egov.dossiers.models import Dossier
from egov.dossiers.services.reception import dossier_receive
from egov.dossiers.tests.helpers import reception, user
from egov.org.models import Unit
from egov.reports.periods import PeriodKind, period_containing
from tests.browser.staff import sign_in

pytestmark = pytest.mark.browser


def overdue_at_the_department():
    """A dossier of the Sở Tư pháp in processing, due yesterday, received last month online."""
    dossier = dossier_receive(actor=user("tinh.tiepnhan"), reception=reception())
    now = timezone.now()
    Dossier.objects.filter(pk=dossier.pk).update(
        handling_unit=Unit.objects.get(key="qn.so-tu-phap"),
        status="processing",
        due_at=now - dt.timedelta(days=1),
        channel="online",
    )
    return dossier.code


def test_the_leader_drills_down_from_the_overdue_count(page, live_quang_ninh, settings):
    settings.EGOV_REQUIRE_STAFF_MFA = False
    base = live_quang_ninh.url
    code = overdue_at_the_department()
    department = Unit.objects.get(key="qn.so-tu-phap").name
    sign_in(page, base, "tinh.lanhdaophong")
    page.get_by_role("link", name="Bảng điều khiển").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Bảng điều khiển: Đơn vị tôi phụ trách"
    )
    expect(page.get_by_role("img", name="Hồ sơ quá hạn và sắp đến hạn theo đơn vị")).to_be_visible()
    expect(page.get_by_test_id("overdue-total")).to_contain_text("1")
    page.get_by_role("link", name=f"1 hồ sơ quá hạn — {department}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ quá hạn")
    rows = page.get_by_test_id("drill-down").locator("tbody tr")
    expect(rows).to_have_count(1)
    rows.get_by_role("link", name=code).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(code)

    # The quarter's Biểu 06 (NĐ 09/2019 cut-off, the default) holds the same dossier.
    quarter = period_containing(timezone.localdate(), PeriodKind.QUARTER)
    page.get_by_role("link", name="Báo cáo Biểu 06").click()
    page.get_by_label("Loại kỳ").select_option("quarter")
    page.get_by_label("Năm", exact=True).fill(str(quarter.last_day.year))
    page.get_by_label("Tháng hoặc quý").fill(str((quarter.last_day.month - 1) // 3 + 1))
    page.get_by_label("Nhóm số liệu").select_option("unit")
    page.get_by_role("button", name="Xem").click()
    total = page.get_by_test_id("form06-total").locator("td")
    shown = [int(text.replace(".", "")) for text in total.all_inner_texts()[1:]]
    # Received 1 (online), none carried over or resolved, 1 in progress and overdue.
    assert shown == [1, 1, 0, 0, 0, 0, 0, 0, 1, 0, 1]
    with page.expect_download() as download:
        page.get_by_test_id("form06-xlsx").click()
    with download.value.path().open("rb") as workbook:  # a temporary name, no extension
        sheet = load_workbook(workbook).active
    totals = [
        [cell.value for cell in row[2:13]]
        for row in sheet.iter_rows()
        if row[0].value in (None, "") and all(isinstance(cell.value, int) for cell in row[2:13])
    ]
    assert totals == [shown]


def test_anyone_reads_the_statistics(page, live_quang_ninh):
    base = live_quang_ninh.url
    overdue_at_the_department()
    page.goto(base + "/")
    page.get_by_role("link", name="Thống kê").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Thống kê giải quyết thủ tục hành chính"
    )
    expect(page.get_by_test_id("public-months").locator("tbody tr")).to_have_count(12)
    page.get_by_label("Đơn vị", exact=True).select_option("qn.so-tu-phap")
    page.get_by_role("button", name="Xem").click()
    expect(page.get_by_role("heading", level=2).first).to_contain_text("Sở Tư pháp")
