"""The national service index (QĐ 766/QĐ-TTg) computed from egov's data: every computed
indicator on a small set of dossiers with hand-computed expectations, the scoring rules, the
versioned data, and the drill-down listing exactly the dossiers counted.

Dossiers are received at the provincial service centre in March 2026 (no demo dossier is
received there then); 1.001612 (đăng ký hộ kinh doanh) takes 3 working days, the provincial
criminal-record procedure 8."""

import copy
import datetime as dt
import json
from decimal import Decimal
from fractions import Fraction

import pytest
import time_machine

from egov.catalog.models import ProcedureVersion
from egov.catalog.selectors import version_by_code
from egov.dossiers.models import Dossier
from egov.dossiers.services.transitions import dossier_transition
from egov.dossiers.tests.helpers import user
from egov.org.models import Unit
from egov.reports.periods import PeriodError
from egov.reports.service_index import (
    index_dossiers,
    parse_index_period,
    period_code,
    service_index,
)
from egov.reports.service_index_measures import MEASURE_SOURCES
from egov.reports.service_index_rules import (
    DATA_FILE,
    Rule,
    ServiceIndexDataError,
    parse_versions,
)
from egov.reports.tests.service_index_data import (
    HKD,
    act,
    at,
    by_code,
    centre,
    numbers,
    receive,
    withdraw,
)

pytestmark = pytest.mark.django_db
MARCH = "2026-03"


def test_every_computed_indicator_of_a_month(march):
    index = service_index(unit=centre(), period=parse_index_period(MARCH))
    got = by_code(index)
    # a, e, f ended early; c is open and not yet due on 31/03; b ended late, d is overdue.
    assert numbers(got["ON_TIME"]) == (4, 6, Decimal("0.6667"), Decimal("13.33"), "computed")
    assert numbers(got["DOSSIER_SYNC"]) == (2, 6, Decimal("0.3333"), Decimal("2.00"), "computed")
    # 6 × 1/2, linear.
    assert numbers(got["ONLINE_PAYMENT_DOSSIERS"]) == (
        1,
        2,
        Decimal("0.5000"),
        Decimal("3.00"),
        "computed",
    )
    assert numbers(got["ORIGINAL_RESULT_AVAILABLE"]) == (
        1,
        2,
        Decimal("0.5000"),
        Decimal("3.00"),
        "computed",
    )
    # Threshold 80 %: 2 × (1/6) / 0.8 = 0.4167.
    assert numbers(got["REUSED_DIGITIZED_DATA"]) == (
        1,
        6,
        Decimal("0.1667"),
        Decimal("0.42"),
        "computed",
    )
    assert numbers(got["CITIZEN_DATA_CONNECTED_DOSSIER"]) == (
        1,
        6,
        Decimal("0.1667"),
        Decimal("0.33"),
        "computed",
    )
    # a, e, c: on time and not disliked; threshold 90 %: 6 × (1/2) / 0.9 = 3.333.
    assert numbers(got["DOSSIER_RECEIVING_SATISFACTION"]) == (
        3,
        6,
        Decimal("0.5000"),
        Decimal("3.33"),
        "computed",
    )
    # Online services: ratios only, no points (the portal's split is not established).
    assert numbers(got["ONLINE_CHANNEL_SHARE"]) == (1, 6, Decimal("0.1667"), None, "ratio_only")
    assert numbers(got["FULL_ONLINE_DOSSIERS"]) == (1, 4, Decimal("0.2500"), None, "ratio_only")
    # What egov has no data for is never a 0.
    for code in ("PUBLISH_ON_TIME", "SYNCED_WITH_DVCQG_PERSONAL_STORAGE"):
        assert numbers(got[code]) == (None, None, None, None, "no_data")
    # 4.2, linear: only a has files (its reused result); it has no result to sign. 4 × 1/6.
    assert numbers(got["DIGITISED_DOSSIERS"]) == (
        1,
        6,
        Decimal("0.1667"),
        Decimal("0.67"),
        "computed",
    )
    # No feedback received in March: 0/0 gives full marks (the portal's rule for 5.2 and 5.3;
    # the figures with feedback: test_service_index_feedback.py).
    for code in ("PETITION_PROCESSING_ON_TIME", "PETITION_HANDLING_SATISFACTION"):
        assert numbers(got[code]) == (0, 0, None, Decimal("6.00"), "computed")
    # 13.33 + 2 + 3 + 3 + 0.67 + 0.42 + 0.33 + 3.33 + 6 + 6
    assert index.points == Decimal("38.08")
    assert index.computed_max_points == Decimal("64.00")  # 20 + 6 + 6 + 6 + 4 + 2 + 2 + 6 + 12
    assert index.max_points == Decimal(100)
    assert index.incomplete_groups == ("transparency", "digitisation", "online")
    groups = {g.group.code: (g.points, g.computed_max_points, g.complete) for g in index.groups}
    assert groups["progress"] == (Decimal("13.33"), Decimal("20.00"), True)
    assert groups["digitisation"] == (Decimal("4.42"), Decimal("14.00"), False)
    assert groups["online"] == (Decimal("3.00"), Decimal("6.00"), False)
    assert groups["online_services"] == (Decimal("0.00"), Decimal("0.00"), False)


def _all(unit, period, code, part):
    page = index_dossiers(unit=unit, period=period, indicator_code=code, part=part)
    assert page.next_after is None
    return [d.pk for d in page.items]


def test_the_drill_down_lists_exactly_the_dossiers_counted(march):
    m = march
    period = parse_index_period(MARCH)
    ids = lambda *names: sorted(m[n].pk for n in names)  # noqa: E731
    assert _all(centre(), period, "ON_TIME", "missing") == ids("b", "d")
    assert _all(centre(), period, "ON_TIME", "numerator") == ids("a", "c", "e", "f")
    assert _all(centre(), period, "ONLINE_PAYMENT_DOSSIERS", "missing") == ids("b")
    assert _all(centre(), period, "ORIGINAL_RESULT_AVAILABLE", "missing") == ids("f")
    assert _all(centre(), period, "DOSSIER_SYNC", "missing") == ids("b", "c", "d", "f")
    assert _all(centre(), period, "DOSSIER_RECEIVING_SATISFACTION", "missing") == ids("b", "d", "f")
    index = service_index(unit=centre(), period=period)
    for result in index.indicators:
        if not result.drillable:  # not computed, or counting feedback (5.2, 5.3)
            with pytest.raises(LookupError):
                index_dossiers(unit=centre(), period=period, indicator_code=result.code, part="x")
            continue
        numerator = _all(centre(), period, result.code, "numerator")
        denominator = _all(centre(), period, result.code, "denominator")
        missing = _all(centre(), period, result.code, "missing")
        assert (len(numerator), len(denominator)) == (result.numerator, result.denominator)
        assert sorted(numerator + missing) == denominator


def test_drill_down_pages_by_keyset(march):
    period = parse_index_period(MARCH)
    expected = sorted(d.pk for d in march.values())
    seen, after = [], None
    while True:
        page = index_dossiers(
            unit=centre(), period=period, indicator_code="ON_TIME", part="denominator",
            after=after, limit=4,
        )  # fmt: skip
        seen += [d.pk for d in page.items]
        if page.next_after is None:
            break
        assert len(page.items) == 4
        after = page.next_after
    assert seen == expected


def test_a_dossier_carried_over_the_month_counts_as_at_the_months_end(march):
    """c was open and not yet due on 31/03; it ended late in April. March does not change;
    April receives nothing of it (a dossier counts in the period it was received)."""
    withdraw(at(2026, 4, 3, 9, 0), march["c"])
    assert Dossier.objects.get(pk=march["c"].pk).outcome == "late"
    march_index = by_code(service_index(unit=centre(), period=parse_index_period(MARCH)))
    assert (march_index["ON_TIME"].numerator, march_index["ON_TIME"].denominator) == (4, 6)
    april = by_code(service_index(unit=centre(), period=parse_index_period("2026-04")))
    assert numbers(april["ON_TIME"]) == (0, 0, None, None, "no_data")
    # Denominator 0: satisfaction gives 0 points (as the portal does), others no data.
    assert numbers(april["DOSSIER_RECEIVING_SATISFACTION"]) == (
        0,
        0,
        None,
        Decimal("0.00"),
        "computed",
    )


def test_a_dossier_with_classified_feedback_about_it_is_not_counted_satisfied(march, settings):
    """5.4 as the national portal counts it: e (early, not disliked) gets a feedback about
    conduct, routed on 10/03 — e leaves the satisfied; a refused feedback naming a, and one
    naming c received in April, change nothing."""
    from egov.feedback.models import FeedbackChannel
    from egov.feedback.services import Submission, Submitter, feedback_refuse, feedback_route
    from egov.feedback.services import feedback_submit as submit_feedback

    settings.EGOV_FEEDBACK_CENTRE = "qn.ttpvhcc"
    desk = user("tinh.tiepnhan")

    def about(dossier, when):
        with time_machine.travel(when, tick=False):
            feedback, _secret = submit_feedback(
                actor=desk,
                centre=centre(),
                channel=FeedbackChannel.HOTLINE,
                submission=Submission(
                    kind="phan_anh",
                    title="Cán bộ hẹn lại nhiều lần",
                    content="Tôi phải đến ba lần.",
                    submitter=Submitter(name="Nguyễn Văn An", phone="0912345678"),
                    dossier=dossier,
                ),
            )
        return feedback

    with time_machine.travel(at(2026, 3, 10, 9, 0), tick=False):
        feedback_route(
            actor=desk,
            feedback=about(march["e"], at(2026, 3, 9, 9, 0)),
            unit=Unit.objects.get(key="qn.so-tu-phap"),
            topic="conduct",
        )
        feedback_refuse(
            actor=desk, feedback=about(march["a"], at(2026, 3, 9, 10, 0)), reason="Không rõ"
        )
    about(march["c"], at(2026, 4, 2, 9, 0))
    period = parse_index_period(MARCH)
    got = by_code(service_index(unit=centre(), period=period))
    # a and c: on time and not disliked; 6 × (2/6) / 0.9 = 2.222.
    assert numbers(got["DOSSIER_RECEIVING_SATISFACTION"]) == (
        2,
        6,
        Decimal("0.3333"),
        Decimal("2.22"),
        "computed",
    )
    missing = _all(centre(), period, "DOSSIER_RECEIVING_SATISFACTION", "missing")
    assert missing == sorted(march[n].pk for n in ("b", "d", "e", "f"))


def test_on_time_and_late_around_the_national_day_holiday(quang_ninh):
    """Received Monday 31/08/2026 with 3 working days: 01 and 02/09 are holidays, so the
    appointment is Monday 07/09 17:00 (without them, Thursday 03/09). Ended Friday 04/09:
    early; ended Tuesday 08/09: late. Scored for the third quarter."""
    early = receive(at(2026, 8, 31, 9, 0))
    late = receive(at(2026, 8, 31, 9, 0))
    assert early.due_at == at(2026, 9, 7, 17, 0)
    withdraw(at(2026, 9, 4, 10, 0), early)
    withdraw(at(2026, 9, 8, 9, 0), late)
    period = parse_index_period("2026-Q3")
    result = by_code(service_index(unit=centre(), period=period))["ON_TIME"]
    assert numbers(result) == (1, 2, Decimal("0.5000"), Decimal("10.00"), "computed")
    assert _all(centre(), period, "ON_TIME", "missing") == [late.pk]


def test_a_supplement_that_moved_the_appointment_keeps_the_dossier_on_time(quang_ninh):
    """Received Monday 02/03 (due Thursday 05/03); asked to supplement on 03/03, complete on
    09/03: the processing time starts again (NĐ 61/2018 Điều 19 khoản 4), due 12/03 17:00.
    Ended on 11/03, after the first appointment but before the moved one: on time."""
    version = version_by_code(HKD, dt.date(2026, 3, 2))
    ProcedureVersion.objects.filter(pk=version.pk).update(supplement_clock="restart")
    ward = Unit.objects.get(key="qn.x.hong-gai.ubnd")
    dossier = receive(at(2026, 3, 2, 9, 0))
    dossier = act(at(2026, 3, 2, 9, 0), "tinh.tiepnhan", dossier, "hand_off", handling_unit=ward)
    with time_machine.travel(at(2026, 3, 3, 9, 0), tick=False):
        dossier = dossier_transition(
            actor=user("honggai.chuyenvien"),
            dossier=dossier,
            action="request_supplement",
            data={"items": ["Bản sao giấy tờ tùy thân"]},
        )
    dossier = act(at(2026, 3, 9, 9, 0), "tinh.tiepnhan", dossier, "supplemented")
    assert dossier.due_at == at(2026, 3, 12, 17, 0)
    dossier = withdraw(at(2026, 3, 11, 9, 0), dossier)
    assert dossier.outcome == "early"
    # Counted in the ward that handles it (the default EGOV_REPORT_UNIT_BASIS), as on Biểu 06.
    result = by_code(service_index(unit=ward, period=parse_index_period(MARCH)))["ON_TIME"]
    assert numbers(result) == (1, 1, Decimal("1.0000"), Decimal("20.00"), "computed")


def test_the_index_rolls_up_the_units_below(march):
    """The province's root unit counts the centre's dossiers; a sibling unit counts none."""
    root = centre()
    while root.parent_id is not None:
        root = root.parent
    rolled = by_code(service_index(unit=root, period=parse_index_period(MARCH)))["ON_TIME"]
    assert (rolled.numerator, rolled.denominator) == (4, 6)
    other = Unit.objects.get(key="qn.x.ha-long.ubnd")
    alone = by_code(service_index(unit=other, period=parse_index_period(MARCH)))["ON_TIME"]
    assert (alone.numerator, alone.denominator) == (0, 0)


# --- scoring rules --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "max_points", "ratio", "points"),
    [
        # Linear, as observed on the portal: 96.34 % of 4 → 3.85; 64.25 % of 6 → 3.86 (half up).
        (Rule("linear"), 4, "0.9634", "3.85"),
        (Rule("linear"), 6, "0.6425", "3.86"),
        (Rule("linear"), 20, "1", "20.00"),
        # Threshold 80 %: full marks from 80 %; 18.63 % of 2 → 0.47 (observed).
        (Rule("threshold", Fraction(4, 5)), 2, "0.8", "2.00"),
        (Rule("threshold", Fraction(4, 5)), 2, "0.95", "2.00"),
        (Rule("threshold", Fraction(4, 5)), 2, "0.5", "1.25"),
        (Rule("threshold", Fraction(4, 5)), 2, "0.1863", "0.47"),
        # Threshold 90 %: 85 % of 6 → 5.67.
        (Rule("threshold", Fraction(9, 10)), 6, "0.85", "5.67"),
        (Rule("threshold", Fraction(9, 10)), 6, "0.9", "6.00"),
        (Rule("linear"), 6, "0", "0.00"),
    ],
)
def test_scoring_rules(rule, max_points, ratio, points):
    assert rule.points(Decimal(max_points), Fraction(ratio)) == Decimal(points)


def _shipped():
    with DATA_FILE.open(encoding="utf-8") as handle:
        return json.load(handle)


def _indicator(version, code):
    return next(i for i in version["indicators"] if i["code"] == code)


def test_denominator_zero_follows_each_indicators_rule(quang_ninh):
    data = _shipped()
    version = data["versions"][0]
    _indicator(version, "DOSSIER_SYNC")["zero_denominator"] = "full"
    _indicator(version, "ON_TIME")["zero_denominator"] = "zero"
    versions = parse_versions(data, MEASURE_SOURCES)
    empty = parse_index_period("2026-02")
    got = by_code(service_index(unit=centre(), period=empty, versions=versions))
    assert numbers(got["DOSSIER_SYNC"]) == (0, 0, None, Decimal("6.00"), "computed")
    assert numbers(got["ON_TIME"]) == (0, 0, None, Decimal("0.00"), "computed")
    assert numbers(got["ONLINE_PAYMENT_DOSSIERS"]) == (0, 0, None, None, "no_data")
    satisfaction = numbers(got["DOSSIER_RECEIVING_SATISFACTION"])
    assert satisfaction == (0, 0, None, Decimal("0.00"), "computed")


def test_a_new_version_takes_effect_on_its_date(march):
    """From 31/03/2026 (an invented version for the test) the on-time indicator is worth 20
    points from 50 %. March ends on 31/03, so it is scored with the new version; February
    with the old one, which stays in force until 30/03."""
    data = _shipped()
    old = data["versions"][0]
    old["effective_to"] = "2026-03-30"
    new = copy.deepcopy(old)
    new.update(key="test-2026-03-31", effective_from="2026-03-31", effective_to=None)
    _indicator(new, "ON_TIME")["rule"] = {"kind": "threshold", "threshold": "0.5"}
    data["versions"].append(new)
    versions = parse_versions(data, MEASURE_SOURCES)
    index = service_index(unit=centre(), period=parse_index_period(MARCH), versions=versions)
    assert index.version.key == "test-2026-03-31"
    assert by_code(index)["ON_TIME"].points == Decimal("20.00")  # 4/6 ≥ 50 %
    february = service_index(unit=centre(), period=parse_index_period("2026-02"), versions=versions)
    assert february.version.key == old["key"]
    shipped = service_index(unit=centre(), period=parse_index_period(MARCH))
    assert by_code(shipped)["ON_TIME"].points == Decimal("13.33")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda v: _indicator(v, "ON_TIME").update(max_points="19"), "do not add up"),
        (lambda v: _indicator(v, "ON_TIME").update(numerator="late_ones"), "unknown measure"),
        # A ratio of feedback over dossiers means nothing.
        (
            lambda v: _indicator(v, "ON_TIME").update(numerator="feedback_on_time"),
            "different kinds",
        ),
        (lambda v: _indicator(v, "ON_TIME").update(rule={"kind": "threshold"}), "threshold"),
        (lambda v: v["groups"][0].update(max_points="19"), "do not add up"),
    ],
)
def test_versioned_data_that_does_not_add_up_is_refused(change, message):
    data = _shipped()
    change(data["versions"][0])
    with pytest.raises(ServiceIndexDataError, match=message):
        parse_versions(data, MEASURE_SOURCES)


def test_overlapping_versions_are_refused():
    data = _shipped()
    data["versions"].append({**copy.deepcopy(data["versions"][0]), "key": "again"})
    with pytest.raises(ServiceIndexDataError, match="overlaps"):
        parse_versions(data, MEASURE_SOURCES)


def test_the_shipped_data_adds_up_to_100_in_five_groups():
    (version,) = parse_versions(_shipped(), MEASURE_SOURCES)
    top = {g.code: g.max_points for g in version.groups if g.parent is None}
    assert top == {
        "transparency": 18,
        "progress": 20,
        "digitisation": 22,
        "online": 22,
        "satisfaction": 18,
    }
    parts = {g.code: g.max_points for g in version.groups if g.parent == "online"}
    assert parts == {"online_services": 12, "online_payment": 10}


@pytest.mark.parametrize(
    ("text", "first", "last", "code"),
    [
        ("2026-03", dt.date(2026, 3, 1), dt.date(2026, 3, 31), "2026-03"),
        ("2026-Q2", dt.date(2026, 4, 1), dt.date(2026, 6, 30), "2026-Q2"),
        ("2026", dt.date(2026, 1, 1), dt.date(2026, 12, 31), "2026"),
    ],
)
def test_periods_are_calendar_months_quarters_and_years(text, first, last, code):
    period = parse_index_period(text)
    assert (period.first_day, period.last_day, period_code(period)) == (first, last, code)


@pytest.mark.parametrize("text", ["2026-13", "2026-3", "26-03", "2026-Q5", "", None, "1999-01"])
def test_bad_periods_are_refused(text):
    with pytest.raises(PeriodError):
        parse_index_period(text)
