"""Renders a form template's spec to a DOCX file (python-docx).

A spec is data: {"title", "addressee", "intro", "fields": [...], "declaration",
"signature", "basis"}. Generated forms are reference forms built from the catalog; where
the official file is known an administrator attaches it to the FormTemplate instead.
"""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from egov.catalog.models import FormTemplate

NATIONAL_HEADER = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"


def _centered(document: Any, text: str, *, bold: bool = False, size: int = 13) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = Pt(size)


def render_docx(form: FormTemplate) -> bytes:
    spec: dict[str, Any] = form.spec or {}
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    _centered(document, NATIONAL_HEADER, bold=True)
    _centered(document, NATIONAL_MOTTO, bold=True)
    _centered(document, "")
    _centered(document, str(spec.get("title") or form.title).upper(), bold=True, size=14)
    if spec.get("addressee"):
        _centered(document, f"Kính gửi: {spec['addressee']}")
    if spec.get("intro"):
        document.add_paragraph(str(spec["intro"]))
    for label in spec.get("fields", []):
        document.add_paragraph(f"{label}: " + "." * max(10, 70 - len(str(label))))
    if spec.get("declaration"):
        document.add_paragraph(str(spec["declaration"]))
    signature = document.add_paragraph()
    signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    signature.add_run("…………, ngày …… tháng …… năm ……\n")
    signature.add_run(str(spec.get("signature") or "Người yêu cầu")).bold = True
    signature.add_run("\n(Ký, ghi rõ họ tên)")
    note = document.add_paragraph()
    note_run = note.add_run(
        "Mẫu tham khảo do hệ thống egov tạo từ danh mục thủ tục"
        + (f"; căn cứ: {spec['basis']}" if spec.get("basis") else "")
        + ". Đối chiếu mẫu chính thức trước khi nộp."
    )
    note_run.italic = True
    note_run.font.size = Pt(10)
    buffer = io.BytesIO()
    document.core_properties.title = form.title
    document.save(buffer)
    return buffer.getvalue()
