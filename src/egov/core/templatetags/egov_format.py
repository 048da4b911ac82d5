"""How amounts and phone numbers are written on our pages: "200.000 đ", "0912 345 678"."""

from __future__ import annotations

from django import template

from egov.core.formatting import vnd as format_vnd
from egov.core.identity import display_phone

register = template.Library()


@register.filter
def vnd(amount: int | None) -> str:
    """200000 → "200.000 đ"; None (not known) → "—"."""
    return "—" if amount is None else format_vnd(int(amount))


@register.filter
def phone(number: str | None) -> str:
    """+84912345678 → "0912 345 678"; empty → "—"; anything unparsable as it is."""
    return display_phone(number) if number else "—"


@register.filter
def lowerfirst(text: object) -> str:
    """ "Từ chối tiếp nhận" → "từ chối tiếp nhận", to follow words such as "Lý do"."""
    value = str(text)
    return value[:1].lower() + value[1:]
