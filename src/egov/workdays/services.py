"""Writes to the working calendar; every change is recorded in the audit trail."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from egov.audit.services import audit_record
from egov.core.validity import OPEN_END, OPEN_START
from egov.org.models import Unit
from egov.workdays.engine import DayCounting
from egov.workdays.models import (
    DAY_NAME_LENGTH,
    NUMBER_LENGTH,
    TITLE_LENGTH,
    CalendarDay,
    CalendarDecision,
    Confidence,
    DayCountingRule,
    DayKind,
)
from egov.workdays.rules import HOLIDAY_NAMES


class CalendarDataError(Exception):
    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


def _decision_snapshot(decision: CalendarDecision) -> dict[str, Any]:
    return {
        "year": decision.year,
        "title": decision.title,
        "number": decision.number,
        "issued_on": decision.issued_on.isoformat() if decision.issued_on else None,
        "confidence": decision.confidence,
        "source": decision.source,
        "notes": decision.notes,
        "unit": decision.unit.key if decision.unit else None,
        "days": [
            [d.date.isoformat(), d.kind, d.holiday_key, d.name, d.works_as_weekday]
            for d in decision.days.order_by("date")
        ],
    }


def calendar_decision_audit(
    *, actor: AbstractBaseUser | AnonymousUser | None, decision: CalendarDecision, action: str
) -> None:
    """Records the state of a decision after an edit (used by the admin)."""
    audit_record(
        actor=actor,
        action=action,
        target=decision,
        details=_decision_snapshot(decision),
    )


def _parse_days(data: dict[str, Any], year: int, errors: list[str]) -> list[dict[str, Any]]:
    days: list[dict[str, Any]] = []
    seen: set[dt.date] = set()
    for index, row in enumerate(data.get("days", [])):
        where = f"days[{index}]"
        try:
            day = dt.date.fromisoformat(str(row.get("date")))
        except ValueError:
            errors.append(f"{where}: ngày không hợp lệ {row.get('date')!r}")
            continue
        if day.year != year:
            errors.append(f"{where}: ngày {day} không thuộc năm {year}")
        if day in seen:
            errors.append(f"{where}: ngày {day} bị lặp")
        seen.add(day)
        kind = row.get("kind")
        if kind not in DayKind.values:
            errors.append(f"{where}: loại “{kind}” không hợp lệ (off|working)")
        key = row.get("holiday_key", "")
        if key and key not in HOLIDAY_NAMES:
            errors.append(f"{where}: dịp nghỉ “{key}” không hợp lệ")
        if kind == DayKind.OFF and not key:
            errors.append(f"{where}: ngày nghỉ cần ghi dịp nghỉ (holiday_key)")
        if not row.get("name"):
            errors.append(f"{where}: thiếu tên ngày")
        elif len(str(row["name"])) > DAY_NAME_LENGTH:
            errors.append(f"{where}: tên ngày quá dài")
        weekday = row.get("works_as_weekday")
        if weekday is not None and weekday not in range(7):
            errors.append(f"{where}: works_as_weekday phải từ 0 (Thứ Hai) đến 6")
        days.append(
            {
                "date": day,
                "kind": kind,
                "holiday_key": key,
                "name": str(row.get("name", "")),
                "works_as_weekday": weekday,
            }
        )
    return days


def calendar_decision_load(
    *, actor: AbstractBaseUser | AnonymousUser | None, data: dict[str, Any]
) -> tuple[CalendarDecision, bool]:
    """Creates or replaces one decision from a data file (idempotent: an unchanged file
    changes nothing and records nothing). Returns the decision and whether it changed."""
    errors: list[str] = []
    try:
        year = int(data["year"])
    except (KeyError, TypeError, ValueError):
        raise CalendarDataError(["thiếu hoặc sai trường “year”"]) from None
    title = str(data.get("title", "")).strip()
    if not title:
        errors.append("thiếu trường “title” (số, ký hiệu văn bản)")
    for name, limit in (("title", TITLE_LENGTH), ("number", NUMBER_LENGTH)):
        if len(str(data.get(name, ""))) > limit:
            errors.append(f"trường “{name}” quá dài (tối đa {limit} ký tự)")
    unit = None
    if data.get("unit"):
        unit = Unit.objects.filter(key=data["unit"]).first()
        if unit is None:
            errors.append(f"đơn vị “{data['unit']}” không tồn tại")
    issued_on = None
    if data.get("issued_on"):
        try:
            issued_on = dt.date.fromisoformat(str(data["issued_on"]))
        except ValueError:
            errors.append(f"ngày ban hành không hợp lệ {data['issued_on']!r}")
    confidence = data.get("confidence", Confidence.UNVERIFIED)
    if confidence not in Confidence.values:
        errors.append(f"mức kiểm chứng “{confidence}” không hợp lệ (P|S|I|U)")
    days = _parse_days(data, year, errors)
    if errors:
        raise CalendarDataError(errors)
    with transaction.atomic():
        decision, created = CalendarDecision.objects.get_or_create(
            year=year, title=title, unit=unit
        )
        before = None if created else _decision_snapshot(decision)
        decision.number = str(data.get("number", "")).strip()
        decision.issued_on = issued_on
        decision.confidence = confidence
        decision.source = str(data.get("source", ""))
        decision.notes = str(data.get("notes", ""))
        decision.save()
        decision.days.all().delete()
        CalendarDay.objects.bulk_create(CalendarDay(decision=decision, **day) for day in days)
        after = _decision_snapshot(decision)
        changed = created or before != after
        if changed:
            audit_record(
                actor=actor,
                action="workdays.decision_loaded",
                target=decision,
                details={"before": before, "after": after},
            )
        else:
            transaction.set_rollback(True)
    return decision, changed


def day_counting_rule_load(
    *, actor: AbstractBaseUser | AnonymousUser | None, data: dict[str, Any]
) -> tuple[DayCountingRule, bool]:
    """Creates or updates the day-counting rule of a unit (or, without one, of every unit)
    from ``valid_from`` on; idempotent and audited like the decisions."""
    errors: list[str] = []
    unit = None
    if data.get("unit"):
        unit = Unit.objects.filter(key=data["unit"]).first()
        if unit is None:
            errors.append(f"đơn vị “{data['unit']}” không tồn tại")
    rule = str(data.get("rule", ""))
    if rule not in {c.value for c in DayCounting}:
        errors.append(f"cách tính “{rule}” không hợp lệ (end_of_day|same_time)")
    basis = str(data.get("basis", "")).strip()
    if not basis:
        errors.append("thiếu trường “basis” (căn cứ, lý do)")
    bounds: dict[str, dt.date] = {}
    for name, default in (("valid_from", OPEN_START), ("valid_until", OPEN_END)):
        try:
            bounds[name] = dt.date.fromisoformat(str(data[name])) if data.get(name) else default
        except ValueError:
            errors.append(f"{name} không hợp lệ {data[name]!r}")
    if not errors and bounds["valid_until"] <= bounds["valid_from"]:
        errors.append("valid_until phải sau valid_from")
    if errors:
        raise CalendarDataError(errors)
    with transaction.atomic():
        row, created = DayCountingRule.objects.get_or_create(
            unit=unit,
            valid_from=bounds["valid_from"],
            defaults={"rule": rule, "basis": basis, "valid_until": bounds["valid_until"]},
        )
        before = (row.rule, row.basis, row.valid_until.isoformat())
        row.rule, row.basis, row.valid_until = rule, basis, bounds["valid_until"]
        after = (row.rule, row.basis, row.valid_until.isoformat())
        changed = created or before != after
        if changed:
            row.save()
            audit_record(
                actor=actor,
                action="workdays.day_counting_loaded",
                target=row,
                details={
                    "unit": unit.key if unit else None,
                    "valid_from": row.valid_from.isoformat(),
                    "before": None if created else list(before),
                    "after": list(after),
                },
            )
    return row, changed
