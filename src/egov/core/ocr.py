"""OCR of scanned PDFs and images: an invisible Vietnamese text layer over every page.

OCRmyPDF drives Tesseract (language data ``vie``, Debian package tesseract-ocr-vie). Pages that
already carry text are left as they are; crooked scans are deskewed and pages lying on their side
are turned upright. Images (PNG, JPEG, TIFF) become a PDF first, one page per image frame.

What this never does: touch a PDF that carries a digital signature (adding a text layer rewrites
the file and breaks the signature — the signed original is evidence and must stay byte for byte
as received), or an encrypted PDF. Both are refused with an error of their own.

OCRmyPDF runs in a child process of its own (``python -m ocrmypdf``) so that the time limit
(EGOV_OCR_TIMEOUT_SECONDS) can stop it, Tesseract included: ``ocrmypdf.ocr()`` called in this
process could not be interrupted. The page limit is EGOV_OCR_MAX_PAGES.

With ``on_page`` a file of several pages is recognised a page (or, past ten pages, a tenth of
the file) per OCRmyPDF run, so that a background task can report its progress as it goes; the
time limit then covers the whole file, not each run.
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError

PDF_MAGIC = b"%PDF-"
IMAGE_FORMATS = {"PNG", "JPEG", "TIFF"}
# Images without a resolution of their own are taken as scanned at this many dots per inch.
DEFAULT_IMAGE_DPI = 300
# Orientation confidence (Tesseract OSD) from which a page is turned upright. OCRmyPDF's default
# (14) left a form of seven lines lying on its side as it was (its confidence: 11.9 at 90°,
# 12.2 at 180°); 5 turned it. Upright pages are never turned (OSD answers 0°).
ROTATE_PAGES_THRESHOLD = "5"
# With ``on_page``: a file is recognised in at most this many OCRmyPDF runs (one page each up to
# ten pages), each reported when it ends. A run costs a process start (about 0.5 s and more
# under load), so a 50-page file runs five pages at a time.
PROGRESS_STEPS = 10


class OcrError(Exception):
    """A file that cannot be given a text layer; ``str()`` is the translated reason."""


class SignedPdfRefused(OcrError):
    pass


class EncryptedPdfRefused(OcrError):
    pass


class UnsupportedInput(OcrError):
    pass


class TooManyPages(OcrError):
    pass


class OcrTimedOut(OcrError):
    pass


class OcrFailed(OcrError):
    pass


@dataclass(frozen=True)
class OcrResult:
    pdf: bytes
    # Text of every page after OCR (recognised, or the page's own text when it had some),
    # pages separated by a form feed.
    text: str
    page_count: int


def ocr_pdf(
    data: bytes,
    *,
    languages: Sequence[str] = ("vie",),
    timeout_seconds: int | None = None,
    max_pages: int | None = None,
    on_page: Callable[[int, int], None] | None = None,
) -> OcrResult:
    """A copy of ``data`` (a PDF or a PNG/JPEG/TIFF image) with a text layer, and its text.
    ``on_page(done, total)`` is called after each page is recognised."""
    timeout = settings.EGOV_OCR_TIMEOUT_SECONDS if timeout_seconds is None else timeout_seconds
    limit = settings.EGOV_OCR_MAX_PAGES if max_pages is None else max_pages
    if data.startswith(PDF_MAGIC):
        pages = _check_pdf(data)
        pdf = data
    else:
        pdf, pages = _image_to_pdf(data, limit)
    if pages > limit:
        raise TooManyPages(
            _("Tệp có %(pages)d trang, quá giới hạn %(limit)d trang được nhận dạng chữ.")
            % {"pages": pages, "limit": limit}
        )
    if pages == 0:
        raise UnsupportedInput(_("Tệp PDF không có trang nào."))
    if on_page is None or pages == 1:
        output = _run_ocrmypdf(pdf, languages=languages, timeout=timeout)
        if on_page is not None:
            on_page(1, 1)
    else:
        output = _run_page_by_page(
            pdf, pages=pages, languages=languages, timeout=timeout, on_page=on_page
        )
    return OcrResult(pdf=output, text=_text_of(output), page_count=pages)


def is_signed_pdf(data: bytes) -> bool:
    """Whether the PDF carries a signature: a filled signature field, or a /ByteRange (the
    byte ranges a signature covers; also present in signatures outside the form)."""
    if b"/ByteRange" in data:
        return True
    try:
        fields = PdfReader(io.BytesIO(data)).get_fields() or {}
    except (PdfReadError, ValueError, KeyError, TypeError):
        return False
    return any(f.get("/FT") == "/Sig" and f.get("/V") is not None for f in fields.values())


def _check_pdf(data: bytes) -> int:
    """The page count of an OCR-able PDF; refuses signed, encrypted and unreadable ones."""
    if is_signed_pdf(data):
        raise SignedPdfRefused(
            _(
                "Tệp PDF có chữ ký số: không nhận dạng chữ trên tệp đã ký vì việc đó làm "
                "hỏng chữ ký. Tệp được giữ nguyên như khi nhận."
            )
        )
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise EncryptedPdfRefused(
                _("Tệp PDF được mã hóa: hãy gửi bản không đặt mật khẩu để nhận dạng chữ.")
            )
        return len(reader.pages)
    except (PdfReadError, ValueError, KeyError, TypeError):
        raise UnsupportedInput(
            _("Không đọc được tệp PDF (tệp hỏng hoặc không đúng định dạng).")
        ) from None


def _image_to_pdf(data: bytes, limit: int) -> tuple[bytes, int]:
    """One PDF page per frame of a PNG, JPEG or TIFF image, at the image's own resolution."""
    not_supported = UnsupportedInput(
        _("Chỉ nhận dạng chữ được trên tệp PDF hoặc ảnh PNG, JPEG, TIFF.")
    )
    try:
        image = Image.open(io.BytesIO(data))
        if image.format not in IMAGE_FORMATS:
            raise not_supported
        frames = getattr(image, "n_frames", 1)
        if frames > limit:
            return b"", frames
        pages: list[Image.Image] = []
        for index in range(frames):
            image.seek(index)
            frame = image.convert("L" if image.mode in {"1", "L", "LA", "I", "I;16"} else "RGB")
            pages.append(frame)
        dpi = _dpi_of(image)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise not_supported from None
    buffer = io.BytesIO()
    pages[0].save(buffer, "PDF", save_all=True, append_images=pages[1:], resolution=dpi)
    return buffer.getvalue(), frames


def _dpi_of(image: Image.Image) -> float:
    dpi = image.info.get("dpi")
    if isinstance(dpi, tuple) and dpi and float(dpi[0]) >= 50:
        return float(dpi[0])
    return float(DEFAULT_IMAGE_DPI)


def _run_ocrmypdf(pdf: bytes, *, languages: Sequence[str], timeout: int) -> bytes:
    with tempfile.TemporaryDirectory(prefix="egov-ocr-") as workdir:
        source = Path(workdir) / "in.pdf"
        target = Path(workdir) / "out.pdf"
        source.write_bytes(pdf)
        command = [
            sys.executable,
            "-m",
            "ocrmypdf",
            "--quiet",
            "--language",
            "+".join(languages),
            # Pages that already have text keep it; only image-only pages get a layer.
            "--mode",
            "skip",
            "--deskew",
            "--rotate-pages",
            "--rotate-pages-threshold",
            ROTATE_PAGES_THRESHOLD,
            # A plain PDF (no PDF/A conversion): the page images stay as received.
            "--output-type",
            "pdf",
            "--jobs",
            "1",
            str(source),
            str(target),
        ]
        environment = {**os.environ, "TMPDIR": workdir}
        process = subprocess.Popen(  # noqa: S603 - fixed program, arguments built here
            command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=environment,
            start_new_session=True,
        )
        try:
            stderr = process.communicate(timeout=timeout)[1]
        except subprocess.TimeoutExpired:
            # Tesseract runs as a child of OCRmyPDF: end the whole process group.
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise OcrTimedOut(
                _("Nhận dạng chữ quá %(seconds)d giây nên đã dừng.") % {"seconds": timeout}
            ) from None
        if process.returncode != 0 or not target.exists():
            detail = stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
            raise OcrFailed(
                _("Không nhận dạng được chữ trên tệp (%(detail)s).") % {"detail": detail[0]}
            )
        return target.read_bytes()


def _run_page_by_page(
    pdf: bytes,
    *,
    pages: int,
    languages: Sequence[str],
    timeout: int,
    on_page: Callable[[int, int], None],
) -> bytes:
    """OCRmyPDF run on a few pages at a time — at most PROGRESS_STEPS runs, so a long file
    does not pay a process start per page — the outputs joined again; ``on_page`` after each
    run, ``timeout`` for all of them."""
    deadline = time.monotonic() + timeout
    reader = PdfReader(io.BytesIO(pdf))
    joined = PdfWriter()
    per_run = -(-pages // PROGRESS_STEPS)
    for first in range(0, pages, per_run):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise _timed_out(timeout)
        chunk = PdfWriter()
        for index in range(first, min(first + per_run, pages)):
            chunk.add_page(reader.pages[index])
        buffer = io.BytesIO()
        chunk.write(buffer)
        try:
            output = _run_ocrmypdf(
                buffer.getvalue(), languages=languages, timeout=max(1, int(remaining))
            )
        except OcrTimedOut:
            raise _timed_out(timeout) from None
        joined.append(PdfReader(io.BytesIO(output)))
        on_page(min(first + per_run, pages), pages)
    result = io.BytesIO()
    joined.write(result)
    return result.getvalue()


def _timed_out(seconds: int) -> OcrTimedOut:
    return OcrTimedOut(_("Nhận dạng chữ quá %(seconds)d giây nên đã dừng.") % {"seconds": seconds})


def _text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\f".join(page.extract_text() or "" for page in reader.pages)
