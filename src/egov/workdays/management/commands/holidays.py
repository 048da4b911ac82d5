from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from egov.workdays.lunar import FIRST_YEAR, LAST_YEAR
from egov.workdays.management.commands._common import resolve_unit
from egov.workdays.selectors import year_holidays


class Command(BaseCommand):
    help = (
        "In các ngày nghỉ lễ, tết (kể cả nghỉ bù) của một năm: YYYY-MM-DD<TAB>tên, "
        "mỗi ngày một dòng (không liệt kê thứ Bảy, Chủ nhật thông thường)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("year", help=f"năm ({FIRST_YEAR}-{LAST_YEAR})")
        parser.add_argument("--unit", help="mã định danh đơn vị (áp dụng quyết định riêng)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            year = int(options["year"])
        except ValueError:
            raise CommandError(f"Năm không hợp lệ: {options['year']!r}", returncode=2) from None
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise CommandError(f"Năm phải từ {FIRST_YEAR} đến {LAST_YEAR}.", returncode=2)
        unit = resolve_unit(options["unit"])
        for holiday in year_holidays(year, unit):
            self.stdout.write(f"{holiday.date.isoformat()}\t{holiday.name}")
