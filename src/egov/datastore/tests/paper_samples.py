"""Identity papers with known text, rendered for the OCR task tests: a căn cước card (the card's
size, 85.6 × 54 mm) and a birth certificate (A4), at 300 dpi, optionally turned and speckled.
The people are invented; the layout follows the labels of the real papers."""

from __future__ import annotations

import random

from PIL import Image, ImageDraw

from egov.core.tests.ocr_samples import font

CARD_FIELDS = {
    "number": "001090012345",
    "full_name": "NGUYỄN THỊ HỒNG NHUNG",
    "date_of_birth": "1990-05-12",
    "valid_until": "2030-05-12",
}
CARD_LINES = (
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "CĂN CƯỚC CÔNG DÂN",
    "Số / No.: 001090012345",
    "Họ và tên / Full name:",
    "NGUYỄN THỊ HỒNG NHUNG",
    "Ngày sinh / Date of birth: 12/05/1990",
    "Giới tính / Sex: Nữ",
    "Quốc tịch / Nationality: Việt Nam",
    "Có giá trị đến / Date of expiry: 12/05/2030",
)

BIRTH_FIELDS = {
    "number": "125/2024",
    "full_name": "LÊ HOÀNG MINH KHUÊ",
    "date_of_birth": "2024-07-15",
}
BIRTH_LINES = (
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "GIẤY KHAI SINH",
    "Số: 125/2024",
    "Quyển số: 01/2024",
    "Họ, chữ đệm, tên: LÊ HOÀNG MINH KHUÊ",
    "Ngày, tháng, năm sinh: 15/07/2024",
    "Giới tính: Nữ   Dân tộc: Kinh   Quốc tịch: Việt Nam",
    "Nơi sinh: Bệnh viện Phụ sản tỉnh Quảng Ngãi",
    "Họ, chữ đệm, tên người mẹ: PHẠM THỊ THỦY",
    "Họ, chữ đệm, tên người cha: LÊ QUỐC VIỆT",
)


def render_paper(
    lines: tuple[str, ...],
    *,
    size_mm: tuple[float, float],
    point_size: float,
    dpi: int = 300,
    degrees: float = 0.0,
    noise: float = 0.0,
    seed: int = 1,
    larger: frozenset[int] = frozenset(),
) -> Image.Image:
    """``lines`` in Noto Sans at ``point_size`` on a white paper of ``size_mm``; the lines
    numbered in ``larger`` a third larger (a card prints its holder's name so)."""
    width, height = (round(mm / 25.4 * dpi) for mm in size_mm)
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    face = font(round(point_size * dpi / 72))
    large = font(round(point_size * 4 / 3 * dpi / 72))
    margin = round(dpi / 10)
    step = round(point_size * 1.6 * dpi / 72)
    top = margin
    for index, line in enumerate(lines):
        draw.text((margin, top), line, font=large if index in larger else face, fill=0)
        top += round(step * 4 / 3) if index in larger else step
    if degrees:
        page = page.rotate(degrees, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    if noise:
        generator = random.Random(seed)
        pixels = page.load()
        assert pixels is not None
        for _ in range(round(page.width * page.height * noise)):
            pixels[generator.randrange(page.width), generator.randrange(page.height)] = (
                generator.randrange(256)
            )
    return page


def card(**options: float) -> Image.Image:
    name_line = CARD_LINES.index(CARD_FIELDS["full_name"])
    return render_paper(
        CARD_LINES,
        size_mm=(85.6, 54),
        point_size=7,
        larger=frozenset({name_line}),
        **options,  # type: ignore[arg-type]
    )


def birth_certificate(**options: float) -> Image.Image:
    return render_paper(BIRTH_LINES, size_mm=(210, 297), point_size=12, **options)  # type: ignore[arg-type]
