"""Send the due webhook deliveries now (a safety net for cron: the task worker normally does
it, woken after each fan-out and at each next retry)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from egov.webhooks.delivery import deliver_due
from egov.webhooks.tasks import schedule_next


class Command(BaseCommand):
    help = "Gửi các sự kiện webhook đã đến hạn gửi."

    def handle(self, *args: Any, **options: Any) -> None:
        total = [0, 0, 0]
        while True:
            run = deliver_due()
            total = [total[0] + run.delivered, total[1] + run.retried, total[2] + run.dead]
            if not (run.delivered or run.retried or run.dead):
                break
        schedule_next()
        self.stdout.write(f"delivered={total[0]} retried={total[1]} dead={total[2]}")
