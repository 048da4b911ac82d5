"""Số, ký hiệu and the date line (NĐ 30/2020, Phụ lục I II.3-II.4), with property tests."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from egov.documents.notation import (
    build_notation,
    code_problems,
    date_line,
    format_number,
    number_line,
    parse_code,
)

ABBREVIATIONS = ["QĐ", "QyĐ", "CTr", "TTr", "TrS", "NQ", "CT", "KH", "BC", "TB", "GM", "HĐ"]
ISSUERS = ["UBND", "BNV", "SNV", "VPCP", "HĐND"]


def test_official_examples():
    assert number_line(5, build_notation(type_abbreviation="QĐ", issuer="UBND")) == "Số: 05/QĐ-UBND"
    assert (
        number_line(123, build_notation(type_abbreviation="", issuer="UBND", unit="VX"))
        == "Số: 123/UBND-VX"
    )
    assert number_line(2459, "QĐ-UBND") == "Số: 2459/QĐ-UBND"
    assert build_notation(type_abbreviation="QyĐ", issuer="ubnd") == "QyĐ-UBND"
    assert build_notation(type_abbreviation="CTr", issuer="BNV") == "CTr-BNV"
    assert build_notation(type_abbreviation="", issuer="BNV", unit="vp") == "BNV-VP"
    assert format_number(1) == "01"
    assert format_number(9) == "09"
    assert format_number(10) == "10"


def test_builder_refuses_what_cannot_be_a_notation():
    with pytest.raises(ValueError, match="công văn"):
        build_notation(type_abbreviation="", issuer="UBND")
    with pytest.raises(ValueError, match="issuer"):
        build_notation(type_abbreviation="QĐ", issuer=" ")
    with pytest.raises(ValueError):
        format_number(0)


def test_date_line_examples():
    assert date_line("Hạ Long", dt.date(2026, 2, 5)) == "Hạ Long, ngày 05 tháng 02 năm 2026"
    assert date_line("Hà Nội", dt.date(2020, 1, 5)) == "Hà Nội, ngày 05 tháng 01 năm 2020"
    assert (
        date_line("Thành phố Hồ Chí Minh", dt.date(2019, 6, 29))
        == "Thành phố Hồ Chí Minh, ngày 29 tháng 6 năm 2019"
    )
    assert date_line("Hạ Long", dt.date(2026, 12, 1)) == "Hạ Long, ngày 01 tháng 12 năm 2026"
    assert date_line("Hạ Long", dt.date(2026, 3, 10)) == "Hạ Long, ngày 10 tháng 3 năm 2026"


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_date_line_leading_zeros(day: dt.date):
    line = date_line("Hạ Long", day)
    match = re.fullmatch(r"Hạ Long, ngày (\d+) tháng (\d+) năm (\d{4})", line)
    assert match is not None
    day_text, month_text, year_text = match.groups()
    assert len(day_text) == 2 and int(day_text) == day.day
    assert int(month_text) == day.month and int(year_text) == day.year
    # Months 1 and 2 get a leading zero, the others none.
    assert len(month_text) == (2 if day.month <= 2 else len(str(day.month)))


@given(
    st.integers(min_value=1, max_value=99_999),
    st.sampled_from([*ABBREVIATIONS, ""]),
    st.sampled_from(ISSUERS),
    st.sampled_from(["VP", "VX", "TH", "KT"]),
)
def test_built_codes_parse_back_without_problems(number, abbreviation, issuer, unit):
    notation = build_notation(type_abbreviation=abbreviation, issuer=issuer, unit=unit)
    line = number_line(number, notation)
    assert " " not in line.removeprefix("Số: ")
    parsed, problems = parse_code(line)
    assert problems == []
    assert parsed is not None
    assert parsed.number == number
    assert parsed.notation == notation
    parsed_bare, problems_bare = parse_code(line.removeprefix("Số: "))
    assert problems_bare == [] and parsed_bare == parsed


TWO_GROUPS = (
    "Ký hiệu phải có ít nhất hai nhóm chữ viết tắt, nối với nhau bằng dấu “-” (ví dụ QĐ-UBND)."
)


@given(st.integers(min_value=1, max_value=9), st.sampled_from(ABBREVIATIONS))
def test_single_digits_without_leading_zero_are_flagged(number, abbreviation):
    parsed, problems = parse_code(f"{number}/{abbreviation}-UBND")
    assert problems == ["Số nhỏ hơn 10 phải có số 0 ở trước (ví dụ 05)."]
    assert parsed is not None and parsed.number == number


@pytest.mark.parametrize(
    ("typed", "problems"),
    [
        ("05/QĐ-UBND", []),
        ("Số: 05/QĐ-UBND", []),
        ("123/UBND-VX", []),
        ("5/QĐ-UBND", ["Số nhỏ hơn 10 phải có số 0 ở trước (ví dụ 05)."]),
        ("012/QĐ-UBND", ["Số từ 10 trở lên không có số 0 ở trước."]),
        ("05 / QĐ-UBND", ["Số và ký hiệu văn bản không được có dấu cách."]),
        ("05/qđ-ubnd", ["Ký hiệu phải viết bằng chữ in hoa."]),
        ("05/Qyđ-UBND", ["Ký hiệu phải viết bằng chữ in hoa."]),
        ("05/QyĐ-UBND", []),
        ("05QĐ-UBND", ["Thiếu dấu “/” giữa số và ký hiệu (ví dụ 05/QĐ-UBND)."]),
        ("AB/QĐ-UBND", ["Số văn bản chỉ gồm chữ số (ví dụ 05)."]),
        ("00/QĐ-UBND", ["Số văn bản phải từ 01 trở lên."]),
        ("100000000000/QĐ-UBND", ["Số văn bản không được dài quá 11 chữ số."]),
        (
            "05/QĐ/UBND",
            [
                "Chỉ có một dấu “/”, đặt giữa số và ký hiệu.",
                TWO_GROUPS,
                "Ký hiệu chỉ gồm chữ cái, chữ số và dấu “-”.",
            ],
        ),
        ("05/QĐ-" + "A" * 30, ["Ký hiệu không được dài quá 30 ký tự."]),
        ("05/QĐ--UBND", ["Ký hiệu thiếu nhóm chữ viết tắt hoặc thừa dấu “-”."]),
        (
            "05/UBND",
            [TWO_GROUPS],
        ),
        (
            "05/QĐ_UBND",
            [
                TWO_GROUPS,
                "Ký hiệu chỉ gồm chữ cái, chữ số và dấu “-”.",
            ],
        ),
        (
            "số 05/QĐ-UBND",
            [
                "Chữ “Số” viết hoa chữ cái đầu, tiếp theo là dấu hai chấm và một dấu cách "
                "(ví dụ Số: 05/QĐ-UBND)."
            ],
        ),
        ("", ["Chưa nhập số, ký hiệu văn bản."]),
    ],
)
def test_validator_says_what_is_wrong(typed, problems):
    assert code_problems(typed) == problems


def test_validator_understands_a_code_typed_with_mistakes_of_form():
    parsed, problems = parse_code("5 / qđ-ubnd")
    assert parsed is not None
    assert (parsed.number, parsed.notation) == (5, "QĐ-UBND")
    assert problems == [
        "Số và ký hiệu văn bản không được có dấu cách.",
        "Số nhỏ hơn 10 phải có số 0 ở trước (ví dụ 05).",
        "Ký hiệu phải viết bằng chữ in hoa.",
    ]
