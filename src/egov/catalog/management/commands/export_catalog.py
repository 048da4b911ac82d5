from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from egov.catalog.transfer import dumps, export_catalog


class Command(BaseCommand):
    help = "Xuất toàn bộ danh mục thủ tục (mọi phiên bản) ra JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", help="tệp đích (mặc định: in ra màn hình)")

    def handle(self, *args: Any, **options: Any) -> None:
        text = dumps(export_catalog())
        if options["output"]:
            Path(options["output"]).write_text(text, encoding="utf-8")
            self.stdout.write(f"Đã ghi {options['output']}")
        else:
            self.stdout.write(text, ending="")
