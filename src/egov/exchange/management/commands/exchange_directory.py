from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from egov.exchange.axis import AxisError, configured_axis
from egov.org.models import Unit


class Command(BaseCommand):
    help = (
        "Danh bạ cơ quan trên Trục liên thông: mã định danh, tên, trạng thái, hệ thống kết nối "
        "thay, và đơn vị tương ứng trong hệ thống này (nếu có)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        axis = configured_axis()
        if axis is None:
            raise CommandError("Chưa cấu hình EGOV_AXIS_URL và EGOV_AXIS_ORGAN_ID.", returncode=2)
        try:
            entries = axis.directory()
        except AxisError as exc:
            raise CommandError(f"Trục không sẵn sàng: {exc}", returncode=3) from None
        local = dict(
            Unit.objects.filter(code__in=[e.code for e in entries]).values_list("code", "name")
        )
        for entry in entries:
            here = local.get(entry.code, "")
            self.stdout.write(
                "\t".join([entry.code, entry.name, entry.status, entry.via or "—", here or "—"])
            )
