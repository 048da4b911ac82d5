from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from egov.payments.services import reconcile_pending


class Command(BaseCommand):
    help = (
        "Đối soát các giao dịch thanh toán trực tuyến còn chờ sau khi hết hạn (truy vấn "
        "querydr tới cổng VNPAY). Chạy định kỳ, vd. mỗi 15 phút."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        run = reconcile_pending()
        self.stdout.write(
            f"Đã thanh toán: {run.paid}; không thành công: {run.failed}; chưa rõ: {run.unknown}."
        )
