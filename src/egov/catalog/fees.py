"""Fee and charge calculation from fee rules stored as data.

Examples of the rule kinds (facts from the catalog's sources):
- per page with a second tier and a cap: chứng thực bản sao từ bản chính, 2.000 đ/trang for
  pages 1-2, 1.000 đ/trang from page 3, at most 200.000 đ per copy (TT 226/2016/TT-BTC);
- per copy after N copies: phiếu lý lịch tư pháp 200.000 đ, +5.000 đ per copy from the
  3rd copy (TT 244/2016/TT-BTC);
- reduced rates and exemptions by applicant category; a lower online rate is simply the
  online channel's own rule (cư trú, TT 75/2022/TT-BTC);
- exemptions as data with their condition in the law's words, the categories that meet it and
  the basis (phiếu lý lịch tư pháp: TT 244/2016/TT-BTC Điều 5); an exemption not checked
  against the text is shown "chưa đối chiếu".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from egov.catalog.models import ApplicantCategory, FeeKind, FeeRule
from egov.core.formatting import vnd


@dataclass
class FeeLine:
    name: str
    amount: int | None
    explanation: str


@dataclass
class FeeQuote:
    lines: list[FeeLine] = field(default_factory=list)

    @property
    def total(self) -> int | None:
        """None when any line is not determined (unconfirmed fee)."""
        if any(line.amount is None for line in self.lines):
            return None
        return sum(line.amount or 0 for line in self.lines)


class FeeInputError(ValueError):
    pass


EXEMPTION_FIELDS = ("key", "condition", "categories", "basis", "confirmed")
_KEY_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


@dataclass(frozen=True)
class FeeExemption:
    """A case the fee is not charged in: the law's condition, the applicant categories that
    meet it (a category is how the desk and the API say which case applies), the basis."""

    key: str
    condition: str
    categories: tuple[str, ...]
    basis: str
    confirmed: bool


def exemption_problems(item: Any) -> list[str]:
    """What is wrong with one entry of ``FeeRule.exemptions`` (catalog file messages)."""
    if not isinstance(item, dict):
        return ["phải là một đối tượng JSON"]
    problems: list[str] = []
    if not isinstance(item.get("key"), str) or not _KEY_RE.match(item["key"]):
        problems.append("key: chữ thường, số và gạch nối, tối đa 40 ký tự")
    for name, limit in (("condition", 500), ("basis", 300)):
        value = item.get(name)
        if not isinstance(value, str) or not value.strip() or len(value) > limit:
            problems.append(f"{name}: bắt buộc, tối đa {limit} ký tự")
    categories = item.get("categories", [])
    if not isinstance(categories, list) or any(
        c not in ApplicantCategory.values for c in categories
    ):
        problems.append("categories: danh sách đối tượng hợp lệ")
    if not isinstance(item.get("confirmed", False), bool):
        problems.append("confirmed: true hoặc false")
    unknown = sorted(set(item) - set(EXEMPTION_FIELDS))
    if unknown:
        problems.append(f"trường không hỗ trợ: {', '.join(unknown)}")
    return problems


def exemptions(rule: FeeRule) -> list[FeeExemption]:
    """The rule's exemptions as entered (checked when the catalog is imported)."""
    return [
        FeeExemption(
            key=str(item["key"]),
            condition=str(item["condition"]),
            categories=tuple(item.get("categories", [])),
            basis=str(item["basis"]),
            confirmed=bool(item.get("confirmed", False)),
        )
        for item in rule.exemptions or []
        if not exemption_problems(item)
    ]


def _exemption_for(rule: FeeRule, category: str) -> FeeExemption | None:
    return next((e for e in exemptions(rule) if category in e.categories), None)


def _category_label(category: str) -> str:
    try:
        return str(ApplicantCategory(category).label)
    except ValueError:
        return category


def quote_rule(
    rule: FeeRule, *, pages: int = 1, copies: int = 1, category: str | None = None
) -> FeeLine:
    if pages < 1 or copies < 1:
        raise FeeInputError(_("Số trang và số bản phải từ 1 trở lên."))
    exemption = _exemption_for(rule, category) if category else None
    if exemption is not None:
        return FeeLine(
            rule.name,
            0,
            _("Miễn: %(condition)s (%(basis)s).")
            % {"condition": exemption.condition, "basis": exemption.basis},
        )
    if category and category in (rule.exempt_categories or []):
        return FeeLine(rule.name, 0, _("Miễn cho đối tượng: %s.") % _category_label(category))
    if rule.kind == FeeKind.FREE:
        return FeeLine(rule.name, 0, _("Không thu."))
    if rule.kind == FeeKind.UNKNOWN:
        return FeeLine(rule.name, None, _("Mức thu chưa được xác nhận."))
    base = rule.amount
    if category and str(category) in (rule.category_amounts or {}):
        base = int(rule.category_amounts[str(category)])
    if rule.kind == FeeKind.FLAT:
        if base is None:
            return FeeLine(rule.name, None, _("Mức thu chưa được xác nhận."))
        return FeeLine(rule.name, base, _("Mức thu cố định %s.") % vnd(base))
    if rule.kind == FeeKind.PER_PAGE:
        return _per_page(rule, pages, copies)
    if rule.kind == FeeKind.PER_COPY:
        if base is None:
            return FeeLine(rule.name, None, _("Mức thu chưa được xác nhận."))
        included = rule.included_copies or 1
        extra = max(0, copies - included) * (rule.extra_copy_amount or 0)
        explanation = _("%(base)s cho %(n)d bản đầu") % {"base": vnd(base), "n": included}
        if extra:
            explanation += _("; %(extra)d bản thêm × %(rate)s") % {
                "extra": copies - included,
                "rate": vnd(rule.extra_copy_amount or 0),
            }
        return FeeLine(rule.name, base + extra, explanation + ".")
    raise FeeInputError(f"unknown fee kind {rule.kind}")


def _per_page(rule: FeeRule, pages: int, copies: int) -> FeeLine:
    first_pages = rule.first_pages or 0
    first_rate = rule.first_page_rate or 0
    later_rate = rule.later_page_rate if rule.later_page_rate is not None else first_rate
    in_first = min(pages, first_pages)
    in_later = max(0, pages - first_pages)
    per_copy = in_first * first_rate + in_later * later_rate
    capped = rule.cap_per_copy is not None and per_copy > rule.cap_per_copy
    if capped and rule.cap_per_copy is not None:
        per_copy = rule.cap_per_copy
    parts = [f"{in_first} × {vnd(first_rate)}"]
    if in_later:
        parts.append(f"{in_later} × {vnd(later_rate)}")
    explanation = " + ".join(parts) + f" = {vnd(in_first * first_rate + in_later * later_rate)}"
    if capped and rule.cap_per_copy is not None:
        explanation += _(", áp dụng mức tối đa %s") % vnd(rule.cap_per_copy)
    explanation += _(" mỗi bản; %(copies)d bản.") % {"copies": copies}
    return FeeLine(rule.name, per_copy * copies, explanation)


def quote(
    rules: Iterable[FeeRule], *, pages: int = 1, copies: int = 1, category: str | None = None
) -> FeeQuote:
    if category and category not in ApplicantCategory.values:
        raise FeeInputError(_("Đối tượng “%s” không hợp lệ.") % category)
    return FeeQuote([quote_rule(r, pages=pages, copies=copies, category=category) for r in rules])


def worked_example(rule: FeeRule) -> str | None:
    """A sentence with a worked example for rule-based fees (shown on the procedure page)."""
    if rule.kind == FeeKind.PER_PAGE:
        pages = (rule.first_pages or 0) + 3
        line = _per_page(rule, pages, 1)
        return _("Ví dụ: bản %(pages)d trang: %(expl)s Tổng %(total)s.") % {
            "pages": pages,
            "expl": line.explanation,
            "total": vnd(line.amount or 0),
        }
    if rule.kind == FeeKind.PER_COPY and rule.amount is not None:
        copies = (rule.included_copies or 1) + 2
        line = quote_rule(rule, copies=copies)
        return _("Ví dụ: yêu cầu %(copies)d bản: %(expl)s Tổng %(total)s.") % {
            "copies": copies,
            "expl": line.explanation,
            "total": vnd(line.amount or 0),
        }
    return None


def describe_rule(rule: FeeRule) -> str:
    """The rule in words."""
    if rule.kind == FeeKind.FREE:
        text = _("Không thu")
    elif rule.kind == FeeKind.UNKNOWN:
        text = _("Mức thu chưa được xác nhận")
    elif rule.kind == FeeKind.FLAT:
        text = vnd(rule.amount) if rule.amount is not None else _("Mức thu chưa được xác nhận")
    elif rule.kind == FeeKind.PER_PAGE:
        text = _("%(r1)s/trang cho %(n)d trang đầu, từ trang %(n1)d: %(r2)s/trang") % {
            "r1": vnd(rule.first_page_rate or 0),
            "n": rule.first_pages or 0,
            "n1": (rule.first_pages or 0) + 1,
            "r2": vnd(rule.later_page_rate or 0),
        }
        if rule.cap_per_copy is not None:
            text += _(", tối đa %s/bản") % vnd(rule.cap_per_copy)
    else:
        text = _("%(base)s") % {"base": vnd(rule.amount or 0)}
        if rule.extra_copy_amount:
            text += _("; từ bản thứ %(n)d thu thêm %(extra)s/bản") % {
                "n": (rule.included_copies or 1) + 1,
                "extra": vnd(rule.extra_copy_amount),
            }
    reduced = [
        f"{_category_label(c)}: {vnd(int(a))}" for c, a in (rule.category_amounts or {}).items()
    ]
    if reduced:
        text += _("; mức riêng: ") + ", ".join(reduced)
    if rule.exempt_categories:
        text += _("; miễn cho: ") + ", ".join(_category_label(c) for c in rule.exempt_categories)
    return str(text)
