from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from egov.exchange.axis import AxisError, configured_axis
from egov.exchange.services.inbox import exchange_poll
from egov.exchange.services.outbox import exchange_send_due
from egov.exchange.tasks import poll_axis_task, task_waiting


class Command(BaseCommand):
    help = (
        "Trục liên thông văn bản: gửi các gói tin đến hạn và nhận các gói tin đang chờ "
        "(chạy từ cron vài phút một lần); --schedule: bắt đầu chuỗi tác vụ nhận định kỳ."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--send-only", action="store_true")
        parser.add_argument("--poll-only", action="store_true")
        parser.add_argument("--schedule", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        axis = configured_axis()
        if axis is None:
            raise CommandError("Chưa cấu hình EGOV_AXIS_URL và EGOV_AXIS_ORGAN_ID.", returncode=2)
        if options["schedule"]:
            if not task_waiting(poll_axis_task):
                poll_axis_task.enqueue()
            self.stdout.write("poll scheduled")
            return
        try:
            if not options["poll_only"]:
                sent = exchange_send_due(axis=axis)
                self.stdout.write(f"sent={sent.sent} retried={sent.retried} failed={sent.failed}")
            if not options["send_only"]:
                polled = exchange_poll(axis=axis)
                self.stdout.write(
                    f"documents={polled.documents} statuses={polled.statuses} "
                    f"duplicates={polled.duplicates} invalid={polled.invalid}"
                )
                # Status messages queued by what was just received (01 "đã đến").
                if not options["poll_only"]:
                    again = exchange_send_due(axis=axis)
                    self.stdout.write(f"sent={again.sent}")
        except AxisError as exc:
            raise CommandError(f"Trục không sẵn sàng: {exc}", returncode=3) from None
