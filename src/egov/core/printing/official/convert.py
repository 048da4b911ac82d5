"""Other formats to PDF and back to text: DOCX drafts through LibreOffice, page counts and the
text layer through pypdf."""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import tempfile
import zipfile
from pathlib import Path

from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from egov.core.uploads import not_a_pdf_message

CONVERSION_TIMEOUT = 120.0  # seconds; a large draft converts in a few
MAX_DOCX_BYTES = 30 * 1024 * 1024


class ConversionError(Exception):
    """A file that could not be converted; ``str()`` is a message for the user."""


class ConverterUnavailable(ConversionError):
    """LibreOffice is not installed on this server."""


def soffice_path() -> str | None:
    configured = os.environ.get("EGOV_SOFFICE", "").strip()
    if configured:
        return configured if Path(configured).is_file() else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def is_docx(data: bytes) -> bool:
    """A ZIP package holding a WordprocessingML main part (ECMA-376 Part 2)."""
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = set(package.namelist())
            if "[Content_Types].xml" not in names or "word/document.xml" not in names:
                return False
            types = package.read("[Content_Types].xml")
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError):
        return False
    return b"wordprocessingml.document.main+xml" in types


def docx_to_pdf(data: bytes, *, timeout: float = CONVERSION_TIMEOUT) -> bytes:
    """The PDF LibreOffice prints from a DOCX draft.

    Each call runs its own ``soffice --headless`` with a throw-away user profile
    (``-env:UserInstallation``), so parallel conversions never share a profile lock."""
    if len(data) > MAX_DOCX_BYTES:
        raise ConversionError(_("Tệp DOCX quá lớn để chuyển sang PDF."))
    if not is_docx(data):
        raise ConversionError(_("Tệp không phải văn bản DOCX hợp lệ."))
    program = soffice_path()
    if program is None:
        raise ConverterUnavailable(
            _("Máy chủ chưa cài LibreOffice nên chưa chuyển được tệp DOCX; hãy tải lên bản PDF.")
        )
    with tempfile.TemporaryDirectory(prefix="egov-soffice-") as folder:
        work = Path(folder)
        source = work / "draft.docx"
        source.write_bytes(data)
        outdir = work / "out"
        command = [
            program,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--invisible",
            "--nologo",
            "--nodefault",
            "--nolockcheck",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            str(source),
        ]
        _run(command, timeout=timeout, home=work)
        result = outdir / "draft.pdf"
        if not result.is_file() or result.stat().st_size == 0:
            raise ConversionError(_("LibreOffice không chuyển được tệp DOCX này sang PDF."))
        return result.read_bytes()


def _run(command: list[str], *, timeout: float, home: Path) -> None:
    environment = {**os.environ, "HOME": str(home)}
    process = subprocess.Popen(  # noqa: S603 - fixed program, arguments built here
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=environment,
        start_new_session=True,
    )
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        # soffice starts soffice.bin as a child: end the whole session it leads.
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise ConversionError(_("Chuyển tệp DOCX sang PDF quá lâu; hãy tải lên bản PDF.")) from None


def _reader(data: bytes) -> PdfReader:
    try:
        return PdfReader(io.BytesIO(data))
    except (PdfReadError, ValueError, OSError) as error:
        raise ConversionError(not_a_pdf_message()) from error


def pdf_page_count(data: bytes) -> int:
    try:
        return len(_reader(data).pages)
    except (PdfReadError, ValueError, KeyError) as error:
        raise ConversionError(not_a_pdf_message()) from error


def pdf_text(data: bytes) -> list[str]:
    """The text layer, one string per page (empty for a scan without OCR)."""
    try:
        return [page.extract_text() or "" for page in _reader(data).pages]
    except (PdfReadError, ValueError, KeyError) as error:
        raise ConversionError(not_a_pdf_message()) from error
