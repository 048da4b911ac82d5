"""The time rules of a procedure version that are not its processing time: what a supplement
does to the clock, how long the agency has to ask for one and the applicant to give it, and
the extensions the law itself grants. They are data of the version (a new dated version when
the law changes); the general rules below apply where the version says nothing else.

General rules, NĐ 61/2018/NĐ-CP Điều 19 khoản 4 (text checked, [P]): a dossier found incomplete
during appraisal is returned through the desk with the Phiếu yêu cầu bổ sung "không quá 03 ngày
làm việc kể từ ngày tiếp nhận hồ sơ, trừ trường hợp pháp luật chuyên ngành có quy định cụ thể",
and "thời hạn giải quyết được tính lại từ đầu sau khi nhận đủ hồ sơ". NĐ 118/2025/NĐ-CP replaced
NĐ 61 on 01/07/2025; whether it keeps both words was not checked (chưa đối chiếu), so the agency's
limit is a setting (EGOV_SUPPLEMENT_REQUEST_DAYS) and the clock rule is per version.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from egov.catalog.models import ProcedureVersion

GENERAL_SUPPLEMENT_BASIS = "NĐ 61/2018/NĐ-CP Điều 19 khoản 4"
EXTENSION_MODES = ("add", "total")
EXTENSION_TIME_KINDS = ("working_days", "calendar_days")
EXTENSION_FIELDS = ("key", "name", "mode", "time_kind", "amount", "basis", "confirmed")
_KEY_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


def general_request_days() -> int:
    return int(getattr(settings, "EGOV_SUPPLEMENT_REQUEST_DAYS", 3))


@dataclass(frozen=True)
class SupplementRule:
    """What a supplement asked during processing means for a dossier of a version."""

    # "restart" or "pause"; a version that says nothing follows the general rule (restart).
    clock: str
    # Working days from reception within which the agency must ask (general: 03).
    request_days: int
    # Working days the applicant has from the request, where sector law sets them (else None).
    applicant_days: int | None
    basis: str
    general: bool


def supplement_rule(version: ProcedureVersion) -> SupplementRule:
    from egov.catalog.models import SupplementClock

    clock = version.supplement_clock
    return SupplementRule(
        # "Chưa xác định" in older versions: the general rule applies (restart).
        clock=SupplementClock.RESTART if clock == SupplementClock.UNKNOWN else clock,
        request_days=version.supplement_request_days or general_request_days(),
        applicant_days=version.supplement_applicant_days,
        basis=version.supplement_basis or GENERAL_SUPPLEMENT_BASIS,
        general=not version.supplement_basis,
    )


@dataclass(frozen=True)
class LawfulExtension:
    """An extension the law grants for a case (verification needed, many pages…): not an
    apology, and the extended dossier is on time. ``mode`` "add": ``amount`` more after the
    appointment; "total": at most ``amount`` from the start of the clock (reception, or the
    complete supplement when the clock restarted)."""

    key: str
    name: str
    mode: str
    time_kind: str
    amount: int
    basis: str
    confirmed: bool

    @property
    def label(self) -> str:
        unit = _("ngày làm việc") if self.time_kind == "working_days" else _("ngày")
        if self.mode == "add":
            text = _("kéo dài thêm không quá %(n)d %(unit)s")
        else:
            text = _("tổng thời hạn không quá %(n)d %(unit)s")
        return text % {"n": self.amount, "unit": unit}


def lawful_extensions(version: ProcedureVersion) -> list[LawfulExtension]:
    """The version's extensions, as entered (checked when the catalog is imported)."""
    rows: list[LawfulExtension] = []
    for item in version.lawful_extensions or []:
        if isinstance(item, dict) and not extension_problems(item):
            rows.append(
                LawfulExtension(
                    key=str(item["key"]),
                    name=str(item["name"]),
                    mode=str(item["mode"]),
                    time_kind=str(item["time_kind"]),
                    amount=int(item["amount"]),
                    basis=str(item["basis"]),
                    confirmed=bool(item.get("confirmed", False)),
                )
            )
    return rows


def extension_problems(item: dict[str, Any]) -> list[str]:
    """What is wrong with one entry of ``lawful_extensions`` (catalog file messages)."""
    problems: list[str] = []
    if not isinstance(item.get("key"), str) or not _KEY_RE.match(item["key"]):
        problems.append("key: chữ thường, số và gạch nối, tối đa 40 ký tự")
    for name in ("name", "basis"):
        value = item.get(name)
        if not isinstance(value, str) or not value.strip() or len(value) > 300:
            problems.append(f"{name}: bắt buộc, tối đa 300 ký tự")
    if item.get("mode") not in EXTENSION_MODES:
        problems.append(f"mode: chọn một trong {', '.join(EXTENSION_MODES)}")
    if item.get("time_kind") not in EXTENSION_TIME_KINDS:
        problems.append(f"time_kind: chọn một trong {', '.join(EXTENSION_TIME_KINDS)}")
    amount = item.get("amount")
    if isinstance(amount, bool) or not isinstance(amount, int) or not 1 <= amount <= 365:
        problems.append("amount: số nguyên từ 1 đến 365")
    if not isinstance(item.get("confirmed", False), bool):
        problems.append("confirmed: true hoặc false")
    unknown = sorted(set(item) - set(EXTENSION_FIELDS))
    if unknown:
        problems.append(f"trường không hỗ trợ: {', '.join(unknown)}")
    return problems
