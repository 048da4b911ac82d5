from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand

from egov.audit.verify import verify_chain


class Command(BaseCommand):
    help = "Kiểm tra tính toàn vẹn của chuỗi nhật ký (exit 1 và mục hỏng đầu tiên nếu sai)."

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain()
        if report.ok:
            self.stdout.write(f"OK: chuỗi nhật ký toàn vẹn, {report.checked} mục.")
            return
        assert report.problem is not None
        self.stderr.write(f"HỎNG: {report.problem.describe()}")
        sys.exit(1)
