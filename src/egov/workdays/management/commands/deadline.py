from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from egov.workdays.engine import VIETNAM_TZ, CalendarError, DayCounting
from egov.workdays.lunar import FIRST_YEAR, LAST_YEAR
from egov.workdays.management.commands._common import resolve_unit
from egov.workdays.selectors import calendar_for_unit


class Command(BaseCommand):
    help = (
        "Tính thời hạn: cộng N ngày làm việc (hoặc --hours giờ làm việc) vào thời điểm bắt đầu "
        "theo giờ làm việc và lịch nghỉ của đơn vị; in ra theo ISO 8601 có múi giờ. Ngày làm "
        "việc được tính theo cách tính của tỉnh (docs/calendar.md) hoặc theo --counting."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--start", required=True, help='"YYYY-MM-DD HH:MM", giờ Việt Nam')
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--days", help="số ngày làm việc (số nguyên ≥ 0)")
        group.add_argument("--hours", help="số giờ làm việc (≥ 0)")
        parser.add_argument("--unit", help="mã định danh đơn vị")
        parser.add_argument(
            "--counting",
            choices=[c.value for c in DayCounting],
            help="cách tính ngày: end_of_day (không tính ngày tiếp nhận, hết hạn cuối giờ làm "
            "việc ngày cuối) hoặc same_time (giữ nguyên giờ); mặc định: cách tính của tỉnh",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            naive = dt.datetime.strptime(  # noqa: DTZ007 — local time, zone attached below
                options["start"].strip(), "%Y-%m-%d %H:%M"
            )
        except ValueError:
            raise CommandError(
                f'Thời điểm không hợp lệ: {options["start"]!r} (cần "YYYY-MM-DD HH:MM").',
                returncode=2,
            ) from None
        if not FIRST_YEAR <= naive.year <= LAST_YEAR - 3:
            raise CommandError(f"Năm phải từ {FIRST_YEAR} đến {LAST_YEAR - 3}.", returncode=2)
        start = naive.replace(tzinfo=VIETNAM_TZ)
        days = _non_negative_int(options["days"]) if options["days"] is not None else None
        hours = _non_negative_float(options["hours"]) if days is None else 0.0
        calendar = calendar_for_unit(resolve_unit(options["unit"]))
        try:
            if days is not None:
                counting = DayCounting(options["counting"]) if options["counting"] else None
                due = calendar.add_working_days(start, days, counting=counting)
            else:
                due = calendar.add_working_hours(start, hours)
        except CalendarError as exc:
            raise CommandError(f"Không tính được thời hạn: {exc}", returncode=2) from None
        self.stdout.write(due.isoformat())


def _non_negative_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise CommandError(f"Số ngày phải là số nguyên: {value!r}", returncode=2) from None
    if number < 0:
        raise CommandError("Số ngày không được âm.", returncode=2)
    if number > 3650:
        raise CommandError("Số ngày quá lớn (tối đa 3650).", returncode=2)
    return number


def _non_negative_float(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise CommandError(f"Số giờ phải là số: {value!r}", returncode=2) from None
    if not 0 <= number <= 20000:
        raise CommandError("Số giờ phải từ 0 đến 20000.", returncode=2)
    return number
