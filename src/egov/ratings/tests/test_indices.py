"""The official indices as data (TT 01/2018/TT-VPCP Điều 13): each threshold vector gives the
exact score; the aggregation (Điều 15 khoản 2) and the grade boundaries (khoản 3)."""

import datetime as dt
from decimal import Decimal

import pytest

from egov.ratings.indices import (
    citizen_scores,
    grade_of,
    index_average,
    index_set_on,
    score_conduct,
    score_count,
    score_desk_model,
    score_feedback,
    score_online,
    score_publicity,
    score_timing,
    total_of,
)

TT01 = index_set_on(dt.date(2026, 12, 1))


def test_the_version_in_force_and_its_citations():
    assert TT01.key == "tt01-2018"
    assert TT01.valid_from == dt.date(2019, 1, 6)
    assert index_set_on(dt.date(2019, 1, 6)) is TT01
    with pytest.raises(LookupError):
        index_set_on(dt.date(2019, 1, 5))
    assert sorted(TT01.indices) == [1, 2, 3, 4, 5, 6, 7, 8, 9]
    assert [n for n, i in TT01.indices.items() if i.source == "citizen"] == [1, 3, 4, 7]
    assert [n for n, i in TT01.indices.items() if i.source == "system"] == [2, 9]
    assert [n for n, i in TT01.indices.items() if i.source == "assessment"] == [5, 6, 8]
    assert TT01.index(3).citation == "TT 01/2018/TT-VPCP Điều 13 khoản 3"
    assert TT01.officer_indices == (1, 2, 3, 4, 7)
    # Whether TT 03/2025 keeps the indices is not confirmed: the version says so.
    assert TT01.confirmed is False and "chưa đối chiếu" in TT01.note
    assert [n for n, i in TT01.indices.items() if not i.confirmed] == [2, 7, 9]


@pytest.mark.parametrize(("timing", "score"), [("early", 2), ("on_time", 1), ("late", 0)])
def test_indices_1_and_2_shorter_equal_longer(timing, score):
    assert score_timing(TT01.index(1), timing) == score
    assert score_timing(TT01.index(2), timing) == score


@pytest.mark.parametrize(("count", "score"), [(0, 2), (1, 1), (2, 0), (7, 0)])
def test_indices_3_and_4_contacts_and_agencies(count, score):
    assert score_count(TT01.index(3), count) == score
    assert score_count(TT01.index(4), count) == score


def test_a_negative_count_is_refused():
    with pytest.raises(ValueError):
        score_count(TT01.index(3), -1)


@pytest.mark.parametrize(
    ("level", "full", "desk", "score"),
    [
        ("tinh", "0.20", "0.50", 2),
        ("tinh", "0.19", "1", 1),
        ("tinh", "0.19", "0.99", 0),
        ("huyen", "0.50", "0", 2),
        ("huyen", "0.49", "1", 1),
        ("xa", "1", "1", 2),
        ("xa", "0.99", "1", 1),
        ("xa", "0.99", "0.98", 0),
    ],
)
def test_index_5_desk_model_by_level(level, full, desk, score):
    index = TT01.index(5)
    assert (
        score_desk_model(
            index, level=level, full_handling_share=Decimal(full), at_desk_share=Decimal(desk)
        )
        == score
    )


@pytest.mark.parametrize(
    ("posted", "electronic", "score"),
    [(True, True, 2), (True, False, 1), (False, True, 1), (False, False, 0)],
)
def test_index_6_publicity(posted, electronic, score):
    assert score_publicity(TT01.index(6), posted=posted, electronic=electronic) == score


@pytest.mark.parametrize(
    ("timing", "complaint", "score"),
    [
        ("early", False, 2),
        ("on_time", False, 1),
        ("late", False, 0),  # not in the text: the data's unconfirmed choice
        ("early", True, 0),
        ("on_time", True, 0),
    ],
)
def test_index_7_conduct(timing, complaint, score):
    assert score_conduct(TT01.index(7), timing=timing, complaint=complaint) == score


@pytest.mark.parametrize(
    ("total", "on_time", "prolonged", "score"),
    [
        (0, 0, 0, 2),
        (10, 10, 0, 2),
        (10, 9, 0, 1),
        (100, 90, 0, 1),
        (100, 89, 0, 0),
        (10, 10, 1, 0),
        (0, 0, 1, 0),
    ],
)
def test_index_8_feedback(total, on_time, prolonged, score):
    index = TT01.index(8)
    assert score_feedback(index, total=total, on_time=on_time, prolonged=prolonged) == score


def test_index_8_refuses_inconsistent_counts():
    with pytest.raises(ValueError):
        score_feedback(TT01.index(8), total=3, on_time=4, prolonged=0)


@pytest.mark.parametrize(
    ("procedures", "dossiers", "failed", "score"),
    [
        ("0.20", "0.30", 0, 2),
        ("0.19", "0.30", 0, 1),
        ("0.20", "0.29", 0, 1),
        ("0.05", "0.15", 0, 1),
        ("0.20", "0.149", 0, 0),
        ("0.50", "0.80", 1, 0),
        ("0", "0.50", 0, 0),
    ],
)
def test_index_9_online_services(procedures, dossiers, failed, score):
    assert (
        score_online(
            TT01.index(9),
            procedures_share=Decimal(procedures),
            dossiers_share=Decimal(dossiers),
            online_failed=failed,
        )
        == score
    )


def test_the_applicant_answers_score_indices_1_3_4_7():
    answers = {"timing": "early", "contacts": "1", "agencies": "2", "complaint": "no"}
    assert citizen_scores(TT01, answers) == {"1": 2, "3": 1, "4": 0, "7": 2}
    answers = {"timing": "on_time", "contacts": "0", "agencies": "1", "complaint": "yes"}
    assert citizen_scores(TT01, answers) == {"1": 1, "3": 2, "4": 1, "7": 0}


def test_index_average_rounds_to_one_decimal_half_up():
    assert index_average([2, 1, 1], decimals=1) == Decimal("1.3")  # 1.333…
    assert index_average([2, 2, 1, 1, 1, 1], decimals=1) == Decimal("1.3")  # 1.333…
    assert index_average([2, 1, 1, 1], decimals=1) == Decimal("1.3")  # 1.25 → 1.3
    assert index_average([2, 2, 1], decimals=1) == Decimal("1.7")  # 1.666…
    assert index_average([], decimals=1) is None
    # An index without data is left out of the total (Điều 15 khoản 4 điểm b).
    assert total_of({1: Decimal("1.3"), 2: None, 3: Decimal("2.0")}) == Decimal("3.3")


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        ("10", "Hoàn thành 100% nhiệm vụ"),
        ("5", "Hoàn thành 100% nhiệm vụ"),
        ("4.9", "Hoàn thành từ 70% đến dưới 100% nhiệm vụ"),
        ("3.5", "Hoàn thành từ 70% đến dưới 100% nhiệm vụ"),
        ("3.4", "Hoàn thành dưới 70% nhiệm vụ"),
        ("0", "Hoàn thành dưới 70% nhiệm vụ"),
    ],
)
def test_officer_grades(total, grade):
    assert grade_of(Decimal(total), TT01.officer_grades) == grade


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        ("18", "Xuất sắc"),
        ("15", "Xuất sắc"),
        ("14.9", "Tốt"),
        ("12", "Tốt"),
        ("11.9", "Khá"),
        ("9", "Khá"),
        ("8.9", "Trung bình"),
        ("6", "Trung bình"),
        ("5.9", "Yếu"),
        ("0", "Yếu"),
    ],
)
def test_unit_grades(total, grade):
    assert grade_of(Decimal(total), TT01.unit_grades) == grade
