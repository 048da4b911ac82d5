"""Reads of the catalog: search and listing of procedures in force, detail by code."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.catalog.models import (
    Channel,
    Component,
    FeeRule,
    FormTemplate,
    ProcedureField,
    ProcedureVersion,
    VersionStatus,
)
from egov.catalog.search import COUNT_CAP, matching_ids, near_ids
from egov.core.inputs import has_control_chars

NATIONAL_CODE_RE = re.compile(r"^[123]\.\d{6}$")
LOCAL_CODE_RE = re.compile(r"^([123]\.\d{6})\.000\.00\.00\.([A-Z]\d{2})$")


@dataclass(frozen=True)
class CatalogFilters:
    query: str = ""
    field: str | None = None
    level: str | None = None
    unit: str | None = None
    online: str | None = None


@dataclass(frozen=True)
class ResultPage:
    versions: list[ProcedureVersion]
    page: int
    has_next: bool
    # Procedures matching (every word of the query), counted up to COUNT_CAP + 1.
    total: int = 0
    # No procedure holds every word: those holding most of them (search.near_ids), shown apart.
    near: list[ProcedureVersion] = dataclass_field(default_factory=list)

    @property
    def total_is_capped(self) -> bool:
        return self.total > COUNT_CAP


IN_FORCE_STATUSES = [VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED]


def current_versions(day: dt.date | None = None) -> QuerySet[ProcedureVersion]:
    """The version of each procedure in force on ``day``. A superseded version stays in force
    until its ``valid_until`` (a new version may be published to start later)."""
    return ProcedureVersion.objects.valid_on(day or timezone.localdate()).filter(
        status__in=IN_FORCE_STATUSES
    )


def _filtered(filters: CatalogFilters, day: dt.date | None) -> QuerySet[ProcedureVersion]:
    versions = current_versions(day)
    if filters.field:
        versions = versions.filter(field__code=filters.field)
    if filters.level:
        versions = versions.filter(implementing_level=filters.level)
    if filters.online:
        versions = versions.filter(online_service=filters.online)
    if filters.unit:
        versions = versions.filter(
            Q(competent_unit__key=filters.unit)
            | Q(competent_unit__code=filters.unit)
            | Q(implementing_units__key=filters.unit)
            | Q(implementing_units__code=filters.unit)
        ).distinct()
    return versions


def search_procedures(
    filters: CatalogFilters, *, page: int = 1, per_page: int = 20, day: dt.date | None = None
) -> ResultPage:
    """One page of results, best match first, and the number of matches counted up to
    COUNT_CAP + 1 (one bounded COUNT; the page asks for one row more to know whether there is
    a next page). With a query, only procedures whose name holds every word are results
    (catalog.search)."""
    page = max(1, page)
    offset = (page - 1) * per_page
    candidates = _filtered(filters, day)
    query = filters.query.strip()
    if NATIONAL_CODE_RE.fullmatch(query) or LOCAL_CODE_RE.fullmatch(query):
        exact = version_by_code(query, day)
        rows = [exact] if exact is not None and candidates.filter(pk=exact.pk).exists() else []
        return ResultPage(rows if page == 1 else [], page, False, total=len(rows))
    near: list[ProcedureVersion] = []
    if query:
        sql, params = candidates.order_by().values("id").query.sql_with_params()
        ids, total = matching_ids(filters.query, sql, list(params), per_page + 1, offset)
        rows = _in_order(ids)
        if total == 0 and page == 1:
            near = _in_order(near_ids(filters.query, sql, list(params), per_page))
    else:
        total = candidates.order_by()[: COUNT_CAP + 1].count()
        rows = list(
            _with_list_data(candidates).order_by("field__order", "name", "id")[
                offset : offset + per_page + 1
            ]
        )
    return ResultPage(rows[:per_page], page, len(rows) > per_page, total=total, near=near)


def _in_order(ids: list[int]) -> list[ProcedureVersion]:
    by_id = {v.id: v for v in _with_list_data(ProcedureVersion.objects.filter(id__in=ids))}
    return [by_id[i] for i in ids if i in by_id]


def _with_list_data(versions: QuerySet[ProcedureVersion]) -> QuerySet[ProcedureVersion]:
    return versions.select_related("procedure", "field", "competent_unit")


def fields_with_counts(day: dt.date | None = None) -> QuerySet[ProcedureField]:
    in_force = Q(
        versions__status__in=IN_FORCE_STATUSES,
        versions__valid_from__lte=day or timezone.localdate(),
        versions__valid_until__gt=day or timezone.localdate(),
    )
    return ProcedureField.objects.annotate(
        procedure_count=Count("versions", filter=in_force)
    ).order_by("order", "name")


def implementing_units_in_force(day: dt.date | None = None) -> list[tuple[str, str]]:
    """(key, name) of the units that receive at least one procedure in force (for filters)."""
    from egov.org.models import Unit

    units = (
        Unit.objects.filter(implements__in=current_versions(day))
        .distinct()
        .order_by("name")
        .values_list("key", "name")
    )
    return list(units)


def version_by_code(code: str, day: dt.date | None = None) -> ProcedureVersion | None:
    """The version in force for a national code (1.001193), a local code
    (1.001193.000.00.00.H49) or, for procedures without a national code, the data key."""
    code = code.strip()
    if len(code) > 100 or has_control_chars(code):
        return None  # no procedure has such a code (and PostgreSQL refuses NUL in text)
    local = LOCAL_CODE_RE.fullmatch(code)
    if local:
        if local.group(2) != settings.EGOV_PROVINCE_CODE:
            return None
        lookup = Q(procedure__national_code=local.group(1))
    elif NATIONAL_CODE_RE.fullmatch(code):
        lookup = Q(procedure__national_code=code)
    else:
        lookup = Q(procedure__key=code)
    version: ProcedureVersion | None = (
        current_versions(day)
        .filter(lookup)
        .select_related("procedure", "field", "competent_unit")
        .prefetch_related(
            "implementing_units",
            "coordinating_units",
            Prefetch(
                "channels",
                queryset=Channel.objects.prefetch_related(
                    Prefetch("fees", queryset=FeeRule.objects.order_by("order"))
                ),
            ),
            Prefetch(
                "components",
                queryset=Component.objects.prefetch_related(
                    Prefetch("forms", queryset=FormTemplate.objects.order_by("key"))
                ),
            ),
            "process_steps__unit",
        )
        .first()
    )
    return version


class ProcedureNotFound(Http404):
    """No procedure in force has this code. A 404 for pages; the API answers it as
    ``procedure_not_found`` (api.errors)."""

    def __init__(self, code: str) -> None:
        super().__init__(
            _(
                "Không có thủ tục đang áp dụng với mã “%s” "
                "(vd. 1.001193 hoặc 1.001193.000.00.00.H49)."
            )
            % code[:100]
        )


def version_in_force(code: str, day: dt.date | None = None) -> ProcedureVersion:
    """``version_by_code`` for callers that answer 404 when there is none."""
    version = version_by_code(code, day)
    if version is None:
        raise ProcedureNotFound(code)
    return version
