"""The blanks of an uploaded draft where the văn thư writes the number and the date.

NĐ 30/2020/NĐ-CP, Phụ lục I: ô 3 reads "Số:      /QĐ-UBND" and ô 4
"Hạ Long, ngày    tháng    năm     " on a draft; số and the date are filled at issuance
(Điều 15). On page 1 of the file, in its upper half (the header), the text layer is read glyph
by glyph (``textlayer``); the gap between "Số:" and the first "/" after it, and the gaps after
"ngày", "tháng" and "năm" of the date line, become the fields of ``form_fields`` in the size
and slant of the label they follow. A gap may be spaces, dots, "…" or underscores, or just
room between two drawn words (a tab); a gap holding digits was filled already and is left.

What the file gets is told by ``Placement``; a scan (no text on page 1), another layout, or a
signed or encrypted file is kept exactly as uploaded.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from egov.core.printing.official.form_fields import (
    DATE_FIELDS,
    NUMBER_FIELD,
    FieldSpot,
    FormFieldError,
    add_empty_fields,
    text_field_names,
)
from egov.core.printing.official.textlayer import Glyph, TextLayerError, page_glyphs, plain

DIGIT_EM = 0.5  # Times New Roman digits are half an em wide
LINE_TOLERANCE = 0.3  # baselines closer than this share a line (in font sizes)
WORD_GAP = 0.2  # room between drawn glyphs read as a space (in font sizes)
FIELD_DEPTH = 0.25  # field bottom below the baseline, as the composer and the filler draw
FIELD_HEIGHT = 1.2

_BLANK = r"[\s._…]*"
_NUMBER = re.compile(rf"(?<![a-z0-9])so\s*:(?P<gap>{_BLANK})/")
_DATE = re.compile(
    rf"(?<![a-z])ngay(?P<ngay>{_BLANK})thang(?P<thang>{_BLANK})nam(?P<nam>{_BLANK})(?P<after>\S?)"
)


class Placement(StrEnum):
    """What an uploaded draft carries for the number and the date."""

    FIELDS = "fields"  # fields for the number and the date
    PARTIAL = "partial"  # for one of them only
    NO_TEXT = "no_text"  # page 1 has no text layer (a scan): nothing to place them by
    NOT_FOUND = "not_found"  # no blank "Số:" or date line in the header of page 1
    KEPT = "kept"  # signed, encrypted or unreadable: kept untouched


@dataclass(frozen=True, slots=True)
class PreparedDraft:
    pdf: bytes
    placement: Placement
    spots: tuple[FieldSpot, ...] = ()  # the fields added here


@dataclass(frozen=True, slots=True)
class _Line:
    glyphs: tuple[Glyph, ...]  # left to right
    text: str  # ``plain`` text, a space where drawn words are apart
    owners: tuple[int, ...]  # per character of ``text``: its glyph, -1 for a gap

    def left_of(self, index: int) -> float:
        """Where the glyph of character ``index`` (or the next drawn one) starts."""
        for owner in self.owners[index:]:
            if owner >= 0:
                return self.glyphs[owner].x
        return self.glyphs[-1].right

    def right_of(self, index: int) -> float:
        """Where the glyph of character ``index`` (or the one before) ends."""
        for owner in reversed(self.owners[: index + 1]):
            if owner >= 0:
                return self.glyphs[owner].right
        return self.glyphs[0].x

    def glyph_at(self, index: int) -> Glyph:
        return self.glyphs[next(o for o in reversed(self.owners[: index + 1]) if o >= 0)]


def _line(glyphs: list[Glyph]) -> _Line:
    glyphs.sort(key=lambda g: g.x)
    text: list[str] = []
    owners: list[int] = []
    for index, glyph in enumerate(glyphs):
        if index:
            previous = glyphs[index - 1]
            apart = glyph.x - previous.right > WORD_GAP * glyph.size
            if apart and not glyph.text.isspace() and not previous.text.isspace():
                text.append(" ")
                owners.append(-1)
        piece = plain(glyph.text)
        text.append(piece)
        owners.extend([index] * len(piece))
    return _Line(tuple(glyphs), "".join(text), tuple(owners))


def lines(glyphs: Iterable[Glyph]) -> list[_Line]:
    """Glyphs grouped by baseline, top to bottom."""
    grouped: list[list[Glyph]] = []
    for glyph in sorted(glyphs, key=lambda g: -g.y):
        if grouped and abs(grouped[-1][0].y - glyph.y) <= LINE_TOLERANCE * max(glyph.size, 1):
            grouped[-1].append(glyph)
        else:
            grouped.append([glyph])
    return [_line(group) for group in grouped]


def _spot(
    name: str, line: _Line, label_end: int, left: float, right: float, size: float
) -> FieldSpot | None:
    """A field from ``left`` to ``right`` on the baseline of the label's last glyph; None
    when there is no room for two digits."""
    label = line.glyph_at(label_end)
    if right - left < 2 * DIGIT_EM * size:
        return None
    return FieldSpot(
        name=name,
        x=round(left, 2),
        y=round(label.y - FIELD_DEPTH * size, 2),
        width=round(right - left, 2),
        height=round(FIELD_HEIGHT * size, 2),
        size=size,
        italic=label.italic,
    )


def _size(glyph: Glyph) -> float:
    return round(glyph.size, 1)


def _number(line: _Line) -> FieldSpot | None:
    match = _NUMBER.search(line.text)
    if match is None:
        return None
    colon = match.start("gap") - 1
    size = _size(line.glyph_at(colon))
    return _spot(
        NUMBER_FIELD, line, colon, line.right_of(colon), line.left_of(match.end("gap")), size
    )


def _date(line: _Line) -> list[FieldSpot]:
    match = _DATE.search(line.text)
    if match is None:
        return []
    size = _size(line.glyph_at(match.start("ngay") - 1))
    spots = []
    for name in DATE_FIELDS:
        label_end = match.start(name) - 1
        left = line.right_of(label_end)
        if name == "nam":
            if match.group("after").isdigit():
                continue  # the year is printed already ("năm 2026")
            # Room for four digits after "năm"; up to the next drawn word if one is nearer.
            room = left + (4 * DIGIT_EM + 0.5) * size
            right = room if not match.group("after") else min(room, line.left_of(match.end(name)))
            typed = match.group(name).rstrip()  # dots typed for the year: the field covers them
            if typed:
                right = max(right, line.right_of(match.start(name) + len(typed) - 1))
        else:
            right = line.left_of(match.end(name))
        spot = _spot(name, line, label_end, left, right, size)
        if spot is not None:
            spots.append(spot)
    return spots if any(spot.name != "nam" for spot in spots) else []


def find_blanks(glyphs: list[Glyph], middle: float) -> list[FieldSpot]:
    """The number and date fields for the header (above ``middle``) of a page, topmost
    first."""
    header = [glyph for glyph in glyphs if glyph.y > middle]
    number: FieldSpot | None = None
    date: list[FieldSpot] = []
    for line in lines(header):
        number = number or _number(line)
        date = date or _date(line)
    return [*([number] if number else []), *date]


def prepare_for_numbering(pdf: bytes) -> PreparedDraft:
    """An uploaded draft with empty fields where its number and date go, if page 1 shows
    where (see the module); otherwise the file as it is, and why."""
    present = set(text_field_names(pdf))
    if NUMBER_FIELD in present or DATE_FIELDS[0] in present:
        # Made by the composer (or prepared here before): it has its fields already.
        complete = {NUMBER_FIELD, DATE_FIELDS[0]} <= present
        return PreparedDraft(pdf, Placement.FIELDS if complete else Placement.PARTIAL)
    try:
        glyphs, middle = page_glyphs(pdf, 0)
    except TextLayerError:
        return PreparedDraft(pdf, Placement.KEPT)
    if not any(glyph.text.strip() for glyph in glyphs):
        return PreparedDraft(pdf, Placement.NO_TEXT)
    spots = find_blanks(glyphs, middle)
    if not spots:
        return PreparedDraft(pdf, Placement.NOT_FOUND)
    try:
        prepared = add_empty_fields(pdf, spots)
    except FormFieldError:
        return PreparedDraft(pdf, Placement.KEPT)
    names = {spot.name for spot in spots}
    complete = {NUMBER_FIELD, DATE_FIELDS[0]} <= names
    return PreparedDraft(
        prepared, Placement.FIELDS if complete else Placement.PARTIAL, tuple(spots)
    )
