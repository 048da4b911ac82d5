"""Digitisation of dossiers and results, and reuse of digitised data (issue 16 §7), per unit
rolled up the unit tree and per period: the ratios of the national index QĐ 766/QĐ-TTg group
"Số hóa hồ sơ" and one ratio for the one-stop desk's own management. Definitions and sources:
docs/reports.md, "Tỷ lệ số hóa".

Every dossier ratio counts the dossiers received in the period (the national portal counts a
dossier in the period of its ``NgayTiepNhan``), each once, in the unit the service index and
Biểu 06 count it in (``form06.unit_basis``); a parent unit's row adds up its own and its
subtree's. The conditions are the service index's measures (``service_index_measures``), so
the index and this report cannot disagree:

- ``dossiers_digitised`` (index 4.2, ``SO_HOA_GIAY_TO_GIAI_QUYET``): the dossier's components
  carry files — including online uploads — and, once it has a result, a legally valid e-result
  / dossiers received;
- ``counter_digitised`` (the desk's own figure, not an index indicator): paper dossiers (desk
  or post) whose every component handed in has a valid data-store document / paper dossiers
  received. Online dossiers are left out: TT 03/2025/TT-VPCP Điều 5 khoản 2 điểm a spares them
  the scanning;
- ``results_digitised`` (index 4.1, ``ORIGINAL_RESULT_AVAILABLE``): dossiers with a legally
  valid e-result / dossiers with a result;
- ``reuse`` (index 4.3, ``REUSED_DIGITIZED_DATA``): dossiers with at least one component taken
  from the data store or an earlier e-result reused / dossiers received.

Beside them, counts: components reused, and data-store documents each unit digitised or issued
in the period by source (``egov.datastore.indicators``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db.models import Count, Exists, F, OuterRef, QuerySet
from django.db.models.functions import Coalesce
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from egov.accounts.scope import unit_subtree_ids
from egov.core.replicas import report_reads
from egov.datastore.indicators import SOURCES, store_documents_digitised
from egov.dossiers.models import Dossier, DossierComponent, DossierFile, FileSource
from egov.org.models import Unit
from egov.reports.form06 import _subtree, _unit_tree, _UnitNode, unit_basis
from egov.reports.periods import Period
from egov.reports.service_index import (
    DENOMINATOR,
    MISSING,
    NUMERATOR,
    PAGE_SIZE,
    PARTS,
    DossierPage,
)
from egov.reports.service_index_measures import condition
from egov.reports.service_index_rules import ratio_decimal


@dataclass(frozen=True)
class FigureDefinition:
    code: str
    label: str | Promise
    numerator: str  # a measure of service_index_measures
    denominator: str
    indicator: str | None  # the QĐ 766 indicator it feeds, None: the unit's own figure


FIGURES = (
    FigureDefinition(
        "dossiers_digitised",
        _("Tỷ lệ hồ sơ thực hiện số hóa"),
        "digitised",
        "received",
        "SO_HOA_GIAY_TO_GIAI_QUYET",
    ),
    FigureDefinition(
        "counter_digitised",
        _("Tỷ lệ số hóa thành phần tại bộ phận một cửa"),
        "counter_digitised",
        "counter_received",
        None,
    ),
    FigureDefinition(
        "results_digitised",
        _("Tỷ lệ hồ sơ có kết quả điện tử có giá trị pháp lý"),
        "signed_result",
        "with_result",
        "ORIGINAL_RESULT_AVAILABLE",
    ),
    FigureDefinition(
        "reuse",
        _("Tỷ lệ hồ sơ khai thác, sử dụng lại dữ liệu số hóa"),
        "reused",
        "received",
        "REUSED_DIGITIZED_DATA",
    ),
)
FIGURES_BY_CODE = {f.code: f for f in FIGURES}
DOSSIER_MEASURES = tuple(sorted({m for f in FIGURES for m in (f.numerator, f.denominator)}))


@dataclass(frozen=True)
class Figure:
    definition: FigureDefinition
    numerator: int
    denominator: int

    @property
    def code(self) -> str:
        return self.definition.code

    @property
    def ratio(self) -> Decimal | None:
        """4 decimals; None when nothing was there to count."""
        if not self.denominator:
            return None
        return ratio_decimal(Fraction(self.numerator, self.denominator))


@dataclass
class DigitisationCounts:
    """What one unit counted (its own dossiers, or rolled up with those below it)."""

    measures: dict[str, int] = field(default_factory=lambda: dict.fromkeys(DOSSIER_MEASURES, 0))
    reused_components: int = 0
    store_documents: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SOURCES, 0))

    def add(self, other: DigitisationCounts) -> None:
        for code, value in other.measures.items():
            self.measures[code] += value
        self.reused_components += other.reused_components
        for source, value in other.store_documents.items():
            self.store_documents[source] += value

    def figure(self, code: str) -> Figure:
        definition = FIGURES_BY_CODE[code]
        return Figure(
            definition,
            self.measures[definition.numerator],
            self.measures[definition.denominator],
        )

    def figures(self) -> list[Figure]:
        return [self.figure(f.code) for f in FIGURES]

    @property
    def store_documents_total(self) -> int:
        return sum(self.store_documents.values())

    def is_empty(self) -> bool:
        return not (
            any(self.measures.values()) or self.reused_components or self.store_documents_total
        )


@dataclass(frozen=True)
class DigitisationRow:
    unit_id: int
    key: str
    label: str
    depth: int
    unit_code: str | None
    counts: DigitisationCounts


@dataclass(frozen=True)
class DigitisationReport:
    period: Period
    unit: Unit | None  # None: the whole province
    rows: list[DigitisationRow]
    total: DigitisationCounts
    basis: str


def _received(
    period: Period, unit_ids: set[int] | None, basis: str
) -> tuple[QuerySet[Dossier], F | Coalesce]:
    start, end = period.bounds()
    rows = Dossier.objects.filter(received_at__gte=start, received_at__lt=end)
    counted = (
        F("receiving_unit_id")
        if basis == "receiving"
        else Coalesce("handling_unit", "receiving_unit")
    )
    if unit_ids is not None:
        rows = rows.alias(counted_unit=counted).filter(counted_unit__in=unit_ids)
    return rows, counted


def _reused_components(dossiers: QuerySet[Dossier], basis: str) -> dict[int, int]:
    """Components reused, per unit: those taken from the data store, and earlier e-results
    reused online for a component that is not already counted as taken from the store."""
    prefix = "dossier__"
    counted = (
        F(f"{prefix}receiving_unit_id")
        if basis == "receiving"
        else Coalesce(f"{prefix}handling_unit", f"{prefix}receiving_unit")
    )
    ids = dossiers.values("pk")
    from_store = DossierComponent.objects.filter(dossier_id__in=ids, reused=True)
    already = DossierComponent.objects.filter(
        dossier_id=OuterRef("dossier_id"), component_id=OuterRef("component_id"), reused=True
    )
    earlier = DossierFile.objects.filter(dossier_id__in=ids, source=FileSource.REUSED).exclude(
        Exists(already)
    )
    found: dict[int, int] = {}
    for rows in (from_store, earlier):
        grouped = rows.order_by().annotate(report_unit=counted).values("report_unit")
        for row in grouped.annotate(n=Count("pk")):
            found[row["report_unit"]] = found.get(row["report_unit"], 0) + int(row["n"])
    return found


def own_counts(
    period: Period, unit_ids: set[int] | None, basis: str | None = None
) -> dict[int, DigitisationCounts]:
    """Each unit's own counts (not rolled up) for ``period``: one grouped aggregate over the
    dossiers received, one for the reused components, one over the data store."""
    basis = basis or unit_basis()
    dossiers, counted = _received(period, unit_ids, basis)
    _start, end = period.bounds()
    found: dict[int, DigitisationCounts] = {}
    aggregates = {code: Count("pk", filter=condition(code, end)) for code in DOSSIER_MEASURES}
    with report_reads():
        rows = dossiers.order_by().annotate(report_unit=counted).values("report_unit")
        for row in rows.annotate(**aggregates):
            counts = found.setdefault(row["report_unit"], DigitisationCounts())
            counts.measures = {code: int(row[code] or 0) for code in DOSSIER_MEASURES}
        for unit_id, reused in _reused_components(dossiers, basis).items():
            found.setdefault(unit_id, DigitisationCounts()).reused_components = reused
    start, end = period.bounds()
    store = store_documents_digitised(start=start, end=end, unit_ids=unit_ids)
    for store_unit, by_source in store.items():
        if store_unit is not None:
            found.setdefault(store_unit, DigitisationCounts()).store_documents = dict(by_source)
    return found


def _rows(
    nodes: dict[int, _UnitNode], roots: list[int], own: dict[int, DigitisationCounts]
) -> tuple[list[DigitisationRow], DigitisationCounts]:
    rolled: dict[int, DigitisationCounts] = {}

    def roll(pk: int, seen: frozenset[int]) -> DigitisationCounts:
        if pk not in rolled:
            total = DigitisationCounts()
            if pk in own:
                total.add(own[pk])
            for child in nodes[pk].children:
                if child not in seen:
                    total.add(roll(child, seen | {child}))
            rolled[pk] = total
        return rolled[pk]

    rows: list[DigitisationRow] = []

    def walk(pk: int, depth: int, seen: frozenset[int]) -> None:
        node = nodes[pk]
        counts = roll(pk, seen)
        if depth and counts.is_empty():
            return
        rows.append(DigitisationRow(pk, node.code or node.key, node.name, depth, node.code, counts))
        for child in node.children:
            if child not in seen:
                walk(child, depth + 1, seen | {child})

    total = DigitisationCounts()
    for root in roots:
        walk(root, 0, frozenset({root}))
        total.add(rolled[root])
    return rows, total


def digitisation_report(*, period: Period, unit: Unit | None = None) -> DigitisationReport:
    """The digitisation figures of ``unit`` and each unit below it with something to count
    (the whole province when None), each row rolled up over its subtree; ``total`` is the
    first row's (or the province's)."""
    basis = unit_basis()
    nodes = _unit_tree()
    roots = [unit.pk] if unit is not None else [n.pk for n in nodes.values() if n.parent_id is None]
    unit_ids = None if unit is None else _subtree(nodes, roots)
    rows, total = _rows(nodes, roots, own_counts(period, unit_ids, basis))
    return DigitisationReport(period=period, unit=unit, rows=rows, total=total, basis=basis)


def digitisation_dossiers(
    *,
    unit: Unit,
    period: Period,
    figure: str,
    part: str,
    after: int | None = None,
    limit: int | None = None,
) -> DossierPage:
    """The dossiers behind one figure of ``unit`` (with the units below it): its numerator,
    denominator or what is missing (denominator and not numerator: the dossiers not yet
    digitised), in id order from ``after``. LookupError for an unknown figure or part."""
    definition = FIGURES_BY_CODE.get(figure)
    if definition is None or part not in PARTS:
        raise LookupError(figure)
    _start, end = period.bounds()
    numerator = condition(definition.numerator, end)
    denominator = condition(definition.denominator, end)
    wanted = {
        NUMERATOR: numerator,
        DENOMINATOR: denominator,
        MISSING: denominator & ~numerator,
    }[part]
    dossiers, _counted = _received(period, unit_subtree_ids([unit.pk]), unit_basis())
    rows = dossiers.filter(wanted)
    if after is not None:
        rows = rows.filter(pk__gt=after)
    limit = limit or PAGE_SIZE
    with report_reads():
        items = list(rows.select_related("procedure_version").order_by("pk")[: limit + 1])
    more = len(items) > limit
    items = items[:limit]
    return DossierPage(items=items, next_after=items[-1].pk if more and items else None)
