"""Writes of the plan's targets: loading the versioned target data, and the quarterly figures
a responsible unit enters with its evidence (training, outreach: egov has no data for them)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.models import User
from egov.audit.services import audit_record
from egov.core.uploads import discarded_on_failure, store_private
from egov.core.validity import OPEN_END, OPEN_START
from egov.org.models import Unit
from egov.reports.targets_access import may_enter_for
from egov.reports.targets_models import (
    Comparison,
    Measure,
    Plan,
    PlanTarget,
    PlanTargetEntry,
)
from egov.workdays.models import Confidence

MAX_VALUE = Decimal("100000")
EVIDENCE_PREFIX = "plan-targets"


class PlanDataError(ValueError):
    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


def _date(value: Any, default: dt.date, label: str, errors: list[str]) -> dt.date:
    if value in (None, ""):
        return default
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        errors.append(f"{label}: ngày không hợp lệ {value!r}")
        return default


def _unit_ranges(rows: Any, label: str, errors: list[str]) -> list[dict[str, Any]]:
    if not isinstance(rows, list):
        errors.append(f"{label}: phải là một danh sách")
        return []
    checked = []
    for row in rows:
        key = str(row.get("unit", "")) if isinstance(row, dict) else ""
        if not Unit.objects.filter(key=key).exists():
            errors.append(f"{label}: đơn vị “{key}” không tồn tại")
            continue
        _date(row.get("valid_from"), OPEN_START, label, errors)
        _date(row.get("valid_until"), OPEN_END, label, errors)
        checked.append(row)
    return checked


def _target_fields(row: dict[str, Any], errors: list[str]) -> dict[str, Any]:
    code = str(row.get("code", "")).strip()
    label = f"chỉ tiêu {code or '?'}"
    if not code or not str(row.get("name", "")).strip():
        errors.append(f"{label}: thiếu “code” hoặc “name”")
    if row.get("comparison", "gte") not in Comparison.values:
        errors.append(f"{label}: so sánh “{row.get('comparison')}” không hợp lệ (gte|gt|eq)")
    if row.get("measure") not in Measure.values:
        errors.append(f"{label}: cách xác định “{row.get('measure')}” không hợp lệ")
    if row.get("confidence", "U") not in Confidence.values:
        errors.append(f"{label}: mức kiểm chứng không hợp lệ (P|S|I|U)")
    target_value = None
    if row.get("target_value") is not None:
        try:
            target_value = Decimal(str(row["target_value"]))
        except InvalidOperation:
            errors.append(f"{label}: giá trị chỉ tiêu không phải là số")
    responsible = _unit_ranges(row.get("responsible_units", []), label, errors)
    if row.get("measure") == Measure.ENTERED and not responsible:
        errors.append(f"{label}: chỉ tiêu nhập tay cần “responsible_units”")
    return {
        "code": code,
        "valid_from": _date(row.get("valid_from"), OPEN_START, label, errors),
        "valid_until": _date(row.get("valid_until"), OPEN_END, label, errors),
        "name": str(row.get("name", "")).strip(),
        "comparison": row.get("comparison", Comparison.AT_LEAST),
        "target_value": target_value,
        "unit_of_measure": str(row.get("unit_of_measure", "%")),
        "measure": row.get("measure"),
        "params": row.get("params") or {},
        "responsible_units": responsible,
        "article": str(row.get("article", "")),
        "confidence": row.get("confidence", Confidence.UNVERIFIED),
        "method": str(row.get("method", "")),
        "unconfirmed": list(row.get("unconfirmed", [])),
    }


def _snapshot(target: PlanTarget) -> dict[str, Any]:
    return {
        "name": target.name,
        "valid_until": target.valid_until.isoformat(),
        "comparison": target.comparison,
        "target_value": None if target.target_value is None else f"{target.target_value:.2f}",
        "unit_of_measure": target.unit_of_measure,
        "measure": target.measure,
        "params": target.params,
        "responsible_units": target.responsible_units,
        "article": target.article,
        "confidence": target.confidence,
        "method": target.method,
        "unconfirmed": target.unconfirmed,
    }


def plan_targets_load(
    *, actor: AbstractBaseUser | AnonymousUser | None, data: dict[str, Any]
) -> tuple[Plan, int]:
    """Creates or updates a plan and its target versions from a data file (idempotent: an
    unchanged file changes nothing). A version is found by (code, valid_from). Returns the
    plan and how many target versions were created or changed; each change is audited."""
    errors: list[str] = []
    key = str(data.get("plan", "")).strip()
    if not key or not str(data.get("title", "")).strip():
        errors.append("thiếu “plan” hoặc “title”")
    if data.get("confidence", "U") not in Confidence.values:
        errors.append("mức kiểm chứng của đề án không hợp lệ (P|S|I|U)")
    issued_on = _date(data.get("issued_on"), OPEN_START, "issued_on", errors)
    reporting = _unit_ranges(data.get("reporting_units", []), "reporting_units", errors)
    rows = [_target_fields(row, errors) for row in data.get("targets", [])]
    seen = {(r["code"], r["valid_from"]) for r in rows}
    if len(seen) != len(rows):
        errors.append("hai phiên bản chỉ tiêu trùng mã và ngày hiệu lực")
    if errors:
        raise PlanDataError(errors)
    changed = 0
    with transaction.atomic():
        plan, _created = Plan.objects.update_or_create(
            key=key,
            defaults={
                "title": str(data["title"]).strip(),
                "decision": str(data.get("decision", "")),
                "issued_on": None if issued_on == OPEN_START else issued_on,
                "confidence": data.get("confidence", Confidence.UNVERIFIED),
                "source": str(data.get("source", "")),
                "notes": str(data.get("notes", "")),
                "reporting_units": reporting,
            },
        )
        for fields in rows:
            target = PlanTarget.objects.filter(
                plan=plan, code=fields["code"], valid_from=fields["valid_from"]
            ).first()
            before = None if target is None else _snapshot(target)
            if target is None:
                target = PlanTarget(plan=plan)
            for name, value in fields.items():
                setattr(target, name, value)
            after = _snapshot(target)
            if before == after:
                continue
            target.save()
            changed += 1
            audit_record(
                actor=actor,
                action="reports.plan_target_loaded",
                target=target,
                details={"before": before, "after": after},
            )
    return plan, changed


@dataclass(frozen=True)
class EntryInput:
    target: PlanTarget
    unit: Unit
    year: int
    quarter: int
    value: Decimal
    evidence_reference: str = ""
    note: str = ""


def _validate(actor: User, entry: EntryInput, upload: IO[bytes] | None) -> None:
    errors: dict[str, list[str]] = {}
    if not entry.target.is_entered:
        errors.setdefault("target", []).append(
            _("Chỉ tiêu này được tính từ dữ liệu hệ thống, không nhập tay.")
        )
    if not 1 <= entry.quarter <= 4 or not 2012 <= entry.year <= 2100:
        errors.setdefault("quarter", []).append(_("Quý không hợp lệ."))
    else:
        first_day = dt.date(entry.year, 3 * entry.quarter - 2, 1)
        if first_day > timezone.localdate():
            errors.setdefault("quarter", []).append(_("Không nhập số liệu cho quý chưa bắt đầu."))
    if entry.value < 0 or entry.value > MAX_VALUE:
        errors.setdefault("value", []).append(_("Giá trị phải từ 0 đến 100000."))
    if entry.target.unit_of_measure == "%" and entry.value > 100:
        errors.setdefault("value", []).append(_("Tỷ lệ phần trăm không được lớn hơn 100."))
    if upload is None and not entry.evidence_reference.strip():
        errors.setdefault("evidence_reference", []).append(
            _("Cần có minh chứng: tải tệp lên hoặc ghi số, ký hiệu văn bản.")
        )
    if not may_enter_for(actor, entry.target, entry.unit, entry.year, entry.quarter):
        errors.setdefault("unit", []).append(
            _("Bạn không thuộc đơn vị chịu trách nhiệm nhập số liệu cho chỉ tiêu này.")
        )
    if errors:
        raise ValidationError(errors)


def plan_target_entry_record(
    *,
    actor: User,
    entry: EntryInput,
    upload: IO[bytes] | None = None,
    upload_name: str = "",
) -> PlanTargetEntry:
    """Record a quarter's figure of an entered target for the responsible unit, with its
    evidence (a file checked by ``core.uploads``, or the reference of a document). Refused
    with a ValidationError (by field) for a computed target, a future quarter, a value out of
    range, no evidence, or a unit ``actor`` does not belong to."""
    _validate(actor, entry, upload)
    with transaction.atomic():
        evidence = None
        if upload is not None:
            try:
                evidence = store_private(
                    upload, original_name=upload_name, prefix=EVIDENCE_PREFIX, uploaded_by=actor
                )
            except ValidationError as exc:
                raise ValidationError({"evidence_file": exc.messages}) from None
        with discarded_on_failure(*([evidence] if evidence else [])):
            row = PlanTargetEntry.objects.create(
                target=entry.target,
                year=entry.year,
                quarter=entry.quarter,
                value=entry.value,
                unit=entry.unit,
                evidence_file=evidence,
                evidence_reference=entry.evidence_reference.strip()[:300],
                note=entry.note.strip()[:500],
                entered_by=actor,
                entered_at=timezone.now(),
            )
            audit_record(
                actor=actor,
                action="reports.plan_target_entered",
                target=row,
                details={
                    "target": entry.target.code,
                    "quarter": f"{entry.year}-Q{entry.quarter}",
                    "value": str(entry.value),
                    "unit": entry.unit.key,
                    "evidence_file": evidence.sha256 if evidence else None,
                    "evidence_reference": row.evidence_reference,
                },
            )
    return row
