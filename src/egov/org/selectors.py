"""Reads of the organisation registry."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet

from egov.org.models import CENTRE_KINDS, AdministrativeArea, AreaLevel, Unit, UnitKind


def units_below(roots: QuerySet[Any]) -> list[int]:
    """Ids of the units ``roots`` names (a queryset of one column of unit ids) and of every
    unit below them, at any depth: one recursive statement (the hierarchy is walked by the
    database, not level by level)."""
    roots_sql, params = roots.order_by().query.sql_with_params()
    quote = connection.ops.quote_name
    table = quote(Unit._meta.db_table)
    pk = quote(Unit._meta.pk.column)
    parent = quote(Unit._meta.get_field("parent").column)
    sql = (
        f"WITH RECURSIVE scope(id) AS ({roots_sql} UNION "  # noqa: S608 (names from the model)
        f"SELECT u.{pk} FROM {table} u JOIN scope ON u.{parent} = scope.id) "
        "SELECT id FROM scope"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def units_valid_on(day: dt.date) -> QuerySet[Unit]:
    """Agencies/units in force on ``day`` (served by ``unit_validity_idx``)."""
    return Unit.objects.valid_on(day).select_related("parent", "area")


def areas_valid_on(day: dt.date, *, level: AreaLevel | None = None) -> QuerySet[AdministrativeArea]:
    areas = AdministrativeArea.objects.valid_on(day)
    if level is not None:
        areas = areas.filter(level=level)
    return areas


def service_centres_valid_on(day: dt.date) -> QuerySet[Unit]:
    """Service centres of every level (provincial and commune-level Trung tâm PVHCC)."""
    return Unit.objects.valid_on(day).filter(kind__in=CENTRE_KINDS)


def reception_units_valid_on(day: dt.date) -> QuerySet[Unit]:
    """Where an applicant can lodge a dossier on ``day``: the service centres and their
    reception points, the provincial centre first."""
    kinds = [*CENTRE_KINDS, UnitKind.RECEPTION_POINT]
    return Unit.objects.valid_on(day).filter(kind__in=kinds).order_by("kind", "name")


def area_by_gso_code(code: str, day: dt.date) -> AdministrativeArea | None:
    """The administrative area with the statistics office's code ``code`` in force on ``day``
    (an address's commune)."""
    area: AdministrativeArea | None = (
        AdministrativeArea.objects.valid_on(day).filter(gso_code=code).first()
    )
    return area


def unit_by_code_or_key(value: str) -> Unit | None:
    """A unit by its electronic code (mã định danh) or, failing that, its data key."""
    unit: Unit | None = (
        Unit.objects.select_related("parent").filter(Q(code=value) | Q(key=value)).first()
    )
    return unit


def unit_ref(unit: Unit) -> str:
    """How the API names a unit, in answers as in requests: its electronic code (mã định danh)
    when it has one, else its data key — ``unit_by_code_or_key`` takes either back."""
    return unit.code or unit.key
