"""The national service index (QĐ 766/QĐ-TTg) as versioned data: its groups, its indicators
(numerator and denominator named after egov's measures — of dossiers or of feedback, the
same kind for both — maximum points, scoring rule) and how an indicator is scored. The
numbers live in ``data/service_index.json``, one version per effective date; this module
reads them, checks that they add up, and applies them.

Scoring rules, as the national portal applies them (reports-and-indicators §1.2, observed on
the portal's API; not in the decision's text):

- ``linear``: points = max × ratio, full marks only at 100 %;
- ``threshold`` T: points = min(max, max × ratio / T), full marks from T upward.

Points are rounded to 2 decimals (half up) from the exact ratio; ratios are shown to 4. When
the denominator is 0 each indicator says what happens (``zero_denominator``): ``full`` marks
(the portal's rule for feedback indicators), ``zero`` points, or ``no_data``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).with_name("data") / "service_index.json"
TOTAL_POINTS = Decimal(100)
TWO_PLACES = Decimal("0.01")
FOUR_PLACES = Decimal("0.0001")

LINEAR, THRESHOLD = "linear", "threshold"
SCORED, RATIO_ONLY, NO_DATA = "scored", "ratio_only", "no_data"
ZERO_DENOMINATOR_RULES = ("full", "zero", "no_data")
CONFIDENCES = ("confirmed", "observed", "secondary", "unconfirmed")


class ServiceIndexDataError(ValueError):
    """The versioned data does not add up (a wrong sum, an unknown measure, overlapping
    versions): raised when it is loaded, never while a page is shown."""


@dataclass(frozen=True)
class Rule:
    kind: str  # linear | threshold
    threshold: Fraction | None = None

    def points(self, max_points: Decimal, ratio: Fraction) -> Decimal:
        """Points for ``ratio`` (exact), rounded to 2 decimals."""
        share = ratio if self.threshold is None else min(Fraction(1), ratio / self.threshold)
        exact = Fraction(max_points) * share
        return (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(
            TWO_PLACES, rounding=ROUND_HALF_UP
        )

    @property
    def label(self) -> str:
        if self.threshold is None:
            return LINEAR
        return f"{THRESHOLD} {percent(self.threshold)}"


@dataclass(frozen=True)
class Group:
    code: str
    name: str
    max_points: Decimal
    parent: str | None


@dataclass(frozen=True)
class Indicator:
    code: str
    group: str
    name: str
    numerator: str | None
    denominator: str | None
    max_points: Decimal
    rule: Rule
    mode: str  # scored | ratio_only | no_data
    zero_denominator: str  # full | zero | no_data
    source: str
    confidence: str
    note: str


@dataclass(frozen=True)
class IndexVersion:
    key: str
    effective_from: dt.date
    effective_to: dt.date | None  # the last day in force, None: open
    source: str
    note: str
    groups: tuple[Group, ...]
    indicators: tuple[Indicator, ...]

    def in_force_on(self, day: dt.date) -> bool:
        ended = self.effective_to is not None and day > self.effective_to
        return self.effective_from <= day and not ended

    def indicator(self, code: str) -> Indicator | None:
        return next((i for i in self.indicators if i.code == code), None)

    def measures(self) -> set[str]:
        named = {i.numerator for i in self.indicators} | {i.denominator for i in self.indicators}
        return {m for m in named if m}


def percent(value: Fraction) -> str:
    number = (Decimal(value.numerator) * 100 / Decimal(value.denominator)).normalize()
    return f"{number:f} %"


def ratio_decimal(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        FOUR_PLACES, rounding=ROUND_HALF_UP
    )


def _rule(raw: dict[str, Any], where: str) -> Rule:
    if raw.get("kind") == LINEAR:
        return Rule(LINEAR)
    if raw.get("kind") == THRESHOLD:
        try:
            threshold = Fraction(str(raw.get("threshold", "")))
        except ValueError:
            raise ServiceIndexDataError(f"{where}: threshold must be a number") from None
        if not 0 < threshold <= 1:
            raise ServiceIndexDataError(f"{where}: threshold must be in (0, 1]")
        return Rule(THRESHOLD, threshold)
    raise ServiceIndexDataError(f"{where}: unknown rule {raw!r}")


def _indicator(raw: dict[str, Any], measures: Mapping[str, str]) -> Indicator:
    code = raw["code"]
    indicator = Indicator(
        code=code,
        group=raw["group"],
        name=raw["name"],
        numerator=raw.get("numerator"),
        denominator=raw.get("denominator"),
        max_points=Decimal(raw["max_points"]),
        rule=_rule(raw.get("rule", {}), code),
        mode=raw["mode"],
        zero_denominator=raw.get("zero_denominator", NO_DATA),
        source=raw.get("source", ""),
        confidence=raw.get("confidence", "unconfirmed"),
        note=raw.get("note", ""),
    )
    if indicator.mode not in (SCORED, RATIO_ONLY, NO_DATA):
        raise ServiceIndexDataError(f"{code}: unknown mode {indicator.mode!r}")
    if indicator.zero_denominator not in ZERO_DENOMINATOR_RULES:
        raise ServiceIndexDataError(f"{code}: unknown zero_denominator rule")
    if indicator.confidence not in CONFIDENCES:
        raise ServiceIndexDataError(f"{code}: unknown confidence {indicator.confidence!r}")
    if indicator.mode != NO_DATA:
        for measure in (indicator.numerator, indicator.denominator):
            if measure not in measures:
                raise ServiceIndexDataError(f"{code}: unknown measure {measure!r}")
        # A ratio counts one kind of thing: dossiers over dossiers, feedback over feedback.
        if measures[indicator.numerator or ""] != measures[indicator.denominator or ""]:
            raise ServiceIndexDataError(f"{code}: numerator and denominator of different kinds")
    return indicator


def _check_sums(version: IndexVersion) -> None:
    groups = {g.code: g for g in version.groups}
    for indicator in version.indicators:
        if indicator.group not in groups:
            raise ServiceIndexDataError(f"{indicator.code}: unknown group {indicator.group!r}")
    for group in version.groups:
        children = [g.max_points for g in version.groups if g.parent == group.code]
        own = [i.max_points for i in version.indicators if i.group == group.code]
        if group.parent is not None and group.parent not in groups:
            raise ServiceIndexDataError(f"{group.code}: unknown parent group")
        if sum(children + own, Decimal(0)) != group.max_points:
            raise ServiceIndexDataError(f"{version.key}/{group.code}: points do not add up")
    top = sum((g.max_points for g in version.groups if g.parent is None), Decimal(0))
    if top != TOTAL_POINTS:
        raise ServiceIndexDataError(f"{version.key}: groups add up to {top}, not 100")


def parse_versions(data: dict[str, Any], measures: Mapping[str, str]) -> tuple[IndexVersion, ...]:
    """The versions of ``data`` (the JSON layout of ``data/service_index.json``), checked
    against ``measures`` (each known measure with its kind, ``dossiers`` or ``feedback``):
    each adds up to 100 points, names only known measures, divides like by like, and no two
    overlap."""
    known = dict(measures)
    versions = []
    for raw in data["versions"]:
        end = raw.get("effective_to")
        version = IndexVersion(
            key=raw["key"],
            effective_from=dt.date.fromisoformat(raw["effective_from"]),
            effective_to=dt.date.fromisoformat(end) if end else None,
            source=raw.get("source", ""),
            note=raw.get("note", ""),
            groups=tuple(
                Group(g["code"], g["name"], Decimal(g["max_points"]), g.get("parent"))
                for g in raw["groups"]
            ),
            indicators=tuple(_indicator(i, known) for i in raw["indicators"]),
        )
        _check_sums(version)
        versions.append(version)
    versions.sort(key=lambda v: v.effective_from)
    for earlier, later in itertools.pairwise(versions):
        if earlier.effective_to is None or earlier.effective_to >= later.effective_from:
            raise ServiceIndexDataError(f"{earlier.key} overlaps {later.key}")
    return tuple(versions)


@cache
def shipped_versions() -> tuple[IndexVersion, ...]:
    from egov.reports.service_index_measures import MEASURE_SOURCES

    with DATA_FILE.open(encoding="utf-8") as handle:
        return parse_versions(json.load(handle), MEASURE_SOURCES)


def version_on(
    day: dt.date, versions: tuple[IndexVersion, ...] | None = None
) -> IndexVersion | None:
    """The version in force on ``day`` (None before the first one)."""
    for version in versions if versions is not None else shipped_versions():
        if version.in_force_on(day):
            return version
    return None
