"""The SVG charts: parsed as XML, each bar, point and label where its number puts it, with the
accessible name and summary, and Vietnamese number formatting."""

from decimal import Decimal
from xml.etree import ElementTree

import pytest
from django.utils import translation

from egov.reports.charts import (
    Series,
    bar_chart,
    line_chart,
    ratio,
    ratio_bar,
    vn_number,
    vn_percent,
)

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


def parse(svg):
    return ElementTree.fromstring(str(svg))  # noqa: S314 — SVG the test itself just drew


def rects(root):
    return [r for r in root.iter(f"{SVG}rect") if "data-value" in r.attrib]


def texts(root, cls):
    return [t.text for t in root.iter(f"{SVG}text") if t.get("class") == cls]


def test_numbers_are_written_the_vietnamese_way():
    assert vn_number(1234567) == "1.234.567"
    assert vn_number(12) == "12"
    assert vn_number(Decimal("1234.5")) == "1.234,5"
    assert vn_percent(Decimal("0.875")) == "87,5 %"
    assert vn_percent(Decimal(1) / 3) == "33,3 %"
    assert vn_percent(Decimal(1), 0) == "100 %"
    assert vn_percent(None) == "—"
    assert ratio(3, 4) == Decimal("0.75")
    assert ratio(0, 0) is None


def test_every_chart_has_its_accessible_name_and_summary():
    root = parse(
        bar_chart(
            chart_id="c1",
            title="Hồ sơ quá hạn",
            desc="Theo đơn vị",
            categories=["A"],
            series=[Series("Số hồ sơ", [1])],
        )
    )
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "c1-title c1-desc"
    assert root.find(f"{SVG}title").text == "Hồ sơ quá hạn"
    assert root.find(f"{SVG}title").get("id") == "c1-title"
    assert root.find(f"{SVG}desc").text == "Theo đơn vị"
    # It scales with the page: a viewBox and a relative width.
    assert root.get("width") == "100%"
    assert root.get("viewBox").startswith("0 0 640 ")


def test_grouped_bars_are_as_long_as_their_values():
    root = parse(
        bar_chart(
            chart_id="c2",
            title="t",
            desc="d",
            categories=["Sở Tư pháp", "Sở Xây dựng"],
            series=[Series("Quá hạn", [3, 6])],
        )
    )
    bars = rects(root)
    # Plot width 640 - 8 - 96 = 536 for the largest value (6); a group is 18 + 22 + 14 = 54 tall.
    assert [(b.get("x"), b.get("y"), b.get("width")) for b in bars] == [
        ("8", "18", "268"),
        ("8", "72", "536"),
    ]
    assert [b.get("data-value") for b in bars] == ["3", "6"]
    assert texts(root, "value") == ["3", "6"]
    values = [t for t in root.iter(f"{SVG}text") if t.get("class") == "value"]
    assert [v.get("x") for v in values] == ["282", "550"]  # just after each bar's end
    groups = [g.get("data-category") for g in root.iter(f"{SVG}g") if g.get("data-category")]
    assert groups == ["Sở Tư pháp", "Sở Xây dựng"]


def test_stacked_bars_put_the_series_end_to_end_with_a_pattern_and_a_legend():
    root = parse(
        bar_chart(
            chart_id="c3",
            title="t",
            desc="d",
            categories=["A", "B"],
            series=[Series("Quá hạn", [2, 1]), Series("Sắp đến hạn", [2, 3])],
            stacked=True,
        )
    )
    bars = rects(root)
    # Totals 4 and 4: 536 px each; a 24 px legend above; a group is 18 + 22 + 14 = 54 tall.
    assert [(b.get("x"), b.get("y"), b.get("width")) for b in bars] == [
        ("8", "42", "268"),
        ("276", "42", "268"),
        ("8", "96", "134"),
        ("142", "96", "402"),
    ]
    # Not colour alone: the second series is a pattern, named in the legend.
    assert bars[0].get("fill") == "#17456e"
    assert bars[1].get("fill") == "url(#c3-p1)"
    assert root.find(f"{SVG}defs/{SVG}pattern").get("id") == "c3-p1"
    legend = [t.text for t in root.iter(f"{SVG}text") if t.text in ("Quá hạn", "Sắp đến hạn")]
    assert legend == ["Quá hạn", "Sắp đến hạn"]
    assert texts(root, "value") == ["4", "4"]


def test_texts_are_escaped():
    root = parse(
        bar_chart(
            chart_id="c4",
            title="<b>&",
            desc='"',
            categories=["<script>alert(1)</script>"],
            series=[Series("x", [0])],
        )
    )
    assert root.find(f"{SVG}title").text == "<b>&"
    assert rects(root)[0].get("width") == "0"  # nothing to scale: no division by zero


def test_line_points_sit_at_their_ratio_and_the_line_breaks_without_data():
    root = parse(
        line_chart(
            chart_id="c5",
            title="Đúng hạn",
            desc="d",
            categories=["10/2026", "11/2026", "12/2026"],
            values=[Decimal("0.5"), None, Decimal(1)],
        )
    )
    points = list(root.iter(f"{SVG}circle"))
    # x from 56 to 608 in equal steps; y = 210 - 186 × ratio.
    assert [(p.get("cx"), p.get("cy")) for p in points] == [("56", "117"), ("608", "24")]
    assert list(root.iter(f"{SVG}polyline")) == []  # no two neighbouring months with data
    assert texts(root, "value") == ["50 %", "—", "100 %"]
    assert texts(root, "category") == ["10/2026", "11/2026", "12/2026"]


def test_line_joins_neighbouring_months():
    root = parse(
        line_chart(
            chart_id="c6",
            title="t",
            desc="d",
            categories=["1", "2"],
            values=[Decimal("0.5"), Decimal("0.75")],
        )
    )
    assert root.find(f"{SVG}polyline").get("points") == "56,117 608,70.5"


@pytest.mark.parametrize(
    ("numerator", "denominator", "width", "text"),
    [(91, 200, "283.92", "45,5 % (91/200)"), (0, 0, None, "chưa có dữ liệu")],
)
def test_ratio_bar(numerator, denominator, width, text):
    root = parse(
        ratio_bar(chart_id="g", title="Trực tuyến", numerator=numerator, denominator=denominator)
    )
    fill = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "fill"]
    assert [r.get("width") for r in fill] == ([width] if width else [])
    assert texts(root, "value") == [text]
    assert root.find(f"{SVG}desc").text == f"Trực tuyến: {text}"


def test_a_bar_without_data_says_so():
    root = parse(
        bar_chart(
            chart_id="c7",
            title="t",
            desc="d",
            categories=["A", "B"],
            series=[Series("Đúng hạn", [None, 50])],
            suffix=" %",
        )
    )
    assert [(b.get("width"), b.get("data-value")) for b in rects(root)] == [
        ("0", ""),
        ("536", "50"),
    ]
    assert texts(root, "value") == ["—", "50 %"]
