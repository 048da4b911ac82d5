"""Fields suggested from the recognised text of an identity paper (issue 16 §4).

Only the fields the kind lists in ``DocumentKind.id_fields`` are looked for: ``number``,
``full_name``, ``date_of_birth`` and ``valid_until`` (the end printed on the paper). They are
found by their printed labels — Vietnamese, often followed by the English one ("Họ và tên /
Full name:") — on the text folded so that case, tone marks and đ/Đ do not matter; the value is
taken from the original text after the label, or from the next line when the label ends its
own line (as on the căn cước card). Dates come out as ISO strings (YYYY-MM-DD).

The result is a suggestion for the officer and nothing more: ``StoreDocument.suggested_fields``
holds it, the document's own fields change only through ``store_document_confirm_fields``.

The labels are those printed on the chip căn cước công dân card (2021), the căn cước card issued
under Luật Căn cước 2023 (from 1/7/2024) and the birth certificate form (Giấy khai sinh, bản
chính) of the civil status circulars; a layout whose labels differ yields no suggestion for
that field rather than a wrong one.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Sequence

from egov.catalog.models import DocumentKind

CARD_KIND = "the-can-cuoc"
PERSONAL_ID_DIGITS = 12

# Each field: label patterns on the folded line (lower case, no marks, đ → d, punctuation
# kept). A bilingual label is one pattern ("ho va ten / full name"), so that the English half
# is not taken for the value.
# The "/" between the two halves, as OCR may read it ("/:", "7", "|").
_JOIN = r"\s*(?:[^\w\s]{1,3}|7)\s*"
_ENGLISH_NAME = rf"(?:{_JOIN}full\s*name)?"
_ENGLISH_BIRTH = rf"(?:{_JOIN}date\s*of\s*birth)?"
_ENGLISH_EXPIRY = rf"(?:{_JOIN}date\s*of\s*expiry)?"
_ENGLISH_ID = rf"(?:{_JOIN}personal\s*identification\s*number)?"

NAME_LABELS = (
    rf"\bho\s*,?\s*chu\s*dem\s*(?:,|va)\s*ten(?:\s*khai\s*sinh)?{_ENGLISH_NAME}",
    rf"\bho\s*(?:va\s*)?ten{_ENGLISH_NAME}",
    r"\bfull\s*name",
)
BIRTH_LABELS = (
    rf"\bngay\s*,?\s*thang\s*,?\s*nam\s*sinh{_ENGLISH_BIRTH}",
    rf"\bngay\s*sinh{_ENGLISH_BIRTH}",
    r"\bdate\s*of\s*birth",
)
EXPIRY_LABELS = (
    rf"\bco\s*gia\s*tri\s*den{_ENGLISH_EXPIRY}",
    rf"\bngay\s*,?\s*thang\s*,?\s*nam\s*het\s*han{_ENGLISH_EXPIRY}",
    rf"\bngay\s*het\s*han{_ENGLISH_EXPIRY}",
    r"\bdate\s*of\s*expiry",
)
# On the card the number is the personal ID: "Số định danh cá nhân / Personal identification
# number" (2024) or "Số / No." (2021).
CARD_NUMBER_LABELS = (
    rf"\bso\s*dinh\s*danh\s*ca\s*nhan{_ENGLISH_ID}",
    r"\bpersonal\s*identification\s*number",
    rf"^\s*so{_JOIN}no\b\.?",
)
# Elsewhere "Số:" opening a line (Giấy khai sinh "Số: 125/2024"); "Số định danh cá nhân" and
# "Quyển số" are other numbers and do not match.
PAPER_NUMBER_LABELS = (rf"^\s*so{_JOIN}no\b\.?", r"^\s*so(?=\s*[:.])")

# A label read with its English half ends with one of these words.
_ENGLISH_END = re.compile(r"(?:name|birth|expiry|number|no\.?)$")
# After a label: white space and one ":" or "." — or nothing more on the line.
_SEPARATOR = re.compile(r"\s*[:.]?\s*")
# Not inside a longer number: "127/05/2030" (a speck read as 1) is no date, not 27/05/2030.
_DATE = re.compile(r"(?<!\d)(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})(?!\d)")
_DIGIT_RUN = re.compile(r"\d[\d ]*\d")
_PAPER_NUMBER = re.compile(r"[0-9A-Za-z][0-9A-Za-z/\-.]*")


def fold_keeping_positions(text: str) -> str:
    """``text`` (NFC) in lower case without marks, đ → d, one character for each character —
    so that a position found in the folded line is the same position in the original."""
    folded = []
    for char in text:
        if char in "đĐ":
            folded.append("d")
            continue
        base = unicodedata.normalize("NFD", char)[0]
        lower = base.lower()
        folded.append(lower if len(lower) == 1 else base)
    return "".join(folded)


def suggest_fields(text: str, kind: DocumentKind | None) -> dict[str, str]:
    """The fields of ``kind.id_fields`` found in ``text``; a field not found is left out."""
    if kind is None or not kind.id_fields:
        return {}
    lines = [
        line.strip()
        for line in unicodedata.normalize("NFC", text).replace("\f", "\n").splitlines()
        if line.strip()
    ]
    finders: dict[str, Callable[[list[str]], str | None]] = {
        "number": _card_number if kind.code == CARD_KIND else _paper_number,
        "full_name": _full_name,
        "date_of_birth": lambda found: _date_after(found, BIRTH_LABELS),
        "valid_until": lambda found: _date_after(found, EXPIRY_LABELS),
    }
    suggested: dict[str, str] = {}
    for field in kind.id_fields:
        finder = finders.get(field)
        value = finder(lines) if finder is not None else None
        if value:
            suggested[field] = value
    return suggested


class _Labelled:
    """What follows one label: the rest of its line and the next line."""

    def __init__(self, rest: str, following: str, separated: bool) -> None:
        self.rest = rest
        self.following = following
        # The label ended with ":" or ".", carried its English half, or ended the line: the rest
        # is a value, not more words of a longer label ("Họ tên người mẹ: …").
        self.separated = separated

    def places(self) -> tuple[str, ...]:
        """Where the value is: the rest of the line, or the next line when there is no rest."""
        return (self.rest,) if self.rest else (self.following,)


def _after_labels(lines: list[str], labels: Sequence[str]) -> list[_Labelled]:
    found = []
    for index, line in enumerate(lines):
        folded = fold_keeping_positions(line)
        matches = [m for label in labels if (m := re.search(label, folded)) is not None]
        # The label read furthest wins: "Họ và tên / Full name" over its "Họ và tên".
        for match in sorted(matches, key=lambda m: m.end(), reverse=True)[:1]:
            separator = _SEPARATOR.match(folded, match.end())
            end = separator.end() if separator else match.end()
            rest = line[end:].strip()
            separated = (
                not rest
                or bool(separator and separator.group(0).strip())
                or _ENGLISH_END.search(match.group(0)) is not None
            )
            following = lines[index + 1] if index + 1 < len(lines) else ""
            found.append(_Labelled(rest, following, separated))
    return found


def _full_name(lines: list[str]) -> str | None:
    for labelled in _after_labels(lines, NAME_LABELS):
        if not labelled.separated:
            continue
        value = labelled.places()[0]
        if any(ch.isdigit() for ch in value):
            continue
        # A Vietnamese name is letters and spaces: OCR's specks ("NGUYỄN-THỊ") are dropped.
        cleaned = " ".join("".join(ch if ch.isalpha() else " " for ch in value).split())
        if cleaned:
            return cleaned
    return None


def _date_after(lines: list[str], labels: Sequence[str]) -> str | None:
    for labelled in _after_labels(lines, labels):
        for place in labelled.places():
            day = _parse_date(place)
            if day is not None:
                return day.isoformat()
    return None


def _parse_date(text: str) -> dt.date | None:
    match = _DATE.search(text)
    if match is None:
        return None
    day, month, year = (int(part) for part in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _card_number(lines: list[str]) -> str | None:
    for labelled in _after_labels(lines, CARD_NUMBER_LABELS):
        for place in labelled.places():
            number = _personal_id_in(place)
            if number is not None:
                return number
    # No label read: a single twelve-digit number on the card is the personal ID.
    candidates = {number for line in lines for number in _personal_ids_in(line)}
    return candidates.pop() if len(candidates) == 1 else None


def _personal_id_in(text: str) -> str | None:
    return next(iter(_personal_ids_in(text)), None)


def _personal_ids_in(text: str) -> list[str]:
    runs = (run.replace(" ", "") for run in _DIGIT_RUN.findall(text))
    return [digits for digits in runs if len(digits) == PERSONAL_ID_DIGITS]


def _paper_number(lines: list[str]) -> str | None:
    for labelled in _after_labels(lines, PAPER_NUMBER_LABELS):
        match = _PAPER_NUMBER.match(labelled.rest)
        if match is not None:
            return match.group(0).rstrip("./-")
    return None
