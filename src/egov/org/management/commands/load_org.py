from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from egov.org.selectors import areas_valid_on
from egov.org.services import DatasetError, org_load_dataset

DATA_DIR = Path(__file__).resolve().parents[2] / "data"


class Command(BaseCommand):
    help = "Nạp cơ cấu tổ chức (đơn vị hành chính, cơ quan) từ các tệp dữ liệu có phiên bản."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "files",
            nargs="*",
            help="Tệp JSON; mặc định: mọi tệp trong egov/org/data/ theo thứ tự tên",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        paths = [Path(f) for f in options["files"]] or sorted(DATA_DIR.glob("*.json"))
        for path in paths:
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, json.JSONDecodeError) as exc:
                raise CommandError(f"{path}: không đọc được tệp JSON: {exc}") from None
            try:
                result = org_load_dataset(data=data, actor=None, source_name=path.name)
            except DatasetError as exc:
                raise CommandError(f"{path}: dữ liệu có lỗi, không nạp gì:\n" + str(exc)) from None
            self.stdout.write(
                f"{path.name}: {result.created} mới, {result.updated} cập nhật, "
                f"{result.unchanged} không đổi"
            )
            for check in data.get("expected_counts", []):
                self.stdout.write("  " + _expected_count_line(check))


def _expected_count_line(check: dict[str, Any]) -> str:
    day = dt.date.fromisoformat(check["valid_on"])
    rows = areas_valid_on(day).filter(level=check["level"], parent__key=check["parent"])
    known = rows.count()
    unconfirmed = rows.filter(confirmed=False).count()
    expected = int(check["count"])
    status = "đủ" if known >= expected else f"còn thiếu {expected - known} (cần bổ sung)"
    if unconfirmed:
        status += f"; {unconfirmed} tên chưa đối chiếu văn bản gốc (cần kiểm tra)"
    return f"{check['label']}: {known}/{expected} — {status}"
