"""Refuse an oversized file while it is being received, not after.

Django hands every chunk of an uploaded file to the upload handlers in turn while it parses
the body. ``SizeCappedUploadHandler``, put first, counts the bytes of each file and drops the
file (``SkipFile``) as soon as it passes the per-file limit: the rest of that file is read and
thrown away without being written to memory or to a temporary file, the request goes on with
its other fields and files, and the view reads ``refused`` to say which file was too large.

A view that installs it must do so before anything reads ``request.POST`` (the CSRF check
does): wrap it with ``csrf_exempt`` and check the token with ``csrf_protect`` inside.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest


@dataclass(frozen=True)
class RefusedUpload:
    field_name: str
    file_name: str


class SizeCappedUploadHandler(FileUploadHandler):
    def __init__(self, request: HttpRequest | None = None, *, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.refused: list[RefusedUpload] = []

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.limit:
            self.refused.append(
                RefusedUpload(field_name=self.field_name or "", file_name=self.file_name or "")
            )
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> Any:
        return None  # the next handler (memory or temporary file) keeps the file
