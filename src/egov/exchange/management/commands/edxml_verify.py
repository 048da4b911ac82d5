"""manage.py edxml_verify: check a received edXML package (document or status) against the
configured trust store and print what it says; exit status 1 when it is refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from egov.exchange.edxml import parse_document_package
from egov.exchange.errors import PackageError
from egov.exchange.status import package_kind, parse_status_package
from egov.exchange.xmlsig import TrustStore


class Command(BaseCommand):
    help = "Kiểm tra chữ ký số và nội dung một gói tin edXML nhận được."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("package", type=Path, help="Tệp gói tin edXML")

    def handle(self, *args: Any, **options: Any) -> None:
        data = options["package"].read_bytes()
        trust = TrustStore.from_settings()
        try:
            if package_kind(data) == "status":
                status = parse_status_package(data, trust=trust)
                self.stdout.write(
                    f"status {status.message.status.value} "
                    f"{status.message.response_for.document_id} — {status.signer_subject}"
                )
                return
            parsed = parse_document_package(data, trust=trust)
        except PackageError as exc:
            raise CommandError(f"{exc.code}: {exc.message}") from None
        header = parsed.message.header
        self.stdout.write(
            f"document {parsed.message.business.doc_type.value} {header.document_id} "
            f"({len(parsed.message.attachments)} tệp) — {parsed.signer_subject}"
        )
