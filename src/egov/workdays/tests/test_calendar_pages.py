"""Where staff see the calendar: the start page and the admin list of decisions mark what is
unconfirmed and the years still computed from the Labour Code only."""

import datetime as dt

import pytest
import time_machine

from egov.accounts.models import User
from egov.workdays.engine import VIETNAM_TZ
from egov.workdays.rules import BASIS_DEFAULT

pytestmark = pytest.mark.django_db


def user(username):
    return User.objects.get(username=username)


LAW_ONLY_2027 = (
    "Năm 2027: chưa nạp quyết định lịch nghỉ của Thủ tướng (Tết Âm lịch và Quốc khánh) — lịch "
    "chỉ tính theo Bộ luật Lao động 2019 (Điều 111, 112) và quy tắc mặc định, chưa đối chiếu."
)


@time_machine.travel(dt.datetime(2026, 11, 20, 9, 0, tzinfo=VIETNAM_TZ), tick=False)
def test_start_page_shows_basis_marks_and_the_law_only_year(quang_ninh, client, settings):
    settings.EGOV_REQUIRE_STAFF_MFA = False
    client.force_login(user("tinh.tiepnhan"))
    response = client.get("/staff/")
    assert response.status_code == 200
    upcoming = response.context["upcoming_holidays"]
    assert [(h.date, h.basis, h.confirmed) for h in upcoming] == [
        (dt.date(2026, 11, 24), "28/2026/QH16", False),
        (dt.date(2027, 1, 1), "BLLĐ 2019 Điều 112 khoản 1", True),
        *((dt.date(2027, 2, day), BASIS_DEFAULT, False) for day in (5, 6, 7)),
    ]
    html = response.content.decode()
    assert "Ngày Văn hóa Việt Nam (24/11) <small>(28/2026/QH16; chưa đối chiếu)</small>" in html
    assert response.context["calendar_notes"] == [LAW_ONLY_2027]
    assert LAW_ONLY_2027 in html


@time_machine.travel(dt.datetime(2026, 11, 20, 9, 0, tzinfo=VIETNAM_TZ), tick=False)
def test_admin_list_of_decisions_warns_about_the_next_year(quang_ninh, client, settings):
    settings.EGOV_REQUIRE_STAFF_MFA = False
    client.force_login(user("tinh.quantri"))
    response = client.get("/admin/workdays/calendardecision/", {"year": "2026"})
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == [LAW_ONLY_2027]
    rows = response.context["cl"].result_list
    assert sorted((d.number, d.confidence) for d in rows) == [
        ("12729/VPCP-KGVX", "S"),
        ("28/2026/QH16", "I"),
        ("9441/TB-BNV", "S"),
    ]
    assert client.get("/admin/workdays/daycountingrule/").status_code == 200
