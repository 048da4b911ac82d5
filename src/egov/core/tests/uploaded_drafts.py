"""Uploaded drafts as offices make them, for the number-and-date tests: a Word-like PDF with
the header of NĐ 30/2020/NĐ-CP Phụ lục I (the number and the date left blank), the same as a
DOCX for LibreOffice, one without those lines, a scan (image only), and helpers to read
where poppler (an independent PDF reader) sees words and to render a page for a look."""

from __future__ import annotations

import io
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from egov.core.printing.official import official_fonts
from egov.core.printing.official.fonts import find_serif_files
from egov.core.printing.pdf import register_font

WIDTH, HEIGHT = A4
LEFT_CENTRE = 30 * mm + 0.19 * (WIDTH - 45 * mm)  # the centres of the two header columns
RIGHT_CENTRE = 30 * mm + 0.69 * (WIDTH - 45 * mm)
HEADER_ROW = HEIGHT - 20 * mm - 62  # the baseline of "Số:" and of the date line


def _centred(canvas: Canvas, text: str, centre: float, y: float, font: str, size: float) -> None:
    canvas.setFont(font, size)
    canvas.drawCentredString(centre, y, text)


def _body(canvas: Canvas, regular: str, bold: str, top: float) -> None:
    _centred(canvas, "QUYẾT ĐỊNH", WIDTH / 2, top, bold, 14)
    _centred(
        canvas, "Về việc phê duyệt kế hoạch tổ chức Tết Nguyên đán", WIDTH / 2, top - 18, bold, 14
    )
    canvas.setFont(regular, 14)
    lines = (
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
        "Quyết định này có hiệu lực kể từ ngày ký.",
    )
    for index, line in enumerate(lines):
        canvas.drawString(30 * mm + 1 * 28.35, top - 60 - 22 * index, line)
    _centred(canvas, "CHỦ TỊCH", RIGHT_CENTRE, 260, bold, 14)
    _centred(canvas, "Nguyễn Văn Dũng", RIGHT_CENTRE, 170, bold, 14)


def word_like_pdf(
    *,
    number: str = "Số:         /QĐ-UBND",
    date: str = "Đoàn Kết, ngày      tháng      năm      ",
    runs: bool = False,
) -> bytes:
    """A draft as Word exports it: two header columns, "Số:" left (13 pt) and the date line
    right (14 pt italic) on one row, then the title and the body. ``runs``: each word drawn
    on its own at its place, as Word does for tabs and justified lines (no space glyphs)."""
    fonts = official_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, initialFontName=official_fonts().regular)
    canvas.setTitle("Dự thảo")
    _centred(canvas, "ỦY BAN NHÂN DÂN", LEFT_CENTRE, HEIGHT - 20 * mm - 13, fonts.bold, 13)
    _centred(canvas, "XÃ ĐOÀN KẾT", LEFT_CENTRE, HEIGHT - 20 * mm - 29, fonts.bold, 13)
    national = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    _centred(canvas, national, RIGHT_CENTRE, HEIGHT - 20 * mm - 13, fonts.bold, 13)
    motto = "Độc lập - Tự do - Hạnh phúc"
    _centred(canvas, motto, RIGHT_CENTRE, HEIGHT - 20 * mm - 29, fonts.bold, 14)
    for text, centre, font, size in (
        (number, LEFT_CENTRE, fonts.regular, 13.0),
        (date, RIGHT_CENTRE, fonts.italic, 14.0),
    ):
        if not runs:
            _centred(canvas, text, centre, HEADER_ROW, font, size)
            continue
        canvas.setFont(font, size)
        x = centre - canvas.stringWidth(text, font, size) / 2
        for match in re.finditer(r"\S+", text):
            canvas.drawString(
                x + canvas.stringWidth(text[: match.start()], font, size), HEADER_ROW, match.group()
            )
    _body(canvas, fonts.regular, fonts.bold, HEADER_ROW - 50)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def unlabelled_pdf() -> bytes:
    """A letter without the header of Phụ lục I: no "Số:", no date line."""
    fonts = official_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, initialFontName=official_fonts().regular)
    _body(canvas, fonts.regular, fonts.bold, HEIGHT - 40 * mm)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def scanned_pdf() -> bytes:
    """A scan of a paper draft: the same header as pixels, no text layer."""
    image = Image.new("L", (1240, 1754), 255)  # A4 at 150 dpi
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(official_fonts_file(), 27)
    draw.text((180, 120), "ỦY BAN NHÂN DÂN XÃ ĐOÀN KẾT", font=font, fill=0)
    draw.text((180, 260), "Số:        /QĐ-UBND", font=font, fill=0)
    draw.text((640, 260), "Đoàn Kết, ngày     tháng     năm", font=font, fill=0)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, initialFontName=official_fonts().regular)
    canvas.drawImage(ImageReader(image), 0, 0, WIDTH, HEIGHT)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def official_fonts_file() -> str:
    """The regular serif of official documents (or the fallback sans) as a file, for PIL."""
    files = find_serif_files()
    if files is None:
        return str(pdfmetrics.getFont(register_font()).face.filename)
    return str(files["Regular"])


def word_like_docx() -> bytes:
    """The header of Phụ lục I as Word users lay it out: a borderless two-column table, the
    number and the date line blank in its second row."""
    document = docx.Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    section.top_margin = section.bottom_margin = Cm(2)
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(14)
    table = document.add_table(rows=2, cols=2)

    def cell(
        row: int, column: int, text: str, size: int, *, bold: bool = False, italic: bool = False
    ) -> None:
        paragraph = table.cell(row, column).paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(text)
        run.font.size, run.bold, run.italic = Pt(size), bold, italic

    cell(0, 0, "ỦY BAN NHÂN DÂN\nXÃ ĐOÀN KẾT", 13, bold=True)
    cell(0, 1, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc", 13, bold=True)
    cell(1, 0, "Số:        /QĐ-UBND", 13)
    cell(1, 1, "Đoàn Kết, ngày      tháng      năm 2026", 14, italic=True)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run("QUYẾT ĐỊNH").bold = True
    document.add_paragraph("Về việc phê duyệt kế hoạch tổ chức Tết Nguyên đán trên địa bàn xã.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def type0_pdf(lines: list[tuple[str, float, float]], *, slant: float = 0.0) -> bytes:
    """Text in a composite font (Type0, Identity-H, widths in /W, a /ToUnicode map) drawn
    with TJ arrays and kerning, horizontal scaling and a scaled page, as Word writes text
    outside WinAnsi; ``slant`` shears it as a synthetic italic. The font program is left
    out: readers take the widths from /W."""
    fonts = official_fonts()
    chars = sorted({char for text, _x, _y in lines for char in text})
    cid = {char: index + 1 for index, char in enumerate(chars)}
    widths = ArrayObject(
        [
            NumberObject(1),
            ArrayObject(
                [FloatObject(round(stringWidth(char, fonts.regular, 1000), 1)) for char in chars]
            ),
        ]
    )
    pairs = "\n".join(f"<{cid[c]:04X}> <{c.encode('utf-16-be').hex().upper()}>" for c in chars)
    to_unicode = DecodedStreamObject()
    to_unicode.set_data(
        (
            "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Uni def "
            "1 begincodespacerange <0000> <FFFF> endcodespacerange "
            f"{len(chars)} beginbfchar\n{pairs}\nendbfchar endcmap "
            "CMapName currentdict /CMap defineresource pop end end"
        ).encode()
    )
    writer = PdfWriter()
    page = writer.add_blank_page(WIDTH, HEIGHT)
    name = NameObject("/ABCDEF+TimesNewRomanPSMT")
    descendant = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/CIDFontType2"),
            NameObject("/BaseFont"): name,
            NameObject("/CIDSystemInfo"): DictionaryObject(
                {
                    NameObject("/Registry"): TextStringObject("Adobe"),
                    NameObject("/Ordering"): TextStringObject("Identity"),
                    NameObject("/Supplement"): NumberObject(0),
                }
            ),
            NameObject("/W"): widths,
            NameObject("/DW"): NumberObject(1000),
        }
    )
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type0"),
            NameObject("/BaseFont"): name,
            NameObject("/Encoding"): NameObject("/Identity-H"),
            NameObject("/DescendantFonts"): ArrayObject([writer._add_object(descendant)]),
            NameObject("/ToUnicode"): writer._add_object(to_unicode),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    operations = ["q 1.1 0 0 1.1 -20 -60 cm BT /F1 13 Tf 95 Tz"]
    for text, x, y in lines:
        shown = []
        for index, char in enumerate(text):
            shown.append(f"<{cid[char]:04X}>")
            if index % 3 == 2:
                shown.append("-37")
        operations.append(f"1 0 {slant} 1 {x} {y} Tm [{' '.join(shown)}] TJ")
    operations.append("ET Q")
    content = DecodedStreamObject()
    content.set_data("\n".join(operations).encode())
    page[NameObject("/Contents")] = writer._add_object(content)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class Word:
    text: str
    x_min: float
    x_max: float
    baseline_top: float  # poppler's yMin, from the top of the page


def poppler_words(path: Path, page: int = 1) -> list[Word]:
    """The words of a page with their boxes as ``pdftotext -bbox`` (poppler) reads them, in
    PDF points with x from the left edge."""
    run = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>'
    return [
        Word(text, float(x_min), float(x_max), float(y_min))
        for x_min, y_min, x_max, text in re.findall(pattern, run.stdout)
    ]


def render_first_page(pdf: bytes, folder: Path, name: str = "trang-1") -> Path:
    """Page 1 as PNG (pdftoppm, 100 dpi) in ``folder``, to look at where number and date went;
    the path is returned (run pytest with ``--basetemp`` to keep it)."""
    source = folder / f"{name}.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "100",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            "-png",
            str(source),
            str(folder / name),
        ],
        check=True,
    )
    return folder / f"{name}.png"


def layout_text(pdf: bytes, folder: Path) -> str:
    """Page 1's text as ``pdftotext -layout`` prints it, whitespace collapsed."""
    source = folder / "layout.pdf"
    source.write_bytes(pdf)
    run = subprocess.run(
        ["pdftotext", "-layout", "-f", "1", "-l", "1", str(source), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return " ".join(run.stdout.split())


def qpdf_check(pdf: bytes, folder: Path) -> subprocess.CompletedProcess[str]:
    """``qpdf --check`` of ``pdf`` (return code 0: no syntax or stream errors)."""
    source = folder / "checked.pdf"
    source.write_bytes(pdf)
    return subprocess.run(["qpdf", "--check", str(source)], capture_output=True, text=True)
