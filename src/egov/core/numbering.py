"""One numbering service for every legal number series: gap-free, unique under concurrency.

A series is named by a :class:`Series` key — what is numbered, the scope it runs in, and the
period it restarts with — for example:

- dossier codes (TT 01/2018/TT-VPCP): ``Series("dossier-code", ("unit", "42"), "2026-12-01")``,
  at most 9 999 a day (four digits);
- counter notices (Mẫu 02, Mẫu 03): ``Series("counter-notice", ("unit", "42", "guidance"),
  "2026")``;
- official documents (NĐ 30/2020/NĐ-CP, Phụ lục I: numbered per issuing agency and register
  from 01 on 1 January to 31 December): ``yearly("official-document", agency_code,
  register, on=day)``.

:func:`take_number` advances the series' counter row with one atomic
``INSERT … ON CONFLICT … DO UPDATE … RETURNING`` (PostgreSQL; SQLite ≥ 3.35). It must run
inside the transaction that stores the numbered row: concurrent callers queue on the counter
row, and a transaction that rolls back rolls its number back too, so no number is skipped or
given twice. This module knows nothing of what is numbered.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection

from egov.core.models import NumberCounter

_TABLE = "core_numbercounter"
# The WHERE of DO UPDATE leaves a full series untouched: no row comes back and the counter
# keeps its last number (nothing to undo when the caller handles the refusal).
_UPSERT = (
    f"INSERT INTO {_TABLE} (series, scope, period, last) VALUES (%s, %s, %s, 1) "  # noqa: S608
    f"ON CONFLICT (series, scope, period) DO UPDATE SET last = {_TABLE}.last + 1 "
    f"WHERE {_TABLE}.last < %s RETURNING last"
)
_NO_LIMIT = 2**62


@dataclass(frozen=True)
class Series:
    """One number series: ``name`` (what is numbered), ``scope`` (where it runs: a unit, a
    register…) and ``period`` (when it restarts: ``YYYY-MM-DD`` daily, ``YYYY`` yearly)."""

    name: str
    scope: tuple[str, ...]
    period: str

    def __post_init__(self) -> None:
        if not self.name or len(self.name) > 40:
            raise ValueError(f"series name {self.name!r} must have 1 to 40 characters")
        if any("/" in part for part in self.scope):
            raise ValueError(f"scope parts of {self.name!r} may not contain '/'")
        if len(self.scope_key) > 200 or len(self.period) > 10:
            raise ValueError(f"scope or period of {self.name!r} too long")

    @property
    def scope_key(self) -> str:
        return "/".join(self.scope)


def daily(name: str, *scope: object, on: dt.date) -> Series:
    """A series restarting every day (``on`` is the local day the number belongs to)."""
    return Series(name, tuple(str(part) for part in scope), on.isoformat())


def yearly(name: str, *scope: object, on: dt.date) -> Series:
    """A series restarting on 1 January (``on`` is the local day the number belongs to)."""
    return Series(name, tuple(str(part) for part in scope), f"{on.year:04d}")


class SeriesExhausted(Exception):
    """The series reached its highest number for the period; nothing was taken."""

    def __init__(self, series: Series, limit: int) -> None:
        super().__init__(f"{series.name} {series.scope_key} {series.period}: limit {limit}")
        self.series = series
        self.limit = limit


def take_number(series: Series, *, limit: int | None = None) -> int:
    """The next number of ``series`` (1, 2, 3… in each period). Call it inside the
    transaction that stores the numbered row; raises SeriesExhausted after ``limit``."""
    if not connection.in_atomic_block:
        raise RuntimeError("take_number() must run inside the transaction that uses the number")
    if limit is not None and limit < 1:
        raise ValueError("limit must be at least 1")
    ceiling = _NO_LIMIT if limit is None else limit
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT, [series.name, series.scope_key, series.period, ceiling])
        row = cursor.fetchone()
    if row is None:
        raise SeriesExhausted(series, ceiling)
    return int(row[0])


def last_number(series: Series) -> int:
    """The last number taken in ``series`` (0 when none yet); for display and checks."""
    found = (
        NumberCounter.objects.filter(
            series=series.name, scope=series.scope_key, period=series.period
        )
        .values_list("last", flat=True)
        .first()
    )
    return found or 0
