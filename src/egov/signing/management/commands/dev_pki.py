"""manage.py dev_pki: generate the development PKI in EGOV_PKI_DIR (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from egov.signing.trust import dev_pki


class Command(BaseCommand):
    help = "Tạo (một lần) hạ tầng khóa công khai thử nghiệm trong EGOV_PKI_DIR; không dùng thật."

    def handle(self, *args: Any, **options: Any) -> None:
        pki = dev_pki()
        self.stdout.write(f"{pki.directory} {pki.base_url} root={pki.root_path.name}")
