from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from egov.contrib.dvcqg.client import DvcqgRefused, DvcqgUnavailable
from egov.national.gateway import sync_enabled
from egov.national.services.catalog import national_catalog_pull
from egov.national.services.inbound import national_dossiers_pull


class Command(BaseCommand):
    help = (
        "Lấy từ Cổng Dịch vụ công quốc gia danh mục thủ tục đã công bố (thành bản nháp chờ rà "
        "soát) và hồ sơ nộp trên Cổng quốc gia (chạy định kỳ, vd. mỗi 5 phút)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--catalog", action="store_true", help="Chỉ lấy danh mục thủ tục.")
        parser.add_argument("--dossiers", action="store_true", help="Chỉ lấy hồ sơ.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not sync_enabled():
            raise CommandError("Chưa bật đồng bộ (EGOV_NATIONAL_SYNC_ENABLED).")
        both = not (options["catalog"] or options["dossiers"])
        try:
            if both or options["catalog"]:
                run = national_catalog_pull()
                self.stdout.write(
                    f"Thủ tục mới: {run.created}; thay đổi: {run.changed}; "
                    f"không đổi: {run.unchanged}."
                )
            if both or options["dossiers"]:
                inbound = national_dossiers_pull()
                self.stdout.write(
                    f"Hồ sơ nhận về: {inbound.received}; chưa nhận được: {inbound.skipped}."
                )
        except (DvcqgUnavailable, DvcqgRefused) as exc:
            raise CommandError(f"Không kết nối được Cổng Dịch vụ công quốc gia: {exc}") from None
