from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand

from egov.core.filecheck import verify_files


class Command(BaseCommand):
    help = (
        "Kiểm tra mọi tệp đã lưu (hồ sơ, bản số hóa, hồ sơ nháp, biểu mẫu) có trong kho và đúng "
        "mã SHA-256 ghi trong cơ sở dữ liệu; exit 1 và liệt kê từng tệp thiếu hoặc bị thay đổi."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_files()
        for problem in report.problems:
            if problem.kind == "missing":
                self.stderr.write(f"THIẾU: {problem.file.describe()}")
            else:
                self.stderr.write(
                    f"BỊ THAY ĐỔI: {problem.file.describe()} (ghi nhận {problem.file.sha256}, "
                    f"thực tế {problem.actual_sha256})"
                )
        if report.ok:
            self.stdout.write(f"OK: {report.checked} tệp đầy đủ, đúng mã SHA-256.")
            return
        missing = sum(1 for p in report.problems if p.kind == "missing")
        self.stderr.write(
            f"LỖI: {report.checked} tệp đã kiểm tra, {missing} thiếu, "
            f"{len(report.problems) - missing} bị thay đổi."
        )
        sys.exit(1)
