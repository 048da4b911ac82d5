"""Dossier codes, TT 01/2018/TT-VPCP Điều 19: ``<receiving unit code>-YYMMDD-XXXX`` with XXXX the
dossier's sequence among those the unit received that day; results ``<code>-KQ(n)``.

The sequence comes from one atomic upsert on the (unit, day) counter row inside the
reception transaction: concurrent receptions queue on that row, and a reception that rolls
back rolls its number back too, so codes stay unique and gap-free (PostgreSQL and SQLite ≥ 3.35
both support ``INSERT … ON CONFLICT … DO UPDATE … RETURNING``).
"""

from __future__ import annotations

import datetime as dt

from django.db import connection

from egov.org.models import Unit
from egov.workdays.engine import VIETNAM_TZ

_UPSERT = (
    "INSERT INTO dossiers_dossiercodecounter (unit_id, day, last) VALUES (%s, %s, 1) "
    "ON CONFLICT (unit_id, day) DO UPDATE SET last = dossiers_dossiercodecounter.last + 1 "
    "RETURNING last"
)


class MissingUnitCode(ValueError):
    pass


def next_dossier_code(unit: Unit, moment: dt.datetime) -> str:
    """Allocate the next code; call inside the transaction that creates the dossier."""
    if not unit.code:
        raise MissingUnitCode(f"unit {unit.key} has no electronic unit code")
    day = moment.astimezone(VIETNAM_TZ).date()
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT, [unit.pk, day])
        (sequence,) = cursor.fetchone()
    return f"{unit.code}-{day:%y%m%d}-{sequence:04d}"


def result_code(dossier_code: str, number: int) -> str:
    return f"{dossier_code}-KQ{number}"
