from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from egov.notifications.delivery import deliver_due


class Command(BaseCommand):
    help = (
        "Gửi các thông báo đến hạn trong hàng đợi (e-mail, SMS, Zalo); thử lại khi nhà cung cấp "
        "lỗi. Chạy định kỳ (mỗi phút) hoặc với --loop."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="chạy liên tục, mỗi 15 giây")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            run = deliver_due()
            self.stdout.write(
                f"Đã gửi {run.sent}, sẽ thử lại {run.retried}, không gửi được {run.failed}, "
                f"hoãn do giới hạn {run.postponed}."
            )
            if not options["loop"]:
                return
            time.sleep(15)
