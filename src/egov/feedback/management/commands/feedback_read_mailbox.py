"""Read the support centre's mailbox (``EGOV_FEEDBACK_MAILBOX``) into feedback. In trials the
mailbox is the simulated one (egov.contrib.mailbox); see egov.feedback.mailintake."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from egov.feedback.mailintake import SimulatedMailbox, feedback_read_mail
from egov.feedback.selectors import feedback_centre


class Command(BaseCommand):
    help = "Tiếp nhận phản ánh, kiến nghị gửi qua thư điện tử (hộp thư của Trung tâm hỗ trợ)."

    def handle(self, *args: Any, **options: Any) -> None:
        centre = feedback_centre()
        if centre is None:
            raise CommandError("Chưa cấu hình Trung tâm hỗ trợ (EGOV_FEEDBACK_CENTRE).")
        result = feedback_read_mail(
            source=SimulatedMailbox(settings.EGOV_FEEDBACK_MAILBOX), centre=centre
        )
        for feedback in result.received:
            self.stdout.write(f"{feedback.code}: {feedback.title}")
        for message_id, reason in result.refused:
            self.stderr.write(f"{message_id}: {reason}")
        self.stdout.write(
            f"received={len(result.received)} skipped={result.skipped} "
            f"refused={len(result.refused)}"
        )
