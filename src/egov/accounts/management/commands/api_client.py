from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from egov.accounts.models import Role
from egov.accounts.services import api_client_create
from egov.org.selectors import unit_by_code_or_key


class Command(BaseCommand):
    help = "Quản lý ứng dụng kết nối API: create NAME --unit CODE --role ROLE (in khóa một lần)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("operation", choices=["create"])
        parser.add_argument("name")
        parser.add_argument("--unit", required=True, help="mã định danh hoặc khóa đơn vị")
        parser.add_argument("--role", required=True, choices=list(Role.values))

    def handle(self, *args: Any, **options: Any) -> None:
        unit = unit_by_code_or_key(options["unit"])
        if unit is None:
            raise CommandError(f"Không tìm thấy đơn vị “{options['unit']}”.", returncode=2)
        try:
            client, key = api_client_create(
                actor=None, name=options["name"], unit=unit, role=options["role"]
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages), returncode=2) from None
        self.stderr.write(f"Đã tạo “{client.name}”. Lưu khóa dưới đây — sẽ không hiển thị lại:")
        self.stdout.write(key)
