from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from egov.dossiers.services.warnings import raise_due_warnings


class Command(BaseCommand):
    help = "Ghi cảnh báo hồ sơ sắp đến hạn và quá hạn (chạy định kỳ, vd. mỗi 15 phút)."

    def handle(self, *args: Any, **options: Any) -> None:
        run = raise_due_warnings()
        self.stdout.write(f"Cảnh báo mới: {run.due_soon} sắp đến hạn, {run.overdue} quá hạn.")
