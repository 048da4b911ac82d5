from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from egov.dossiers.services.postal import book_shipments


class Command(BaseCommand):
    help = (
        "Đăng ký với doanh nghiệp bưu chính các bưu gửi kết quả chưa có số hiệu "
        "(chạy định kỳ, vd. mỗi 5 phút)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        run = book_shipments()
        self.stdout.write(f"Bưu gửi đã có số hiệu: {run.booked}; chưa đăng ký được: {run.failed}.")
