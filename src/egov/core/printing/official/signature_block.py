"""Where ô 7c (the signature) goes on an uploaded draft: between the signer's authority and
position (ô 7a: "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH", "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC") and the
signer's name (ô 7b), as NĐ 30/2020/NĐ-CP, Phụ lục I, Phần I, mục IV.7 lays the signature
block out.

The text layer of the last page (then of the page before it, when the block ran over) is read
glyph by glyph (``textlayer``). The block is found by the signer's name when the draft gives
it, else by its position line: a line in capitals that is the recorded position, or starts
with a delegation prefix of Điều 13 (TM., KT., TL., TUQ., Q.), or is one of the usual titles.
The box fills the room between the last line of ô 7a and the name, centred on the block; a
scan (no text), a page without such a block, or a block with no room between its lines gives
None and the caller keeps its default box.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

from pypdf import PdfReader

from egov.core.printing.official.blanks import lines
from egov.core.printing.official.textlayer import Glyph, TextLayerError, page_glyphs, plain

MM = 72 / 25.4
BOX_WIDTH = 60 * MM
MAX_HEIGHT = 25 * MM
MIN_HEIGHT = 8 * MM  # less room than this between ô 7a and ô 7b: the block is not usable
CAP_HEIGHT = 0.75  # of the font size: the top of the name's capitals above its baseline
DESCENT = 0.25  # of the font size: below the position line's baseline
MARGIN = 1.0  # points kept clear above and below the box
MAX_LINE_GAP = 2.2  # lines of ô 7a further apart than this (in font sizes) are not one block
MAX_NAME_DISTANCE = 60 * MM  # the name is at most this far below the position

_PREFIX = re.compile(r"^(tm|kt|tl|tuq|q)\s*\.")
# The usual titles of signers of provincial and commune bodies (local list, lower case without
# diacritics); a position recorded on the document is tried first.
_TITLES = (
    "chu tich",
    "pho chu tich",
    "giam doc",
    "pho giam doc",
    "chanh van phong",
    "pho chanh van phong",
    "truong phong",
    "pho truong phong",
    "truong ban",
    "pho truong ban",
    "thu truong",
    "bi thu",
    "pho bi thu",
)


@dataclass(frozen=True, slots=True)
class SignatureSpot:
    """A rectangle in PDF points (origin bottom left) on ``page`` (from 1)."""

    page: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True, slots=True)
class _Row:
    text: str  # plain: lower case, no diacritics
    raw: str
    left: float
    right: float
    baseline: float
    size: float

    @property
    def centre(self) -> float:
        return (self.left + self.right) / 2

    def overlaps(self, other: _Row) -> bool:
        return self.left < other.right and other.left < self.right


def _rows(glyphs: list[Glyph]) -> list[_Row]:
    """Lines of text top to bottom, split where a line holds two columns (the "Nơi nhận" on
    the left and the signature block on the right share baselines)."""
    rows: list[_Row] = []
    for line in lines(glyphs):
        drawn = [g for g in line.glyphs if g.text.strip()]
        if not drawn:
            continue
        chunk: list[Glyph] = [drawn[0]]
        for glyph in drawn[1:]:
            if glyph.x - chunk[-1].right > 3 * max(glyph.size, 1):  # a wide gap: a new column
                rows.append(_row(chunk))
                chunk = []
            chunk.append(glyph)
        rows.append(_row(chunk))
    return rows


def _row(glyphs: list[Glyph]) -> _Row:
    raw_parts: list[str] = []
    for index, glyph in enumerate(glyphs):
        if index and glyph.x - glyphs[index - 1].right > 0.2 * glyph.size:
            raw_parts.append(" ")
        raw_parts.append(glyph.text)
    raw = "".join(raw_parts)
    return _Row(
        text=" ".join(plain(raw).split()),
        raw=raw,
        left=glyphs[0].x,
        right=glyphs[-1].right,
        baseline=glyphs[0].y,
        size=max(g.size for g in glyphs),
    )


def _is_capitals(row: _Row) -> bool:
    letters = [ch for ch in row.raw if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters)


def _is_position(row: _Row, positions: Sequence[str]) -> bool:
    if not _is_capitals(row):
        return False
    text = row.text
    return bool(_PREFIX.match(text) or text in positions or text in _TITLES)


def _below(rows: list[_Row], anchor: _Row) -> list[_Row]:
    """The rows under ``anchor`` in its column, top to bottom."""
    return [r for r in rows if r.baseline < anchor.baseline and r.overlaps(anchor)]


def _block_bottom(rows: list[_Row], first: _Row) -> _Row:
    """The last line of ô 7a that starts at ``first`` (capitals, close together)."""
    last = first
    for row in _below(rows, first):
        if not _is_capitals(row) or last.baseline - row.baseline > MAX_LINE_GAP * row.size:
            break
        last = row
    return last


def _between(page: int, position: _Row, name: _Row, page_right: float) -> SignatureSpot | None:
    top = position.baseline - DESCENT * position.size - MARGIN
    bottom = name.baseline + CAP_HEIGHT * name.size + MARGIN
    room = top - bottom
    if room < MIN_HEIGHT:
        return None
    height = min(room, MAX_HEIGHT)
    centre = (max(position.centre, name.centre) + min(position.centre, name.centre)) / 2
    x = min(max(0.0, centre - BOX_WIDTH / 2), max(0.0, page_right - BOX_WIDTH))
    return SignatureSpot(
        page=page,
        x=round(x, 2),
        y=round(bottom + (room - height) / 2, 2),
        width=round(BOX_WIDTH, 2),
        height=round(height, 2),
    )


def _on_page(
    glyphs: list[Glyph],
    page: int,
    page_right: float,
    names: Sequence[str],
    positions: Sequence[str],
) -> SignatureSpot | None:
    """The spot of the signer's block: the one whose name is the signer's when the page has
    several (a joint document signed by two bodies), else the last one on the page."""
    rows = _rows(glyphs)
    wanted_names = {" ".join(plain(n).split()) for n in names if n.strip()}
    wanted_positions = [" ".join(plain(p).split()) for p in positions if p.strip()]
    found: list[tuple[_Row, SignatureSpot]] = []
    for first in reversed(rows):  # bottom-up, right to left
        if not _is_position(first, wanted_positions):
            continue
        bottom = _block_bottom(rows, first)
        under = [
            r
            for r in _below(rows, bottom)
            if bottom.baseline - r.baseline <= MAX_NAME_DISTANCE and not _is_capitals(r)
        ]
        if not under:
            continue
        spot = _between(page, bottom, under[0], page_right)
        if spot is not None and all(spot != known for _name, known in found):
            found.append((under[0], spot))
    for name, spot in found:
        if name.text in wanted_names:
            return spot
    return found[0][1] if found else None


def find_signature_spot(
    pdf: bytes, *, names: Sequence[str] = (), positions: Sequence[str] = ()
) -> SignatureSpot | None:
    """ô 7c of the signature block on the last page (or the one before), or None (see the
    module). ``names`` and ``positions`` are the signer's, as recorded on the document: the
    block with a matching name is preferred, and a matching position line starts a block even
    when it is not a usual title."""
    try:
        reader = PdfReader(io.BytesIO(pdf))
        count = len(reader.pages)
        boxes = [reader.pages[i].mediabox for i in range(max(0, count - 2), count)]
    except Exception:  # an untrusted upload; whatever pypdf fails on means "not found"
        return None
    for offset, index in enumerate(range(count - 1, max(-1, count - 3), -1)):
        try:
            glyphs, _middle = page_glyphs(pdf, index)
        except TextLayerError:
            return None
        media = boxes[len(boxes) - 1 - offset]
        spot = _on_page(glyphs, index + 1, float(media.right), names, positions)
        if spot is not None:
            return spot
    return None
