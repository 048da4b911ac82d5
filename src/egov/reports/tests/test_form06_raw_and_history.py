"""Biểu 06 against a straightforward COUNT over the raw rows on random data, and a past period's
report that stays as it was when the catalog and the organisation change later (issue 15 §6)."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.db.models import Q

from egov.catalog.models import ProcedureField, ProcedureVersion
from egov.catalog.selectors import version_by_code
from egov.dossiers.models import Dossier
from egov.org.models import Unit, UnitKind
from egov.reports.form06 import Grouping, form06_report
from egov.reports.periods import Convention, PeriodKind, period_of
from egov.reports.tests.test_form06 import at, dossier, unit

pytestmark = pytest.mark.django_db


def expected_columns(period, unit_ids):
    """Each column as its own plain COUNT, straight from the definitions in docs/reports.md."""
    start, end = period.bounds()
    mine = Dossier.objects.filter(
        Q(handling_unit_id__in=unit_ids)
        | Q(handling_unit__isnull=True, receiving_unit_id__in=unit_ids)
    ).exclude(received_at__isnull=True)
    in_period = mine.filter(received_at__gte=start, received_at__lt=end)
    resolved = mine.filter(completed_at__gte=start, completed_at__lt=end)
    pending = mine.filter(received_at__lt=end).exclude(completed_at__lt=end)
    carried = mine.filter(received_at__lt=start).exclude(completed_at__lt=start)
    online = in_period.filter(channel="online").count()
    other = in_period.exclude(channel="online").count()
    early = resolved.filter(outcome="early").count()
    late = resolved.filter(outcome="late").count()
    on_time = resolved.count() - early - late
    overdue = pending.filter(due_at__lt=end).count()
    return [
        online + other + carried.count(),
        online,
        other,
        carried.count(),
        resolved.count(),
        early,
        on_time,
        late,
        pending.count(),
        pending.count() - overdue,
        overdue,
    ]


def test_every_column_equals_a_plain_count_on_random_data(quang_ninh):
    rng = random.Random(20261202)
    root = unit("r.root", None, UnitKind.PEOPLES_COMMITTEE)
    desks = [unit(f"r.desk{i}", root) for i in range(3)]
    depts = [unit(f"r.dept{i}", root, UnitKind.DEPARTMENT) for i in range(2)]
    divisions = [unit(f"r.div{i}", depts[i % 2], UnitKind.DIVISION) for i in range(3)]
    versions = [version_by_code("1.001612"), version_by_code("2.000884")]
    origin = at(2026, 1, 1, 0)
    for _ in range(400):
        received = origin + dt.timedelta(hours=rng.randrange(0, 24 * 150))
        never = rng.random() < 0.05
        due = received + dt.timedelta(days=rng.randrange(1, 20), hours=rng.randrange(0, 9))
        done = received + dt.timedelta(hours=rng.randrange(1, 24 * 40))
        open_ = rng.random() < 0.2
        outcome = ""
        if not open_ and not never:
            outcome = rng.choice(["early", "on_time", "late", ""])
        dossier(
            rng.choice(desks),
            handling=rng.choice([None, *depts, *divisions]),
            version=rng.choice(versions),
            channel=rng.choice(["online", "counter", "post"]),
            received=None if never else received,
            due=None if rng.random() < 0.05 else due,
            completed=None if open_ else done,
            outcome=outcome,
        )
    everyone = {root.pk, *(u.pk for u in desks + depts + divisions)}
    cases = [
        period_of(PeriodKind.MONTH, 2026, month, convention=convention)
        for month in (2, 3, 4)
        for convention in Convention
    ] + [period_of(PeriodKind.QUARTER, 2026, 1), period_of(PeriodKind.HALF_YEAR, 2026)]
    for period in cases:
        report = form06_report(period=period, unit=root)
        assert report.total.values() == expected_columns(period, everyone), period
        assert report.total.received_total > 0
        rows = {row.label: row.counts.values() for row in report.rows}
        assert rows["R.DEPT0"] == expected_columns(
            period, {depts[0].pk, divisions[0].pk, divisions[2].pk}
        )
        assert rows.get("R.DESK1", [0] * 11) == expected_columns(period, {desks[1].pk})
        for grouping in Grouping:
            grouped = form06_report(period=period, unit=root, grouping=grouping)
            assert grouped.total == report.total
            for row in grouped.rows:
                row.counts.check()


def snapshot(period, unit):
    return {
        grouping: [
            (row.key, row.depth, row.counts.values())
            for row in form06_report(period=period, unit=unit, grouping=grouping).rows
        ]
        for grouping in Grouping
    }


def test_a_past_report_does_not_change_when_the_catalog_or_the_units_change(quang_ninh):
    """Q1 2026 is reported; later the unit that handled the dossiers is dissolved into a merged
    one (01/07/2026), a new version of the procedure moves it to another field (01/01/2027) and
    the old field is renamed. Q1's report is the same, row for row."""
    root = unit("h.root", None, UnitKind.PEOPLES_COMMITTEE)
    desk = unit("h.desk", root)
    old_commune = unit("h.commune-a", root, UnitKind.PEOPLES_COMMITTEE)
    version = version_by_code("1.001612")
    for day in (5, 6, 7):
        dossier(
            desk,
            handling=old_commune,
            version=version,
            received=at(2026, 2, day, 9),
            completed=at(2026, 2, day + 3, 9),
            due=at(2026, 2, day + 4, 17),
            outcome="early",
        )
    dossier(
        desk,
        handling=old_commune,
        version=version,
        received=at(2026, 3, 1, 9),
        due=at(2026, 3, 6, 17),
    )
    quarter = period_of(PeriodKind.QUARTER, 2026, 1)
    before = snapshot(quarter, root)
    assert before[Grouping.UNIT][1][0] == "h.commune-a"

    # The catalog: a new version under another field from 01/01/2027, the old one closed.
    switch = dt.date(2027, 1, 1)
    moved_to = ProcedureField.objects.create(code="h-new-field", name="Lĩnh vực mới")
    ProcedureVersion.objects.filter(pk=version.pk).update(valid_until=switch)
    newer = ProcedureVersion.objects.get(pk=version.pk)
    newer.pk = None
    newer.number = version.number + 1
    newer.field = moved_to
    newer.name = "Tên mới của thủ tục"
    newer.valid_from, newer.valid_until = switch, dt.date(9999, 12, 31)
    newer.save()
    ProcedureField.objects.filter(pk=version.field_id).update(name="Tên lĩnh vực đã đổi")
    # The organisation: the commune dissolved on 01/07/2026 into a merged one.
    Unit.objects.filter(pk=old_commune.pk).update(valid_until=dt.date(2026, 7, 1))
    merged = unit("h.commune-ab", root, UnitKind.PEOPLES_COMMITTEE)
    Unit.objects.filter(pk=merged.pk).update(valid_from=dt.date(2026, 7, 1))
    dossier(
        desk, handling=merged, version=newer, received=at(2026, 7, 2, 9), due=at(2026, 7, 8, 17)
    )

    assert snapshot(quarter, root) == before
    by_procedure = form06_report(period=quarter, unit=root, grouping=Grouping.PROCEDURE)
    assert [row.label for row in by_procedure.rows] == [version.name]
    third = form06_report(period=period_of(PeriodKind.QUARTER, 2026, 3), unit=root)
    # The dissolved commune still carries its open dossier into the quarter after.
    assert [row.key for row in third.rows] == ["h.root", "h.commune-a", "h.commune-ab"]
