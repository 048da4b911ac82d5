from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from egov.reports.targets_services import PlanDataError, plan_targets_load

DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "plan-targets"


class Command(BaseCommand):
    help = (
        "Nạp chỉ tiêu của đề án chính quyền điện tử (mặc định: "
        "egov/reports/data/plan-targets/*.json); nạp lại tệp không đổi thì không ghi gì."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="*", help="tệp chỉ tiêu")

    def handle(self, *args: Any, **options: Any) -> None:
        paths = [Path(f) for f in options["files"]] or sorted(DATA_DIR.glob("*.json"))
        for path in paths:
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                plan, changed = plan_targets_load(actor=None, data=data)
            except (OSError, json.JSONDecodeError) as exc:
                raise CommandError(f"{path}: không đọc được tệp: {exc}") from None
            except PlanDataError as exc:
                raise CommandError(f"{path}: dữ liệu có lỗi, không nạp:\n{exc}") from None
            self.stdout.write(f"{path.name}: {plan} — {changed} phiên bản chỉ tiêu mới hoặc đổi")
