from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from egov.catalog.document_kinds import load_document_kinds


class Command(BaseCommand):
    help = (
        "Nạp danh mục loại giấy tờ (catalog/data/document_kinds.json) "
        "và gán loại cho thành phần hồ sơ."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = load_document_kinds()
        self.stdout.write(f"{result.kinds} loại giấy tờ; gán loại cho {result.matched} thành phần.")
