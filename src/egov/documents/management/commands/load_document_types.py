from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from egov.documents.services.catalogue import document_types_load_national


class Command(BaseCommand):
    help = "Nạp danh mục loại văn bản theo Nghị định 30/2020/NĐ-CP (chỉ thêm loại còn thiếu)."

    def handle(self, *args: Any, **options: Any) -> None:
        created = document_types_load_national(actor=None)
        self.stdout.write(f"Đã thêm {created} loại văn bản.")
