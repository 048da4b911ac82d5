"""The composer of official documents against NĐ 30/2020/NĐ-CP, Phụ lục I: real PDFs read back
with pypdf and poppler (pdftotext -bbox for positions, pdftoppm for the picture)."""

from __future__ import annotations

import dataclasses
import datetime
import io
import re
import shutil
import struct
import subprocess
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics

from egov.core.printing.official import (
    CompositionError,
    DocumentKind,
    Heading,
    OfficialDocument,
    RenderedDocument,
    date_line,
    number_and_symbol,
    number_text,
    official_fonts,
    pdf_page_count,
    pdf_text,
    render,
)
from egov.core.printing.official.fonts import fallback_fonts, find_serif_files
from egov.core.printing.official.layout import compose_pdf, recipient_lines, signer_lines
from egov.core.tests.official_samples import samples

A4_WIDTH, A4_HEIGHT = 595.2756, 841.8898
POPPLER = shutil.which("pdftotext") is not None and shutil.which("pdftoppm") is not None
needs_poppler = pytest.mark.skipif(
    not POPPLER, reason="POPPLER-UTILS (pdftotext, pdftoppm) NOT INSTALLED: layout not checked"
)
needs_serif = pytest.mark.skipif(
    find_serif_files() is None,
    reason="LIBERATION SERIF NOT INSTALLED (apt-get install fonts-liberation2): fallback font only",
)

# Every precomposed letter of Vietnamese, lower and upper case.
VIETNAMESE = (
    "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
)


@dataclasses.dataclass(frozen=True)
class Word:
    page: int
    text: str
    x_min: float
    y_min: float  # from the top of the page, as poppler reports
    x_max: float
    y_max: float


def words(pdf: bytes, tmp_path: Path) -> list[Word]:
    source = tmp_path / "words.pdf"
    source.write_bytes(pdf)
    html = subprocess.run(
        ["pdftotext", "-bbox", str(source), "-"], check=True, capture_output=True, text=True
    ).stdout
    found: list[Word] = []
    for page, body in enumerate(html.split("<page ")[1:]):
        for match in re.finditer(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
            body,
        ):
            x1, y1, x2, y2 = (float(value) for value in match.groups()[:4])
            found.append(Word(page, match.group(5), x1, y1, x2, y2))
    assert len(found) > 50
    return found


@pytest.fixture(scope="module")
def rendered() -> dict[str, RenderedDocument]:
    return {name: render(document) for name, document in samples().items()}


def test_leading_zeros_follow_nd30() -> None:
    assert number_text(5) == "05"
    assert number_text(10) == "10"
    assert number_text(2459) == "2459"
    assert date_line("Hà Nội", datetime.date(2020, 1, 5)) == "Hà Nội, ngày 05 tháng 01 năm 2020"
    assert (
        date_line("Thành phố Hồ Chí Minh", datetime.date(2019, 6, 29))
        == "Thành phố Hồ Chí Minh, ngày 29 tháng 6 năm 2019"
    )
    assert (
        date_line("Đoàn Kết", datetime.date(2026, 2, 10)) == "Đoàn Kết, ngày 10 tháng 02 năm 2026"
    )
    assert date_line("Đoàn Kết", datetime.date(2026, 3, 9)) == "Đoàn Kết, ngày 09 tháng 3 năm 2026"
    assert number_and_symbol(5, "QĐ-UBND") == "Số: 05/QĐ-UBND"
    assert number_and_symbol(12, "TTr-UBND") == "Số: 12/TTr-UBND"


def test_signer_and_recipient_lines() -> None:
    documents = samples()
    assert signer_lines(documents["quyet_dinh"].signer) == ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")
    assert signer_lines(documents["cong_van"].signer) == ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")
    assert signer_lines(documents["thong_bao"].signer) == ("TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG")
    assert signer_lines(documents["giay_moi"].signer) == ("TUQ. CHỦ TỊCH", "GIÁM ĐỐC TRUNG TÂM")
    assert signer_lines(documents["ke_hoach"].signer) == ("Q. CHỦ TỊCH",)
    # A công văn with "Kính gửi" starts its list with "Như trên".
    assert recipient_lines(documents["cong_van"]) == [
        "- Như trên;",
        "- Chủ tịch, các PCT UBND xã;",
        "- Lưu: VT, VP.",
    ]
    assert recipient_lines(documents["bao_cao"])[-1] == "- Lưu: VT, VP 02."
    assert recipient_lines(documents["to_trinh"]) == ["- Như trên;", "- Lưu: VT, VP."]


@needs_serif
def test_the_font_has_every_vietnamese_letter() -> None:
    fonts = official_fonts()
    assert not fonts.synthetic
    for name in (fonts.regular, fonts.bold, fonts.italic, fonts.bold_italic):
        face = pdfmetrics.getFont(name).face
        letters = VIETNAMESE + VIETNAMESE.upper()
        missing = [letter for letter in letters if face.charToGlyph.get(ord(letter), 0) == 0]
        assert missing == [], name


def mandatory_order(document: OfficialDocument) -> list[str]:
    first = (document.grounds or document.body or document.articles)[0]
    first_body = first.text if isinstance(first, Heading) else first
    summary = document.summary if document.kind is not DocumentKind.CONG_VAN else "V/v"
    number = number_and_symbol(document.number, document.symbol).replace("     ", "")
    return [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        document.issuer.upper().split()[0],
        number if document.number is not None else "Số:",
        f"{document.place}, ngày",
        summary.split()[0],
        " ".join(first_body.split()[:4]),
        signer_lines(document.signer)[0],
        document.signer.full_name,
        "Nơi nhận:",
        recipient_lines(document)[-1],
    ]


def test_every_kind_prints_the_mandatory_elements_in_order(
    rendered: dict[str, RenderedDocument],
) -> None:
    for name, document in samples().items():
        text = " ".join(" ".join(pdf_text(rendered[name].pdf)).split())
        position = -1
        for element in mandatory_order(document):
            found = text.find(element, position + 1)
            assert found > position, (name, element)
            position = found
        assert text.rstrip().endswith(recipient_lines(document)[-1]), name
        assert unicodedata.is_normalized("NFC", text)
    quyet_dinh = " ".join(pdf_text(rendered["quyet_dinh"].pdf)[0].split())
    assert "Số: 05/QĐ-UBND" in quyet_dinh
    assert "Đoàn Kết, ngày 05 tháng 01 năm 2026" in quyet_dinh
    assert re.search(r"QUYẾT ĐỊNH: Điều 1\. .+ Điều 2\. .+ Điều 3\. ", quyet_dinh)
    cong_van = " ".join(pdf_text(rendered["cong_van"].pdf)[0].split())
    assert "V/v đề nghị cung cấp thông tin hộ" in cong_van
    assert "Kính gửi: Sở Tài chính tỉnh Quảng Ninh." in cong_van
    assert "KHẨN" in cong_van
    assert "MẬT" in pdf_text(rendered["bao_cao"].pdf)[0]
    # Not yet numbered nor dated: gaps, filled in by the văn thư.
    to_trinh = " ".join(pdf_text(rendered["to_trinh"].pdf)[0].split())
    assert re.search(r"Số: +/TTr-UBND", to_trinh)
    assert re.search(r"Đoàn Kết, ngày +tháng +năm", to_trinh)


def test_nfd_input_is_printed_nfc() -> None:
    decomposed = dataclasses.replace(
        samples()["thong_bao"], summary=unicodedata.normalize("NFD", "Lịch tiếp công dân")
    )
    text = pdf_text(render(decomposed).pdf)[0]
    assert "Lịch tiếp công dân" in text
    assert unicodedata.normalize("NFD", "ị") not in text


def test_pages_are_a4_with_an_embedded_font(rendered: dict[str, RenderedDocument]) -> None:
    for name, result in rendered.items():
        reader = PdfReader(io.BytesIO(result.pdf))
        assert len(reader.pages) == result.page_count == pdf_page_count(result.pdf), name
        for page in reader.pages:
            assert float(page.mediabox.width) == pytest.approx(A4_WIDTH, abs=0.01)
            assert float(page.mediabox.height) == pytest.approx(A4_HEIGHT, abs=0.01)
            resources = page["/Resources"].get_object()
            assert isinstance(resources, DictionaryObject)
            fonts = resources["/Font"].get_object()
            assert isinstance(fonts, DictionaryObject)
            if find_serif_files() is not None and page is reader.pages[0]:
                assert len(fonts) == 4, name  # regular, bold, italic, bold italic
            for reference in fonts.values():
                font = reference.get_object()
                assert isinstance(font, DictionaryObject)
                assert str(font["/Subtype"]) == "/TrueType", name
                descriptor = font["/FontDescriptor"].get_object()
                assert isinstance(descriptor, DictionaryObject)
                assert "/FontFile2" in descriptor, (name, font["/BaseFont"])
                if find_serif_files() is not None:
                    assert "LiberationSerif" in str(font["/BaseFont"])
    assert rendered["bao_cao"].page_count == 2
    assert {result.page_count for name, result in rendered.items() if name != "bao_cao"} == {1}


@needs_poppler
def test_text_stays_inside_the_margins_and_pages_are_numbered_from_two(
    rendered: dict[str, RenderedDocument], tmp_path: Path
) -> None:
    for name, result in rendered.items():
        for word in words(result.pdf, tmp_path):
            if word.page > 0 and word.y_max <= 20 * mm:
                # The page number, centred in the top margin of pages 2 and on.
                assert word.text == str(word.page + 1), name
                centre = (word.x_min + word.x_max) / 2
                assert centre == pytest.approx(30 * mm + (A4_WIDTH - 45 * mm) / 2, abs=0.5)
                continue
            assert word.x_min >= 30 * mm - 0.5, (name, word)
            assert word.x_max <= A4_WIDTH - 15 * mm + 0.5, (name, word)
            assert word.y_min >= 20 * mm - 0.5, (name, word)
            assert word.y_max <= A4_HEIGHT - 20 * mm + 0.5, (name, word)
    long_words = words(rendered["bao_cao"].pdf, tmp_path)
    assert [word.text for word in long_words if word.page == 1 and word.y_max <= 20 * mm] == ["2"]
    assert [word for word in long_words if word.page == 0 and word.y_max <= 20 * mm] == []


@needs_poppler
def test_signature_boxes_sit_between_the_position_and_the_name(
    rendered: dict[str, RenderedDocument], tmp_path: Path
) -> None:
    for name, document in samples().items():
        result = rendered[name]
        personal, seal = result.personal_signature, result.agency_seal
        page_words = [w for w in words(result.pdf, tmp_path) if w.page == personal.page]
        position_word = signer_lines(document.signer)[-1].split()[-1]
        position_bottom = max(
            w.y_max for w in page_words if w.text == position_word and w.x_min > A4_WIDTH / 2
        )
        name_top = min(
            w.y_min
            for w in page_words
            if w.text == document.signer.full_name.split()[-1] and w.x_min > A4_WIDTH / 2
        )
        # PDF y grows upwards, poppler's downwards.
        assert A4_HEIGHT - (personal.y + personal.h) >= position_bottom - 0.5, name
        assert A4_HEIGHT - personal.y <= name_top + 0.5, name
        assert personal.h >= 70
        # The seal overlaps the left third of the personal signature, level with it.
        assert seal.page == personal.page
        assert seal.x + seal.w == pytest.approx(personal.x + personal.w / 3, abs=0.02)
        assert seal.y + seal.h / 2 == pytest.approx(personal.y + personal.h / 2, abs=0.02)
        assert seal.x >= 30 * mm
        # The number and date boxes cover "Số:"'s digits and the date line on page 1.
        assert result.number.page == result.date.page == 0
        digits = [
            w for w in words(result.pdf, tmp_path) if w.page == 0 and w.text.startswith("05/")
        ]
        if name == "quyet_dinh":
            (number_word,) = digits
            assert result.number.x <= number_word.x_min + 0.5
            top = A4_HEIGHT - (result.number.y + result.number.h)
            assert top <= number_word.y_min + 0.5
    assert rendered["bao_cao"].personal_signature.page == 1


@needs_poppler
def test_every_sample_renders_to_an_a4_picture(
    rendered: dict[str, RenderedDocument], tmp_path: Path
) -> None:
    for name, result in rendered.items():
        source = tmp_path / f"{name}.pdf"
        source.write_bytes(result.pdf)
        subprocess.run(
            ["pdftoppm", "-r", "60", "-png", str(source), str(tmp_path / name)], check=True
        )
        pictures = sorted(tmp_path.glob(f"{name}-*.png"))
        assert len(pictures) == result.page_count, name
        for picture in pictures:
            header = picture.read_bytes()[:24]
            assert header[:8] == b"\x89PNG\r\n\x1a\n"
            width, height = struct.unpack(">II", header[16:24])
            assert height / width == pytest.approx(297 / 210, abs=0.01), name


def test_without_liberation_serif_the_bundled_font_still_prints_vietnamese() -> None:
    document = samples()["quyet_dinh"]
    pdf, pages, boxes = compose_pdf(document, fonts=fallback_fonts())
    assert pages == 1
    assert set(boxes) == {"personal", "agency", "number", "date"}
    text = " ".join(pdf_text(pdf)[0].split())
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Điều 1. Cấp giấy chứng nhận đăng ký hộ kinh doanh cho ông Lê Văn Đức" in text
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    resources = page["/Resources"].get_object()
    assert isinstance(resources, DictionaryObject)
    fonts = resources["/Font"].get_object()
    assert isinstance(fonts, DictionaryObject)
    assert ["NotoSans" in str(font.get_object()["/BaseFont"]) for font in fonts.values()] == [True]


def test_markup_characters_print_as_text() -> None:
    document = dataclasses.replace(
        samples()["thong_bao"],
        summary="Lịch tiếp <b>công dân</b> & doanh nghiệp",
        body=("Giờ tiếp: 7h30 < 11h30 & 13h30 > 17h00.",),
    )
    text = " ".join(pdf_text(render(document).pdf)[0].split())
    assert "Lịch tiếp <b>công dân</b> & doanh nghiệp" in text
    assert "Giờ tiếp: 7h30 < 11h30 & 13h30 > 17h00." in text


def test_a_minimal_document_renders() -> None:
    document = OfficialDocument(
        kind=DocumentKind.THONG_BAO,
        issuer="Ủy ban nhân dân xã Đoàn Kết",
        symbol="TB-UBND",
        place="Đoàn Kết",
        summary="",
        signer=samples()["thong_bao"].signer,
    )
    result = render(document)
    assert result.page_count == 1
    assert "- Lưu: VT." in pdf_text(result.pdf)[0]


def test_a_closing_longer_than_a_page_is_a_clear_error() -> None:
    document = dataclasses.replace(
        samples()["thong_bao"], recipients=tuple(f"Thôn số {index}" for index in range(80))
    )
    with pytest.raises(CompositionError, match="quá dài để in trên một trang"):
        render(document)
