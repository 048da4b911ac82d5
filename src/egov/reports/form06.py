"""Biểu số 06/VPCP/KSTT (Thông tư 01/2020/TT-VPCP, Phụ lục): "Tình hình, kết quả giải quyết thủ
tục hành chính tại cơ quan, đơn vị trực tiếp giải quyết TTHC" — 13 numbered columns of dossier
counts for a reporting period (egov.reports.periods), per unit rolled up the unit tree, per field
(lĩnh vực) and per procedure. Definitions (docs/reports.md):

- received (cột 3 = 4 + 5 + 6): received in the period online (4) or at the counter or by post
  (5), and carried over (6): received before the period and not completed before it starts;
- resolved (cột 7 = 8 + 9 + 10): processing ended in the period (``Dossier.completed_at``, set
  by egov.dossiers.completion) with its outcome against the appointment: early, on time, late.
  A dossier that was never received (refused or withdrawn online before reception) has no
  ``received_at`` and counts nowhere; a received one that ended without an appointment (a
  procedure with no time limit) cannot be late and counts as on time;
- in progress (cột 11 = 12 + 13): received before the period's end and not completed by then;
  overdue (13) when its appointment (``due_at``) is before the period's end.

Every dossier counted in column 3 ends up in exactly one of columns 7 and 11, so column 3 =
column 7 + column 11 holds row by row (``Counts.check``).

A dossier counts in its own unit and under its own procedure version, the ones stored on it
when it was received (the version is never replaced; the catalog's later versions, moved or
renamed fields, merged or dissolved units do not move it). The unit is the one that handles it
(``EGOV_REPORT_UNIT_BASIS``, see ``unit_basis``).
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from egov.catalog.models import ChannelKind, ProcedureVersion
from egov.core.replicas import report_reads
from egov.dossiers.models import Dossier, Outcome
from egov.org.models import Unit
from egov.reports.periods import Period

FORM_CODE = "Biểu số 06/VPCP/KSTT"
FORM_BASIS = _("Ban hành kèm theo Thông tư số 01/2020/TT-VPCP ngày 21/10/2020")
FORM_TITLE = _(
    "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI "
    "QUYẾT THỦ TỤC HÀNH CHÍNH"
)
MEASURE = _("Đơn vị tính: Số hồ sơ TTHC")


class Grouping(StrEnum):
    UNIT = "unit"
    FIELD = "field"
    PROCEDURE = "procedure"
    UNIT_FIELD = "unit_field"


GROUPING_LABELS = {
    Grouping.UNIT: _("Theo đơn vị (cộng dồn theo cấp)"),
    Grouping.FIELD: _("Theo lĩnh vực"),
    Grouping.PROCEDURE: _("Theo thủ tục hành chính"),
    Grouping.UNIT_FIELD: _("Theo đơn vị và lĩnh vực"),
}


@dataclass(frozen=True)
class Column:
    number: int
    key: str
    label: str | Promise


# Columns 3–13 in the form's order, with the names the API gives them.
COLUMNS = (
    Column(3, "received_total", _("Tổng số")),
    Column(4, "received_online", _("Trực tuyến")),
    Column(5, "received_counter_post", _("Trực tiếp, dịch vụ bưu chính")),
    Column(6, "carried_over", _("Từ kỳ trước")),
    Column(7, "resolved_total", _("Tổng số")),
    Column(8, "resolved_early", _("Trước hạn")),
    Column(9, "resolved_on_time", _("Đúng hạn")),
    Column(10, "resolved_late", _("Quá hạn")),
    Column(11, "pending_total", _("Tổng số")),
    Column(12, "pending_within_time", _("Trong hạn")),
    Column(13, "pending_overdue", _("Quá hạn")),
)
ROW_HEADINGS = {
    Grouping.UNIT: _("Đơn vị"),
    Grouping.FIELD: _("Lĩnh vực, công việc giải quyết"),
    Grouping.PROCEDURE: _("Thủ tục hành chính"),
    Grouping.UNIT_FIELD: _("Đơn vị, lĩnh vực"),
}


@dataclass(frozen=True)
class HeaderCell:
    label: str | Promise
    row: int  # 0–2: the three header rows
    column: int  # 1–13: the form's column numbers
    rowspan: int = 1
    colspan: int = 1


def header_cells(grouping: Grouping) -> list[HeaderCell]:
    """The form's three header rows, as cells with their spans (the page and the exports)."""
    by_number = {column.number: column for column in COLUMNS}
    cells = [
        HeaderCell(_("STT"), 0, 1, rowspan=3),
        HeaderCell(ROW_HEADINGS[grouping], 0, 2, rowspan=3),
        HeaderCell(_("Số hồ sơ nhận giải quyết"), 0, 3, colspan=4),
        HeaderCell(_("Số lượng hồ sơ đã giải quyết"), 0, 7, colspan=4),
        HeaderCell(_("Số lượng hồ sơ đang giải quyết"), 0, 11, colspan=3),
        HeaderCell(by_number[3].label, 1, 3, rowspan=2),
        HeaderCell(_("Trong đó, trong kỳ"), 1, 4, colspan=2),
        HeaderCell(by_number[6].label, 1, 6, rowspan=2),
        HeaderCell(by_number[4].label, 2, 4),
        HeaderCell(by_number[5].label, 2, 5),
    ]
    cells += [HeaderCell(by_number[n].label, 1, n, rowspan=2) for n in range(7, 14)]
    return sorted(cells, key=lambda cell: (cell.row, cell.column))


class UnbalancedReport(AssertionError):
    """Column 3 differs from column 7 + column 11: the counting itself is wrong."""


@dataclass
class Counts:
    """The eight counted columns of one row; the three totals follow from them."""

    online: int = 0
    counter_post: int = 0
    carried_over: int = 0
    early: int = 0
    on_time: int = 0
    late: int = 0
    within_time: int = 0
    overdue: int = 0

    @property
    def received_total(self) -> int:
        return self.online + self.counter_post + self.carried_over

    @property
    def resolved_total(self) -> int:
        return self.early + self.on_time + self.late

    @property
    def pending_total(self) -> int:
        return self.within_time + self.overdue

    def add(self, other: Counts) -> None:
        for name in COUNTED:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def check(self) -> Counts:
        if self.received_total != self.resolved_total + self.pending_total:
            raise UnbalancedReport(f"cột 3 ≠ cột 7 + cột 11: {self}")
        return self

    def is_empty(self) -> bool:
        return not any(getattr(self, name) for name in COUNTED)

    def columns(self) -> dict[str, int]:
        """Columns 3–13 by their API names, in the form's order."""
        return {
            "received_total": self.received_total,
            "received_online": self.online,
            "received_counter_post": self.counter_post,
            "carried_over": self.carried_over,
            "resolved_total": self.resolved_total,
            "resolved_early": self.early,
            "resolved_on_time": self.on_time,
            "resolved_late": self.late,
            "pending_total": self.pending_total,
            "pending_within_time": self.within_time,
            "pending_overdue": self.overdue,
        }

    def values(self) -> list[int]:
        return list(self.columns().values())


COUNTED = tuple(f.name for f in dataclasses.fields(Counts))


def _sum(counts: Iterable[Counts]) -> Counts:
    total = Counts()
    for item in counts:
        total.add(item)
    return total


def unit_basis() -> str:
    """ "handling" (default): the "cơ quan, đơn vị trực tiếp giải quyết TTHC" of the form's
    title is the unit the dossier was handed to (``handling_unit``), and the receiving desk
    while it has not been handed off (it is being handled there); "receiving": the desk that
    received it, as in the variant of the form kept by a service centre (Biểu II.06a "tại Trung
    tâm Phục vụ hành chính công"). Which one the province reports is unconfirmed."""
    return str(getattr(settings, "EGOV_REPORT_UNIT_BASIS", "handling"))


def _unit_filter(unit_ids: set[int], basis: str) -> Q:
    if basis == "receiving":
        return Q(receiving_unit_id__in=unit_ids)
    return Q(handling_unit_id__in=unit_ids) | Q(
        handling_unit__isnull=True, receiving_unit_id__in=unit_ids
    )


def raw_counts(
    period: Period,
    *,
    unit_ids: set[int] | None = None,
    basis: str | None = None,
    by_unit: bool = True,
    by_version: bool = True,
) -> dict[tuple[int, int], Counts]:
    """Counts per (unit id, procedure version id) of the dossiers "alive" in ``period``: received
    before its end and not completed before its start. Two index-only passes (PostgreSQL,
    dossiers migration 0017): the ones completed since the start, and the ones still open.
    Without ``by_unit`` (``by_version``) the unit (version) of every key is 0: fewer groups for
    the database to count when a report does not need them."""
    basis = basis or unit_basis()
    start, end = period.bounds()
    in_period = Q(received_at__gte=start)
    resolved = Q(completed_at__lt=end)
    pending = Q(completed_at__isnull=True) | Q(completed_at__gte=end)
    online = Q(channel=ChannelKind.ONLINE)
    # COUNT(received_at), not COUNT(id): every row here has one, and the covering indexes
    # hold it, so PostgreSQL never reads the table itself.
    counted = "received_at"
    aggregates: dict[str, Any] = {
        "online": Count(counted, filter=in_period & online),
        "counter_post": Count(counted, filter=in_period & ~online),
        "carried_over": Count(counted, filter=Q(received_at__lt=start)),
        "early": Count(counted, filter=resolved & Q(outcome=Outcome.EARLY)),
        "on_time": Count(counted, filter=resolved & ~Q(outcome__in=[Outcome.EARLY, Outcome.LATE])),
        "late": Count(counted, filter=resolved & Q(outcome=Outcome.LATE)),
        "within_time": Count(counted, filter=pending & ~Q(due_at__lt=end)),
        "overdue": Count(counted, filter=pending & Q(due_at__lt=end)),
    }
    base = Dossier.objects.filter(received_at__lt=end)
    if unit_ids is not None:
        base = base.filter(_unit_filter(unit_ids, basis))
    unit = (
        F("receiving_unit_id")
        if basis == "receiving"
        else Coalesce("handling_unit_id", "receiving_unit_id")
    )
    keys = [
        *(["report_unit"] if by_unit else []),
        *(["procedure_version_id"] if by_version else []),
    ]
    found: dict[tuple[int, int], Counts] = defaultdict(Counts)
    with report_reads():
        for part in (Q(completed_at__gte=start), Q(completed_at__isnull=True)):
            rows = (
                base.filter(part)
                .order_by()
                .annotate(report_unit=unit)
                .values(*keys)
                .annotate(**aggregates)
            )
            for row in rows:
                key = (row.get("report_unit", 0), row.get("procedure_version_id", 0))
                found[key].add(Counts(**{name: row[name] for name in COUNTED}))
    return dict(found)


@dataclass(frozen=True)
class Form06Row:
    key: str
    label: str
    counts: Counts
    depth: int = 0
    unit_code: str | None = None
    field_code: str | None = None
    procedure_code: str | None = None


@dataclass(frozen=True)
class Form06Report:
    period: Period
    unit: Unit | None  # None: the whole province
    grouping: Grouping
    rows: list[Form06Row]
    total: Counts
    basis: str = "handling"
    # "Đơn vị báo cáo": the unit, or for the whole province its People's Committee.
    reporting_unit: str = ""


@dataclass
class _UnitNode:
    pk: int
    parent_id: int | None
    name: str
    code: str | None
    key: str
    children: list[int] = field(default_factory=list)


def _unit_tree() -> dict[int, _UnitNode]:
    with report_reads():
        nodes = {
            row["pk"]: _UnitNode(**row)
            for row in Unit.objects.order_by("name").values(
                "pk", "parent_id", "name", "code", "key"
            )
        }
    for node in nodes.values():
        if node.parent_id in nodes:
            nodes[node.parent_id].children.append(node.pk)
    return nodes


def _subtree(nodes: dict[int, _UnitNode], roots: Iterable[int]) -> set[int]:
    found: set[int] = set()
    pending = list(roots)
    while pending:
        pk = pending.pop()
        if pk in found or pk not in nodes:
            continue
        found.add(pk)
        pending.extend(nodes[pk].children)
    return found


def _unit_rows(
    nodes: dict[int, _UnitNode], roots: list[int], own: dict[int, Counts]
) -> tuple[list[Form06Row], Counts]:
    """Depth-first rows, each unit with its subtree rolled up; units with nothing to report
    below them are left out, except the roots."""
    rolled: dict[int, Counts] = {}

    def roll(pk: int, seen: frozenset[int]) -> Counts:
        if pk not in rolled:
            total = Counts()
            total.add(own.get(pk, Counts()))
            for child in nodes[pk].children:
                if child not in seen:
                    total.add(roll(child, seen | {child}))
            rolled[pk] = total.check()
        return rolled[pk]

    rows: list[Form06Row] = []

    def walk(pk: int, depth: int, seen: frozenset[int]) -> None:
        node = nodes[pk]
        counts = roll(pk, seen)
        if depth and counts.is_empty():
            return
        rows.append(
            Form06Row(
                key=node.code or node.key,
                label=node.name,
                counts=counts,
                depth=depth,
                unit_code=node.code,
            )
        )
        for child in node.children:
            if child not in seen:
                walk(child, depth + 1, seen | {child})

    for root in roots:
        walk(root, 0, frozenset({root}))
    return rows, _sum(rolled[root] for root in roots)


def _versions(version_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    with report_reads():
        return {
            row["pk"]: row
            for row in ProcedureVersion.objects.filter(pk__in=set(version_ids)).values(
                "pk",
                "number",
                "name",
                "field__code",
                "field__name",
                "field__order",
                "procedure__key",
                "procedure__national_code",
            )
        }


def _grouped(
    counts: dict[tuple[int, int], Counts],
    versions: dict[int, dict[str, Any]],
    nodes: dict[int, _UnitNode],
    grouping: Grouping,
) -> list[Form06Row]:
    buckets: dict[tuple[Any, ...], Counts] = defaultdict(Counts)
    labels: dict[tuple[Any, ...], tuple[str, int]] = {}
    codes: dict[tuple[Any, ...], dict[str, str | None]] = {}
    for (unit_id, version_id), item in counts.items():
        version = versions[version_id]
        field_code = version["field__code"]
        procedure_code = version["procedure__national_code"] or version["procedure__key"]
        if grouping is Grouping.FIELD:
            bucket: tuple[Any, ...] = (version["field__order"], version["field__name"], field_code)
            label, rank = version["field__name"], 0
            codes[bucket] = {"field_code": field_code}
        elif grouping is Grouping.PROCEDURE:
            bucket = (procedure_code,)
            # The name of the newest version counted: a version published after the period
            # has no dossier in it and cannot rename a past report's row.
            label, rank = version["name"], version["number"]
            codes[bucket] = {"procedure_code": procedure_code}
        else:
            node = nodes[unit_id]
            bucket = (node.name, unit_id, version["field__order"], field_code)
            label, rank = f"{node.name} — {version['field__name']}", 0
            codes[bucket] = {"unit_code": node.code, "field_code": field_code}
        buckets[bucket].add(item)
        if bucket not in labels or rank > labels[bucket][1]:
            labels[bucket] = (label, rank)
    rows = []
    for bucket in sorted(buckets):
        found = codes[bucket]
        key = "/".join(str(v) for v in found.values() if v is not None)
        rows.append(
            Form06Row(
                key=key,
                label=labels[bucket][0],
                counts=buckets[bucket].check(),
                unit_code=found.get("unit_code"),
                field_code=found.get("field_code"),
                procedure_code=found.get("procedure_code"),
            )
        )
    return rows


def form06_report(
    *, period: Period, unit: Unit | None = None, grouping: Grouping = Grouping.UNIT
) -> Form06Report:
    """Biểu 06 for ``period``, for ``unit`` and the units below it (the whole province when
    None), its rows grouped by ``grouping``; the last row of the form is ``total``."""
    basis = unit_basis()
    nodes = _unit_tree()
    roots = [unit.pk] if unit is not None else [n.pk for n in nodes.values() if n.parent_id is None]
    unit_ids = None if unit is None else _subtree(nodes, roots)
    counts = raw_counts(
        period,
        unit_ids=unit_ids,
        basis=basis,
        by_unit=grouping in (Grouping.UNIT, Grouping.UNIT_FIELD),
        by_version=grouping is not Grouping.UNIT,
    )
    if grouping is Grouping.UNIT:
        own: dict[int, Counts] = defaultdict(Counts)
        for (unit_id, _version), item in counts.items():
            own[unit_id].add(item)
        rows, total = _unit_rows(nodes, roots, own)
    else:
        rows = _grouped(counts, _versions(v for _u, v in counts), nodes, grouping)
        total = _sum(row.counts for row in rows)
    return Form06Report(
        period=period,
        unit=unit,
        grouping=grouping,
        rows=rows,
        total=total.check(),
        basis=basis,
        reporting_unit=unit.name if unit is not None else _province_name(nodes),
    )


def _province_name(nodes: dict[int, _UnitNode]) -> str:
    code = settings.EGOV_NATIONAL_UNIT_CODE
    found = next((n.name for n in nodes.values() if n.code == code), None)
    return found or str(_("Toàn tỉnh"))


def iter_table(report: Form06Report) -> Iterator[tuple[str, str, int, list[int]]]:
    """(STT, label, depth, columns 3–13) for each row of the form, then the total row."""
    for number, row in enumerate(report.rows, start=1):
        yield str(number), row.label, row.depth, row.counts.values()
    yield "", str(_("Tổng cộng")), 0, report.total.values()


def period_line(period: Period) -> str:
    return str(_("Kỳ báo cáo: từ ngày %(first)s đến ngày %(last)s")) % {
        "first": period.first_day.strftime("%d/%m/%Y"),
        "last": period.last_day.strftime("%d/%m/%Y"),
    }
