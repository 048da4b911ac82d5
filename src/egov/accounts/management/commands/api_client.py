from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from egov.accounts.models import ApiClient, Role
from egov.accounts.scopes import Scope
from egov.accounts.services import (
    api_client_create,
    api_client_revoke,
    api_client_rotate,
    api_client_set_scopes,
)
from egov.org.selectors import unit_by_code_or_key


class Command(BaseCommand):
    help = (
        "Quản lý ứng dụng kết nối API: create NAME --unit CODE --role ROLE [--days N] "
        "[--scope S ...] [--rate N] (in khóa một lần); scopes NAME --scope S ... [--rate N] "
        "(đổi phạm vi quyền, giới hạn mỗi phút); rotate NAME [--days N] (khóa mới, in một lần); "
        "revoke NAME [--reason TEXT]; list."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("operation", choices=["create", "scopes", "rotate", "revoke", "list"])
        parser.add_argument("name", nargs="?", default="")
        parser.add_argument("--unit", help="mã định danh hoặc khóa đơn vị (create)")
        parser.add_argument("--role", choices=list(Role.values), help="vai trò (create)")
        parser.add_argument("--days", type=int, help="thời hạn của khóa, số ngày")
        parser.add_argument("--reason", default="", help="lý do thu hồi (revoke)")
        parser.add_argument(
            "--scope",
            action="append",
            choices=list(Scope.values),
            help="phạm vi quyền (lặp lại cho nhiều phạm vi); create mặc định theo vai trò",
        )
        parser.add_argument("--rate", type=int, help="số yêu cầu tối đa mỗi phút của khóa")

    def handle(self, *args: Any, **options: Any) -> None:
        operation = options["operation"]
        if operation == "list":
            self._list()
            return
        if not options["name"]:
            raise CommandError("Cần tên ứng dụng.", returncode=2)
        try:
            if operation == "create":
                self._create(options)
            elif operation == "scopes":
                client = api_client_set_scopes(
                    actor=None,
                    client=self._client(options["name"]),
                    scopes=options["scope"] or [],
                    rate_limit_per_minute=options["rate"],
                )
                self.stdout.write(
                    f"“{client.name}”: {', '.join(client.scopes) or 'không có phạm vi quyền'}."
                )
            elif operation == "rotate":
                client, key = api_client_rotate(
                    actor=None, client=self._client(options["name"]), lifetime_days=options["days"]
                )
                self.stderr.write(
                    f"Đã đổi khóa “{client.name}”; khóa cũ hết hiệu lực ngay. "
                    "Lưu khóa dưới đây — sẽ không hiển thị lại:"
                )
                self.stdout.write(key)
            else:
                client = api_client_revoke(
                    actor=None, client=self._client(options["name"]), reason=options["reason"]
                )
                self.stdout.write(f"Đã thu hồi khóa của “{client.name}”.")
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages), returncode=2) from None

    def _client(self, name: str) -> ApiClient:
        client = ApiClient.objects.filter(name=name).first()
        if client is None:
            raise CommandError(f"Không có ứng dụng tên “{name}”.", returncode=2)
        return client

    def _create(self, options: dict[str, Any]) -> None:
        if not options["unit"] or not options["role"]:
            raise CommandError("create cần --unit và --role.", returncode=2)
        unit = unit_by_code_or_key(options["unit"])
        if unit is None:
            raise CommandError(f"Không tìm thấy đơn vị “{options['unit']}”.", returncode=2)
        client, key = api_client_create(
            actor=None,
            name=options["name"],
            unit=unit,
            role=options["role"],
            lifetime_days=options["days"],
            scopes=options["scope"],
            rate_limit_per_minute=options["rate"],
        )
        self.stderr.write(f"Đã tạo “{client.name}”. Lưu khóa dưới đây — sẽ không hiển thị lại:")
        self.stdout.write(key)

    def _list(self) -> None:
        now = timezone.now()
        for client in ApiClient.objects.select_related("user").order_by("name"):
            if client.revoked_at is not None or not client.active:
                state = "đã thu hồi"
            elif client.expires_at is not None and client.expires_at <= now:
                state = "hết hạn"
            elif not client.user.is_active:
                state = "tài khoản bị khóa"
            else:
                state = "đang hoạt động"
            self.stdout.write(
                "\t".join(
                    [
                        client.name,
                        f"egov_{client.key_prefix}_…",
                        state,
                        f"hết hạn {_moment(client.expires_at)}",
                        f"dùng gần nhất {_moment(client.last_used_at)}",
                        " ".join(client.scopes) or "không có phạm vi quyền",
                    ]
                )
            )


def _moment(value: Any) -> str:
    return f"{timezone.localtime(value):%d/%m/%Y %H:%M}" if value else "—"
