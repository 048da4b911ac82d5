from __future__ import annotations

from django.core.management.base import CommandError

from egov.org.models import Unit
from egov.org.selectors import unit_by_code_or_key


def resolve_unit(value: str | None) -> Unit | None:
    """A unit by electronic code (mã định danh) or data key; exit status 2 if unknown."""
    if not value:
        return None
    unit = unit_by_code_or_key(value)
    if unit is None:
        raise CommandError(
            f"Không tìm thấy đơn vị “{value}” (cần mã định danh, vd. 000.00.00.H49).",
            returncode=2,
        )
    return unit
