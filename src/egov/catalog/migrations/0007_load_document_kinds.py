"""Loads the kinds of paper from ``catalog/data/document_kinds.json`` and gives every existing
component the kind its name matches (the same rule as ``catalog.document_kinds``, written
against the historical models)."""

import json
from pathlib import Path

from django.db import migrations

from egov.core.text import fold

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "document_kinds.json"


def load(apps, schema_editor):
    DocumentKind = apps.get_model("catalog", "DocumentKind")
    Component = apps.get_model("catalog", "Component")
    kinds = []
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    forms = data.get("forms", [])
    for item in data["kinds"]:
        kind, _ = DocumentKind.objects.update_or_create(
            code=item["code"],
            defaults={
                "name": item["name"],
                "patterns": item.get("patterns", []),
                "validity": item.get("validity", "indefinite"),
                "validity_months": item.get("validity_months"),
                "id_fields": item.get("id_fields", []),
                "basis": item.get("basis", ""),
                "confirmed": bool(item.get("confirmed", False)),
            },
        )
        kinds.append(kind)
    for component in Component.objects.filter(document_kind__isnull=True):
        folded = f" {fold(component.name)} "
        if any(folded.startswith(f" {prefix} ") for prefix in forms):
            continue
        best = None
        for kind in kinds:
            for pattern in kind.patterns:
                if f" {pattern} " in folded and (best is None or len(pattern) > best[0]):
                    best = (len(pattern), kind)
        if best is not None:
            component.document_kind = best[1]
            component.save(update_fields=["document_kind"])


class Migration(migrations.Migration):
    dependencies = [("catalog", "0006_document_kinds")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
