"""Reads about work files: the yearly lists, a file's documents in chronological order, the
files due for the agency archive. Lists for a person start from ``permissions``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from egov.accounts.actors import Actor
from egov.core.models import StoredFile
from egov.documents.models import (
    IncomingDocument,
    OutgoingDocument,
    VersionKind,
    WorkFile,
    WorkFileDocument,
)
from egov.documents.permissions import visible_work_files
from egov.documents.workfiles import ARCHIVE_WARNING_DAYS, WorkFileStatus
from egov.workdays.engine import VIETNAM_TZ


def work_files_for(actor: Actor, *, year: int | None = None) -> QuerySet[WorkFile]:
    """The files ``actor`` may see, by unit and notation (one year when given)."""
    files = visible_work_files(actor).select_related("catalogue", "catalogue__unit", "owner")
    if year is not None:
        files = files.filter(catalogue__year=year)
    return files.order_by("catalogue__unit__name", "-catalogue__year", "notation")


@dataclass(frozen=True)
class FiledDocument:
    """One document of a file as listed in its index (mục lục văn bản)."""

    link: WorkFileDocument
    document: IncomingDocument | OutgoingDocument
    direction: str  # "in" / "out"
    day: dt.date | None  # the document's date (ngày tháng văn bản), else its arrival/creation
    number: str  # "05/QĐ-UBND"
    organ_name: str  # tác giả (the issuing agency)
    type_name: str
    subject: str
    pdf: StoredFile | None  # the latest PDF (None: secret or paper without a scan)


def _latest_outgoing_file(document: OutgoingDocument) -> StoredFile | None:
    versions = list(document.versions.all())
    signed = [v for v in versions if v.kind != VersionKind.DRAFT]
    pool = signed or versions
    latest = max(pool, key=lambda v: v.number, default=None)
    return latest.file if latest is not None else None


def _filed(link: WorkFileDocument) -> FiledDocument:
    if link.incoming is not None:
        incoming = link.incoming
        code = f"{incoming.code_number}/{incoming.code_notation}" if incoming.code_number else ""
        return FiledDocument(
            link=link,
            document=incoming,
            direction="in",
            day=incoming.issued_date or incoming.arrival_date.astimezone(VIETNAM_TZ).date(),
            number=code,
            organ_name=incoming.organ_name,
            type_name=incoming.type_name,
            subject=incoming.subject,
            pdf=None if incoming.is_secret else incoming.file,
        )
    outgoing = link.outgoing
    assert outgoing is not None  # the row's check constraint
    return FiledDocument(
        link=link,
        document=outgoing,
        direction="out",
        day=outgoing.issued_date or outgoing.created_at.astimezone(VIETNAM_TZ).date(),
        number=outgoing.number_text,
        organ_name=outgoing.agency.name,
        type_name=outgoing.document_type.name,
        subject=outgoing.subject,
        pdf=None if outgoing.is_secret else _latest_outgoing_file(outgoing),
    )


def file_documents(file: WorkFile) -> list[FiledDocument]:
    """The documents of ``file`` in chronological order (Phụ lục VI: the export follows the
    documents' dates), the DocOrdinal breaking ties."""
    links = file.links.select_related(
        "incoming",
        "incoming__file",
        "outgoing",
        "outgoing__agency",
        "outgoing__document_type",
    ).prefetch_related("outgoing__versions__file")
    filed = [_filed(link) for link in links]
    return sorted(filed, key=lambda f: (f.day or dt.date.min, f.link.doc_ordinal))


def files_due_for_archive(
    actor: Actor, *, on: dt.date | None = None
) -> list[tuple[WorkFile, dt.date]]:
    """Closed files ``actor`` may see whose nộp lưu is due within 30 days (or overdue),
    with their due date, soonest first (Phụ lục VI: warn 30 days ahead)."""
    on = on or timezone.localdate()
    # The shortest delay (3 months, XDCB: never under 88 days) bounds the closing days worth
    # looking at; the exact dates are then checked on each file.
    latest_end = on + dt.timedelta(days=ARCHIVE_WARNING_DAYS - 88)
    candidates = (
        visible_work_files(actor)
        .filter(status=WorkFileStatus.CLOSED, end_date__lte=latest_end)
        .select_related("catalogue", "catalogue__unit", "owner")
    )
    due: list[tuple[WorkFile, dt.date]] = []
    for file in candidates:
        warning, deadline = file.archive_warning, file.archive_due
        if warning is not None and deadline is not None and warning <= on:
            due.append((file, deadline))
    return sorted(due, key=lambda item: (item[1], item[0].pk))
