"""Checks shared by every way input arrives (web forms, the API, services): text without
control characters and within the column's length, and dates or integers read from a query
string within bounds. Messages are Vietnamese, for the person who typed the value."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

# C0 controls except tab, line feed and carriage return, DEL, and C1 controls. PostgreSQL
# refuses NUL in text; the others have no place in a name, an address or a reason.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

# Dates typed in reports and filters: anything outside is a typing mistake (and year 9999
# overflows when a day is added to it).
MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(2199, 12, 31)


def has_control_chars(value: str) -> bool:
    return CONTROL_RE.search(value) is not None


def text_problem(value: str, *, max_length: int | None = None) -> str | None:
    """Why ``value`` (already stripped) is not acceptable text, or None."""
    if has_control_chars(value):
        return _("Không được chứa ký tự điều khiển (ví dụ ký tự NUL).")
    if max_length is not None and len(value) > max_length:
        return _("Tối đa %(limit)d ký tự (đang có %(length)d).") % {
            "limit": max_length,
            "length": len(value),
        }
    return None


def clean_text(value: Any, *, max_length: int | None = None) -> str:
    """``value`` stripped; ValidationError if it has control characters or is too long."""
    text = str(value if value is not None else "").strip()
    problem = text_problem(text, max_length=max_length)
    if problem:
        raise ValidationError(problem)
    return text


def column_length(model: type[models.Model], name: str) -> int:
    """The ``max_length`` of a model's text column: the one source of the limit for forms,
    schemas and services."""
    length = getattr(model._meta.get_field(name), "max_length", None)
    assert length is not None, f"{model.__name__}.{name} has no max_length"
    return int(length)


class ParamError(ValueError):
    """A query parameter that cannot be used; the message is for the person who sent it."""


def parse_date_param(
    value: str | None, *, default: dt.date | None = None, label: str = ""
) -> dt.date | None:
    """A YYYY-MM-DD date from a query string, between MIN_DATE and MAX_DATE; ``default`` when
    empty; ParamError otherwise."""
    text = (value or "").strip()
    if not text:
        return default
    name = label or _("ngày")
    try:
        day = dt.date.fromisoformat(text[:10]) if len(text) == 10 else None
    except ValueError:
        day = None
    if day is None:
        raise ParamError(_("Ngày không hợp lệ (%s); dùng dạng YYYY-MM-DD.") % name)
    if not MIN_DATE <= day <= MAX_DATE:
        raise ParamError(
            _("Ngày không hợp lệ (%(name)s): phải trong khoảng %(low)s đến %(high)s.")
            % {"name": name, "low": f"{MIN_DATE:%d/%m/%Y}", "high": f"{MAX_DATE:%d/%m/%Y}"}
        )
    return day


def parse_int_param(
    value: str | None, *, default: int, minimum: int, maximum: int, label: str = ""
) -> int:
    """An integer from a query string within [minimum, maximum]; ``default`` when empty;
    ParamError otherwise."""
    text = (value or "").strip()
    if not text:
        return default
    name = label or _("Giá trị")
    if not re.fullmatch(r"-?[0-9]{1,12}", text):
        raise ParamError(_("%s phải là số nguyên.") % name)
    number = int(text)
    if not minimum <= number <= maximum:
        raise ParamError(
            _("%(name)s phải từ %(low)d đến %(high)d.")
            % {"name": name, "low": minimum, "high": maximum}
        )
    return number


def checked_period(start: dt.date, end: dt.date, *, max_days: int) -> tuple[dt.date, dt.date]:
    """A period of 1 to ``max_days`` + 1 days, end not before start; ParamError otherwise."""
    if end < start or (end - start).days > max_days:
        raise ParamError(
            _(
                "Khoảng thời gian phải từ 1 ngày đến %d ngày, ngày kết thúc không trước ngày "
                "bắt đầu."
            )
            % (max_days + 1)
        )
    return start, end
