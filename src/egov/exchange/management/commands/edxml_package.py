"""manage.py edxml_package: the signed edXML package of an issued outgoing document, for a
demonstration or to hand a package to an axis by other means. Recipients are given as
``<mã định danh>=<tên cơ quan>``; without any, the document's own outside recipients with a
unit code. Signed with the agency's key (the development PKI's agency certificate outside
production)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from egov.documents.models import OutgoingDocument
from egov.exchange.edxml import Organ, build_document_package
from egov.exchange.errors import PackageError
from egov.exchange.mapping import axis_recipients, message_from_outgoing
from egov.exchange.xmlsig import agency_package_signer


class Command(BaseCommand):
    help = "Xuất gói tin edXML đã ký số của một văn bản đi đã phát hành."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("outgoing", type=int, help="Mã (id) văn bản đi")
        parser.add_argument("output", type=Path, help="Tệp .edxml ghi ra")
        parser.add_argument(
            "--to", action="append", default=[], help="Nơi nhận: <mã định danh>=<tên cơ quan>"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # An operator's command, not a person's request: no permission module applies.
        document = (
            OutgoingDocument.objects.select_related("agency", "document_type")
            .filter(pk=options["outgoing"])
            .first()
        )
        if document is None:
            raise CommandError("Không có văn bản đi này.")
        recipients = []
        for item in options["to"]:
            organ_id, _sep, name = item.partition("=")
            if not organ_id.strip() or not name.strip():
                raise CommandError("Nơi nhận phải có dạng <mã định danh>=<tên cơ quan>.")
            recipients.append(Organ(organ_id=organ_id.strip(), organ_name=name.strip()))
        try:
            message = message_from_outgoing(document, recipients or list(axis_recipients(document)))
            data = build_document_package(
                message, signer=agency_package_signer(document.agency.code or "")
            )
        except PackageError as exc:
            raise CommandError(exc.message) from None
        options["output"].write_bytes(data)
        self.stdout.write(f"{message.header.document_id} {len(data)} bytes → {options['output']}")
