"""Applicants' files: type checked by content, stored privately under random names.

A file's name and the browser's declared type are not trusted: the first bytes decide. Files
go to the "private" storage (never under a public URL) as ``<prefix>/<yyyy>/<mm>/<random>.<ext>``,
each recorded as one ``core.StoredFile`` row, and are returned (``core.downloads``) by views
that check access first.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.storage import storages
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.core.models import StoredFile
from egov.core.scan_quality import check_scan

# Magic numbers of the types a dossier may carry: scans (PDF, JPEG, PNG) and office
# documents are converted to PDF at the desk, so they are not accepted here.
_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)
ACCEPTED_LABEL = "PDF, JPEG, PNG"


def sniff(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) from a file's first bytes, or None if not accepted."""
    for magic, content_type, extension in _SIGNATURES:
        if head.startswith(magic):
            return content_type, extension
    return None


def not_a_pdf_message() -> str:
    """The one wording for a file that is not a PDF, or is damaged so that it cannot be read
    as one (uploads, signing, verification, conversion)."""
    return _("Tệp không phải là tài liệu PDF hợp lệ.")


def max_upload_bytes() -> int:
    return int(settings.EGOV_UPLOAD_MAX_MB) * 1024 * 1024


def store_private(
    upload: IO[bytes],
    *,
    original_name: str,
    prefix: str,
    uploaded_by: AbstractBaseUser | AnonymousUser | None = None,
    scan: bool = False,
) -> StoredFile:
    """Check and store one uploaded file and record it (a ``StoredFile`` row, in the caller's
    transaction if there is one); ValidationError (in Vietnamese) when it is empty, too large
    or not of an accepted type, and for a ``scan`` of a dossier component when it breaks the
    scan quality rules (``egov.core.scan_quality``). A caller whose work then fails calls
    ``discard_stored``."""
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
    if scan:
        quality = check_scan(upload.read(), content_type)
        upload.seek(0)
        if not quality.ok:
            raise ValidationError(
                [
                    _("Tệp “%(file)s”: %(problem)s") % {"file": label, "problem": problem.message}
                    for problem in quality.problems
                ]
            )
    now = timezone.now()
    name = f"{prefix}/{timezone.localdate(now):%Y/%m}/{secrets.token_urlsafe(24)}.{extension}"
    key = storages["private"].save(name, File(upload))
    try:
        return StoredFile.objects.create(
            key=key,
            name=label,
            content_type=content_type,
            size=size,
            sha256=digest.hexdigest(),
            uploaded_by_id=uploaded_by.pk if isinstance(uploaded_by, AbstractBaseUser) else None,
            uploaded_at=now,
        )
    except BaseException:
        delete_private(key)
        raise


def open_private(key: str) -> IO[bytes]:
    return storages["private"].open(key, "rb")


def delete_private(key: str) -> None:
    storages["private"].delete(key)


def discard_stored(*files: StoredFile) -> None:
    """Undo ``store_private`` after the work that needed the files failed: their rows (when
    committed already) and their bytes go now."""
    StoredFile.objects.filter(pk__in=[f.pk for f in files if f.pk is not None]).delete()
    for file in files:
        delete_private(file.key)


@contextmanager
def discarded_on_failure(*files: StoredFile) -> Iterator[list[StoredFile]]:
    """Run the work that needs ``files`` (and the files it stores itself, appended to the list
    it yields); if that work fails, every one of them is discarded — nothing half-saved."""
    kept = list(files)
    try:
        yield kept
    except BaseException:
        discard_stored(*kept)
        raise


def release_stored(file: StoredFile) -> None:
    """A file no longer used (a replaced scan, a removed draft upload): its row goes with the
    caller's transaction, its bytes once that transaction has committed."""
    key = file.key
    StoredFile.objects.filter(pk=file.pk).delete()
    transaction.on_commit(lambda: delete_private(key))
