"""Pages of a PDF for electronic copies: count them, read a typed page range ("1-3, 5") and
take the chosen pages out for a trích sao (NĐ 30/2020/NĐ-CP, Điều 25.3). Bytes in, bytes out;
the messages are for the văn thư."""

from __future__ import annotations

import io
import re

from django.utils.translation import gettext as _
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, NameObject

from egov.core.uploads import not_a_pdf_message

_RANGE = re.compile(r"^(\d{1,5})(?:\s*-\s*(\d{1,5}))?$")
# Phụ lục I, Phần II.I.2: a digitised paper document is a PDF of version 1.4 or later.
_OLD_VERSIONS = tuple(f"%PDF-1.{minor}".encode() for minor in range(4))


class PagesError(ValueError):
    """The PDF or the page range cannot be used; ``message`` is translated."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _reader(data: bytes) -> PdfReader:
    if not data.startswith(b"%PDF-"):
        raise PagesError(not_a_pdf_message())
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
    except (PyPdfError, ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
        raise PagesError(_("Tài liệu PDF bị hỏng, không đọc được.")) from exc
    if encrypted:
        raise PagesError(_("Tài liệu PDF có mật khẩu hoặc bị mã hóa, không sao được."))
    return reader


def page_count(data: bytes) -> int:
    """The number of pages; PagesError when it is not a readable PDF or has no page."""
    reader = _reader(data)
    try:
        count = len(reader.pages)
    except (PyPdfError, ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
        raise PagesError(_("Tài liệu PDF bị hỏng, không đọc được.")) from exc
    if count < 1:
        raise PagesError(_("Tài liệu PDF không có trang nào."))
    return count


def is_old_pdf(data: bytes) -> bool:
    """A PDF older than version 1.4 (not accepted as a digitised paper document)."""
    return data.startswith(_OLD_VERSIONS)


def parse_pages(text: str, count: int) -> list[int]:
    """``"1-3, 5"`` → ``[1, 2, 3, 5]`` (sorted, each once), within 1..``count``."""
    wanted: set[int] = set()
    parts = [part.strip() for part in (text or "").replace(";", ",").split(",")]
    if not any(parts):
        raise PagesError(_("Hãy ghi các trang cần trích sao, ví dụ 1-3, 5."))
    for part in parts:
        if not part:
            continue
        match = _RANGE.match(part)
        if match is None:
            raise PagesError(
                _("Không hiểu “%s”: ghi số trang hoặc khoảng trang, ví dụ 1-3, 5.") % part[:20]
            )
        first = int(match.group(1))
        last = int(match.group(2) or first)
        if first < 1 or last < first:
            raise PagesError(_("Khoảng trang “%s” không hợp lệ.") % part)
        if last > count:
            raise PagesError(
                _("Văn bản chỉ có %(count)d trang; không có trang %(page)d.")
                % {"count": count, "page": last}
            )
        wanted.update(range(first, last + 1))
    return sorted(wanted)


def format_pages(pages: list[int]) -> str:
    """``[1, 2, 3, 5]`` → ``"1-3, 5"``."""
    groups: list[str] = []
    start = previous = None
    for page in [*pages, None]:
        if start is not None and previous is not None and page != previous + 1:
            groups.append(str(start) if start == previous else f"{start}-{previous}")
            start = None
        if start is None:
            start = page
        previous = page
    return ", ".join(groups)


def extract_pages(data: bytes, pages: list[int]) -> bytes:
    """A new PDF of ``pages`` (from 1) of ``data``. The form fields of the source (its
    signature fields among them) are not carried over: a signature covers the whole signed
    document, so it cannot be valid on an extract; the extract is signed by the copying
    agency instead."""
    reader = _reader(data)
    writer = PdfWriter()
    try:
        header = reader.pdf_header
        for number in pages:
            page = writer.add_page(reader.pages[number - 1])
            annotations = page.get("/Annots")
            if annotations is None:
                continue
            kept = [
                a for a in annotations.get_object() if a.get_object().get("/Subtype") != "/Widget"
            ]
            if kept:
                page[NameObject("/Annots")] = ArrayObject(kept)
            else:
                del page["/Annots"]
        writer.pdf_header = header if not is_old_pdf(header.encode()) else "%PDF-1.4"
        buffer = io.BytesIO()
        writer.write(buffer)
    except (PyPdfError, ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
        raise PagesError(_("Tài liệu PDF bị hỏng, không trích được trang.")) from exc
    return buffer.getvalue()
