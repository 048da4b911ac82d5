"""The demo citizen's e-result: a household business registration certificate that looks like
one (the state heading, the registering authority, the numbered items, the signer's block),
set in the official serif with every font embedded, and marked as demo data on every edge so it
is never taken for a real one. ``dossier_approve`` signs it (the competent agency's signature).

The items follow what a Giấy chứng nhận đăng ký hộ kinh doanh states under NĐ 168/2025/NĐ-CP
(in force from 01/07/2025, replacing NĐ 01/2021/NĐ-CP): name, business location, lines of
business, capital, the owner; the exact template of its annex was not checked, so the sheet
says "mẫu minh họa" rather than naming one."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from egov.core.printing.official import official_fonts
from egov.core.printing.pdf import wrap

DEMO_MARK = "DỮ LIỆU MINH HỌA CỦA BẢN DEMO EGOV — KHÔNG CÓ GIÁ TRỊ PHÁP LÝ"


@dataclass(frozen=True)
class HouseholdBusiness:
    authority: tuple[str, str]  # ("ỦY BAN NHÂN DÂN", "PHƯỜNG HỒNG GAI")
    place: str  # "Hồng Gai", for "Hồng Gai, ngày … tháng … năm …"
    registration_number: str
    name: str
    location: str
    lines_of_business: tuple[str, ...]
    capital: int
    owner: str
    owner_born: dt.date
    owner_id: str
    owner_address: str
    dossier_code: str
    issued_on: dt.date
    signer_title: str
    signer: str


def _money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " đồng"


def household_business_certificate(business: HouseholdBusiness) -> bytes:
    fonts = official_fonts()
    buffer = io.BytesIO()
    width, height = A4
    canvas = Canvas(buffer, pagesize=A4, initialFontName=fonts.regular)
    canvas.setTitle(f"Giấy chứng nhận đăng ký hộ kinh doanh {business.registration_number}")
    canvas.setAuthor(" ".join(business.authority).title())
    left, right = 25 * mm, width - 20 * mm

    def centred(text: str, x: float, y: float, size: float, *, bold: bool = False) -> None:
        canvas.setFont(fonts.style(bold=bold), size)
        canvas.drawCentredString(x, y, text)

    top = height - 20 * mm
    # NĐ 30/2020 Phụ lục I: the issuing body's block on the left, the state's on the right.
    authority_x, state_x = 55 * mm, width - 63 * mm
    centred(business.authority[0], authority_x, top, 12)
    centred(business.authority[1], authority_x, top - 15, 12)
    centred("CƠ QUAN ĐĂNG KÝ KINH DOANH", authority_x, top - 30, 12, bold=True)
    canvas.line(authority_x - 15 * mm, top - 37, authority_x + 15 * mm, top - 37)
    centred("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", state_x, top, 12, bold=True)
    centred("Độc lập - Tự do - Hạnh phúc", state_x, top - 15, 13, bold=True)
    canvas.line(state_x - 30 * mm, top - 19, state_x + 30 * mm, top - 19)

    y = top - 75
    centred("GIẤY CHỨNG NHẬN ĐĂNG KÝ HỘ KINH DOANH", width / 2, y, 15, bold=True)
    centred(f"Số: {business.registration_number}", width / 2, y - 18, 13)
    centred(
        f"Đăng ký lần đầu: ngày {business.issued_on:%d} tháng {business.issued_on:%m} "
        f"năm {business.issued_on:%Y}",
        width / 2,
        y - 34,
        13,
    )

    items = [
        ("1. Tên hộ kinh doanh:", business.name),
        ("2. Địa điểm kinh doanh:", business.location),
        ("3. Ngành, nghề kinh doanh:", "; ".join(business.lines_of_business)),
        ("4. Vốn kinh doanh:", _money(business.capital)),
        (
            "5. Chủ hộ kinh doanh:",
            f"{business.owner}, sinh ngày {business.owner_born:%d/%m/%Y}; số định danh cá "
            f"nhân: {business.owner_id}; nơi cư trú: {business.owner_address}",
        ),
    ]
    y -= 75
    size = 13
    for label, value in items:
        canvas.setFont(fonts.bold, size)
        canvas.drawString(left, y, label)
        label_width = canvas.stringWidth(label, fonts.bold, size) + 4
        lines = wrap(value, fonts.regular, size, right - left - label_width)
        canvas.setFont(fonts.regular, size)
        for index, line in enumerate(lines):
            canvas.drawString(left + label_width, y - index * (size + 5), line)
        y -= (size + 5) * len(lines) + 8
    canvas.setFont(fonts.italic, 11)
    canvas.drawString(left, y - 4, f"Cấp theo hồ sơ số {business.dossier_code}.")

    y -= 50
    centred(
        f"{business.place}, ngày {business.issued_on:%d} tháng {business.issued_on:%m} "
        f"năm {business.issued_on:%Y}",
        state_x,
        y,
        13,
    )
    for index, line in enumerate(business.signer_title.split("\n")):
        centred(line, state_x, y - 18 - index * 16, 13, bold=True)
    centred("(Chữ ký số)", state_x, y - 70, 11)
    centred(business.signer, state_x, y - 120, 13, bold=True)

    canvas.setFont(fonts.italic, 9)
    canvas.drawCentredString(width / 2, 12 * mm, DEMO_MARK)
    canvas.drawCentredString(width / 2, height - 9 * mm, DEMO_MARK)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
