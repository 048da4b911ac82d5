"""Writes of the documents' catalogues: the national list of types (NĐ 30/2020 Điều 7 and the
copy forms, Phụ lục III abbreviations) from ``data/document_types.json``.

Migration 0001 seeds the same file when the database is created; this loader puts it back
where the rows are missing (a database emptied by ``flush``, a test) and is what
``manage.py load_document_types`` runs. Idempotent: existing rows are left as they are (an
administrator's corrections stay)."""

from __future__ import annotations

import json
from pathlib import Path

from django.db import transaction

from egov.accounts.actors import Actor, person
from egov.audit.services import audit_record
from egov.documents.catalogue import DocumentType

NATIONAL_TYPES = Path(__file__).resolve().parents[1] / "data" / "document_types.json"
LEGAL_BASIS = "NĐ 30/2020/NĐ-CP, Điều 7; Phụ lục III"


@transaction.atomic
def document_types_load_national(*, actor: Actor | None) -> int:
    """Create the national document types that are missing; the number created."""
    data = json.loads(NATIONAL_TYPES.read_text(encoding="utf-8"))
    existing = set(DocumentType.objects.filter(agency=None).values_list("key", flat=True))
    rows = [
        DocumentType(
            agency=None,
            key=key,
            name=name,
            abbreviation=abbreviation,
            kind=kind,
            order=order,
            legal_basis=LEGAL_BASIS,
        )
        for order, (key, name, abbreviation, kind) in enumerate(data["types"], start=1)
        if key not in existing
    ]
    DocumentType.objects.bulk_create(rows)
    if rows:
        audit_record(
            actor=person(actor) if actor is not None else None,
            action="documents.national_types_loaded",
            object_type="documents.documenttype",
            details={"created": [row.key for row in rows]},
        )
    return len(rows)
