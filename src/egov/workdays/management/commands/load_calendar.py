from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from egov.workdays.services import (
    CalendarDataError,
    calendar_decision_load,
    day_counting_rule_load,
)

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
COUNTING_DIR = DATA_DIR / "day-counting"


class Command(BaseCommand):
    help = (
        "Nạp các quyết định lịch nghỉ hằng năm (mặc định: egov/workdays/data/*.json) và cách "
        "tính thời hạn theo ngày (egov/workdays/data/day-counting/*.json)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="*", help="tệp quyết định lịch nghỉ")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["files"]:
            self._load([Path(f) for f in options["files"]], self._decision)
            return
        self._load(sorted(DATA_DIR.glob("*.json")), self._decision)
        self._load(sorted(COUNTING_DIR.glob("*.json")), self._counting)

    def _load(self, paths: list[Path], load: Callable[[dict[str, Any]], str]) -> None:
        for path in paths:
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                line = load(data)
            except (OSError, json.JSONDecodeError) as exc:
                raise CommandError(f"{path}: không đọc được tệp: {exc}") from None
            except CalendarDataError as exc:
                raise CommandError(f"{path}: dữ liệu có lỗi, không nạp:\n{exc}") from None
            self.stdout.write(f"{path.name}: {line}")

    @staticmethod
    def _decision(data: dict[str, Any]) -> str:
        decision, changed = calendar_decision_load(actor=None, data=data)
        return f"{decision} — {'đã cập nhật' if changed else 'không đổi'}"

    @staticmethod
    def _counting(data: dict[str, Any]) -> str:
        rule, changed = day_counting_rule_load(actor=None, data=data)
        return f"cách tính thời hạn: {rule} — {'đã cập nhật' if changed else 'không đổi'}"
