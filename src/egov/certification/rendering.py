"""The electronic certified copy as a PDF: the scanned original's pages followed by one page
with the certification ("lời chứng") and the box where the certifying unit's digital signature
is drawn.

The words follow the statement for copies certified from originals under NĐ 23/2015/NĐ-CP
(Điều 20; the statement's form was set by the Ministry of Justice's circulars — TT 01/2020/
TT-BTP, chưa xác nhận which form number): "Chứng thực bản sao đúng với bản chính", the
certification number, the register book (quyển số), the date, and the certifier's name and
title, in the name of the certifying unit. For an electronic copy the seal and handwritten
signature are replaced by the unit's digital signature (NĐ 23/2015 as amended by NĐ 07/2025/
NĐ-CP — chưa xác nhận điều khoản). The certification page is a separate last page, so
nothing is drawn over the original's content.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from egov.core.printing.pdf import finish, new_document, wrap
from egov.core.printing.scan import NotAnImage, image_to_pdf
from egov.signing.services import Box

STATEMENT = "CHỨNG THỰC BẢN SAO ĐÚNG VỚI BẢN CHÍNH"
SIGNATURE_WIDTH = 80 * mm
SIGNATURE_HEIGHT = 24 * mm


@dataclass(frozen=True)
class Certification:
    """What the certification page says."""

    unit_name: str
    number: str
    book: str
    day: dt.date
    title: str
    requester_name: str
    pages: int
    copies: int
    fee_text: str
    certifier_name: str
    certifier_title: str


@dataclass(frozen=True)
class CopyPdf:
    data: bytes
    # Where the unit's signature goes (the certification page, under the certifier's title).
    signature_box: Box
    scanned_pages: int


def original_as_pdf(data: bytes, content_type: str, *, title: str) -> bytes:
    """The scanned original as a PDF (a JPEG or PNG scan becomes a one-page PDF at its size)."""
    if content_type == "application/pdf":
        return data
    try:
        return image_to_pdf(data, title=title)
    except NotAnImage:
        raise ValidationError(_("Không đọc được ảnh quét bản chính để chuyển thành PDF.")) from None


def _certification_page(certification: Certification) -> tuple[bytes, Box]:
    canvas, buffer = new_document(A4, title=STATEMENT)
    width, height = A4
    left = 25 * mm
    right = width - 20 * mm
    canvas.setFont("NotoSans", 11)
    y = height - 25 * mm
    for line in wrap(certification.unit_name.upper(), "NotoSans", 11, 90 * mm):
        canvas.drawString(left, y, line)
        y -= 14
    canvas.drawRightString(right, height - 25 * mm, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    canvas.drawRightString(right - 12 * mm, height - 25 * mm - 14, "Độc lập - Tự do - Hạnh phúc")
    y = min(y, height - 25 * mm - 14) - 40
    canvas.setFont("NotoSans", 15)
    canvas.drawCentredString(width / 2, y, STATEMENT)
    y -= 30
    canvas.setFont("NotoSans", 11)
    lines = [
        f"Số chứng thực: {certification.number}    Quyển số: {certification.book}",
        f"Ngày {certification.day.day:02d} tháng {certification.day.month:02d} năm "
        f"{certification.day.year}",
        f"Giấy tờ, văn bản: {certification.title}",
        f"Người yêu cầu chứng thực: {certification.requester_name}",
        f"Bản chính có {certification.pages} trang; số bản sao: {certification.copies}.",
        f"Phí chứng thực: {certification.fee_text}",
        "Bản sao điện tử được chứng thực từ bản chính, ký số bằng chứng thư số của "
        f"{certification.unit_name}.",
    ]
    for text in lines:
        for line in wrap(text, "NotoSans", 11, right - left):
            canvas.drawString(left, y, line)
            y -= 16
        y -= 4
    y -= 20
    column = right - SIGNATURE_WIDTH / 2
    canvas.drawCentredString(column, y, "NGƯỜI THỰC HIỆN CHỨNG THỰC")
    y -= 15
    canvas.drawCentredString(column, y, certification.certifier_title)
    y -= 8 + SIGNATURE_HEIGHT
    box = Box(
        page=1, x=right - SIGNATURE_WIDTH, y=y, width=SIGNATURE_WIDTH, height=SIGNATURE_HEIGHT
    )
    y -= 18
    canvas.drawCentredString(column, y, certification.certifier_name)
    return finish(canvas, buffer), box


def certified_copy_pdf(original: bytes, certification: Certification) -> CopyPdf:
    """The original's pages followed by the certification page; ValidationError when the
    scanned original is not a readable PDF."""
    try:
        reader = PdfReader(io.BytesIO(original), strict=False)
        if reader.is_encrypted:
            raise ValidationError(
                _("Bản quét bản chính là PDF có mật khẩu, không chứng thực được.")
            )
        scanned = len(reader.pages)
        writer = PdfWriter()
        writer.append(reader)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError):
        raise ValidationError(_("Không đọc được tệp PDF bản quét bản chính.")) from None
    if scanned < 1:
        raise ValidationError(_("Bản quét bản chính không có trang nào."))
    page, box = _certification_page(certification)
    writer.append(PdfReader(io.BytesIO(page)))
    writer.add_metadata({"/Title": f"{STATEMENT} {certification.number}"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return CopyPdf(
        data=buffer.getvalue(),
        signature_box=Box(page=scanned + 1, x=box.x, y=box.y, width=box.width, height=box.height),
        scanned_pages=scanned,
    )
