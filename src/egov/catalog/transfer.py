"""Catalog export/import as JSON (moving catalogs between environments).

The format is the same one the seed catalog is written in. Export is canonical (stable
ordering, decimals as strings, open validity ends as null), so export → import into an empty
database → export gives the same document. Import validates the whole file first and
reports every error with its line number; with any error nothing is written. Re-importing
an unchanged file changes nothing; a published version is never rewritten (publish a new
version number instead).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from egov.catalog.document_kinds import kind_for_name
from egov.catalog.models import (
    Channel,
    ChannelKind,
    Component,
    DocumentKind,
    FeeRule,
    FormTemplate,
    Procedure,
    ProcedureField,
    ProcedureVersion,
    ProcessStep,
    ServiceLevel,
    SupplementClock,
    VersionStatus,
)
from egov.catalog.validation import (
    FEE_WHOLE_NUMBERS,
    FORMAT,
    FORMAT_VERSION,
    CatalogImportError,
    validate_catalog,
)
from egov.core.jsonlines import LineDict, loads_with_lines
from egov.core.validity import OPEN_END, OPEN_START
from egov.org.models import Unit

__all__ = ["CatalogImportError", "LineDict", "loads_with_lines"]


# --- export ----------------------------------------------------------------------------
def _date_out(value: dt.date, sentinel: dt.date) -> str | None:
    return None if value == sentinel else value.isoformat()


def _decimal_out(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.normalize():f}"


def version_to_dict(version: ProcedureVersion) -> dict[str, Any]:
    """Canonical form of one version (used for export, comparison and copying)."""
    return {
        "number": version.number,
        "status": version.status,
        "valid_from": _date_out(version.valid_from, OPEN_START),
        "valid_until": _date_out(version.valid_until, OPEN_END),
        "published_at": version.published_at.isoformat() if version.published_at else None,
        "name": version.name,
        "field": version.field.code,
        "implementing_level": version.implementing_level,
        "competent_unit": version.competent_unit.key if version.competent_unit else None,
        "competent_authority": version.competent_authority,
        "competent_authority_basis": version.competent_authority_basis,
        "implementing_units": sorted(u.key for u in version.implementing_units.all()),
        "coordinating_units": sorted(u.key for u in version.coordinating_units.all()),
        "applicant_types": list(version.applicant_types),
        "requirements": version.requirements,
        "results": list(version.results),
        "legal_basis": list(version.legal_basis),
        "steps": list(version.steps),
        "online_service": version.online_service,
        "online_service_basis": version.online_service_basis,
        "online_partial_reason": version.online_partial_reason,
        "service_level": version.service_level,
        "supplement_clock": version.supplement_clock,
        "supplement_request_days": version.supplement_request_days,
        "supplement_applicant_days": version.supplement_applicant_days,
        "supplement_basis": version.supplement_basis,
        "lawful_extensions": list(version.lawful_extensions),
        "unconfirmed": list(version.unconfirmed),
        "sources": version.sources,
        "change_note": version.change_note,
        "channels": [
            {
                "kind": channel.kind,
                "time_kind": channel.time_kind,
                "time_amount": _decimal_out(channel.time_amount),
                "cutoff": channel.cutoff.strftime("%H:%M") if channel.cutoff else None,
                "cutoff_basis": channel.cutoff_basis,
                "time_note": channel.time_note,
                "fees": [_fee_to_dict(fee) for fee in channel.fees.all()],
            }
            for channel in sorted(
                version.channels.all(), key=lambda c: list(ChannelKind.values).index(c.kind)
            )
        ],
        "components": [
            {
                "order": component.order,
                "name": component.name,
                "originals": component.originals,
                "copies": component.copies,
                "required": component.required,
                "condition": component.condition,
                "note": component.note,
                "forms": [
                    {"key": form.key, "title": form.title, "spec": form.spec}
                    for form in component.forms.all()
                ],
            }
            for component in version.components.all()
        ],
        "process": [
            {
                "order": step.order,
                "name": step.name,
                "role": step.role,
                "unit": step.unit.key if step.unit else None,
                "allowance": _decimal_out(step.allowance),
                "note": step.note,
            }
            for step in version.process_steps.all()
        ],
    }


_FEE_FIELDS = (
    "name",
    "kind",
    *FEE_WHOLE_NUMBERS,
    "category_amounts",
    "exempt_categories",
    "exemptions",
    "legal_basis",
    "note",
)


def _fee_to_dict(fee: FeeRule) -> dict[str, Any]:
    return {name: getattr(fee, name) for name in _FEE_FIELDS}


def _versions_queryset() -> Any:
    return ProcedureVersion.objects.select_related(
        "field", "competent_unit", "procedure"
    ).prefetch_related(
        "implementing_units",
        "coordinating_units",
        "channels__fees",
        "components__forms",
        "process_steps__unit",
    )


def export_catalog() -> dict[str, Any]:
    from django.conf import settings

    versions_by_procedure: dict[int, list[ProcedureVersion]] = {}
    for version in _versions_queryset().order_by("procedure_id", "number"):
        versions_by_procedure.setdefault(version.procedure_id, []).append(version)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "province_code": settings.EGOV_PROVINCE_CODE,
        "fields": [
            {"code": f.code, "name": f.name, "order": f.order}
            for f in ProcedureField.objects.order_by("order", "code")
        ],
        "procedures": [
            {
                "key": procedure.key,
                "national_code": procedure.national_code,
                "versions": [
                    version_to_dict(v) for v in versions_by_procedure.get(procedure.pk, [])
                ],
            }
            for procedure in Procedure.objects.order_by("key")
        ],
    }


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n"


# --- import ------------------------------------------------------------------------------
@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    touched_versions: list[int] = field(default_factory=list)


def apply_version_content(version: ProcedureVersion, data: dict[str, Any]) -> None:
    """Writes ``data`` (the canonical dict) into ``version`` and replaces its children."""
    units = {u.key: u for u in Unit.objects.filter(key__in=_unit_keys_of(data))}
    version.name = data["name"]
    version.field = ProcedureField.objects.get(code=data["field"])
    version.implementing_level = data["implementing_level"]
    version.competent_unit = units.get(data.get("competent_unit") or "")
    version.competent_authority = data.get("competent_authority", "")
    version.competent_authority_basis = data.get("competent_authority_basis", "")
    version.applicant_types = list(data.get("applicant_types", []))
    version.requirements = data.get("requirements", "")
    version.results = list(data.get("results", []))
    version.legal_basis = list(data.get("legal_basis", []))
    version.steps = list(data.get("steps", []))
    version.online_service = data["online_service"]
    version.online_service_basis = data.get("online_service_basis", "")
    version.online_partial_reason = data.get("online_partial_reason", "")
    version.service_level = data.get("service_level", ServiceLevel.LEVEL_2)
    version.supplement_clock = data.get("supplement_clock") or SupplementClock.RESTART
    version.supplement_request_days = data.get("supplement_request_days")
    version.supplement_applicant_days = data.get("supplement_applicant_days")
    version.supplement_basis = data.get("supplement_basis", "")
    version.lawful_extensions = list(data.get("lawful_extensions", []))
    version.unconfirmed = list(data.get("unconfirmed", []))
    version.sources = data.get("sources", "")
    version.change_note = data.get("change_note", "")
    version.save()
    version.implementing_units.set([units[k] for k in data.get("implementing_units", [])])
    version.coordinating_units.set([units[k] for k in data.get("coordinating_units", [])])
    version.channels.all().delete()
    version.components.all().delete()
    version.process_steps.all().delete()
    for channel_data in data.get("channels", []):
        channel = Channel.objects.create(
            version=version,
            kind=channel_data["kind"],
            time_kind=channel_data["time_kind"],
            time_amount=(
                Decimal(str(channel_data["time_amount"]))
                if channel_data.get("time_amount") is not None
                else None
            ),
            cutoff=dt.time.fromisoformat(channel_data["cutoff"])
            if channel_data.get("cutoff")
            else None,
            cutoff_basis=channel_data.get("cutoff_basis", ""),
            time_note=channel_data.get("time_note", ""),
        )
        FeeRule.objects.bulk_create(
            FeeRule(
                channel=channel,
                order=order,
                **{name: fee.get(name, _fee_default(name)) for name in _FEE_FIELDS},
            )
            for order, fee in enumerate(channel_data.get("fees", []))
        )
    kinds = list(DocumentKind.objects.all())
    for component_data in data.get("components", []):
        component = Component.objects.create(
            document_kind=kind_for_name(component_data["name"], kinds),
            version=version,
            order=component_data.get("order", 0),
            name=component_data["name"],
            originals=component_data.get("originals"),
            copies=component_data.get("copies"),
            required=bool(component_data.get("required", True)),
            condition=component_data.get("condition", ""),
            note=component_data.get("note", ""),
        )
        FormTemplate.objects.bulk_create(
            FormTemplate(
                component=component, key=form["key"], title=form["title"], spec=form.get("spec", {})
            )
            for form in component_data.get("forms", [])
        )
    ProcessStep.objects.bulk_create(
        ProcessStep(
            version=version,
            order=step["order"],
            name=step["name"],
            role=step["role"],
            unit=units.get(step.get("unit") or ""),
            allowance=Decimal(str(step["allowance"])),
            note=step.get("note", ""),
        )
        for step in data.get("process", [])
    )


def _fee_default(name: str) -> Any:
    if name == "category_amounts":
        return {}
    if name in ("exempt_categories", "exemptions"):
        return []
    if name in ("legal_basis", "note"):
        return ""
    return None


def _unit_keys_of(data: dict[str, Any]) -> set[str]:
    keys = set(data.get("implementing_units", [])) | set(data.get("coordinating_units", []))
    if data.get("competent_unit"):
        keys.add(data["competent_unit"])
    keys |= {step["unit"] for step in data.get("process", []) if step.get("unit")}
    return keys


def _set_lifecycle(version: ProcedureVersion, data: dict[str, Any]) -> None:
    version.status = data.get("status", VersionStatus.DRAFT)
    version.valid_from = (
        dt.date.fromisoformat(data["valid_from"]) if data.get("valid_from") else OPEN_START
    )
    version.valid_until = (
        dt.date.fromisoformat(data["valid_until"]) if data.get("valid_until") else OPEN_END
    )
    version.published_at = (
        dt.datetime.fromisoformat(data["published_at"]) if data.get("published_at") else None
    )


def _plain(value: Any) -> Any:
    """LineDict → dict recursively (for comparisons and JSONField values)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _normalised(version_data: dict[str, Any]) -> dict[str, Any]:
    """The incoming version as the canonical export would write it."""
    data = _plain(version_data)
    for key, default in (
        ("valid_from", None),
        ("valid_until", None),
        ("published_at", None),
        ("competent_unit", None),
        ("competent_authority", ""),
        ("competent_authority_basis", ""),
        ("online_service_basis", ""),
        ("online_partial_reason", ""),
        ("requirements", ""),
        ("sources", ""),
        ("change_note", ""),
        ("supplement_clock", SupplementClock.RESTART),
        ("supplement_request_days", None),
        ("supplement_applicant_days", None),
        ("supplement_basis", ""),
        ("status", VersionStatus.DRAFT),
        ("service_level", ServiceLevel.LEVEL_2),
    ):
        data.setdefault(key, default)
    for key in (
        "applicant_types",
        "results",
        "legal_basis",
        "steps",
        "unconfirmed",
        "lawful_extensions",
        "channels",
        "components",
        "process",
        "implementing_units",
        "coordinating_units",
    ):
        data.setdefault(key, [])
    data["implementing_units"] = sorted(data["implementing_units"])
    data["coordinating_units"] = sorted(data["coordinating_units"])
    if data["published_at"]:
        data["published_at"] = dt.datetime.fromisoformat(data["published_at"]).isoformat()
    channel_order = list(ChannelKind.values)
    data["channels"] = sorted(data["channels"], key=lambda c: channel_order.index(c["kind"]))
    data["channels"] = [
        {
            "kind": channel["kind"],
            "time_kind": channel["time_kind"],
            "time_amount": (
                _decimal_out(Decimal(str(channel["time_amount"])))
                if channel.get("time_amount") is not None
                else None
            ),
            "cutoff": channel.get("cutoff"),
            "cutoff_basis": channel.get("cutoff_basis", ""),
            "time_note": channel.get("time_note", ""),
            "fees": [
                {name: fee.get(name, _fee_default(name)) for name in _FEE_FIELDS}
                for fee in channel.get("fees", [])
            ],
        }
        for channel in data["channels"]
    ]
    data["components"] = sorted(
        (
            {
                "order": component.get("order", 0),
                "name": component["name"],
                "originals": component.get("originals"),
                "copies": component.get("copies"),
                "required": component.get("required", True),
                "condition": component.get("condition", ""),
                "note": component.get("note", ""),
                "forms": [
                    {"key": f["key"], "title": f["title"], "spec": f.get("spec", {})}
                    for f in component.get("forms", [])
                ],
            }
            for component in data["components"]
        ),
        key=lambda c: c["order"],
    )
    data["process"] = sorted(
        (
            {
                "order": step["order"],
                "name": step["name"],
                "role": step["role"],
                "unit": step.get("unit"),
                "allowance": _decimal_out(Decimal(str(step["allowance"]))),
                "note": step.get("note", ""),
            }
            for step in data["process"]
        ),
        key=lambda s: s["order"],
    )
    ordered = {key: data.get(key) for key in version_to_dict_keys()}
    return ordered


def version_to_dict_keys() -> list[str]:
    return [
        "number",
        "status",
        "valid_from",
        "valid_until",
        "published_at",
        "name",
        "field",
        "implementing_level",
        "competent_unit",
        "competent_authority",
        "competent_authority_basis",
        "implementing_units",
        "coordinating_units",
        "applicant_types",
        "requirements",
        "results",
        "legal_basis",
        "steps",
        "online_service",
        "online_service_basis",
        "online_partial_reason",
        "service_level",
        "supplement_clock",
        "supplement_request_days",
        "supplement_applicant_days",
        "supplement_basis",
        "lawful_extensions",
        "unconfirmed",
        "sources",
        "change_note",
        "channels",
        "components",
        "process",
    ]


def _closes(stored: dict[str, Any], incoming: dict[str, Any]) -> bool:
    """Whether ``incoming`` only closes the published, open-ended ``stored`` version (status
    superseded and an end date), its content unchanged."""
    if stored["status"] != VersionStatus.PUBLISHED or stored["valid_until"] is not None:
        return False
    if incoming["status"] != VersionStatus.SUPERSEDED or not incoming["valid_until"]:
        return False
    lifecycle = {"status", "valid_until"}
    return all(stored[key] == incoming[key] for key in stored if key not in lifecycle)


def import_catalog(data: Any) -> ImportResult:
    """Validate, then write everything in one transaction (callers wrap it with audit)."""
    errors = validate_catalog(data)
    if errors:
        raise CatalogImportError(errors)
    result = ImportResult()
    for item in data.get("fields", []):
        ProcedureField.objects.update_or_create(
            code=item["code"], defaults={"name": item["name"], "order": item.get("order", 0)}
        )
    for procedure_data in data.get("procedures", []):
        procedure, _created = Procedure.objects.get_or_create(
            key=procedure_data["key"],
            defaults={"national_code": procedure_data.get("national_code")},
        )
        if procedure.national_code != procedure_data.get("national_code"):
            procedure.national_code = procedure_data.get("national_code")
            procedure.save(update_fields=["national_code"])
        existing = {v.number: v for v in _versions_queryset().filter(procedure=procedure)}
        for version_data in procedure_data.get("versions", []):
            incoming = _normalised(version_data)
            current = existing.get(incoming["number"])
            if current is None:
                version = ProcedureVersion(procedure=procedure, number=incoming["number"])
                _set_lifecycle(version, incoming)
                apply_version_content(version, incoming)
                result.created += 1
                result.touched_versions.append(version.pk)
                continue
            stored = version_to_dict(current)
            if stored == incoming:
                result.unchanged += 1
                continue
            if _closes(stored, incoming):
                # The file publishes a later version: the one in force ends the day it starts,
                # as publishing does (its content is not touched).
                current.status = VersionStatus.SUPERSEDED
                current.valid_until = dt.date.fromisoformat(incoming["valid_until"])
                current.save(update_fields=["status", "valid_until"])
                result.updated += 1
                result.touched_versions.append(current.pk)
                continue
            if current.status != VersionStatus.DRAFT:
                raise CatalogImportError(
                    [
                        f"{procedure.key} phiên bản {current.number}: "
                        "đã công bố với nội dung khác — "
                        "không ghi đè phiên bản đã công bố; hãy dùng số phiên bản mới"
                    ]
                )
            _set_lifecycle(current, incoming)
            apply_version_content(current, incoming)
            result.updated += 1
            result.touched_versions.append(current.pk)
    return result
