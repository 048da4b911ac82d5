"""Biểu 06 (TT 01/2020/TT-VPCP): every column on small data computed by hand, rolled up the unit
tree, per field and per procedure; column 3 = column 7 + column 11."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from egov.catalog.models import ProcedureVersion
from egov.catalog.selectors import version_by_code
from egov.dossiers.models import Dossier
from egov.org.models import Unit, UnitKind
from egov.reports.form06 import Counts, Grouping, UnbalancedReport, form06_report
from egov.reports.periods import Convention, PeriodKind, period_between, period_of
from egov.workdays.engine import VIETNAM_TZ

pytestmark = pytest.mark.django_db
_numbers = itertools.count(1)
# 15/02/2026 – 14/03/2026: March under the NĐ 09/2019 cut-off.
MARCH = period_of(PeriodKind.MONTH, 2026, 3, convention=Convention.CUTOFF)


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=VIETNAM_TZ)


def unit(key: str, parent: Unit | None, kind: str = UnitKind.ONE_STOP_DESK) -> Unit:
    return Unit.objects.create(key=key, name=key.upper(), kind=kind, parent=parent)


def dossier(
    receiving: Unit,
    *,
    received: dt.datetime | None,
    completed: dt.datetime | None = None,
    due: dt.datetime | None = None,
    outcome: str = "",
    channel: str = "counter",
    handling: Unit | None = None,
    version: ProcedureVersion | None = None,
) -> Dossier:
    chosen = version or version_by_code("1.001612")
    assert chosen is not None
    return Dossier.objects.create(
        code=f"T-{next(_numbers)}",
        receiving_unit=receiving,
        handling_unit=handling,
        procedure_version=chosen,
        channel=channel,
        status="returned" if completed else "processing",
        applicant_kind="citizen",
        applicant_name="Nguyễn Văn An",
        received_at=received,
        due_at=due,
        completed_at=completed,
        outcome=outcome,
    )


@pytest.fixture
def tree(quang_ninh):
    """ROOT ← (DESK, DEPT ← DIV): a small tree of our own, apart from the demo's."""
    root = unit("t.root", None, UnitKind.PEOPLES_COMMITTEE)
    desk = unit("t.desk", root)
    dept = unit("t.dept", root, UnitKind.DEPARTMENT)
    div = unit("t.div", dept, UnitKind.DIVISION)
    return root, desk, dept, div


def counts(**values: int) -> Counts:
    return Counts(**values)


def test_every_column_by_hand(tree):
    root, desk, _dept, _div = tree
    due = at(2026, 3, 5, 17)
    dossier(
        desk,
        received=at(2026, 2, 20, 9),
        channel="online",
        completed=at(2026, 2, 25, 10),
        due=at(2026, 2, 27, 17),
        outcome="early",
    )  # 4, 8
    dossier(
        desk, received=at(2026, 3, 1, 9), completed=at(2026, 3, 5, 16), due=due, outcome="on_time"
    )  # 5, 9
    dossier(
        desk,
        received=at(2026, 3, 2, 9),
        channel="post",
        completed=at(2026, 3, 6, 8),
        due=due,
        outcome="late",
    )  # 5, 10
    dossier(
        desk,
        received=at(2026, 2, 10, 9),
        completed=at(2026, 2, 16, 9),
        due=at(2026, 2, 20, 17),
        outcome="early",
    )  # carried over (6), resolved early (8)
    dossier(
        desk,
        received=at(2026, 2, 10, 9),
        completed=at(2026, 2, 14, 23, 59),
        due=at(2026, 2, 20, 17),
        outcome="early",
    )  # ended before the period: nowhere
    dossier(desk, received=at(2026, 3, 1, 9), due=at(2026, 3, 20, 17))  # 5, 12
    dossier(desk, received=at(2026, 3, 1, 9), due=at(2026, 3, 10, 17))  # 5, 13
    # Completed after the period: still in progress at its end, and overdue then (5, 13).
    dossier(
        desk,
        received=at(2026, 3, 1, 9),
        completed=at(2026, 3, 16, 9),
        due=at(2026, 3, 12, 17),
        outcome="late",
    )
    # Due on the period's last day at 17:00, open at midnight: overdue (5, 13).
    dossier(desk, received=at(2026, 3, 10, 9), due=at(2026, 3, 14, 17))
    dossier(desk, received=at(2026, 3, 15, 0), due=at(2026, 3, 20, 17))  # after: nowhere
    # Online, refused or withdrawn before reception: never received, counted nowhere.
    dossier(desk, received=None, channel="online", completed=at(2026, 3, 2, 9))
    dossier(desk, received=at(2026, 2, 1, 9), due=at(2026, 2, 5, 17))  # 6, 13
    # Received, ended without an appointment (no time limit): on time (6, 9).
    dossier(desk, received=at(2026, 1, 5, 9), completed=at(2026, 3, 1, 9))

    report = form06_report(period=MARCH, unit=root)
    expected = counts(
        online=1,
        counter_post=6,
        carried_over=3,
        early=2,
        on_time=2,
        late=1,
        within_time=1,
        overdue=4,
    )
    assert report.total == expected
    assert report.total.values() == [10, 1, 6, 3, 5, 2, 2, 1, 5, 1, 4]
    assert [(r.label, r.depth, r.counts) for r in report.rows] == [
        ("T.ROOT", 0, expected),
        ("T.DESK", 1, expected),
    ]
    assert report.total.columns()["received_total"] == 10


def test_the_unit_is_the_handling_one_and_rolls_up_the_tree(tree, settings):
    root, desk, dept, div = tree
    # Handed to the division: counts there, and in the department and the root above it.
    dossier(desk, handling=div, received=at(2026, 3, 1, 9), due=at(2026, 3, 20, 17))
    dossier(
        desk,
        handling=dept,
        received=at(2026, 3, 1, 9),
        channel="online",
        completed=at(2026, 3, 2, 9),
        due=at(2026, 3, 20, 17),
        outcome="early",
    )
    # Not handed off yet: handled at the desk that received it.
    dossier(desk, received=at(2026, 3, 1, 9), due=at(2026, 3, 2, 17))
    report = form06_report(period=MARCH, unit=root)
    rows = [(r.label, r.depth, r.counts.values()) for r in report.rows]
    assert rows == [
        ("T.ROOT", 0, [3, 1, 2, 0, 1, 1, 0, 0, 2, 1, 1]),
        ("T.DEPT", 1, [2, 1, 1, 0, 1, 1, 0, 0, 1, 1, 0]),
        ("T.DIV", 2, [1, 0, 1, 0, 0, 0, 0, 0, 1, 1, 0]),
        ("T.DESK", 1, [1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1]),
    ]
    department = form06_report(period=MARCH, unit=dept)
    assert department.total.values() == [2, 1, 1, 0, 1, 1, 0, 0, 1, 1, 0]
    assert department.reporting_unit == "T.DEPT"
    # The receiving basis (a service centre's own variant of the form): all at the desk.
    settings.EGOV_REPORT_UNIT_BASIS = "receiving"
    by_desk = form06_report(period=MARCH, unit=root)
    assert [(r.label, r.counts.received_total) for r in by_desk.rows] == [
        ("T.ROOT", 3),
        ("T.DESK", 3),
    ]
    assert form06_report(period=MARCH, unit=dept).total == Counts()


def test_rows_per_field_and_per_procedure(tree):
    root, desk, _dept, _div = tree
    business = version_by_code("1.001612")
    criminal = version_by_code("qn-cap-phieu-ly-lich-tu-phap", dt.date(2026, 6, 30))
    for version in (business, business, criminal):
        dossier(desk, version=version, received=at(2026, 3, 1, 9), due=at(2026, 3, 20, 17))
    by_field = form06_report(period=MARCH, unit=root, grouping=Grouping.FIELD)
    assert {(r.field_code, r.counts.received_total) for r in by_field.rows} == {
        ("ho-kinh-doanh", 2),
        ("ly-lich-tu-phap", 1),
    }
    by_procedure = form06_report(period=MARCH, unit=root, grouping=Grouping.PROCEDURE)
    assert {(r.procedure_code, r.label, r.counts.pending_total) for r in by_procedure.rows} == {
        ("1.001612", business.name, 2),
        (criminal.procedure.public_code, criminal.name, 1),
    }
    by_both = form06_report(period=MARCH, unit=root, grouping=Grouping.UNIT_FIELD)
    # In the catalog's order of fields (ProcedureField.order).
    assert [(r.unit_code, r.field_code, r.counts.within_time) for r in by_both.rows] == [
        (None, "ly-lich-tu-phap", 1),
        (None, "ho-kinh-doanh", 2),
    ]
    assert by_field.total == by_procedure.total == by_both.total


def test_carried_over_across_the_boundary_of_consecutive_periods(tree):
    """What is in progress at the end of one period is what the next one carries over."""
    root, desk, _dept, _div = tree
    dossier(desk, received=at(2026, 3, 10, 9), due=at(2026, 3, 13, 17))
    dossier(
        desk,
        received=at(2026, 3, 14, 23, 59),
        completed=at(2026, 3, 15, 0),
        due=at(2026, 3, 20, 17),
        outcome="early",
    )
    dossier(
        desk,
        received=at(2026, 3, 15, 0),
        completed=at(2026, 3, 16, 9),
        due=at(2026, 3, 20, 17),
        outcome="early",
    )
    april = period_of(PeriodKind.MONTH, 2026, 4, convention=Convention.CUTOFF)
    march = form06_report(period=MARCH, unit=root).total
    following = form06_report(period=april, unit=root).total
    assert march.values() == [2, 0, 2, 0, 0, 0, 0, 0, 2, 1, 1]
    assert following.values() == [3, 0, 1, 2, 2, 2, 0, 0, 1, 0, 1]
    assert following.carried_over == march.pending_total


def test_calendar_periods_and_free_ranges(tree):
    root, desk, _dept, _div = tree
    dossier(desk, received=at(2026, 3, 20, 9), due=at(2026, 3, 25, 17))
    calendar_march = period_of(PeriodKind.MONTH, 2026, 3, convention=Convention.CALENDAR)
    assert form06_report(period=MARCH, unit=root).total.received_total == 0
    assert form06_report(period=calendar_march, unit=root).total.received_total == 1
    day = period_between(dt.date(2026, 3, 20), dt.date(2026, 3, 20))
    assert form06_report(period=day, unit=root).total.values()[:4] == [1, 0, 1, 0]


def test_an_unbalanced_row_is_refused():
    with pytest.raises(UnbalancedReport):
        Counts(online=1).check()
    assert Counts(online=1, within_time=1).check().received_total == 1
