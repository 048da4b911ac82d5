"""Reads of the organisation registry."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from egov.org.models import AdministrativeArea, AreaLevel, Unit, UnitKind


def units_valid_on(day: dt.date) -> QuerySet[Unit]:
    """Agencies/units in force on ``day`` (served by ``unit_validity_idx``)."""
    return Unit.objects.valid_on(day).select_related("parent", "area")


def areas_valid_on(day: dt.date, *, level: AreaLevel | None = None) -> QuerySet[AdministrativeArea]:
    areas = AdministrativeArea.objects.valid_on(day)
    if level is not None:
        areas = areas.filter(level=level)
    return areas


def service_centres_valid_on(day: dt.date) -> QuerySet[Unit]:
    return Unit.objects.valid_on(day).filter(kind=UnitKind.SERVICE_CENTRE)


def unit_by_code_or_key(value: str) -> Unit | None:
    """A unit by its electronic code (mã định danh) or, failing that, its data key."""
    unit: Unit | None = (
        Unit.objects.select_related("parent").filter(Q(code=value) | Q(key=value)).first()
    )
    return unit
