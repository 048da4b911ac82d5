from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from egov.org.code_import import apply_unit_codes, read_code_table
from egov.org.services import DatasetError, org_load_dataset


class Command(BaseCommand):
    help = (
        "Ghi mã định danh chính thức (theo quyết định cấp mã của UBND tỉnh) vào tệp dữ liệu tổ "
        "chức, thay mã tạm; --load để nạp luôn."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("table", help="Bảng mã CSV UTF-8: cột code và cột key hoặc name")
        parser.add_argument("dataset", help="Tệp dữ liệu tổ chức (JSON) cần ghi mã")
        parser.add_argument(
            "--decision",
            required=True,
            help="Số, ngày của quyết định cấp mã, vd. “QĐ 1234/QĐ-UBND ngày 01/12/2026”",
        )
        parser.add_argument("--load", action="store_true", help="Nạp tệp sau khi ghi")

    def handle(self, *args: Any, **options: Any) -> None:
        table_path, dataset_path = Path(options["table"]), Path(options["dataset"])
        try:
            with table_path.open(encoding="utf-8-sig", newline="") as handle:
                table = read_code_table(handle)
            data = json.loads(dataset_path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CommandError(f"Không đọc được tệp: {exc}") from None
        result = apply_unit_codes(data, table, options["decision"])
        if result.errors:
            raise CommandError("Bảng mã có lỗi, không ghi gì:\n" + "\n".join(result.errors))
        if options["load"]:
            try:
                org_load_dataset(data=result.data, actor=None, source_name=dataset_path.name)
            except DatasetError as exc:
                raise CommandError("Dữ liệu có lỗi, không ghi gì:\n" + str(exc)) from None
        text = json.dumps(result.data, ensure_ascii=False, indent=1) + "\n"
        dataset_path.write_text(text, encoding="utf-8")
        self.stdout.write(f"{dataset_path.name}: {result.changed} mã định danh được ghi")
