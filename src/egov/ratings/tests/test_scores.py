"""The Điều 15 scores per officer and per unit (TT 01/2018/TT-VPCP) on a small built data set:
three dossiers of the provincial centre handled by the Sở Tư pháp in March 2026, two rated by
their applicants on the official indices, one rated on the old scale."""

import datetime as dt
from decimal import Decimal

import pytest

from egov.dossiers.tests.helpers import user
from egov.org.models import Unit
from egov.ratings.models import Rating
from egov.ratings.selectors import evaluation_scores
from egov.ratings.services import unit_assessment_record
from egov.ratings.tests.helpers import build_march

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def march(quang_ninh):
    return build_march()


def rows(report, kind):
    return {row.name: row for row in getattr(report, kind)}


def test_per_officer_scores_and_grades(march):
    report = evaluation_scores(start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31))
    assert (report.ratings, report.legacy_ratings) == (2, 1)
    officers = rows(report, "officers")
    desk = officers[user("tinh.tiepnhan").get_full_name() or "tinh.tiepnhan"]
    assert desk.dossiers == 3
    # 1: (2+1)/2; 2: desk steps (1+0+1)/3 = 0.67 → 0.7; 3: (2+0)/2; 4: (1+0)/2; 7: (2+0)/2.
    assert desk.averages == {1: D("1.5"), 2: D("0.7"), 3: D("1.0"), 4: D("0.5"), 7: D("1.0")}
    assert desk.total == D("4.7")
    assert desk.grade == "Hoàn thành từ 70% đến dưới 100% nhiệm vụ"
    leader = officers[user("tinh.lanhdaophong").get_full_name() or "tinh.lanhdaophong"]
    # 2: handling steps (2+1+0)/3 = 1.0.
    assert leader.averages == {1: D("1.5"), 2: D("1.0"), 3: D("1.0"), 4: D("0.5"), 7: D("1.0")}
    assert (leader.total, leader.grade) == (D("5.0"), "Hoàn thành 100% nhiệm vụ")
    specialist = officers[user("tinh.chuyenvien").get_full_name() or "tinh.chuyenvien"]
    assert (specialist.total, specialist.dossiers) == (D("5.0"), 3)


def test_per_unit_scores_with_assessed_indices(march):
    centre = Unit.objects.get(key="qn.ttpvhcc")
    leader = user("tinh.lanhdaophong")
    for index, facts in (
        (6, {"posted": True, "electronic": True}),
        (8, {"total": 10, "on_time": 9, "prolonged": 0}),
    ):
        unit_assessment_record(
            actor=leader,
            unit=centre,
            index=index,
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 3, 31),
            facts=facts,
            basis="Biên bản kiểm tra số 12/BB-VP ngày 31/3/2026",
        )
    report = evaluation_scores(start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31))
    units = {row.key: row for row in report.units}
    row = units[centre.pk]
    assert row.dossiers == 3
    assert row.averages[1] == D("1.5") and row.averages[2] == D("0.7")
    assert (row.averages[5], row.averages[6], row.averages[8]) == (None, D(2), D(1))
    # Index 9 from the system: none of the 3 dossiers it received came online (< 15 %).
    assert row.averages[9] == D(0)
    assert row.total == D("7.7")  # 1.5 + 0.7 + 1.0 + 0.5 + 1.0 + 2 + 1 + 0
    assert row.grade == "Trung bình"
    justice = units[Unit.objects.get(key="qn.so-tu-phap").pk]
    assert justice.averages[2] == D("1.0")
    assert justice.total == D("5.0") and justice.grade == "Yếu"


def test_the_period_and_the_readers_units(march):
    # C ended on 13/03: outside a period that ends on 12/03.
    report = evaluation_scores(start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 12))
    assert {row.dossiers for row in report.officers} == {2}
    centre = Unit.objects.get(key="qn.ttpvhcc")
    scoped = evaluation_scores(
        start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31), unit_ids={centre.pk}
    )
    assert [row.key for row in scoped.units] == [centre.pk]
    assert evaluation_scores(start=dt.date(2026, 4, 1), end=dt.date(2026, 4, 30)).officers == []


def test_old_and_new_ratings_stay_readable(march):
    from egov.ratings.selectors import rating_lines

    a, _b, c = march
    assert rating_lines(c.rating) == [("Đánh giá tổng thể dịch vụ", "Rất hài lòng")]
    lines = rating_lines(Rating.objects.get(dossier=a))
    assert lines[0] == (
        "Ông/bà nhận kết quả so với ngày hẹn trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
        "Sớm hơn ngày hẹn",
    )
    assert len(lines) == 4
