from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from egov.centre.appointments import appointment_reminders_send, appointments_expire


class Command(BaseCommand):
    help = (
        "Lịch hẹn tại trung tâm: gửi tin nhắc trước giờ hẹn và ghi “không đến” cho lịch đã "
        "quá giờ nhận số (chạy định kỳ, vd. mỗi 5 phút)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        reminded = appointment_reminders_send()
        expired = appointments_expire()
        self.stdout.write(f"Đã nhắc {reminded} lịch hẹn; {expired} lịch hẹn không đến.")
