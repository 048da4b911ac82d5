from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from egov.accounts.models import User
from egov.documents.errors import TransitionRefused
from egov.exchange.models import ReceivedPackage, ReceivedState
from egov.exchange.services.inbox import exchange_recall_decide


class Command(BaseCommand):
    help = (
        "Trả lời đề nghị thu hồi văn bản của nơi gửi (khi không dùng được giao diện): "
        "DOCUMENT_ID --agree | --refuse --reason TEXT, --as TÊN_ĐĂNG_NHẬP của văn thư."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("document_id", help="mã văn bản (DocumentId) bị đề nghị thu hồi")
        parser.add_argument("--agency", required=True, help="mã định danh cơ quan nhận")
        choice = parser.add_mutually_exclusive_group(required=True)
        choice.add_argument("--agree", action="store_true")
        choice.add_argument("--refuse", action="store_true")
        parser.add_argument("--reason", default="")
        parser.add_argument("--as", dest="username", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        clerk = User.objects.filter(username=options["username"], is_active=True).first()
        if clerk is None:
            raise CommandError("Không có người dùng này.", returncode=2)
        request = ReceivedPackage.objects.filter(
            agency_code=options["agency"],
            document_id=options["document_id"],
            state=ReceivedState.RECALL_REQUESTED,
        ).first()
        if request is None:
            raise CommandError("Không có đề nghị thu hồi đang chờ trả lời.", returncode=2)
        try:
            exchange_recall_decide(
                actor=clerk, received=request, agree=options["agree"], reason=options["reason"]
            )
        except TransitionRefused as exc:
            raise CommandError(str(exc), returncode=2) from None
        self.stdout.write("agreed" if options["agree"] else "refused")
