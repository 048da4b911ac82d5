"""Charts drawn on the server as SVG: no JavaScript, no CDN, readable without colour.

Every chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` (its accessible name
and summary), a ``viewBox`` and ``width="100%"`` so that it scales with the page, values written
beside the bars and points, and series told apart by a pattern and a legend as well as by their
colour (WCAG 2.x 1.4.1 "use of colour"; 1.4.11 asks 3:1 for graphics: each colour below is at
least 6:1 on white). Pages show the same numbers in a table beside the chart
(``templates/reports/_chart_table.html``); the chart is never the only way to read them.

The geometry is plain arithmetic on the numbers (``bar_length``, ``point_y``) so that the tests
can parse the SVG and check that each bar and point is exactly where its number says.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from xml.sax.saxutils import escape, quoteattr

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

# Colour, then pattern, per series: the pattern keeps series apart in greyscale and for colour
# blind readers. Contrast on white: 9.9, 7.0, 6.6, 8.9 to 1.
PALETTE = ("#17456e", "#8a3b00", "#1e6b34", "#5b2c83")
PATTERNS = ("solid", "stripes", "dots", "cross")
INK = "#1b1b1b"
GRID = "#767676"  # 4.5:1 on white
TRACK = "#ffffff"

WIDTH = 640
LABEL_HEIGHT = 18  # a category's name above its bars
BAR_HEIGHT = 18
BAR_GAP = 4
GROUP_GAP = 14
LEFT = 8
RIGHT = 96  # room for the value written after the longest bar
FONT = 13


def vn_number(value: int | Decimal | float) -> str:
    """Vietnamese digits: "1.234.567" (dot between thousands), "12,5" (comma decimal)."""
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    text = f"{value:,.1f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def vn_percent(ratio: Decimal | None, digits: int = 1) -> str:
    """ "87,5 %" for 0.875; "—" when there is nothing to divide (no data, not 0 %)."""
    if ratio is None:
        return "—"
    step = Decimal(1).scaleb(-digits)
    value = (ratio * 100).quantize(step, rounding=ROUND_HALF_UP)
    return f"{value:,.{digits}f}".replace(",", " ").replace(".", ",").replace(" ", ".") + " %"


def ratio(numerator: int, denominator: int) -> Decimal | None:
    """numerator / denominator, None when the denominator is 0 ("chưa có dữ liệu")."""
    if denominator == 0:
        return None
    return Decimal(numerator) / Decimal(denominator)


def _num(value: float | Decimal) -> str:
    """A coordinate in the SVG: at most two decimals, no trailing zeros."""
    text = f"{Decimal(str(value)).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _attrs(**values: object) -> str:
    return "".join(
        f" {name.rstrip('_').replace('_', '-')}={quoteattr(str(value))}"
        for name, value in values.items()
    )


def _pattern_defs(chart_id: str, count: int) -> list[str]:
    """One <pattern> per series after the first: white marks over the series' colour."""
    defs = []
    for index in range(1, count):
        colour, kind = PALETTE[index % len(PALETTE)], PATTERNS[index % len(PATTERNS)]
        marks = {
            "stripes": '<path d="M0,6 L6,0" stroke="#ffffff" stroke-width="1.5"/>',
            "dots": '<circle cx="3" cy="3" r="1.3" fill="#ffffff"/>',
            "cross": '<path d="M0,3 H6 M3,0 V6" stroke="#ffffff" stroke-width="1.2"/>',
        }[kind]
        defs.append(
            f'<pattern id="{chart_id}-p{index}" width="6" height="6" '
            f'patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="{colour}"/>'
            f"{marks}</pattern>"
        )
    return defs


def _fill(chart_id: str, index: int) -> str:
    return PALETTE[0] if index == 0 else f"url(#{chart_id}-p{index})"


def _open(chart_id: str, title: str, desc: str, height: float) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" width="100%"'
        f' viewBox="0 0 {WIDTH} {_num(height)}" preserveAspectRatio="xMinYMin meet"'
        f' aria-labelledby="{chart_id}-title {chart_id}-desc" id="{chart_id}"'
        f' font-family="sans-serif" font-size="{FONT}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]


def _legend(chart_id: str, labels: Sequence[str], y: float) -> list[str]:
    """Swatches with the series' names in one row (only when there are several series)."""
    if len(labels) < 2:
        return []
    parts = ['<g class="legend">']
    x = float(LEFT)
    for index, label in enumerate(labels):
        parts.append(
            f"<rect{_attrs(x=_num(x), y=_num(y), width=14, height=14)}"
            f' fill="{_fill(chart_id, index)}" stroke="{INK}" stroke-width="0.5"/>'
        )
        parts.append(f"<text{_attrs(x=_num(x + 20), y=_num(y + 12))}>{escape(label)}</text>")
        x += 20 + 8 * len(label) + 24
    parts.append("</g>")
    return parts


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[int | None]  # None: no data (a bar of no length, "—" written)


@dataclass(frozen=True)
class BarGeometry:
    """Where a bar chart puts things; shared with the tests."""

    scale_max: int
    plot_width: float = WIDTH - LEFT - RIGHT
    legend_height: float = 0
    groups: list[float] = field(default_factory=list)

    def bar_length(self, value: int) -> float:
        return 0.0 if self.scale_max == 0 else self.plot_width * value / self.scale_max


def bar_chart(
    *,
    chart_id: str,
    title: str,
    desc: str,
    categories: Sequence[str],
    series: Sequence[Series],
    stacked: bool = False,
    suffix: str = "",
) -> SafeString:
    """Horizontal bars, one group per category (its name above it): one bar per series side
    by side (grouped), or the series end to end in one bar (stacked) with the total after it.
    Each bar segment is a ``<rect data-value>``; each written value a ``<text>``."""
    if not series:
        raise ValueError("a bar chart needs a series")
    per_group = 1 if stacked else len(series)
    totals = [sum(s.values[i] or 0 for s in series) for i in range(len(categories))]
    scale_max = max(
        totals if stacked else [v for s in series for v in s.values if v is not None], default=0
    )
    legend = 24.0 if len(series) > 1 else 0.0
    group_height = LABEL_HEIGHT + per_group * (BAR_HEIGHT + BAR_GAP) + GROUP_GAP
    height = legend + max(1, len(categories)) * group_height + 4
    geometry = BarGeometry(scale_max=scale_max, legend_height=legend)
    parts = _open(chart_id, title, desc, height)
    defs = _pattern_defs(chart_id, len(series))
    if defs:
        parts.append("<defs>" + "".join(defs) + "</defs>")
    parts += _legend(chart_id, [s.label for s in series], 2)
    if not categories:
        parts.append(
            f'<text x="{LEFT}" y="{_num(legend + 16)}">{escape(_("Không có số liệu."))}</text>'
        )
    for index, category in enumerate(categories):
        top = legend + index * group_height
        parts.append(f'<g class="group" data-category={quoteattr(category)}>')
        parts.append(
            f'<text x="{LEFT}" y="{_num(top + 13)}" fill="{INK}">{escape(category)}</text>'
        )
        x = float(LEFT)
        for number, one in enumerate(series):
            known = one.values[index]
            value = known or 0
            row = 0 if stacked else number
            y = top + LABEL_HEIGHT + row * (BAR_HEIGHT + BAR_GAP)
            length = geometry.bar_length(value)
            start = x if stacked else float(LEFT)
            parts.append(
                f"<rect{_attrs(x=_num(start), y=_num(y), width=_num(length), height=BAR_HEIGHT)}"
                f' fill="{_fill(chart_id, number)}" stroke="{INK}" stroke-width="0.5"'
                f" data-series={quoteattr(one.label)}"
                f' data-value="{"" if known is None else known}"/>'
            )
            if stacked:
                x += length
            else:
                parts.append(
                    f"<text{_attrs(x=_num(start + length + 6), y=_num(y + 14))}"
                    f' fill="{INK}" class="value">'
                    f"{escape('—' if known is None else vn_number(value) + suffix)}</text>"
                )
        if stacked:
            y = top + LABEL_HEIGHT
            parts.append(
                f'<text{_attrs(x=_num(x + 6), y=_num(y + 14))} fill="{INK}" class="value">'
                f"{escape(vn_number(totals[index]) + suffix)}</text>"
            )
        parts.append("</g>")
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text above is escaped


# Line chart: the plot area inside the viewBox.
LINE_HEIGHT = 260
PLOT_TOP = 24
PLOT_BOTTOM = 210
PLOT_LEFT = 56
PLOT_RIGHT = WIDTH - 32  # room for half of the last month's label


def point_x(index: int, count: int) -> float:
    if count <= 1:
        return float(PLOT_LEFT + (PLOT_RIGHT - PLOT_LEFT) / 2)
    return PLOT_LEFT + (PLOT_RIGHT - PLOT_LEFT) * index / (count - 1)


def point_y(value: Decimal) -> float:
    """A ratio from 0 (bottom) to 1 (top of the plot)."""
    return float(PLOT_BOTTOM - (PLOT_BOTTOM - PLOT_TOP) * value)


def line_chart(
    *,
    chart_id: str,
    title: str,
    desc: str,
    categories: Sequence[str],
    values: Sequence[Decimal | None],
) -> SafeString:
    """A ratio (0–100 %) over ``categories`` (months): a point and its percentage for each
    category with data, the line broken where there is none. Grid lines at 0, 50 and 100 %."""
    parts = _open(chart_id, title, desc, LINE_HEIGHT)
    for level in (Decimal(0), Decimal("0.5"), Decimal(1)):
        y = _num(point_y(level))
        parts.append(
            f'<line x1="{PLOT_LEFT}" x2="{PLOT_RIGHT}" y1="{y}" y2="{y}" stroke="{GRID}"'
            f' stroke-width="0.5" stroke-dasharray="4 3"/>'
        )
        parts.append(
            f'<text x="{PLOT_LEFT - 6}" y="{y}" dy="4" text-anchor="end" fill="{INK}"'
            f' class="axis">{escape(vn_percent(level, 0))}</text>'
        )
    runs: list[list[str]] = [[]]
    for index, value in enumerate(values):
        if value is None:
            runs.append([])
            continue
        runs[-1].append(f"{_num(point_x(index, len(values)))},{_num(point_y(value))}")
    for run in runs:
        if len(run) > 1:
            parts.append(
                f'<polyline points="{" ".join(run)}" fill="none" stroke="{PALETTE[0]}"'
                f' stroke-width="2.5"/>'
            )
    for index, (category, value) in enumerate(zip(categories, values, strict=True)):
        x = _num(point_x(index, len(values)))
        parts.append(
            f'<text x="{x}" y="{PLOT_BOTTOM + 20}" text-anchor="middle" fill="{INK}"'
            f' class="category">{escape(category)}</text>'
        )
        if value is None:
            parts.append(
                f'<text x="{x}" y="{PLOT_BOTTOM - 6}" text-anchor="middle" fill="{INK}"'
                f' class="value" data-value="">—</text>'
            )
            continue
        point = point_y(value)
        parts.append(
            f'<circle cx="{x}" cy="{_num(point)}" r="4" fill="{PALETTE[0]}" stroke="#ffffff"'
            f' stroke-width="1" data-value="{value}"/>'
        )
        parts.append(
            f'<text x="{x}" y="{_num(point - 9)}" text-anchor="middle" fill="{INK}"'
            f' class="value">{escape(vn_percent(value, 0))}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text above is escaped


GAUGE_HEIGHT = 56
GAUGE_WIDTH = WIDTH - 2 * LEFT


def ratio_bar(*, chart_id: str, title: str, numerator: int, denominator: int) -> SafeString:
    """One ratio as a filled share of a 0–100 % track, with "45,5 % (91/200)" written under
    it, or "chưa có dữ liệu" when the denominator is 0."""
    value = ratio(numerator, denominator)
    if value is None:
        summary = _("chưa có dữ liệu")
    else:
        summary = _("%(percent)s (%(numerator)s/%(denominator)s)") % {
            "percent": vn_percent(value),
            "numerator": vn_number(numerator),
            "denominator": vn_number(denominator),
        }
    parts = _open(chart_id, title, f"{title}: {summary}", GAUGE_HEIGHT)
    parts.append(
        f'<rect x="{LEFT}" y="4" width="{GAUGE_WIDTH}" height="22" fill="{TRACK}"'
        f' stroke="{INK}" stroke-width="1" class="track"/>'
    )
    if value is not None:
        parts.append(
            f'<rect x="{LEFT}" y="4" width="{_num(GAUGE_WIDTH * value)}" height="22"'
            f' fill="{PALETTE[0]}" class="fill" data-value="{value}"/>'
        )
    parts.append(f'<text x="{LEFT}" y="46" fill="{INK}" class="value">{escape(summary)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text above is escaped


@dataclass(frozen=True)
class Cell:
    text: str
    url: str = ""
    label: str = ""  # the link's accessible name when the number alone would be ambiguous


@dataclass(frozen=True)
class Table:
    """The numbers of a chart, for ``reports/_chart_table.html``: a caption, column headers
    (the first one heads the row headers) and rows of a header and cells."""

    caption: str
    columns: Sequence[str]
    rows: Sequence[tuple[str, Sequence[Cell]]]
