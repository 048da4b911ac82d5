from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from egov.accounts.actors import SYSTEM
from egov.national.services.push import deliver_due, national_sync_replay


def _moment(value: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"Thời điểm không hợp lệ: {value!r} (dạng 2026-12-01 hoặc 2026-12-01T08:00+07:00)."
        ) from None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


class Command(BaseCommand):
    help = (
        "Gửi lại Cổng Dịch vụ công quốc gia các bản ghi đồng bộ của một hồ sơ và/hoặc của một "
        "khoảng thời gian (theo thời điểm sự kiện), đúng thứ tự của từng hồ sơ."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dossier", default="", help="Mã hồ sơ.")
        parser.add_argument("--since", default="", help="Từ thời điểm (ISO 8601, giờ Việt Nam).")
        parser.add_argument("--until", default="", help="Đến trước thời điểm (ISO 8601).")
        parser.add_argument("--now", action="store_true", help="Gửi ngay, không chờ tác vụ nền.")

    def handle(self, *args: Any, **options: Any) -> None:
        code = str(options["dossier"]).strip()
        since = _moment(options["since"]) if options["since"] else None
        until = _moment(options["until"]) if options["until"] else None
        if not (code or since or until):
            raise CommandError("Cần ít nhất một trong --dossier, --since, --until.")
        if since and until and since >= until:
            raise CommandError("--since phải trước --until.")
        count = national_sync_replay(actor=SYSTEM, dossier_code=code, since=since, until=until)
        self.stdout.write(f"Đã đưa {count} bản ghi vào hàng đợi gửi lại.")
        if options["now"]:
            run = deliver_due()
            self.stdout.write(
                f"Đã gửi: {run.sent}; chờ thử lại: {run.retried}; không gửi được: {run.failed}."
            )
