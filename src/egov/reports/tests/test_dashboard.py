"""The dashboards' figures on the hand-built province of ``dashboard_data`` (exact numbers by
hand), who sees which dashboard, and the dossiers behind each number."""

import datetime as dt

import pytest
import time_machine

from egov.dossiers.tests.helpers import user
from egov.reports.dashboard import (
    DashboardKind,
    Drill,
    Figure,
    dashboard,
    dashboard_scopes,
    due_soon_horizon,
    figure_dossiers,
    month_period,
)
from egov.reports.tests.dashboard_data import CENTRE, NOW, C, H, T, at, build_province, unit
from egov.workdays.selectors import calendar_for_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def province(quang_ninh):
    data = build_province()
    with time_machine.travel(NOW, tick=False):
        yield data


def scope_of(username, kind):
    return next(s for s in dashboard_scopes(user(username)) if s.kind == kind)


def codes(queryset):
    return sorted(queryset.values_list("code", flat=True))


def names(data, *keys):
    return sorted(data[k].code for k in keys)


def test_due_soon_runs_over_the_new_year_holiday_and_the_weekend(province):
    horizon = due_soon_horizon(calendar_for_unit(None), NOW.date())
    assert horizon == at(2027, 1, 6, 0)


def test_the_province_dashboard(province):
    board = dashboard(scope_of("tinh.quantri", DashboardKind.PROVINCE))
    assert board.scope.unit_ids is None
    assert {s: n for s, n in board.by_status.items() if n} == {
        "received": 2,  # d5, d6
        "processing": 4,  # d1, d2, d3, h1
        "supplement_requested": 1,  # d4
        "result_ready": 1,  # d7
    }
    queues = {board.unit_names[u.unit_id]: (u.overdue, u.due_soon) for u in board.units}
    assert queues == {
        unit(T).name: (1, 1),  # d1 overdue; d2 due Monday after the holiday and weekend
        unit(C).name: (1, 0),  # d5, an hour late
        unit(H).name: (1, 0),  # h1
        unit(CENTRE).name: (0, 1),  # d6, still at the desk
    }
    assert (board.overdue, board.due_soon) == (3, 2)
    months = {f"{m.period.first_day:%Y-%m}": m for m in board.months}
    assert len(board.months) == 12
    assert (min(months), max(months)) == ("2026-01", "2026-12")
    nov, dec = months["2026-11"], months["2026-12"]
    assert (nov.resolved, nov.on_time, nov.late) == (2, 1, 1)  # r1 early, r2 late
    assert (dec.resolved, dec.on_time, dec.late) == (1, 1, 0)  # r3; r4 has no outcome
    assert (nov.received, nov.online, nov.fee_due, nov.paid_online) == (2, 1, 2, 1)
    # December: d1–d7, h1 and r3 received; d2, h1 and r3 online; no fee asked.
    assert (dec.received, dec.online, dec.fee_due, dec.paid_online) == (9, 3, 0, 0)
    assert board.total("received") == 11 and board.total("online") == 4


def test_a_department_leader_sees_only_the_units_he_leads(province):
    scopes = dashboard_scopes(user("tinh.lanhdaophong"))
    assert [s.kind for s in scopes] == [DashboardKind.UNIT]
    board = dashboard(scopes[0])
    assert {s: n for s, n in board.by_status.items() if n} == {
        "processing": 3,
        "supplement_requested": 1,
        "result_ready": 1,
    }
    assert [(board.unit_names[u.unit_id], u.overdue, u.due_soon) for u in board.units] == [
        (unit(T).name, 1, 1)
    ]
    nov = board.months[-2]
    assert (nov.resolved, nov.on_time, nov.received, nov.paid_online) == (2, 1, 2, 1)
    assert board.months[-1].resolved == 0  # r3 is the police's
    # The police's leader: d5 and r3 only.
    police = dashboard(scope_of("congan.lanhdao", DashboardKind.UNIT))
    assert [(u.overdue, u.due_soon) for u in police.units] == [(1, 0)]
    assert (police.months[-1].resolved, police.months[-2].resolved) == (1, 0)
    assert sum(police.by_status.values()) == 1


def test_the_centre_leader_sees_the_centres_intake(province):
    board = dashboard(scope_of("tinh.lanhdaotrungtam", DashboardKind.CENTRE))
    queues = {board.unit_names[u.unit_id]: (u.overdue, u.due_soon) for u in board.units}
    # Everything received at the provincial centre and its ward centres (Hồng Gai's is one of
    # them), whoever holds it now.
    assert queues == {
        unit(T).name: (1, 1),
        unit(C).name: (1, 0),
        unit(H).name: (1, 0),
        unit(CENTRE).name: (0, 1),
    }
    assert sum(board.by_status.values()) == 8
    assert board.months[-1].received == 9
    # The ward centre's leader: its own intake only.
    ward = dashboard(scope_of("honggai.lanhdaotrungtam", DashboardKind.CENTRE))
    assert [(ward.unit_names[u.unit_id], u.overdue) for u in ward.units] == [(unit(H).name, 1)]
    assert ward.total("received") == 1


def test_the_wards_leaders_see_the_ward_only(province):
    board = dashboard(scope_of("honggai.lanhdao", DashboardKind.UNIT))
    assert [(u.overdue, u.due_soon) for u in board.units] == [(1, 0)]
    assert board.unit_names == {unit(H).pk: unit(H).name}
    assert board.total("received") == 1
    # The ward's supervisor: received or held in the ward's units, nothing of the province.
    supervised = dashboard(scope_of("honggai.giamsat", DashboardKind.PROVINCE))
    assert supervised.scope.unit_ids is not None
    assert (supervised.total("received"), supervised.overdue, supervised.due_soon) == (1, 1, 0)
    assert sum(supervised.by_status.values()) == 1


def test_roles_without_a_dashboard(province):
    for username in ("tinh.tiepnhan", "tinh.chuyenvien", "tinh.vanthu", "tinh.buudien"):
        assert dashboard_scopes(user(username)) == []


def test_each_number_lists_exactly_the_dossiers_it_counts(province):
    scope = scope_of("tinh.quantri", DashboardKind.PROVINCE)
    board = dashboard(scope)
    for queue in board.units:
        overdue = figure_dossiers(scope, Drill(Figure.OVERDUE, unit_id=queue.unit_id))
        soon = figure_dossiers(scope, Drill(Figure.DUE_SOON, unit_id=queue.unit_id))
        assert (overdue.count(), soon.count()) == (queue.overdue, queue.due_soon)
    assert codes(figure_dossiers(scope, Drill(Figure.OVERDUE))) == names(province, "d1", "d5", "h1")
    assert codes(figure_dossiers(scope, Drill(Figure.DUE_SOON))) == names(province, "d2", "d6")
    assert codes(figure_dossiers(scope, Drill(Figure.OPEN, status="processing"))) == names(
        province, "d1", "d2", "d3", "h1"
    )
    nov, dec = month_period(2026, 11), month_period(2026, 12)
    expected = {
        (Figure.RESOLVED, nov): ("r1", "r2"),
        (Figure.ON_TIME, nov): ("r1",),
        (Figure.LATE, nov): ("r2",),
        (Figure.RESOLVED, dec): ("r3",),
        (Figure.ONLINE, nov): ("r2",),
        (Figure.FEE_DUE, nov): ("r1", "r2"),
        (Figure.PAID_ONLINE, nov): ("r1",),
        (Figure.ONLINE, dec): ("d2", "h1", "r3"),
    }
    for (figure, month), keys in expected.items():
        assert codes(figure_dossiers(scope, Drill(figure, month=month))) == names(
            province, *keys
        ), figure
    months = {m.period: m for m in board.months}
    for figure in (Figure.RESOLVED, Figure.RECEIVED, Figure.ONLINE, Figure.PAID_ONLINE):
        for month, figures in months.items():
            found = figure_dossiers(scope, Drill(figure, month=month)).count()
            assert found == getattr(figures, figure.value), (figure, month)


def test_a_leaders_drill_down_stays_in_his_units(province):
    scope = scope_of("tinh.lanhdaophong", DashboardKind.UNIT)
    # Asking for the police's number from the Sở Tư pháp's dashboard: nothing.
    assert not figure_dossiers(scope, Drill(Figure.OVERDUE, unit_id=unit(C).pk)).exists()
    assert codes(figure_dossiers(scope, Drill(Figure.OVERDUE))) == names(province, "d1")


def test_due_soon_on_a_plain_tuesday_is_two_working_days(province):
    # Tuesday 8/12/2026 10:00: the horizon is Thursday 10/12 24:00.
    assert due_soon_horizon(calendar_for_unit(None), dt.date(2026, 12, 8)) == at(2026, 12, 11, 0)
