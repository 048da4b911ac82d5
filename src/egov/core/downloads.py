"""One way to answer with a file: stored files (``core.StoredFile``), generated PDFs and
spreadsheets, official form templates.

Every download gets its Content-Type from what the file is (for stored files: the type its
first bytes showed at upload), a Content-Disposition whose filename cannot break the header
— a plain ASCII ``filename`` for every browser and, for names with Vietnamese letters, the
exact name as ``filename*`` (RFC 6266 with RFC 5987 encoding) — and
``X-Content-Type-Options: nosniff``. Files of a person or a dossier are never cached
(``Cache-Control: private, no-store``). Callers check access first.
"""

from __future__ import annotations

import re
import unicodedata
from typing import IO
from urllib.parse import quote

from django.http import FileResponse, HttpResponse

from egov.core.models import StoredFile
from egov.core.text import without_diacritics
from egov.core.uploads import open_private

_UNSAFE = re.compile(r'[\x00-\x1f\x7f"\\/:*?<>|;]+')
_NOT_TOKEN = re.compile(r"[^A-Za-z0-9._ ()+,=@~-]+")
MAX_FILENAME = 150


def safe_filename(filename: str, *, default: str = "tep") -> str:
    """The name without path parts, control characters or characters that quote or split a
    header; at most 150 characters, never empty."""
    name = unicodedata.normalize("NFC", filename).replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE.sub("_", name).strip(" ._")
    if len(name) > MAX_FILENAME:
        _stem, dot, extension = name.rpartition(".")
        keep = extension if dot and len(extension) <= 10 else ""
        name = name[: MAX_FILENAME - len(keep) - 1].rstrip(" .") + ("." + keep if keep else "")
    return name or default


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """``attachment``/``inline`` with an ASCII ``filename`` and, when the name is not plain
    ASCII, ``filename*=UTF-8''…`` carrying it exactly (RFC 5987)."""
    name = safe_filename(filename)
    fallback = _NOT_TOKEN.sub("_", without_diacritics(name)).strip(" _") or "tep"
    header = f'{"inline" if inline else "attachment"}; filename="{fallback}"'
    if fallback != name:
        header += f"; filename*=UTF-8''{quote(name, safe='')}"
    return header


def _finish(
    response: HttpResponse | FileResponse, filename: str, *, inline: bool, private: bool
) -> HttpResponse | FileResponse:
    response["Content-Disposition"] = content_disposition(filename, inline=inline)
    response["X-Content-Type-Options"] = "nosniff"
    if private:
        response["Cache-Control"] = "private, no-store"
    return response


def content_response(
    content: bytes,
    *,
    content_type: str,
    filename: str,
    inline: bool = False,
    private: bool = True,
) -> HttpResponse:
    """Bytes made for this request (a PDF form, a spreadsheet, a template) as a download."""
    response = HttpResponse(content, content_type=content_type)
    _finish(response, filename, inline=inline, private=private)
    return response


def pdf_response(content: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    """A generated PDF (receipt, control sheet, notice…), shown in the browser."""
    return content_response(
        content, content_type="application/pdf", filename=filename, inline=inline
    )


def stream_response(
    stream: IO[bytes],
    *,
    content_type: str,
    filename: str,
    inline: bool = False,
    private: bool = True,
) -> FileResponse:
    """An open file streamed as a download."""
    response = FileResponse(stream, content_type=content_type)
    _finish(response, filename, inline=inline, private=private)
    return response


def stored_file_response(file: StoredFile, *, filename: str | None = None) -> FileResponse:
    """A stored file as a download, never shown inline (the caller has checked access).
    ``filename`` defaults to the name it was uploaded with."""
    return stream_response(
        open_private(file.key),
        content_type=file.content_type,
        filename=filename if filename is not None else file.name,
    )
