"""Applicants' files: type checked by content, stored privately under random names.

A file's name and the browser's declared type are not trusted: the first bytes decide. Files
go to the "private" storage (never under a public URL) as ``<prefix>/<yyyy>/<mm>/<random>.<ext>``
and are returned by views that check access first.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.storage import storages
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _

# Magic numbers of the types a dossier may carry: scans (PDF, JPEG, PNG) and office
# documents are converted to PDF at the desk, so they are not accepted here.
_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)
ACCEPTED_LABEL = "PDF, JPEG, PNG"


@dataclass(frozen=True)
class StoredFile:
    path: str
    original_name: str
    content_type: str
    size: int
    sha256: str

    def as_fields(self) -> dict[str, object]:
        """The file's columns as the file models name them."""
        return {
            "path": self.path,
            "name": self.original_name,
            "content_type": self.content_type,
            "size": self.size,
            "sha256": self.sha256,
        }


def sniff(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) from a file's first bytes, or None if not accepted."""
    for magic, content_type, extension in _SIGNATURES:
        if head.startswith(magic):
            return content_type, extension
    return None


def max_upload_bytes() -> int:
    return int(settings.EGOV_UPLOAD_MAX_MB) * 1024 * 1024


def store_private(upload: IO[bytes], *, original_name: str, prefix: str) -> StoredFile:
    """Check and store one uploaded file; ValidationError (in Vietnamese) when it is empty,
    too large or not of an accepted type."""
    label = original_name[:255] or _("tệp")
    upload.seek(0)
    head = upload.read(16)
    if not head:
        raise ValidationError(_("Tệp “%s” rỗng.") % label)
    sniffed = sniff(head)
    if sniffed is None:
        raise ValidationError(
            _("Tệp “%(name)s” không đúng định dạng cho phép (%(types)s).")
            % {"name": label, "types": ACCEPTED_LABEL}
        )
    limit = max_upload_bytes()
    digest = hashlib.sha256()
    size = 0
    upload.seek(0)
    while chunk := upload.read(1024 * 1024):
        size += len(chunk)
        if size > limit:
            raise ValidationError(
                _("Tệp “%(name)s” lớn hơn %(mb)d MB.")
                % {"name": label, "mb": settings.EGOV_UPLOAD_MAX_MB}
            )
        digest.update(chunk)
    upload.seek(0)
    content_type, extension = sniffed
    today = timezone.localdate()
    name = f"{prefix}/{today:%Y/%m}/{secrets.token_urlsafe(24)}.{extension}"
    path = storages["private"].save(name, File(upload))
    return StoredFile(
        path=path,
        original_name=label,
        content_type=content_type,
        size=size,
        sha256=digest.hexdigest(),
    )


def open_private(path: str) -> IO[bytes]:
    return storages["private"].open(path, "rb")


def delete_private(path: str) -> None:
    storages["private"].delete(path)


def private_file_response(path: str, *, content_type: str, filename: str) -> FileResponse:
    """An applicant's file as a download: never cached, never shown inline (the caller has
    checked access)."""
    response = FileResponse(
        open_private(path), content_type=content_type, as_attachment=True, filename=filename
    )
    response["Cache-Control"] = "private, no-store"
    return response
