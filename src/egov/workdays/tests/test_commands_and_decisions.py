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


@pytest.mark.django_db
def test_holidays_command_lists_2026_days_off(quang_ninh):
    lines = run("holidays", "2026")
    dates = [line.split("\t")[0] for line in lines]
    # Tết 2026 comes from Thông báo 9441/TB-BNV: 16-20/02, not the rule's default. The loaded
    # notice leaves the day next to National Day to the default rule, which gives Thursday 3/9
    # (2/9 is a Wednesday). Ordinary weekends are not listed.
    assert dates == [
        "2026-01-01",
        *(f"2026-02-{day}" for day in range(16, 21)),
        "2026-04-26",
        "2026-04-27",
        "2026-04-30",
        "2026-05-01",
        "2026-09-02",
        "2026-09-03",
    ]
    assert all("\t" in line and line.split("\t")[1] for line in lines)
    assert lines[-1] == "2026-09-03\tNghỉ liền kề Quốc khánh"


@pytest.mark.django_db
def test_deadline_command_prints_iso_with_offset(quang_ninh):
    (line,) = run("deadline", "--start", "2026-04-24 10:00", "--days", "3")
    assert line == "2026-05-04T10:00:00+07:00"
    (line,) = run(
        "deadline", "--start", "2026-04-24 10:00", "--days", "1", "--unit", "000.00.00.H49"
    )
    assert line == "2026-04-28T10:00:00+07:00"


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
    point = Unit.objects.get(key="qn.x.hong-gai.diem")
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
    assert "2026-03-10\tNghỉ thêm" in lines


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
    # Thursday 24/4/2025 10:00 + 2 days → Fri 25/4 (1), Sat 26/4 make-up (2).
    start = dt.datetime(2025, 4, 24, 10, 0, tzinfo=VIETNAM_TZ)
    assert cal.add_working_days(start, 2) == dt.datetime(2025, 4, 26, 10, 0, tzinfo=VIETNAM_TZ)
