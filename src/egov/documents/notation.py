"""Số, ký hiệu and the date line of official documents — pure functions, no database.

NĐ 30/2020/NĐ-CP, Phụ lục I, II.3: "Số" then a colon; numbers below 10 get a leading 0; the
ký hiệu is in capitals; "/" between number and ký hiệu, "-" between its groups, no spaces.
Typed documents: ``<type>-<issuer>`` (``Số: 05/QĐ-UBND``); công văn: ``<issuer>-<unit>``
(``Số: 123/UBND-VX``). Phụ lục III writes a few abbreviations in mixed case (QyĐ, CTr, TTr,
TrS): they are kept as catalogued.
Phụ lục I, II.4: "<Địa danh>, ngày DD tháng M năm YYYY" with a leading 0 for days below 10
and for months 1 and 2 only.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

# Official mixed-case abbreviations of Phụ lục III (kept as written).
MIXED_CASE = frozenset({"QyĐ", "CTr", "TTr", "TrS"})
_GROUP = re.compile(r"^[A-ZĐa-zđ0-9]+$")
# Phụ lục VI Phần II: CodeNumber 11 characters, CodeNotation 30 characters.
MAX_NUMBER = 10**11 - 1
MAX_NOTATION = 30


def format_number(number: int) -> str:
    """``5`` → ``05``; ``123`` → ``123`` (Phụ lục I, II.3.a: leading zero below 10)."""
    if number < 1:
        raise ValueError("document numbers start at 1")
    return f"{number:02d}"


def build_notation(*, type_abbreviation: str, issuer: str, unit: str = "") -> str:
    """The ký hiệu: ``QĐ-UBND`` for a typed document, ``UBND-VX`` for a công văn (no type
    abbreviation; then ``unit`` is the drafting unit or subject area)."""
    groups = [type_abbreviation, issuer] if type_abbreviation else [issuer, unit]
    groups = [g.strip() for g in groups if g and g.strip()]
    if not groups or issuer.strip() == "":
        raise ValueError("a ký hiệu needs the issuer's abbreviation")
    if not type_abbreviation and not unit.strip():
        raise ValueError("a công văn needs the drafting unit's or subject's abbreviation")
    notation = "-".join(_canonical(g) for g in groups)
    if len(notation) > MAX_NOTATION:
        raise ValueError("ký hiệu longer than 30 characters (Phụ lục VI, CodeNotation)")
    return notation


def _canonical(group: str) -> str:
    group = unicodedata.normalize("NFC", group)
    return group if group in MIXED_CASE else group.upper()


def number_line(number: int, notation: str) -> str:
    """``Số: 05/QĐ-UBND``."""
    return f"Số: {format_number(number)}/{notation}"


def date_line(place: str, day: dt.date) -> str:
    """``Hạ Long, ngày 05 tháng 02 năm 2026`` (Phụ lục I, II.4)."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


@dataclass(frozen=True)
class ParsedCode:
    number: int
    notation: str
    groups: tuple[str, ...]


def parse_code(
    text: str, *, known_abbreviations: Iterable[str] = MIXED_CASE
) -> tuple[ParsedCode | None, list[str]]:
    """Read a typed-in số/ký hiệu (``05/QĐ-UBND``, with or without ``Số:``) of an incoming
    document: the parsed code, and what is wrong with it in Vietnamese (empty when right).
    A code with mistakes of form only (a space, lower case, no leading zero) is still parsed
    so the clerk sees what was understood."""
    problems: list[str] = []
    raw = unicodedata.normalize("NFC", text or "").strip()
    if not raw:
        return None, [_("Chưa nhập số, ký hiệu văn bản.")]
    body = raw
    prefix = re.match(r"^(số|Số|SỐ)\s*:?\s*", body)
    if prefix:
        if not re.match(r"^Số: ", body):
            problems.append(
                _(
                    "Chữ “Số” viết hoa chữ cái đầu, tiếp theo là dấu hai chấm và một dấu cách "
                    "(ví dụ Số: 05/QĐ-UBND)."
                )
            )
        body = body[prefix.end() :]
    if any(ch.isspace() for ch in body):
        problems.append(_("Số và ký hiệu văn bản không được có dấu cách."))
        body = "".join(body.split())
    if "/" not in body:
        problems.append(_("Thiếu dấu “/” giữa số và ký hiệu (ví dụ 05/QĐ-UBND)."))
        return None, problems
    number_text, _slash, notation = body.partition("/")
    if not number_text.isdigit():
        problems.append(_("Số văn bản chỉ gồm chữ số (ví dụ 05)."))
        return None, problems
    number = int(number_text)
    if number < 1:
        problems.append(_("Số văn bản phải từ 01 trở lên."))
        return None, problems
    if number > MAX_NUMBER:
        problems.append(_("Số văn bản không được dài quá 11 chữ số."))
        return None, problems
    if number < 10 and len(number_text) != 2:
        problems.append(_("Số nhỏ hơn 10 phải có số 0 ở trước (ví dụ 05)."))
    elif number >= 10 and number_text.startswith("0"):
        problems.append(_("Số từ 10 trở lên không có số 0 ở trước."))
    if "/" in notation:
        problems.append(_("Chỉ có một dấu “/”, đặt giữa số và ký hiệu."))
    groups = tuple(notation.split("-"))
    if not notation or any(not g for g in groups):
        problems.append(_("Ký hiệu thiếu nhóm chữ viết tắt hoặc thừa dấu “-”."))
        return None, problems
    if len(groups) < 2:
        problems.append(
            _(
                "Ký hiệu phải có ít nhất hai nhóm chữ viết tắt, nối với nhau bằng dấu “-” "
                "(ví dụ QĐ-UBND)."
            )
        )
    if any(not _GROUP.match(g) for g in groups):
        problems.append(_("Ký hiệu chỉ gồm chữ cái, chữ số và dấu “-”."))
    mixed = set(known_abbreviations)
    if any(g != g.upper() and g not in mixed for g in groups):
        problems.append(_("Ký hiệu phải viết bằng chữ in hoa."))
    if len(notation) > MAX_NOTATION:
        problems.append(_("Ký hiệu không được dài quá 30 ký tự."))
    canonical = "-".join(g if g in mixed else g.upper() for g in groups)
    return ParsedCode(number=number, notation=canonical, groups=groups), problems


def code_problems(text: str) -> list[str]:
    """Only what is wrong with a typed-in số, ký hiệu (empty when it is right)."""
    return parse_code(text)[1]
