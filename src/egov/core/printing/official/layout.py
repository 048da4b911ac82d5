"""Drawing an ``OfficialDocument`` on A4 as NĐ 30/2020/NĐ-CP, Phụ lục I lays it out.

The header (ô 1–4, 5b, 10a/10b) and the closing (ô 7–9b) are flowables that measure themselves
and note where they were drawn; the title, grounds, articles and body are reportlab paragraphs,
justified with a first-line indent, so long documents break over pages by themselves.
"""

from __future__ import annotations

import datetime
import io
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from xml.sax.saxutils import escape

from django.utils.translation import gettext_lazy as _
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm, mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph, Spacer
from reportlab.platypus.doctemplate import LayoutError
from reportlab.platypus.flowables import KeepTogether

from egov.core.printing.official.fonts import FontFamily, official_fonts
from egov.core.printing.official.form_fields import FieldSpot, draw_empty_field
from egov.core.printing.official.model import (
    Box,
    DocumentKind,
    Heading,
    OfficialDocument,
    Signer,
)
from egov.core.printing.pdf import wrap

# Page and margins, NĐ 30/2020/NĐ-CP, Phụ lục I, I.4: top/bottom 20–25 mm, left 30–35 mm,
# right 15–20 mm. The smallest allowed values leave the most room for the text.
PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_TOP = 20 * mm
MARGIN_BOTTOM = 20 * mm
MARGIN_LEFT = 30 * mm
MARGIN_RIGHT = 15 * mm
CONTENT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT

# Sizes from Phụ lục I, Mục V (the table of fonts and sizes).
NATIONAL_SIZE = 13.0  # Quốc hiệu 12–13 pt bold caps
MOTTO_SIZE = 14.0  # tiêu ngữ 13–14 pt bold
ISSUER_SIZE = 13.0  # tên cơ quan 12–13 pt, the issuer bold
NUMBER_SIZE = 13.0  # "Số:" 13 pt
DATE_SIZE = 14.0  # địa danh, ngày tháng 13–14 pt italic
SUBJECT_SIZE = 12.0  # "V/v" of a công văn 12–13 pt
TITLE_SIZE = 14.0  # tên loại 13–14 pt bold caps, trích yếu 13–14 pt bold
BODY_SIZE = 14.0  # nội dung 13–14 pt
SIGNER_SIZE = 14.0  # quyền hạn, chức vụ, họ tên 13–14 pt bold
RECIPIENTS_TITLE_SIZE = 12.0  # "Nơi nhận:" 12 pt bold italic
RECIPIENTS_SIZE = 11.0  # the list 11 pt
MARK_SIZE = 13.0  # độ mật, độ khẩn 13–14 pt bold caps
PAGE_NUMBER_SIZE = 13.0  # số trang 13–14 pt, centred in the top margin, not on page 1
BODY_LEADING = 1.25 * BODY_SIZE  # line spacing from single to 1.5 (Phụ lục I, II.6)
PARAGRAPH_GAP = 6.0  # at least 6 pt between paragraphs
FIRST_LINE_INDENT = 1 * cm  # 1 cm or 1.27 cm

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
ISSUER_COLUMN = 0.38 * CONTENT_WIDTH  # left column of the header (ô 2, 3, 5b, 10)
RECIPIENTS_COLUMN = 0.46 * CONTENT_WIDTH  # left column of the closing (ô 9b)
NUMBER_GAP = 36.0  # room left after "Số:" for a number written later
DATE_GAP = 24.0  # room left after "ngày"/"tháng" for a date written later
SIGNATURE_HEIGHT = 3 * cm  # ô 7c between the position line and the name
SIGNATURE_WIDTH = 5.5 * cm
# Real-size seal of a commune/district body, 34–40 mm across depending on the body (chưa xác
# nhận for every agency: the seal helper may scale its image inside this box).
SEAL_SIZE = 36 * mm


class CompositionError(ValueError):
    """A document that cannot be laid out; ``str()`` is a message for the user."""


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


def two_digits(value: int) -> str:
    return f"{value:02d}"


def number_text(number: int) -> str:
    """Numbers below 10 get a leading zero (NĐ 30/2020/NĐ-CP, Phụ lục I, II.3.a)."""
    return two_digits(number) if number < 10 else str(number)


def date_parts(date: datetime.date) -> tuple[str, str, str]:
    """Day below 10 and months 1 and 2 get a leading zero, other months none
    (NĐ 30/2020/NĐ-CP, Phụ lục I, II.4.b: "ngày 05 tháng 01 năm 2020", "ngày 29 tháng 6")."""
    day = two_digits(date.day) if date.day < 10 else str(date.day)
    month = two_digits(date.month) if date.month <= 2 else str(date.month)
    return day, month, str(date.year)


def date_line(place: str, date: datetime.date | None) -> str:
    if date is None:
        return f"{nfc(place)}, ngày      tháng      năm"
    day, month, year = date_parts(date)
    return f"{nfc(place)}, ngày {day} tháng {month} năm {year}"


@dataclass(slots=True)
class _Text:
    text: str
    x: float  # left edge
    y: float  # baseline, negative downwards from the flowable's top
    font: str
    size: float


@dataclass(slots=True)
class _Drawing:
    """Texts, rules and framed marks measured against the top-left corner of a flowable."""

    texts: list[_Text] = field(default_factory=list)
    rules: list[tuple[float, float, float]] = field(default_factory=list)  # x1, x2, y
    frames: list[tuple[float, float, float, float]] = field(default_factory=list)
    boxes: dict[str, tuple[float, float, float, float]] = field(default_factory=dict)
    # Empty form fields over the gaps the văn thư fills after signing (``form_fields``).
    fields: list[FieldSpot] = field(default_factory=list)
    bottom: float = 0.0

    def centred(self, text: str, centre: float, y: float, font: str, size: float) -> float:
        width = float(stringWidth(text, font, size))
        self.texts.append(_Text(text, centre - width / 2, y, font, size))
        self.bottom = min(self.bottom, y - 0.3 * size)
        return width

    def left(self, text: str, x: float, y: float, font: str, size: float) -> float:
        self.texts.append(_Text(text, x, y, font, size))
        self.bottom = min(self.bottom, y - 0.3 * size)
        return float(stringWidth(text, font, size))

    def render(self, canvas: Canvas, height: float) -> None:
        canvas.setLineWidth(0.6)
        for item in self.texts:
            canvas.setFont(item.font, item.size)
            canvas.drawString(item.x, height + item.y, item.text)
        for x1, x2, y in self.rules:
            canvas.line(x1, height + y, x2, height + y)
        for x, y, w, h in self.frames:
            canvas.rect(x, height + y, w, h)


class _Measured(Flowable):  # type: ignore[misc]
    """A flowable drawn from a ``_Drawing``; after drawing, ``boxes`` holds the named boxes in
    page coordinates (page index, x, y, w, h)."""

    def __init__(self, drawing: _Drawing, sink: dict[str, Box]) -> None:
        super().__init__()
        self.drawing = drawing
        self.sink = sink
        self.height_needed = -drawing.bottom + 2

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return (available_width, self.height_needed)

    def draw(self) -> None:
        canvas: Canvas = self.canv
        self.drawing.render(canvas, self.height_needed)
        page = canvas.getPageNumber() - 1
        for name, (x, y, w, h) in self.drawing.boxes.items():
            left, bottom = canvas.absolutePosition(x, self.height_needed + y)
            self.sink[name] = Box(page, round(left, 2), round(bottom, 2), round(w, 2), round(h, 2))
        for spot in self.drawing.fields:
            left, bottom = canvas.absolutePosition(spot.x, self.height_needed + spot.y)
            draw_empty_field(canvas, replace(spot, x=left, y=bottom))


def _lines(text: str, font: str, size: float, width: float) -> list[str]:
    return wrap(nfc(text), font, size, width) if text.strip() else []


def header(document: OfficialDocument, fonts: FontFamily) -> _Drawing:
    """ô 1 (Quốc hiệu, tiêu ngữ), ô 2 (issuer), ô 3 (số, ký hiệu), ô 4 (địa danh, ngày),
    ô 5b (V/v of a công văn) and ô 10a/10b (độ mật, độ khẩn)."""
    drawing = _Drawing()
    bold, regular = fonts.bold, fonts.regular
    left_centre = ISSUER_COLUMN / 2
    right_centre = ISSUER_COLUMN + (CONTENT_WIDTH - ISSUER_COLUMN) / 2
    column = ISSUER_COLUMN - 6

    # ô 1: Quốc hiệu on the first line, tiêu ngữ on the second with a rule as wide as it.
    first = -NATIONAL_SIZE
    drawing.centred(NATIONAL_NAME, right_centre, first, bold, NATIONAL_SIZE)
    motto_y = first - 1.25 * MOTTO_SIZE
    motto_width = drawing.centred(MOTTO, right_centre, motto_y, bold, MOTTO_SIZE)
    rule_y = motto_y - 0.3 * MOTTO_SIZE - 1.5  # clear of descenders and dots below
    drawing.rules.append((right_centre - motto_width / 2, right_centre + motto_width / 2, rule_y))
    right_bottom = rule_y

    # ô 2: the parent agency (regular caps) above the issuer (bold caps), a short rule under it.
    y = first
    for line in _lines(document.parent_agency.upper(), regular, ISSUER_SIZE, column):
        drawing.centred(line, left_centre, y, regular, ISSUER_SIZE)
        y -= 1.2 * ISSUER_SIZE
    widest = 0.0
    for line in _lines(document.issuer.upper(), bold, ISSUER_SIZE, column):
        widest = max(widest, drawing.centred(line, left_centre, y, bold, ISSUER_SIZE))
        y -= 1.2 * ISSUER_SIZE
    issuer_rule = y + 1.2 * ISSUER_SIZE - 0.3 * ISSUER_SIZE - 1.5
    # Rule 1/3 to 1/2 of the issuer's line (Phụ lục I, II.2.c).
    drawing.rules.append((left_centre - widest * 0.2, left_centre + widest * 0.2, issuer_rule))

    # ô 3 and ô 4 on one baseline under the lower of the two columns.
    row = min(issuer_rule, right_bottom) - 6 - NUMBER_SIZE - 4
    number_prefix = "Số: "
    # Ký hiệu as configured: the abbreviations keep their own case ("TTr", "QyĐ", "CTr").
    symbol = "/" + nfc(document.symbol)
    if document.number is None:
        digits_width = NUMBER_GAP
        digits = ""
    else:
        digits = number_text(document.number)
        digits_width = stringWidth(digits, regular, NUMBER_SIZE)
    prefix_width = stringWidth(number_prefix, regular, NUMBER_SIZE)
    total = prefix_width + digits_width + stringWidth(symbol, regular, NUMBER_SIZE)
    x = left_centre - total / 2
    if digits:
        drawing.left(number_prefix + digits + symbol, x, row, regular, NUMBER_SIZE)
    else:
        drawing.left(number_prefix.strip(), x, row, regular, NUMBER_SIZE)
        drawing.left(symbol, x + prefix_width + digits_width, row, regular, NUMBER_SIZE)
    drawing.boxes["number"] = (
        x + prefix_width - 1,
        row - 0.25 * NUMBER_SIZE,
        digits_width + 2,
        1.2 * NUMBER_SIZE,
    )
    if not digits:
        drawing.fields.append(FieldSpot("so", *drawing.boxes["number"], size=NUMBER_SIZE))
    _date(drawing, document, fonts, right_centre, row)

    # ô 5b: the subject of a công văn under the number.
    y = row
    if document.kind is DocumentKind.CONG_VAN and document.summary.strip():
        y -= 1.25 * SUBJECT_SIZE
        for line in _lines(f"V/v {nfc(document.summary)}", regular, SUBJECT_SIZE, column):
            drawing.centred(line, left_centre, y, regular, SUBJECT_SIZE)
            y -= 1.2 * SUBJECT_SIZE
        y += 1.2 * SUBJECT_SIZE

    # ô 10a and 10b: độ mật and độ khẩn under the number (or the V/v), framed, bold caps.
    for mark in (document.confidentiality, document.urgency):
        if mark is None:
            continue
        y -= 1.9 * MARK_SIZE
        width = drawing.centred(mark.value, left_centre, y, bold, MARK_SIZE)
        drawing.frames.append(
            (left_centre - width / 2 - 4, y - 0.3 * MARK_SIZE, width + 8, 1.15 * MARK_SIZE)
        )
        drawing.bottom = min(drawing.bottom, y - 0.4 * MARK_SIZE)
    drawing.bottom -= 10
    return drawing


def _date(
    drawing: _Drawing, document: OfficialDocument, fonts: FontFamily, centre: float, y: float
) -> None:
    text = date_line(document.place, document.date)
    font = fonts.italic
    if document.date is None:
        # Gaps after "ngày" and "tháng" (and after "năm") for the date written when signed.
        pieces = [f"{nfc(document.place)}, ngày", "tháng", "năm"]
        widths = [stringWidth(piece, font, DATE_SIZE) for piece in pieces]
        total = sum(widths) + 3 * DATE_GAP
        x = centre - total / 2
        start = x
        for piece, width, name in zip(pieces, widths, ("ngay", "thang", "nam"), strict=True):
            drawing.left(piece, x, y, font, DATE_SIZE)
            gap = DATE_GAP + (12 if name == "nam" else 0)  # room for four digits
            drawing.fields.append(
                FieldSpot(
                    name,
                    x + width + 1,
                    y - 0.25 * DATE_SIZE,
                    gap - 2,
                    1.2 * DATE_SIZE,
                    size=DATE_SIZE,
                    italic=True,
                )
            )
            x += width + DATE_GAP
        width = total
    else:
        width = drawing.centred(text, centre, y, font, DATE_SIZE)
        start = centre - width / 2
    drawing.boxes["date"] = (start - 1, y - 0.25 * DATE_SIZE, width + 2, 1.2 * DATE_SIZE)


def signer_lines(signer: Signer) -> tuple[str, ...]:
    """ô 7a: the prefix with the collective/head it stands for, then the signer's position; both
    bold caps (Phụ lục I, II.7.b). "Q." stands on the position line itself."""
    position = nfc(signer.position).upper()
    if signer.delegation is None:
        return (position,)
    prefix = signer.delegation.value
    if signer.delegation.value == "Q.":
        return (f"{prefix} {position}",)
    on_behalf = nfc(signer.on_behalf_of).upper()
    return (f"{prefix} {on_behalf}", position)


def recipient_lines(document: OfficialDocument) -> list[str]:
    """ô 9b: "- Như trên;" first when there is a Kính gửi, each entry on its line ending in ";",
    and last "- Lưu: VT, <units> <copies>." (Phụ lục I, II.9.b)."""
    entries = [nfc(entry).lstrip("-").strip().rstrip(";.").strip() for entry in document.recipients]
    entries = [entry for entry in entries if entry]
    if document.addressees and not (entries and entries[0].casefold() == "như trên"):
        entries.insert(0, "Như trên")
    archive = "Lưu: VT"
    units = nfc(document.archive_units).strip(" ,.")
    if units:
        archive += f", {units}"
    if document.archive_copies:
        # How the number of archive copies is written ("VP 02") is chưa xác nhận / unconfirmed
        # against the decree's templates; callers wanting another form leave it None and put it
        # in archive_units.
        archive += f" {two_digits(document.archive_copies)}"
    return [f"- {entry};" for entry in entries] + [f"- {archive}."]


def closing(document: OfficialDocument, fonts: FontFamily) -> _Drawing:
    """ô 9b (nơi nhận) on the left, ô 7a–7c (signer) and ô 8 (seal) on the right."""
    drawing = _Drawing()
    right_left = RECIPIENTS_COLUMN
    right_centre = right_left + (CONTENT_WIDTH - right_left) / 2

    y = -SIGNER_SIZE
    for line in signer_lines(document.signer):
        for part in _lines(line, fonts.bold, SIGNER_SIZE, CONTENT_WIDTH - right_left):
            drawing.centred(part, right_centre, y, fonts.bold, SIGNER_SIZE)
            y -= 1.2 * SIGNER_SIZE
    signature_top = y + 1.2 * SIGNER_SIZE - 0.3 * SIGNER_SIZE
    name_y = signature_top - SIGNATURE_HEIGHT - 0.75 * SIGNER_SIZE
    drawing.centred(nfc(document.signer.full_name), right_centre, name_y, fonts.bold, SIGNER_SIZE)
    signature_bottom = name_y + 0.75 * SIGNER_SIZE
    signature_x = right_centre - SIGNATURE_WIDTH / 2
    drawing.boxes["personal"] = (
        signature_x,
        signature_bottom,
        SIGNATURE_WIDTH,
        signature_top - signature_bottom,
    )
    # ô 8: the seal covers about the left third of the personal signature (Phụ lục I, II.8).
    seal_right = signature_x + SIGNATURE_WIDTH / 3
    seal_middle = (signature_top + signature_bottom) / 2
    drawing.boxes["agency"] = (
        seal_right - SEAL_SIZE,
        seal_middle - SEAL_SIZE / 2,
        SEAL_SIZE,
        SEAL_SIZE,
    )

    # ô 9b, its first line level with the signer's first line.
    y = -SIGNER_SIZE
    drawing.left("Nơi nhận:", 0, y, fonts.bold_italic, RECIPIENTS_TITLE_SIZE)
    y -= 1.2 * RECIPIENTS_SIZE
    for entry in recipient_lines(document):
        lines = _lines(entry, fonts.regular, RECIPIENTS_SIZE, RECIPIENTS_COLUMN - 14)
        for index, line in enumerate(lines):
            drawing.left(line, 0 if index == 0 else 6, y, fonts.regular, RECIPIENTS_SIZE)
            y -= 1.15 * RECIPIENTS_SIZE
    drawing.bottom -= 4
    return drawing


@dataclass(frozen=True, slots=True)
class _Styles:
    title: ParagraphStyle
    summary: ParagraphStyle
    authority: ParagraphStyle
    ground: ParagraphStyle
    body: ParagraphStyle
    heading: ParagraphStyle
    address_single: ParagraphStyle
    address_label: ParagraphStyle
    address_item: ParagraphStyle


def styles(fonts: FontFamily) -> _Styles:
    body = ParagraphStyle(
        "official-body",
        fontName=fonts.regular,
        fontSize=BODY_SIZE,
        leading=BODY_LEADING,
        alignment=TA_JUSTIFY,
        firstLineIndent=FIRST_LINE_INDENT,
        spaceAfter=PARAGRAPH_GAP,
    )
    centred_bold = ParagraphStyle(
        "official-title",
        fontName=fonts.bold,
        fontSize=TITLE_SIZE,
        leading=1.2 * TITLE_SIZE,
        alignment=TA_CENTER,
    )
    address = ParagraphStyle(
        "official-address", parent=body, firstLineIndent=0, alignment=TA_LEFT, spaceAfter=0
    )
    return _Styles(
        title=centred_bold,
        summary=ParagraphStyle("official-summary", parent=centred_bold),
        authority=ParagraphStyle("official-authority", parent=centred_bold, spaceBefore=10),
        ground=ParagraphStyle("official-ground", parent=body, fontName=fonts.italic),
        body=body,
        heading=ParagraphStyle("official-heading", parent=body, fontName=fonts.bold),
        address_single=ParagraphStyle("official-address-1", parent=address, alignment=TA_CENTER),
        address_label=ParagraphStyle("official-address-label", parent=address, leftIndent=3 * cm),
        address_item=ParagraphStyle("official-address-item", parent=address, leftIndent=4.7 * cm),
    )


class _Rule(Flowable):  # type: ignore[misc]
    """A centred rule under the trích yếu, 1/3 to 1/2 of its line (Phụ lục I, II.5.a)."""

    def __init__(self, length: float) -> None:
        super().__init__()
        self.length = length

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.available_width = available_width
        return (available_width, 10)

    def draw(self) -> None:
        self.canv.setLineWidth(0.6)
        start = (self.available_width - self.length) / 2
        self.canv.line(start, 3, start + self.length, 3)


def _paragraph(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(nfc(text)), style)


def story(document: OfficialDocument, fonts: FontFamily, sink: dict[str, Box]) -> list[Flowable]:
    style = styles(fonts)
    flowables: list[Flowable] = [_Measured(header(document, fonts), sink)]
    if document.kind is not DocumentKind.CONG_VAN:
        flowables.append(Spacer(1, 8))
        flowables.append(_paragraph(document.kind.title, style.title))
        flowables.append(_paragraph(document.summary, style.summary))
        summary_width = min(
            stringWidth(nfc(document.summary), fonts.bold, TITLE_SIZE), CONTENT_WIDTH
        )
        flowables.append(_Rule(max(summary_width / 3, 2 * cm)))
    if document.authority.strip():
        flowables.append(_paragraph(document.authority.upper(), style.authority))
        flowables.append(Spacer(1, 8))
    flowables.extend(_addressees(document, style))
    flowables.extend(_paragraph(ground, style.ground) for ground in document.grounds)
    for paragraph in document.body:
        if isinstance(paragraph, Heading):
            flowables.append(_paragraph(paragraph.text, style.heading))
        else:
            flowables.append(_paragraph(paragraph, style.body))
    if document.articles:
        flowables.append(Spacer(1, 4))
        # A nghị quyết enacts with "QUYẾT NGHỊ:", a quyết định with "QUYẾT ĐỊNH:" (Phụ lục III).
        verb = "QUYẾT NGHỊ" if document.kind is DocumentKind.NGHI_QUYET else "QUYẾT ĐỊNH"
        flowables.append(_paragraph(f"{verb}:", style.title))
        flowables.append(Spacer(1, 8))
        for index, article in enumerate(document.articles, start=1):
            text = f"<b>Điều {index}.</b> {escape(nfc(article))}"
            flowables.append(Paragraph(text, style.body))
    flowables.append(Spacer(1, 10))
    flowables.append(KeepTogether([_Measured(closing(document, fonts), sink)]))
    return flowables


def _addressees(document: OfficialDocument, style: _Styles) -> list[Flowable]:
    """ô 9a: "Kính gửi:" with one addressee on its line, or a list of "- …;" under it."""
    addressees = [nfc(entry).strip(" ;.-") for entry in document.addressees]
    addressees = [entry for entry in addressees if entry]
    if not addressees:
        return []
    if len(addressees) == 1:
        return [
            Spacer(1, 6),
            _paragraph(f"Kính gửi: {addressees[0]}.", style.address_single),
            Spacer(1, 10),
        ]
    items: list[Flowable] = [Spacer(1, 6), _paragraph("Kính gửi:", style.address_label)]
    for index, entry in enumerate(addressees):
        end = "." if index == len(addressees) - 1 else ";"
        items.append(_paragraph(f"- {entry}{end}", style.address_item))
    items.append(Spacer(1, 10))
    return items


def _page_numbers(fonts: FontFamily, pages: list[int]) -> Callable[[Canvas, object], None]:
    def on_page(canvas: Canvas, doc: object) -> None:
        page = canvas.getPageNumber()
        pages.append(page)
        if page == 1:
            return  # Not on the first page (Phụ lục I, I.6).
        canvas.setFont(fonts.regular, PAGE_NUMBER_SIZE)
        canvas.drawCentredString(
            MARGIN_LEFT + CONTENT_WIDTH / 2, PAGE_HEIGHT - MARGIN_TOP / 2 - 4, str(page)
        )

    return on_page


def compose_pdf(
    document: OfficialDocument, *, fonts: FontFamily | None = None
) -> tuple[bytes, int, dict[str, Box]]:
    """The PDF, its page count and the named boxes ("personal", "agency", "number", "date")."""
    fonts = fonts or official_fonts()
    buffer = io.BytesIO()
    title = nfc(f"{document.kind.title or 'Công văn'} {document.summary}")
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN_LEFT,
        rightMargin=MARGIN_RIGHT,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=title,
        author=nfc(document.issuer),
        creator="egov",
        initialFontName=fonts.regular,  # no unembedded Helvetica in the page resources
        initialFontSize=BODY_SIZE,
    )
    frame = Frame(
        MARGIN_LEFT,
        MARGIN_BOTTOM,
        CONTENT_WIDTH,
        PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="official",
    )
    pages: list[int] = []
    doc.addPageTemplates(
        [PageTemplate(id="official", frames=[frame], onPage=_page_numbers(fonts, pages))]
    )
    sink: dict[str, Box] = {}
    try:
        doc.build(story(document, fonts, sink))
    except LayoutError as error:
        # A block that cannot fit on one page: the header or the signer with its nơi nhận.
        raise CompositionError(
            _("Phần đầu hoặc phần nơi nhận của văn bản quá dài để in trên một trang; hãy rút gọn.")
        ) from error
    return buffer.getvalue(), max(pages), sink
