"""Where each character of a PDF page is drawn: a small reader of the text operators
(ISO 32000-1, 9.4) over pypdf's content-stream parser.

pypdf's ``extract_text`` (even with its visitor) reports a run of text with the position of
its first character only; placing a form field in the gap after "Số:" needs the position and
advance of every glyph, so the text state is followed here: text and graphics matrices, font
size, character and word spacing, horizontal scaling, rise, and the glyph widths of each font
(``/Widths`` of a simple font, ``/W`` of a composite one). Unicode comes from the font's
``/ToUnicode`` map, else from its encoding.

Only horizontal text is kept (no rotation; a slant, as for a synthetic italic, is fine);
uploaded files are untrusted, so the work is bounded (operators, form depth, map sizes).
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass, field, replace

from pypdf import PdfReader
from pypdf.generic import ContentStream, DictionaryObject, StreamObject
from reportlab.pdfbase.pdfmetrics import standardFonts, stringWidth

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
MAX_OPERATIONS = 200_000  # per page, forms included
MAX_FORM_DEPTH = 4
MAX_MAP_ENTRIES = 70_000  # ToUnicode and /W ranges
SLANT_LIMIT = 0.5  # horizontal shear kept (glyph origins stay on the baseline)
SYNTHETIC_ITALIC = 0.1
_BASE_ENCODINGS = {"/WinAnsiEncoding": "cp1252", "/MacRomanEncoding": "mac_roman"}


class TextLayerError(ValueError):
    """The page could not be read (damaged, encrypted, or too large to follow)."""


@dataclass(frozen=True, slots=True)
class Glyph:
    """One character as drawn: its text, the left end of its baseline and its advance in
    default user space (points), the font size on the page and whether the font is italic."""

    text: str
    x: float
    y: float
    width: float
    size: float
    italic: bool

    @property
    def right(self) -> float:
        return self.x + self.width


def multiply(m: Matrix, n: Matrix) -> Matrix:
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _translate(tx: float, ty: float) -> Matrix:
    return (1.0, 0.0, 0.0, 1.0, tx, ty)


def _number(value: object, default: float = 0.0) -> float:
    return float(value) if isinstance(value, (int, float)) else default


def _hex_codes(token: bytes) -> tuple[int, int]:
    """A CMap hex string: its value and its length in bytes."""
    digits = re.sub(rb"\s", b"", token)
    return int(digits or b"0", 16), max(1, len(digits) // 2)


def _utf16(token: bytes) -> str:
    digits = re.sub(rb"\s", b"", token)
    if len(digits) % 2:
        digits += b"0"
    return bytes.fromhex(digits.decode("ascii")).decode("utf-16-be", "replace")


_BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
_BFRANGE = re.compile(rb"beginbfrange(.*?)endbfrange", re.S)
_PAIR = re.compile(rb"<([0-9A-Fa-f\s]*)>\s*<([0-9A-Fa-f\s]*)>")
_RANGE = re.compile(rb"<([0-9A-Fa-f\s]*)>\s*<([0-9A-Fa-f\s]*)>\s*(<[0-9A-Fa-f\s]*>|\[[^\]]*\])")


def parse_to_unicode(data: bytes) -> tuple[dict[int, str], int]:
    """The code → text map of a ToUnicode CMap (bfchar and bfrange) and its code length."""
    mapping: dict[int, str] = {}
    length = 1
    for block in _BFCHAR.findall(data):
        for source, target in _PAIR.findall(block):
            code, length = _hex_codes(source)
            mapping[code] = _utf16(target)
    for block in _BFRANGE.findall(data):
        for low, high, target in _RANGE.findall(block):
            first, length = _hex_codes(low)
            last = _hex_codes(high)[0]
            if last < first or last - first > MAX_MAP_ENTRIES or len(mapping) > MAX_MAP_ENTRIES:
                continue
            if target.startswith(b"["):
                for offset, item in enumerate(re.findall(rb"<([0-9A-Fa-f\s]*)>", target)):
                    mapping[first + offset] = _utf16(item)
            else:
                text = _utf16(target[1:-1])
                for offset in range(last - first + 1):
                    mapping[first + offset] = text[:-1] + chr(ord(text[-1]) + offset)
    return mapping, length


@dataclass(slots=True)
class _Font:
    code_length: int = 1
    widths: dict[int, float] = field(default_factory=dict)  # glyph space / 1000
    default_width: float = 0.5
    to_unicode: dict[int, str] = field(default_factory=dict)
    encoding: str = "latin-1"
    differences: dict[int, str] = field(default_factory=dict)
    standard: str = ""  # one of the 14 standard fonts, measured by reportlab
    italic: bool = False

    def codes(self, raw: bytes) -> list[int]:
        if self.code_length == 2:
            return [int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw) - 1, 2)]
        return list(raw)

    def text(self, code: int) -> str:
        if code in self.to_unicode:
            return self.to_unicode[code]
        if code in self.differences:
            return self.differences[code]
        if self.code_length == 2:
            return "\ufffd"
        return bytes([code]).decode(self.encoding, "replace")

    def width(self, code: int) -> float:
        if code in self.widths:
            return self.widths[code]
        if self.standard:
            return float(stringWidth(self.text(code), self.standard, 1.0))
        return self.default_width


def _glyph_name(name: str) -> str:
    """The character of a glyph name in /Differences: "uni1EA1" and single letters; other
    names stay unknown (fonts with a /ToUnicode map do not need them)."""
    bare = name.lstrip("/")
    if re.fullmatch(r"uni[0-9A-Fa-f]{4}", bare):
        return chr(int(bare[3:], 16))
    if len(bare) == 1:
        return bare
    return "\ufffd"


def _simple_font(font: DictionaryObject, result: _Font) -> None:
    first = int(_number(font.get("/FirstChar"), 0))
    widths = font.get("/Widths")
    if widths is not None:
        for offset, width in enumerate(widths.get_object()[:256]):
            result.widths[first + offset] = _number(width) / 1000
    encoding = font.get("/Encoding")
    encoding = encoding.get_object() if encoding is not None else None
    if isinstance(encoding, DictionaryObject):
        result.encoding = _BASE_ENCODINGS.get(str(encoding.get("/BaseEncoding")), "latin-1")
        code = 0
        for item in encoding.get("/Differences", [])[:512]:
            if isinstance(item, (int, float)):
                code = int(item)
            else:
                result.differences[code] = _glyph_name(str(item))
                code += 1
    elif encoding is not None:
        result.encoding = _BASE_ENCODINGS.get(str(encoding), "latin-1")
    base = str(font.get("/BaseFont", "")).lstrip("/")
    if widths is None and base in standardFonts:
        result.standard = base


def _descendant(font: DictionaryObject) -> DictionaryObject | None:
    """The CID font of a composite font."""
    descendants = font.get("/DescendantFonts")
    descendants = descendants.get_object() if descendants is not None else None
    if not isinstance(descendants, list) or not descendants:
        return None
    cid = descendants[0].get_object()
    return cid if isinstance(cid, DictionaryObject) else None


def _composite_font(font: DictionaryObject, result: _Font) -> None:
    result.code_length = 2  # Identity-H/V, as office suites and reportlab write them
    cid = _descendant(font)
    if cid is None:
        return
    result.default_width = _number(cid.get("/DW"), 1000) / 1000
    items = list(cid.get("/W", []))
    index = 0
    while index + 1 < len(items) and len(result.widths) < MAX_MAP_ENTRIES:
        start, following = items[index], items[index + 1].get_object()
        if isinstance(following, list):
            for offset, width in enumerate(following[:MAX_MAP_ENTRIES]):
                result.widths[int(start) + offset] = _number(width) / 1000
            index += 2
        elif index + 2 < len(items):
            last, width = int(following), _number(items[index + 2]) / 1000
            for code in range(int(start), min(last, int(start) + MAX_MAP_ENTRIES) + 1):
                result.widths[code] = width
            index += 3
        else:
            break


def _descriptor(font: DictionaryObject) -> DictionaryObject | None:
    descriptor = font.get("/FontDescriptor")
    cid = _descendant(font)
    if descriptor is None and cid is not None:
        descriptor = cid.get("/FontDescriptor")
    descriptor = descriptor.get_object() if descriptor is not None else None
    return descriptor if isinstance(descriptor, DictionaryObject) else None


def _is_italic(font: DictionaryObject) -> bool:
    name = str(font.get("/BaseFont", "")).casefold()
    if "italic" in name or "oblique" in name:
        return True
    descriptor = _descriptor(font)
    if descriptor is None:
        return False
    return _number(descriptor.get("/ItalicAngle")) != 0 or bool(
        int(_number(descriptor.get("/Flags"))) & 64
    )


def read_font(font: DictionaryObject) -> _Font:
    result = _Font()
    if font.get("/Subtype") == "/Type0":
        _composite_font(font, result)
    else:
        _simple_font(font, result)
    to_unicode = font.get("/ToUnicode")
    to_unicode = to_unicode.get_object() if to_unicode is not None else None
    if isinstance(to_unicode, StreamObject):
        result.to_unicode, _length = parse_to_unicode(to_unicode.get_data())
    result.italic = _is_italic(font)
    return result


@dataclass(slots=True)
class _TextState:
    font: _Font | None = None
    size: float = 0.0
    char_spacing: float = 0.0
    word_spacing: float = 0.0
    scale: float = 1.0
    leading: float = 0.0
    rise: float = 0.0


@dataclass(slots=True)
class _Reader:
    reader: PdfReader
    glyphs: list[Glyph] = field(default_factory=list)
    operations: int = 0
    fonts: dict[int, _Font] = field(default_factory=dict)

    def font(self, resources: DictionaryObject, name: object) -> _Font | None:
        fonts = resources.get("/Font")
        fonts = fonts.get_object() if fonts is not None else None
        if not isinstance(fonts, DictionaryObject) or name not in fonts:
            return None
        ref = fonts.raw_get(name)
        key = id(ref.get_object())
        if key not in self.fonts:
            self.fonts[key] = read_font(ref.get_object())
        return self.fonts[key]

    def run(self, content: object, resources: DictionaryObject, ctm: Matrix, depth: int) -> None:
        stream = ContentStream(content, self.reader)
        state = _TextState()
        stack: list[tuple[Matrix, _TextState]] = []
        tm = line = IDENTITY
        for operands, operator in stream.operations:
            self.operations += 1
            if self.operations > MAX_OPERATIONS:
                raise TextLayerError("too many operations")
            if operator == b"q":
                stack.append((ctm, replace(state)))
            elif operator == b"Q" and stack:
                ctm, state = stack.pop()
            elif operator == b"cm" and len(operands) == 6:
                ctm = multiply(tuple(_number(v) for v in operands), ctm)  # type: ignore[arg-type]
            elif operator == b"BT":
                tm = line = IDENTITY
            elif operator == b"Tf" and len(operands) == 2:
                state.font = self.font(resources, operands[0])
                state.size = _number(operands[1])
            elif operator == b"Tc" and operands:
                state.char_spacing = _number(operands[0])
            elif operator == b"Tw" and operands:
                state.word_spacing = _number(operands[0])
            elif operator == b"Tz" and operands:
                state.scale = _number(operands[0], 100) / 100
            elif operator == b"TL" and operands:
                state.leading = _number(operands[0])
            elif operator == b"Ts" and operands:
                state.rise = _number(operands[0])
            elif operator in (b"Td", b"TD") and len(operands) == 2:
                tx, ty = _number(operands[0]), _number(operands[1])
                if operator == b"TD":
                    state.leading = -ty
                tm = line = multiply(_translate(tx, ty), line)
            elif operator == b"Tm" and len(operands) == 6:
                tm = line = tuple(_number(v) for v in operands)  # type: ignore[assignment]
            elif operator == b"T*":
                tm = line = multiply(_translate(0, -state.leading), line)
            elif operator in (b"Tj", b"'", b'"', b"TJ") and operands:
                if operator in (b"'", b'"'):
                    if operator == b'"' and len(operands) == 3:
                        state.word_spacing = _number(operands[0])
                        state.char_spacing = _number(operands[1])
                    tm = line = multiply(_translate(0, -state.leading), line)
                items = operands[0] if operator == b"TJ" else [operands[-1]]
                tm = self.show(items, state, tm, ctm)
            elif operator == b"Do" and operands and depth < MAX_FORM_DEPTH:
                self.form(resources, operands[0], ctm, depth)

    def form(self, resources: DictionaryObject, name: object, ctm: Matrix, depth: int) -> None:
        xobjects = resources.get("/XObject")
        xobjects = xobjects.get_object() if xobjects is not None else None
        if not isinstance(xobjects, DictionaryObject) or name not in xobjects:
            return
        form = xobjects[name].get_object()
        if not isinstance(form, StreamObject) or form.get("/Subtype") != "/Form":
            return
        matrix = tuple(_number(v) for v in form.get("/Matrix", IDENTITY))
        inner = form.get("/Resources")
        inner = inner.get_object() if inner is not None else resources
        if len(matrix) == 6 and isinstance(inner, DictionaryObject):
            self.run(form, inner, multiply(matrix, ctm), depth + 1)

    def show(self, items: object, state: _TextState, tm: Matrix, ctm: Matrix) -> Matrix:
        font = state.font
        if font is None or not isinstance(items, list):
            return tm
        for item in items:
            if isinstance(item, (int, float)):
                tm = multiply(_translate(-float(item) / 1000 * state.size * state.scale, 0), tm)
                continue
            raw = getattr(item, "original_bytes", None)
            if not isinstance(raw, bytes):
                continue
            for code in font.codes(raw):
                spacing = state.char_spacing
                if font.code_length == 1 and code == 32:
                    spacing += state.word_spacing
                advance = (font.width(code) * state.size + spacing) * state.scale
                self.place(font, code, state, tm, ctm, advance)
                tm = multiply(_translate(advance, 0), tm)
        return tm

    def place(
        self, font: _Font, code: int, state: _TextState, tm: Matrix, ctm: Matrix, advance: float
    ) -> None:
        page = multiply(tm, ctm)
        a, b, c, d, _e, _f = page
        if a <= 0 or d <= 0 or abs(b) > 1e-3 * a or abs(c) > SLANT_LIMIT * d:
            return  # rotated, mirrored or sheared beyond a slant: not a line of the header
        origin = multiply((1.0, 0.0, 0.0, 1.0, 0.0, state.rise), page)
        self.glyphs.append(
            Glyph(
                text=font.text(code),
                x=origin[4],
                y=origin[5],
                width=advance * a,
                size=abs(state.size) * d,
                # A slant drawn by the matrix is how an office suite fakes an italic face.
                italic=font.italic or c > SYNTHETIC_ITALIC * d,
            )
        )


def page_glyphs(pdf: bytes, page_index: int = 0) -> tuple[list[Glyph], float]:
    """The upright glyphs of one page, in drawing order, and the height of the middle of the
    page. Raises TextLayerError."""
    try:
        reader = PdfReader(io.BytesIO(pdf))
        if reader.is_encrypted:
            raise TextLayerError("encrypted")
        page = reader.pages[page_index]
        middle = float(page.mediabox.bottom + page.mediabox.top) / 2
        content = page.get_contents()
        if content is None:
            return [], middle
        resources = page.get("/Resources")
        resources = resources.get_object() if resources is not None else DictionaryObject()
        walker = _Reader(reader)
        walker.run(content, resources, IDENTITY, 0)
    except TextLayerError:
        raise
    except Exception as exc:
        # An upload is untrusted and pypdf fails on damaged files in many ways (its own errors,
        # unsupported filters, limits, assertions): any of them means "no text layer here".
        raise TextLayerError(type(exc).__name__) from exc
    return walker.glyphs, middle


def plain(text: str) -> str:
    """Lower case without diacritics ("Số" → "so", "Đ" → "d"), to match labels whatever the
    font's Unicode normalisation."""
    decomposed = unicodedata.normalize("NFD", text.replace("\u00a0", " "))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return bare.casefold().replace("đ", "d")
