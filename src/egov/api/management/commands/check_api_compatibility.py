from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from egov.api.compatibility import compare

RELEASED = "docs/api/openapi-v1-released.json"
CURRENT = "docs/openapi.json"


class Command(BaseCommand):
    help = (
        "So lược đồ OpenAPI hiện tại với bản v1 đã phát hành; dừng với mã 1 nếu có thay đổi"
        " làm hỏng ứng dụng tích hợp (chính sách phiên bản trong docs/integration.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--released", default=RELEASED)
        parser.add_argument("--current", default=CURRENT)

    def handle(self, *args: Any, **options: Any) -> None:
        released = json.loads(Path(options["released"]).read_text(encoding="utf-8"))
        current = json.loads(Path(options["current"]).read_text(encoding="utf-8"))
        breaking, notices = compare(released, current)
        for finding in notices:
            self.stdout.write(f"Lưu ý (giá trị mới trong enum của kết quả): {finding}")
        if breaking:
            for finding in breaking:
                self.stderr.write(f"Không tương thích ngược: {finding}")
            self.stderr.write(
                f"{len(breaking)} thay đổi làm hỏng /api/v1/. Giữ tương thích, hoặc đưa thay đổi"
                " vào /api/v2/ (docs/integration.md, Chính sách phiên bản)."
            )
            sys.exit(1)
        self.stdout.write("API v1: tương thích ngược với bản đã phát hành.")
