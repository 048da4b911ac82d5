from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from egov.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from egov.demo.services import load_demo


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu Quảng Ninh (chạy lại không thay đổi gì)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--allow-production", action="store_true")
        parser.add_argument(
            "--logins", action="store_true", help="chỉ in danh sách tài khoản mẫu, không nạp"
        )
        parser.add_argument(
            "--with-dossiers", action="store_true", help="thêm vài trăm hồ sơ mẫu (make run)"
        )
        parser.add_argument(
            "--with-documents",
            action="store_true",
            help="thêm văn bản đi/đến mẫu, ký số bằng PKI thử nghiệm (make run)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["logins"]:
            self._print_logins()
            return
        if settings.IS_PRODUCTION and not options["allow_production"]:
            raise CommandError("Không nạp tài khoản mẫu vào môi trường production.")
        created = load_demo(stdout=self.stdout)
        self.stdout.write(f"Tài khoản mẫu mới: {len(created)}")
        if options["with_dossiers"]:
            from egov.demo.dossiers import load_demo_dossiers

            codes = load_demo_dossiers()
            self.stdout.write("Hồ sơ mẫu — thử tra cứu tại /tra-cuu-ho-so/: " + ", ".join(codes))
            from egov.demo.feedback import load_demo_feedback

            feedback = load_demo_feedback()
            self.stdout.write(
                "Phản ánh, kiến nghị mẫu — /phan-anh-kien-nghi/: " + ", ".join(feedback)
            )
        if options["with_documents"]:
            from egov.demo.documents import load_demo_documents

            number = load_demo_documents()
            self.stdout.write(
                f"Văn bản mẫu — văn bản đã phát hành Số {number}: tải về và kiểm tra tại "
                "/xac-thuc-van-ban/"
            )

    def _print_logins(self) -> None:
        self.stdout.write(f"Tài khoản mẫu — mật khẩu chung: {DEMO_PASSWORD}")
        for account in DEMO_ACCOUNTS:
            self.stdout.write(f"  {account.username:<26} {account.role.label} — {account.unit_key}")
        from egov.demo.citizens import CITIZEN_EMAIL, CITIZEN_PHONE

        self.stdout.write(
            f"  Người dân: {CITIZEN_EMAIL} hoặc {CITIZEN_PHONE} — Hồ sơ của tôi, thanh toán, "
            "kết quả điện tử, đánh giá"
        )
