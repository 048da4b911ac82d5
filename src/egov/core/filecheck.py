"""Restore check for stored files: every file the database records (with its SHA-256) must be
in the storage with exactly those bytes.

Rows that carry a file and its digest are listed in ``HASHED_FILES``; files kept without a
digest (official form templates attached by administrators) are checked for presence only.
Models are looked up by label, so this module depends on no domain app.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from django.apps import apps
from django.core.files.storage import Storage, storages

CHUNK = 1024 * 1024

# (model label, storage alias, file path field, SHA-256 field or None)
HASHED_FILES: tuple[tuple[str, str, str, str | None], ...] = (
    # Scans, uploads, drafts' files, e-results: one row each, however many rows use it.
    ("core.StoredFile", "private", "key", "sha256"),
    ("catalog.FormTemplate", "default", "file", None),
)


@dataclass(frozen=True)
class RecordedFile:
    model: str
    pk: int
    storage: str
    path: str
    sha256: str | None

    def describe(self) -> str:
        return f"{self.model} #{self.pk}: {self.storage}:{self.path}"


@dataclass(frozen=True)
class FileProblem:
    kind: Literal["missing", "altered"]
    file: RecordedFile
    actual_sha256: str = ""


@dataclass
class FileCheckReport:
    checked: int = 0
    problems: list[FileProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def recorded_files() -> Iterator[RecordedFile]:
    for label, alias, path_field, sha_field in HASHED_FILES:
        model = apps.get_model(label)
        columns = ["pk", path_field] + ([sha_field] if sha_field else [])
        rows = model._default_manager.exclude(**{path_field: ""}).order_by("pk")
        for row in rows.values_list(*columns).iterator():
            yield RecordedFile(
                model=label,
                pk=row[0],
                storage=alias,
                path=str(row[1]),
                sha256=str(row[2]).lower() if sha_field else None,
            )


def _digest(storage: Storage, path: str) -> str | None:
    """The file's SHA-256, or None when the storage does not have it."""
    try:
        if not storage.exists(path):
            return None
        digest = hashlib.sha256()
        with storage.open(path, "rb") as stored:
            while chunk := stored.read(CHUNK):
                digest.update(chunk)
    except FileNotFoundError:
        return None
    return digest.hexdigest()


def verify_files() -> FileCheckReport:
    report = FileCheckReport()
    for recorded in recorded_files():
        report.checked += 1
        actual = _digest(storages[recorded.storage], recorded.path)
        if actual is None:
            report.problems.append(FileProblem("missing", recorded))
        elif recorded.sha256 is not None and actual != recorded.sha256:
            report.problems.append(FileProblem("altered", recorded, actual))
    return report
