from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from egov.catalog.services import CatalogImportError, catalog_import
from egov.catalog.transfer import loads_with_lines

SEED = Path(__file__).resolve().parents[2] / "data" / "quang-ninh-seed.json"


class Command(BaseCommand):
    help = (
        "Nhập danh mục thủ tục từ tệp JSON (mặc định: danh mục mẫu Quảng Ninh). "
        "Tệp có lỗi bị từ chối toàn bộ, liệt kê mọi lỗi theo dòng."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="*")

    def handle(self, *args: Any, **options: Any) -> None:
        for path in [Path(f) for f in options["files"]] or [SEED]:
            try:
                data = loads_with_lines(path.read_text(encoding="utf-8"))
            except OSError as exc:
                raise CommandError(f"{path}: không đọc được tệp: {exc}") from None
            except json.JSONDecodeError as exc:
                raise CommandError(
                    f"{path}: dòng {exc.lineno}, cột {exc.colno}: JSON không hợp lệ ({exc.msg})"
                ) from None
            try:
                result = catalog_import(actor=None, data=data, source_name=path.name)
            except CatalogImportError as exc:
                listing = "\n".join(f"  - {error}" for error in exc.errors)
                raise CommandError(
                    f"{path}: {len(exc.errors)} lỗi, không nhập gì:\n{listing}"
                ) from None
            self.stdout.write(
                f"{path.name}: {result.created} phiên bản mới, {result.updated} cập nhật, "
                f"{result.unchanged} không đổi"
            )
