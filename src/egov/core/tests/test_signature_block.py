"""ô 7c on an uploaded draft: found between the signer's position (ô 7a) and name (ô 7b) on the
last page (NĐ 30/2020/NĐ-CP, Phụ lục I, Phần I, IV.7), whatever sits beside them."""

from __future__ import annotations

import io
from collections.abc import Sequence

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from egov.core.printing.official import official_fonts
from egov.core.printing.official.signature_block import (
    BOX_WIDTH,
    MAX_HEIGHT,
    SignatureSpot,
    find_signature_spot,
)
from egov.core.tests.uploaded_drafts import RIGHT_CENTRE, scanned_pdf, word_like_pdf

WIDTH, HEIGHT = A4
Line = tuple[str, float, float, str]  # text, centre (or left edge when negative), baseline, font


def _pdf(*pages: Sequence[Line], size: float = 14) -> bytes:
    fonts = official_fonts()
    faces = {"bold": fonts.bold, "regular": fonts.regular, "italic": fonts.italic}
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    for page in pages:
        for text, where, baseline, face in page:
            canvas.setFont(faces[face], size)
            if where < 0:
                canvas.drawString(-where, baseline, text)
            else:
                canvas.drawCentredString(where, baseline, text)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _expected(
    page: int, position_baseline: float, name_baseline: float, centre: float
) -> SignatureSpot:
    top = position_baseline - 0.25 * 14 - 1
    bottom = name_baseline + 0.75 * 14 + 1
    height = min(top - bottom, MAX_HEIGHT)
    return SignatureSpot(
        page=page,
        x=round(centre - BOX_WIDTH / 2, 2),
        y=round(bottom + (top - bottom - height) / 2, 2),
        width=round(BOX_WIDTH, 2),
        height=round(height, 2),
    )


def _close(found: SignatureSpot | None, expected: SignatureSpot) -> None:
    """Equal to the hundredth of a point but for the centre, which the text's drawn extent
    gives to within 0.05 pt."""
    assert found is not None
    assert (found.page, found.y, found.width, found.height) == (
        expected.page,
        expected.y,
        expected.width,
        expected.height,
    )
    assert found.x == pytest.approx(expected.x, abs=0.05)


def test_the_box_fills_the_room_between_position_and_name() -> None:
    # word_like_pdf: "CHỦ TỊCH" at 260 pt, "Nguyễn Văn Dũng" at 170 pt, both centred on the
    # right column: 74 pt of room, the box 25 mm high in the middle of it.
    _close(find_signature_spot(word_like_pdf()), _expected(1, 260, 170, RIGHT_CENTRE))


def test_a_delegated_block_beside_the_recipients_list() -> None:
    block = 140 * mm
    page = [
        ("Nơi nhận:", -30 * mm, 300, "italic"),
        ("- Như Điều 3;", -30 * mm, 286, "regular"),
        ("- Lưu: VT, VX.", -30 * mm, 272, "regular"),
        ("TM. ỦY BAN NHÂN DÂN", block, 300, "bold"),
        ("KT. CHỦ TỊCH", block, 284, "bold"),
        ("PHÓ CHỦ TỊCH", block, 268, "bold"),
        ("Trần Thị Bình", block, 180, "bold"),
    ]
    _close(find_signature_spot(_pdf(page)), _expected(1, 268, 180, block))


def test_a_recorded_position_that_is_not_a_usual_title() -> None:
    block = 140 * mm
    page = [
        ("GIÁM ĐỐC TRUNG TÂM", block, 300, "bold"),
        ("Lê Văn Cường", block, 210, "bold"),
    ]
    assert find_signature_spot(_pdf(page)) is None
    found = find_signature_spot(_pdf(page), positions=["Giám đốc Trung tâm"])
    _close(found, _expected(1, 300, 210, block))


def test_the_block_on_the_page_before_when_the_last_holds_only_the_recipients() -> None:
    block = 140 * mm
    first = [("CHỦ TỊCH", block, 200, "bold"), ("Nguyễn Văn Dũng", block, 110, "bold")]
    last = [("Nơi nhận:", -30 * mm, 700, "italic"), ("- Lưu: VT.", -30 * mm, 686, "regular")]
    _close(find_signature_spot(_pdf(first, last)), _expected(1, 200, 110, block))


def test_the_signers_block_is_chosen_by_name_on_a_joint_document() -> None:
    left, right = 60 * mm, 150 * mm
    page = [
        ("TM. HỘI ĐỒNG NHÂN DÂN", left, 300, "bold"),
        ("TM. ỦY BAN NHÂN DÂN", right, 300, "bold"),
        ("CHỦ TỊCH", left, 284, "bold"),
        ("CHỦ TỊCH", right, 284, "bold"),
        ("Phạm Thị Hoa", left, 200, "bold"),
        ("Nguyễn Văn Dũng", right, 200, "bold"),
    ]
    # Without a name: the last block (the right one).
    _close(find_signature_spot(_pdf(page)), _expected(1, 284, 200, right))
    found = find_signature_spot(_pdf(page), names=["Phạm Thị Hoa"])
    _close(found, _expected(1, 284, 200, left))


@pytest.mark.parametrize(
    "page",
    [
        # no room between the lines for a signature
        [("CHỦ TỊCH", 140 * mm, 300, "bold"), ("Nguyễn Văn Dũng", 140 * mm, 284, "bold")],
        # a position with no name under it
        [("CHỦ TỊCH", 140 * mm, 300, "bold")],
        # body text only
        [("Quyết định này có hiệu lực kể từ ngày ký.", -30 * mm, 400, "regular")],
    ],
    ids=["no-room", "no-name", "no-block"],
)
def test_no_usable_block_gives_none(page: Sequence[Line]) -> None:
    assert find_signature_spot(_pdf(page)) is None


def test_a_scan_or_a_damaged_file_gives_none() -> None:
    assert find_signature_spot(scanned_pdf()) is None
    assert find_signature_spot(b"%PDF-1.7\nnot really") is None
