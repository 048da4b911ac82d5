"""Writes to the working calendar; every change is recorded in the audit trail."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from egov.audit.services import audit_record
from egov.org.models import Unit
from egov.workdays.models import CalendarDay, CalendarDecision, DayKind
from egov.workdays.rules import HOLIDAY_NAMES


class CalendarDataError(Exception):
    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


def _decision_snapshot(decision: CalendarDecision) -> dict[str, Any]:
    return {
        "year": decision.year,
        "title": decision.title,
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
    unit = None
    if data.get("unit"):
        unit = Unit.objects.filter(key=data["unit"]).first()
        if unit is None:
            errors.append(f"đơn vị “{data['unit']}” không tồn tại")
    days = _parse_days(data, year, errors)
    if errors:
        raise CalendarDataError(errors)
    with transaction.atomic():
        decision, created = CalendarDecision.objects.get_or_create(
            year=year,
            title=title,
            unit=unit,
            defaults={"source": data.get("source", ""), "notes": data.get("notes", "")},
        )
        before = None if created else _decision_snapshot(decision)
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
