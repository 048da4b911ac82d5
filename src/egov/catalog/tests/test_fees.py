import pytest
from hypothesis import given
from hypothesis import strategies as st

from egov.catalog.fees import FeeInputError, quote, quote_rule, worked_example
from egov.catalog.models import FeeKind, FeeRule


def certified_copy():
    # TT 226/2016/TT-BTC: 2.000 đ/trang for pages 1-2, 1.000 đ/trang from page 3, ≤ 200.000 đ/bản.
    return FeeRule(
        name="Phí chứng thực",
        kind=FeeKind.PER_PAGE,
        first_pages=2,
        first_page_rate=2000,
        later_page_rate=1000,
        cap_per_copy=200000,
    )


def judicial_record():
    # TT 244/2016/TT-BTC: 200.000 đ (100.000 đ for students, people with merit),
    # +5.000 đ/bản from the 3rd copy.
    return FeeRule(
        name="Phí LLTP",
        kind=FeeKind.PER_COPY,
        amount=200000,
        included_copies=2,
        extra_copy_amount=5000,
        category_amounts={"student": 100000, "merit": 100000},
    )


@pytest.mark.parametrize(
    ("pages", "copies", "expected"),
    [
        (1, 1, 2000),
        (2, 1, 4000),
        (3, 1, 5000),
        (5, 2, 14000),
        (196, 1, 198000),
        (197, 1, 199000),
        (198, 1, 200000),
        (500, 1, 200000),
        (500, 3, 600000),
    ],
)
def test_certified_copy_pages_tiers_and_cap(pages, copies, expected):
    assert quote_rule(certified_copy(), pages=pages, copies=copies).amount == expected


@pytest.mark.parametrize(
    ("copies", "category", "expected"),
    [
        (1, None, 200000),
        (2, None, 200000),
        (3, None, 205000),
        (5, None, 215000),
        (1, "student", 100000),
        (4, "merit", 110000),
    ],
)
def test_judicial_record_copies_and_reduced_rates(copies, category, expected):
    assert quote_rule(judicial_record(), copies=copies, category=category).amount == expected


def test_exemption_free_and_unknown():
    residence = FeeRule(
        name="Lệ phí đăng ký thường trú",
        kind=FeeKind.FLAT,
        amount=20000,
        exempt_categories=["child", "elderly"],
    )
    assert quote([residence]).total == 20000
    line = quote([residence], category="child").lines[0]
    assert line.amount == 0 and "Trẻ em" in line.explanation
    unknown = FeeRule(name="Lệ phí HĐND tỉnh", kind=FeeKind.UNKNOWN)
    assert quote([residence, unknown]).total is None
    assert quote([FeeRule(name="x", kind=FeeKind.FREE)]).total == 0


def test_bad_input_is_rejected():
    with pytest.raises(FeeInputError):
        quote([certified_copy()], pages=0)
    with pytest.raises(FeeInputError):
        quote([certified_copy()], category="alien")


def test_worked_example_explains_the_arithmetic():
    text = worked_example(certified_copy())
    assert (
        text
        == "Ví dụ: bản 5 trang: 2 × 2.000 đ + 3 × 1.000 đ = 7.000 đ mỗi bản; 1 bản. Tổng 7.000 đ."
    )
    assert worked_example(judicial_record()) == (
        "Ví dụ: yêu cầu 4 bản: 200.000 đ cho 2 bản đầu; 2 bản thêm × 5.000 đ. Tổng 210.000 đ."
    )


@given(st.integers(min_value=1, max_value=2000), st.integers(min_value=1, max_value=20))
def test_per_page_fee_grows_with_pages_and_never_exceeds_the_cap(pages, copies):
    rule = certified_copy()
    amount = quote_rule(rule, pages=pages, copies=copies).amount
    more = quote_rule(rule, pages=pages + 1, copies=copies).amount
    assert amount <= more <= 200000 * copies
    assert amount % copies == 0
