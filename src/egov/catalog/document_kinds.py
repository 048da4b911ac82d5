"""Kinds of paper (``DocumentKind``) as data: ``data/document_kinds.json`` lists each kind, how
long a document of it may be reused and the words a component's name contains to be of it.

``load_document_kinds`` writes the file into the table (a migration runs it once; the command
``load_document_kinds`` runs it again after the file changes) and gives every component without
a kind the one its name matches. A component created from catalog data gets its kind the same
way (``catalog.transfer``), so a new procedure version asks for the same kind as the last one.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from egov.catalog.models import Component, DocumentKind, DocumentValidity
from egov.core.text import fold

DATA_FILE = Path(__file__).with_name("data") / "document_kinds.json"


def document_kinds_data() -> list[dict[str, Any]]:
    kinds: list[dict[str, Any]] = json.loads(DATA_FILE.read_text(encoding="utf-8"))["kinds"]
    return kinds


@functools.cache
def form_prefixes() -> tuple[str, ...]:
    """Folded beginnings of the names of papers made for the dossier itself (tờ khai, đơn,
    giấy đề nghị): "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp" is a form, not the Phiếu."""
    prefixes: list[str] = json.loads(DATA_FILE.read_text(encoding="utf-8")).get("forms", [])
    return tuple(prefixes)


def kind_for_name(name: str, kinds: list[DocumentKind]) -> DocumentKind | None:
    """The first kind one of whose patterns the folded name contains (longest pattern wins, so
    "trích lục khai sinh" is not taken for a shorter, looser pattern); None for a form."""
    folded = f" {fold(name)} "
    if any(folded.startswith(f" {prefix} ") for prefix in form_prefixes()):
        return None
    best: tuple[int, DocumentKind] | None = None
    for kind in kinds:
        for pattern in kind.patterns:
            if f" {pattern} " in folded and (best is None or len(pattern) > best[0]):
                best = (len(pattern), kind)
    return best[1] if best else None


@dataclass(frozen=True)
class LoadResult:
    kinds: int
    matched: int


def load_document_kinds(*, match_existing: bool = True) -> LoadResult:
    """Create or update the kinds from the data file; give components without a kind theirs."""
    for item in document_kinds_data():
        DocumentKind.objects.update_or_create(
            code=item["code"],
            defaults={
                "name": item["name"],
                "patterns": list(item.get("patterns", [])),
                "validity": item.get("validity", DocumentValidity.INDEFINITE),
                "validity_months": item.get("validity_months"),
                "id_fields": list(item.get("id_fields", [])),
                "basis": item.get("basis", ""),
                "confirmed": bool(item.get("confirmed", False)),
            },
        )
    matched = 0
    if match_existing:
        kinds = list(DocumentKind.objects.all())
        for component in Component.objects.filter(document_kind__isnull=True).only("pk", "name"):
            kind = kind_for_name(component.name, kinds)
            if kind is not None:
                Component.objects.filter(pk=component.pk).update(document_kind=kind)
                matched += 1
    return LoadResult(kinds=DocumentKind.objects.count(), matched=matched)


def valid_until(
    kind: DocumentKind | None, *, issued_on: dt.date | None, expires_on: dt.date | None
) -> dt.date | None:
    """The last day a document of ``kind`` may stand for a component (None: no end), from the
    kind's rule: the date printed on it, a number of months from issue, or none."""
    if kind is None or kind.validity == DocumentValidity.INDEFINITE:
        return expires_on
    if kind.validity == DocumentValidity.UNTIL_EXPIRY:
        return expires_on
    if kind.validity == DocumentValidity.MONTHS and issued_on is not None and kind.validity_months:
        return add_months(issued_on, kind.validity_months) - dt.timedelta(days=1)
    return None


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the month's last day when it is shorter: 31/8 + 6 → 28/2)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def is_reusable(kind: DocumentKind | None) -> bool:
    return kind is not None and kind.validity != DocumentValidity.NOT_REUSABLE
