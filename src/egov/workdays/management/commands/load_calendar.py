from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from egov.workdays.services import CalendarDataError, calendar_decision_load

DATA_DIR = Path(__file__).resolve().parents[2] / "data"


class Command(BaseCommand):
    help = "Nạp các quyết định lịch nghỉ hằng năm từ tệp dữ liệu (mặc định: egov/workdays/data/)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="*")

    def handle(self, *args: Any, **options: Any) -> None:
        paths = [Path(f) for f in options["files"]] or sorted(DATA_DIR.glob("*.json"))
        for path in paths:
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                decision, changed = calendar_decision_load(actor=None, data=data)
            except (OSError, json.JSONDecodeError) as exc:
                raise CommandError(f"{path}: không đọc được tệp: {exc}") from None
            except CalendarDataError as exc:
                raise CommandError(f"{path}: dữ liệu có lỗi, không nạp:\n{exc}") from None
            state = "đã cập nhật" if changed else "không đổi"
            self.stdout.write(f"{path.name}: {decision} — {state}")
