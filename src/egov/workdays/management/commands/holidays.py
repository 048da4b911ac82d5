from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from egov.workdays.lunar import FIRST_YEAR, LAST_YEAR
from egov.workdays.management.commands._common import resolve_unit
from egov.workdays.selectors import year_calendar

UNCONFIRMED = "chưa đối chiếu"


def _basis(basis: str, confirmed: bool) -> str:
    return basis if confirmed else f"{basis} ({UNCONFIRMED})"


class Command(BaseCommand):
    help = (
        "In lịch nghỉ của một năm: các ngày nghỉ lễ, tết, nghỉ bù, nghỉ hoán đổi và các ngày "
        "thứ Bảy, Chủ nhật làm việc bù, mỗi ngày một dòng "
        "YYYY-MM-DD<TAB>nghỉ|làm bù<TAB>tên<TAB>căn cứ (không liệt kê thứ Bảy, Chủ nhật thông "
        "thường). Các dòng bắt đầu bằng # là ghi chú: văn bản đã nạp và năm chưa có quyết định."
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
        calendar = year_calendar(year, resolve_unit(options["unit"]))
        if calendar.note:
            self.stdout.write(f"# {calendar.note}")
        for decision in calendar.decisions:
            mark = "" if decision.confirmed else f" — {UNCONFIRMED}"
            level = decision.get_confidence_display().lower()
            self.stdout.write(f"# Văn bản: {decision.title}{mark} ({level})")
        lines = [
            (h.date, "nghỉ", h.name, _basis(h.basis, h.confirmed)) for h in calendar.days_off
        ] + [
            (d.date, "làm bù", d.name, _basis(d.basis, d.confirmed)) for d in calendar.make_up_days
        ]
        for day, kind, name, basis in sorted(lines):
            self.stdout.write(f"{day.isoformat()}\t{kind}\t{name}\t{basis}")
