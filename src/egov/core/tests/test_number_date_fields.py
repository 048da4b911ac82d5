"""Number and date fields for uploaded drafts: where page 1 shows the blank "Số:" and date line,
checked against the composer's own fields and against poppler's reading of the same words;
what is kept as it is (no such lines, a scan, a number already typed, encrypted or damaged)."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from egov.core.printing import official
from egov.core.printing.official.blanks import find_blanks
from egov.core.printing.official.form_fields import text_field_names
from egov.core.printing.official.textlayer import page_glyphs, parse_to_unicode
from egov.core.tests.official_samples import samples
from egov.core.tests.uploaded_drafts import (
    HEADER_ROW,
    layout_text,
    poppler_words,
    qpdf_check,
    render_first_page,
    scanned_pdf,
    type0_pdf,
    unlabelled_pdf,
    word_like_pdf,
)
from egov.signing.fill import fill_text_fields

Placement = official.Placement


def _fields(pdf: bytes) -> dict[str, list[float]]:
    fields = PdfReader(io.BytesIO(pdf)).get_fields() or {}
    return {
        name: [round(float(v), 2) for v in field.indirect_reference.get_object()["/Rect"]]
        for name, field in fields.items()
    }


def _by_name(spots: tuple[official.FieldSpot, ...]) -> dict[str, official.FieldSpot]:
    return {spot.name: spot for spot in spots}


def test_the_composer_header_is_read_back_where_the_composer_put_its_fields() -> None:
    document = dataclasses.replace(samples()["quyet_dinh"], number=None, date=None)
    pdf = official.render(document).pdf
    glyphs, middle = page_glyphs(pdf)
    found = {spot.name: spot for spot in find_blanks(glyphs, middle)}
    drawn = _fields(pdf)
    assert sorted(found) == sorted(drawn) == ["nam", "ngay", "so", "thang"]
    for name, (x1, y1, x2, y2) in drawn.items():
        spot = found[name]
        # Same baseline and height; the composer starts "so" after the space of "Số: " and
        # keeps 1 pt from the words around a date gap, the gaps themselves are the same.
        assert (spot.y, spot.height) == (round(y1, 2), round(y2 - y1, 2)), name
        assert abs(spot.x - x1) <= 3.5 and abs(spot.x + spot.width - x2) <= 3.5, name
    assert (found["so"].size, found["so"].italic) == (13.0, False)
    assert (found["ngay"].size, found["ngay"].italic) == (14.0, True)


def _poppler(pdf: bytes, tmp_path: Path) -> dict[str, tuple[float, float]]:
    path = tmp_path / "draft.pdf"
    path.write_bytes(pdf)
    found: dict[str, tuple[float, float]] = {}
    for word in poppler_words(path):  # the header's words come first
        found.setdefault(word.text, (word.x_min, word.x_max))
    return found


@pytest.mark.parametrize("runs", [False, True], ids=["spaces", "words-apart"])
def test_a_word_like_draft_gets_fields_between_the_words_poppler_sees(
    runs: bool, tmp_path: Path
) -> None:
    pdf = word_like_pdf(runs=runs)
    prepared = official.prepare_for_numbering(pdf)
    assert prepared.placement is Placement.FIELDS
    assert prepared.pdf.startswith(pdf)  # the upload itself, then one incremental update
    assert sorted(text_field_names(prepared.pdf)) == ["nam", "ngay", "so", "thang"]
    words = _poppler(pdf, tmp_path)
    spots = _by_name(prepared.spots)
    for name, label, following in (
        ("so", "Số:", "/QĐ-UBND"),
        ("ngay", "ngày", "tháng"),
        ("thang", "tháng", "năm"),
    ):
        spot = spots[name]
        assert spot.x == pytest.approx(words[label][1], abs=0.05), name
        assert spot.x + spot.width == pytest.approx(words[following][0], abs=0.05), name
    assert spots["nam"].x == pytest.approx(words["năm"][1], abs=0.05)
    assert spots["nam"].width == pytest.approx(2.5 * 14)  # four digits and a little room
    assert [(s.size, s.italic) for s in prepared.spots] == [(13.0, False)] + [(14.0, True)] * 3
    assert spots["so"].y == pytest.approx(HEADER_ROW - 0.25 * 13, abs=0.01)
    assert spots["ngay"].y == pytest.approx(HEADER_ROW - 0.25 * 14, abs=0.01)
    check = qpdf_check(prepared.pdf, tmp_path)
    assert check.returncode == 0, check.stdout


def test_filled_fields_print_in_the_text_layer_at_their_place(tmp_path: Path) -> None:
    prepared = official.prepare_for_numbering(word_like_pdf())
    styles = _by_name(prepared.spots)
    filled = fill_text_fields(
        prepared.pdf,
        {"so": "125", "ngay": "05", "thang": "02", "nam": "2026"},
        italic=frozenset({"ngay", "thang", "nam"}),
        sizes={name: spot.size for name, spot in styles.items()},
    )
    assert "Số: 125 /QĐ-UBND Đoàn Kết, ngày 05 tháng 02 năm 2026" in layout_text(filled, tmp_path)
    image = render_first_page(filled, tmp_path)
    assert image.stat().st_size > 10_000


def test_a_narrow_gap_gets_a_smaller_number_not_one_over_the_slash(tmp_path: Path) -> None:
    prepared = official.prepare_for_numbering(word_like_pdf(number="Số:    /QĐ-UBND"))
    spot = _by_name(prepared.spots)["so"]
    assert spot.width < 16  # four spaces: room for two digits at 13 pt, not for four
    filled = fill_text_fields(prepared.pdf, {"so": "1234"}, sizes={"so": spot.size})
    path = tmp_path / "filled.pdf"
    path.write_bytes(filled)
    words = {word.text: word for word in reversed(poppler_words(path))}  # the header's
    assert words["1234"].x_min >= spot.x - 0.1
    assert words["1234"].x_max <= words["/QĐ-UBND"].x_min + 0.1


def test_a_printed_year_keeps_its_digits_and_gets_no_year_field() -> None:
    pdf = word_like_pdf(date="Đoàn Kết, ngày      tháng      năm 2026")
    prepared = official.prepare_for_numbering(pdf)
    assert prepared.placement is Placement.FIELDS
    assert [spot.name for spot in prepared.spots] == ["so", "ngay", "thang"]


def test_dots_for_the_year_are_covered_by_its_field() -> None:
    pdf = word_like_pdf(date="Đoàn Kết, ngày ...... tháng ...... năm ..............")
    spots = _by_name(official.prepare_for_numbering(pdf).spots)
    assert spots["nam"].width > 2.5 * 14  # up to the last dot, beyond four digits' room


def test_only_the_number_blank_gives_a_partial_placement() -> None:
    pdf = word_like_pdf(date="Đoàn Kết, ngày 05 tháng 02 năm 2026")
    prepared = official.prepare_for_numbering(pdf)
    assert prepared.placement is Placement.PARTIAL
    assert [spot.name for spot in prepared.spots] == ["so"]


@pytest.mark.parametrize(
    ("pdf", "placement"),
    [
        (
            word_like_pdf(number="Số: 15/QĐ-UBND", date="Đoàn Kết, ngày 05 tháng 02 năm 2026"),
            Placement.NOT_FOUND,
        ),
        (unlabelled_pdf(), Placement.NOT_FOUND),
        (scanned_pdf(), Placement.NO_TEXT),
        (b"%PDF-1.7\nnot really a PDF", Placement.KEPT),
    ],
    ids=["numbered-already", "no-labels", "scan", "damaged"],
)
def test_files_without_blanks_are_kept_as_they_are(pdf: bytes, placement: Placement) -> None:
    prepared = official.prepare_for_numbering(pdf)
    assert (prepared.placement, prepared.pdf, prepared.spots) == (placement, pdf, ())


def test_an_encrypted_draft_is_kept_as_it_is() -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(word_like_pdf())))
    writer.encrypt(user_password="", owner_password="chu-so-huu", algorithm="AES-256")
    buffer = io.BytesIO()
    writer.write(buffer)
    prepared = official.prepare_for_numbering(buffer.getvalue())
    assert (prepared.placement, prepared.pdf) == (Placement.KEPT, buffer.getvalue())


def test_a_draft_with_its_fields_already_is_not_given_them_twice() -> None:
    composed = official.render(
        dataclasses.replace(samples()["cong_van"], number=None, date=None)
    ).pdf
    prepared = official.prepare_for_numbering(composed)
    assert (prepared.placement, prepared.pdf, prepared.spots) == (Placement.FIELDS, composed, ())


def test_composite_fonts_with_kerning_and_scaling_are_placed_as_poppler_reads_them(
    tmp_path: Path,
) -> None:
    pdf = type0_pdf(
        [("Số:        /QĐ-UBND", 100, 700), ("Đoàn Kết, ngày     tháng     năm", 300, 700)]
    )
    words = _poppler(pdf, tmp_path)
    glyphs, middle = page_glyphs(pdf)
    spots = {spot.name: spot for spot in find_blanks(glyphs, middle)}
    assert spots["so"].x == pytest.approx(words["Số:"][1], abs=0.05)
    assert spots["so"].x + spots["so"].width == pytest.approx(words["/QĐ-UBND"][0], abs=0.05)
    assert spots["thang"].x == pytest.approx(words["tháng"][1], abs=0.05)
    assert spots["so"].size == pytest.approx(13 * 1.1, abs=0.05)  # the page is scaled by 1.1


def test_a_synthetic_italic_date_line_is_found_and_known_as_italic() -> None:
    pdf = type0_pdf([("Đoàn Kết, ngày     tháng     năm", 300, 700)], slant=0.21)
    glyphs, middle = page_glyphs(pdf)
    spots = find_blanks(glyphs, middle)
    assert [(spot.name, spot.italic) for spot in spots] == [
        ("ngay", True),
        ("thang", True),
        ("nam", True),
    ]


def test_a_hostile_to_unicode_map_is_bounded() -> None:
    huge = b"1 beginbfrange <00000000> <FFFFFFFF> <0041> endbfrange"
    assert parse_to_unicode(huge) == ({}, 4)
    wide = b"1 beginbfrange <0000> <FFFF> <0041> endbfrange"
    mapping, length = parse_to_unicode(wide)
    assert (len(mapping), length, mapping[0x20]) == (65536, 2, "a")
