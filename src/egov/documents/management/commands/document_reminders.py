from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from egov.documents.reminders import send_document_reminders


class Command(BaseCommand):
    help = "Nhắc hạn và báo quá hạn giải quyết văn bản đến (chạy định kỳ, ví dụ 15 phút một lần)."

    def handle(self, *args: Any, **options: Any) -> None:
        run = send_document_reminders()
        self.stdout.write(f"due_soon={run.due_soon} overdue={run.overdue}")
