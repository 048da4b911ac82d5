"""DOCX drafts to PDF through a real LibreOffice, and the checks before it runs."""

from __future__ import annotations

import io
import stat
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import docx
import pytest

from egov.core.printing.official import (
    ConversionError,
    ConverterUnavailable,
    docx_to_pdf,
    is_docx,
    pdf_page_count,
    pdf_text,
)
from egov.core.printing.official.convert import soffice_path

needs_soffice = pytest.mark.skipif(
    soffice_path() is None,
    reason="LIBREOFFICE (soffice) NOT INSTALLED: apt-get install -y libreoffice-writer-nogui",
)

TEXT = "Ủy ban nhân dân xã Đoàn Kết đề nghị rà soát hộ kinh doanh trên địa bàn."


def draft(text: str = TEXT) -> bytes:
    document = docx.Document()
    document.add_heading("TỜ TRÌNH", level=1)
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_only_real_docx_packages_are_accepted() -> None:
    assert is_docx(draft())
    assert not is_docx(b"%PDF-1.7\n")
    assert not is_docx(b"PK\x03\x04 truncated")
    other = io.BytesIO()
    with zipfile.ZipFile(other, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("content.xml", "<x/>")
    assert not is_docx(other.getvalue())
    with pytest.raises(ConversionError, match="không phải văn bản DOCX"):
        docx_to_pdf(other.getvalue())
    with pytest.raises(ConversionError, match="không phải là tài liệu PDF hợp lệ"):
        pdf_page_count(b"not a pdf")


def test_a_missing_libreoffice_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EGOV_SOFFICE", "/nonexistent/soffice")
    with pytest.raises(ConverterUnavailable) as raised:
        docx_to_pdf(draft())
    assert str(raised.value) == (
        "Máy chủ chưa cài LibreOffice nên chưa chuyển được tệp DOCX; hãy tải lên bản PDF."
    )


def test_a_hanging_converter_is_stopped(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # A converter that never finishes, to exercise the time limit and the process-group kill.
    program = tmp_path / "soffice"
    program.write_text("#!/bin/sh\nsleep 600 &\nwait\n")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("EGOV_SOFFICE", str(program))
    with pytest.raises(ConversionError, match="quá lâu"):
        docx_to_pdf(draft(), timeout=0.5)


@needs_soffice
def test_a_vietnamese_draft_converts_to_pdf() -> None:
    pdf = docx_to_pdf(draft())
    assert pdf.startswith(b"%PDF-")
    assert pdf_page_count(pdf) == 1
    text = " ".join(" ".join(pdf_text(pdf)).split())
    assert "TỜ TRÌNH" in text
    assert TEXT in text


@needs_soffice
def test_parallel_conversions_do_not_share_a_profile() -> None:
    texts = [f"{TEXT} Bản số {index}." for index in range(2)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        pdfs = list(pool.map(lambda text: docx_to_pdf(draft(text)), texts))
    for text, pdf in zip(texts, pdfs, strict=True):
        assert text in " ".join(" ".join(pdf_text(pdf)).split())
