import datetime as dt
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from egov.audit.models import AuditEntry
from egov.org.models import Unit
from egov.workdays.engine import VIETNAM_TZ
from egov.workdays.models import CalendarDay, CalendarDecision
from egov.workdays.selectors import calendar_for_unit, year_holidays
from egov.workdays.services import CalendarDataError, calendar_decision_load

ROOT = Path(__file__).resolve().parents[4]


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().splitlines()


UNCONFIRMED = "(chưa đối chiếu)"
BNV_9441 = f"9441/TB-BNV ngày 16/10/2025 {UNCONFIRMED}"
VPCP_12729 = f"12729/VPCP-KGVX ngày 25/12/2025 {UNCONFIRMED}"
CODE = "BLLĐ 2019 Điều 112 khoản 1"


@pytest.mark.django_db
def test_holidays_command_lists_2026_days_off_swaps_and_make_up_days(quang_ninh):
    lines = run("holidays", "2026")
    comments = [line for line in lines if line.startswith("#")]
    # Every loaded text is named with its level of checking; no line says the year is
    # computed by default, since both Tết and Quốc khánh are fixed by a decision.
    assert comments == [
        "# Văn bản: Thông báo 9441/TB-BNV ngày 16/10/2025 của Bộ Nội vụ về lịch nghỉ Tết Âm "
        "lịch và Quốc khánh năm 2026 — chưa đối chiếu (theo nguồn thứ cấp (báo chí, cổng "
        "thông tin))",
        "# Văn bản: Công văn 12729/VPCP-KGVX ngày 25/12/2025 của Văn phòng Chính phủ về nghỉ "
        "Tết Dương lịch năm 2026 — chưa đối chiếu (theo nguồn thứ cấp (báo chí, cổng thông "
        "tin))",
        "# Văn bản: Nghị quyết 28/2026/QH16 của Quốc hội về phát triển văn hóa Việt Nam — Ngày "
        "Văn hóa Việt Nam 24/11 — chưa đối chiếu (theo hệ thống khác)",
    ]
    rows = [tuple(line.split("\t")) for line in lines if not line.startswith("#")]
    assert rows == [
        ("2026-01-01", "nghỉ", "Tết Dương lịch (1/1)", VPCP_12729),
        ("2026-01-02", "nghỉ", "Nghỉ hoán đổi (làm bù thứ Bảy 10/01/2026)", VPCP_12729),
        ("2026-01-10", "làm bù", "Làm việc bù cho thứ Sáu 02/01/2026", VPCP_12729),
        ("2026-02-16", "nghỉ", "Tết Âm lịch (29 tháng Chạp Ất Tỵ)", BNV_9441),
        ("2026-02-17", "nghỉ", "Tết Âm lịch (mùng 1 tháng Giêng Bính Ngọ)", BNV_9441),
        ("2026-02-18", "nghỉ", "Tết Âm lịch (mùng 2 tháng Giêng)", BNV_9441),
        ("2026-02-19", "nghỉ", "Tết Âm lịch (mùng 3 tháng Giêng)", BNV_9441),
        ("2026-02-20", "nghỉ", "Tết Âm lịch (mùng 4 tháng Giêng)", BNV_9441),
        ("2026-04-26", "nghỉ", "Giỗ Tổ Hùng Vương (10/3 âm lịch)", CODE),
        (
            "2026-04-27",
            "nghỉ",
            "Nghỉ bù Giỗ Tổ Hùng Vương (10/3 âm lịch)",
            "BLLĐ 2019 Điều 111 khoản 3 (nghỉ bù)",
        ),
        ("2026-04-30", "nghỉ", "Ngày Chiến thắng (30/4)", CODE),
        ("2026-05-01", "nghỉ", "Ngày Quốc tế lao động (1/5)", CODE),
        ("2026-08-22", "làm bù", "Làm việc bù cho thứ Hai 31/8/2026", BNV_9441),
        ("2026-08-31", "nghỉ", "Nghỉ hoán đổi (làm bù thứ Bảy 22/8/2026)", BNV_9441),
        ("2026-09-01", "nghỉ", "Nghỉ liền kề Quốc khánh", BNV_9441),
        ("2026-09-02", "nghỉ", "Quốc khánh (2/9)", BNV_9441),
        ("2026-11-24", "nghỉ", "Ngày Văn hóa Việt Nam (24/11)", f"28/2026/QH16 {UNCONFIRMED}"),
    ]


@pytest.mark.django_db
def test_holidays_command_marks_2027_as_computed_from_the_labour_code_only(quang_ninh):
    lines = run("holidays", "2027")
    assert lines[0] == (
        "# Năm 2027: chưa nạp quyết định lịch nghỉ của Thủ tướng (Tết Âm lịch và Quốc khánh) "
        "— lịch chỉ tính theo Bộ luật Lao động 2019 (Điều 111, 112) và quy tắc mặc định, "
        "chưa đối chiếu."
    )
    rows = {line.split("\t")[0]: line.split("\t")[1:] for line in lines[2:]}
    default = (
        "Quy tắc mặc định, chờ quyết định của Thủ tướng (BLLĐ 2019 Điều 112 khoản 3) " + UNCONFIRMED
    )
    assert rows["2027-02-06"] == ["nghỉ", "Tết Âm lịch", default]
    assert rows["2027-09-03"] == ["nghỉ", "Nghỉ liền kề Quốc khánh", default]
    assert rows["2027-01-01"] == ["nghỉ", "Tết Dương lịch", CODE]


@pytest.mark.django_db
def test_deadline_command_prints_iso_with_offset(quang_ninh):
    # The province has no rule of its own: the loaded default counts by the Civil Code.
    (line,) = run("deadline", "--start", "2026-04-24 10:00", "--days", "3")
    assert line == "2026-05-04T17:00:00+07:00"
    (line,) = run(
        "deadline", "--start", "2026-04-24 10:00", "--days", "1", "--unit", "000.00.00.H49"
    )
    assert line == "2026-04-28T17:00:00+07:00"
    (line,) = run(
        "deadline", "--start", "2026-04-24 10:00", "--days", "3", "--counting", "same_time"
    )
    assert line == "2026-05-04T10:00:00+07:00"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "args",
    [
        ("deadline", "--start", "2026-13-01 10:00", "--days", "1"),
        ("deadline", "--start", "hôm nay", "--days", "1"),
        ("deadline", "--start", "2026-04-24 10:00", "--days", "-1"),
        ("deadline", "--start", "2026-04-24 10:00", "--days", "ba"),
        ("deadline", "--start", "2026-04-24 10:00", "--days", "1", "--unit", "999.99.99.X00"),
        ("holidays", "hai nghìn"),
        ("holidays", "1800"),
        ("holidays", "2026", "--unit", "khong-co"),
    ],
)
def test_bad_input_exits_with_status_2(quang_ninh, args):
    with pytest.raises(CommandError) as error:
        run(*args)
    assert error.value.returncode == 2
    assert str(error.value)


def test_real_process_exit_status_and_message(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "EGOV_VAR_DIR": str(tmp_path), "HOME": str(tmp_path)}
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "manage.py"),
            "deadline",
            "--start",
            "24/04/2026",
            "--days",
            "1",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 2
    assert "YYYY-MM-DD HH:MM" in result.stderr


@pytest.mark.django_db
def test_unit_scoped_decision_applies_to_unit_and_descendants_only(quang_ninh):
    point = Unit.objects.get(key="qn.x.hong-gai.ttpvhcc")
    calendar_decision_load(
        actor=None,
        data={
            "year": 2026,
            "title": "QĐ thử nghiệm nghỉ thêm",
            "unit": "qn.ttpvhcc",
            "days": [
                {"date": "2026-03-10", "kind": "off", "holiday_key": "extra", "name": "Nghỉ thêm"}
            ],
        },
    )
    assert dt.date(2026, 3, 10) in {h.date for h in year_holidays(2026, point)}
    assert dt.date(2026, 3, 10) not in {h.date for h in year_holidays(2026, None)}
    lines = run("holidays", "2026", "--unit", point.code)
    assert "2026-03-10\tnghỉ\tNghỉ thêm\tQĐ thử nghiệm nghỉ thêm (chưa đối chiếu)" in lines


@pytest.mark.django_db
def test_make_up_working_saturday_and_tet_override(quang_ninh):
    calendar_decision_load(
        actor=None,
        data={
            "year": 2027,
            "title": "Thông báo giả định cho kiểm thử",
            "days": [
                {"date": "2027-02-05", "kind": "off", "holiday_key": "tet_am_lich", "name": "Tết"},
                {"date": "2027-02-08", "kind": "off", "holiday_key": "tet_am_lich", "name": "Tết"},
                {"date": "2027-02-20", "kind": "working", "name": "Làm bù", "works_as_weekday": 4},
            ],
        },
    )
    tet = [h.date for h in year_holidays(2027) if h.key == "tet_am_lich"]
    assert tet == [dt.date(2027, 2, 5), dt.date(2027, 2, 8)]
    cal = calendar_for_unit(None)
    assert cal.is_working_day(dt.date(2027, 2, 20))
    assert not cal.is_working_day(dt.date(2027, 2, 8))
    assert cal.is_working_day(dt.date(2027, 2, 9))
    start = dt.datetime(2027, 2, 19, 16, 0, tzinfo=VIETNAM_TZ)
    assert cal.add_working_hours(start, 2) == dt.datetime(2027, 2, 20, 8, 30, tzinfo=VIETNAM_TZ)


@pytest.mark.django_db
def test_decision_loading_is_idempotent_audited_and_validated(quang_ninh):
    data = {
        "year": 2030,
        "title": "TB thử",
        "days": [
            {"date": "2030-09-03", "kind": "off", "holiday_key": "quoc_khanh", "name": "Quốc khánh"}
        ],
    }
    before = AuditEntry.objects.count()
    calendar_decision_load(actor=None, data=data)
    assert AuditEntry.objects.count() == before + 1
    _, changed = calendar_decision_load(actor=None, data=data)
    assert not changed
    assert AuditEntry.objects.count() == before + 1
    with pytest.raises(CalendarDataError) as error:
        calendar_decision_load(
            actor=None,
            data={
                "year": 2030,
                "title": "x",
                "days": [
                    {"date": "2031-01-01", "kind": "off", "holiday_key": "extra", "name": "a"},
                    {"date": "2030-02-30", "kind": "off", "name": "b"},
                    {"date": "2030-03-01", "kind": "maybe", "name": ""},
                ],
            },
        )
    assert len(error.value.errors) >= 4
    # Lengths are checked by the loader, not left to PostgreSQL (SQLite would accept them).
    with pytest.raises(CalendarDataError) as error:
        calendar_decision_load(actor=None, data={**data, "title": "x" * 301})
    assert error.value.errors == ["trường “title” quá dài (tối đa 300 ký tự)"]
    assert CalendarDecision.objects.filter(year=2030).count() == 1
    assert CalendarDay.objects.filter(decision__year=2030).count() == 1


@pytest.mark.django_db
def test_swapped_saturday_of_2025(quang_ninh):
    dates = {h.date for h in year_holidays(2025)}
    assert dt.date(2025, 5, 2) in dates
    assert dt.date(2025, 4, 26) not in dates
    cal = calendar_for_unit(None)
    assert cal.is_working_day(dt.date(2025, 4, 26))  # Saturday, make-up day
    assert {dt.date(2025, 9, 1), dt.date(2025, 9, 2)} <= dates
    # Thursday 24/4/2025 10:00 + 2 days → Fri 25/4 (1), Sat 26/4 make-up (2), at the close of
    # its Friday hours.
    start = dt.datetime(2025, 4, 24, 10, 0, tzinfo=VIETNAM_TZ)
    assert cal.add_working_days(start, 2) == dt.datetime(2025, 4, 26, 17, 0, tzinfo=VIETNAM_TZ)
