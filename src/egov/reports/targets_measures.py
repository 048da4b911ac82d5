"""The computed measures of the plan's targets: each counts a numerator and a denominator over
egov's own data for one reporting period, as of its last day. What exactly is counted is
documented per function and in docs/plan-targets.md; a denominator of zero means "chưa có dữ
liệu" (no value), never a made-up 0 %.

Historical quarters are measured as they were: the catalog versions, units and role assignments
in force on the period's last day (all are versioned with validity periods), the dossiers
received and the documents issued within the period.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from egov.accounts.models import RoleAssignment
from egov.accounts.scope import unit_subtree_ids
from egov.audit.models import AuditEntry
from egov.catalog.models import (
    Channel,
    ChannelKind,
    Component,
    OnlineService,
    ProcedureVersion,
    ServiceLevel,
)
from egov.catalog.selectors import current_versions
from egov.documents.models import (
    OutgoingDocument,
    OutgoingRecipient,
    OutgoingStatus,
    OutgoingVersion,
    VersionKind,
)
from egov.dossiers.models import Dossier
from egov.exchange.models import SentPackage, SentState
from egov.org.models import CENTRE_KINDS, Unit
from egov.reports.periods import Period
from egov.reports.targets_models import Measure

# Audit actions that are not use of the system by the account itself.
NOT_ACTIVITY = ("auth.login_failed",)
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Ratio:
    numerator: int
    denominator: int

    @property
    def percent(self) -> Decimal | None:
        """numerator / denominator × 100, two decimals (half up); None without a denominator."""
        if self.denominator == 0:
            return None
        value = Decimal(self.numerator) * HUNDRED / Decimal(self.denominator)
        return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _versions(day: dt.date, params: dict[str, Any]) -> QuerySet[ProcedureVersion]:
    versions = current_versions(day)
    if params.get("level"):
        versions = versions.filter(implementing_level=params["level"])
    return versions


def _procedures(versions: QuerySet[ProcedureVersion]) -> int:
    return versions.values("procedure_id").distinct().count()


def procedures_information(period: Period, params: dict[str, Any]) -> Ratio:
    """Level 1 of NĐ 43/2011/NĐ-CP Điều 3 khoản 4 ("cung cấp đầy đủ các thông tin về thủ tục
    hành chính"): procedures whose version in force on the last day has every part egov
    publishes — at least one dossier component, at least one way to submit (channel, with its
    time limit and fees), a legal basis, a result, and the competent authority (named or a
    unit) — over all procedures in force that day."""
    versions = _versions(period.last_day, params)
    complete = (
        versions.filter(
            Exists(Component.objects.filter(version=OuterRef("pk"))),
            Exists(Channel.objects.filter(version=OuterRef("pk"))),
            Q(competent_unit__isnull=False) | ~Q(competent_authority=""),
        )
        .exclude(legal_basis=[])
        .exclude(results=[])
    )
    return Ratio(_procedures(complete), _procedures(versions))


def procedures_online_submission(period: Period, params: dict[str, Any]) -> Ratio:
    """Level 3 and above of NĐ 43/2011 (the user fills in and sends the forms online): the
    version in force on the last day has an online channel (cách thức nộp trực tuyến), is an
    online service, toàn trình or một phần (NĐ 42/2022 Điều 11; NĐ 224/2026 Điều 14), or —
    a version recorded under the old scheme — is at mức độ 3 or 4 — over all procedures in
    force that day (of ``params["level"]`` when given)."""
    versions = _versions(period.last_day, params)
    online = versions.filter(
        Q(online_service__in=[OnlineService.FULL, OnlineService.PARTIAL])
        | Q(service_level__gte=ServiceLevel.LEVEL_3)
        | Exists(Channel.objects.filter(version=OuterRef("pk"), kind=ChannelKind.ONLINE))
    )
    return Ratio(_procedures(online), _procedures(versions))


def centre_unit_ids() -> set[int]:
    """Every service centre of any level and period (2012-era provincial and district
    centres, 2025 provincial and commune centres) and the units under them (reception
    points)."""
    return unit_subtree_ids(Unit.objects.filter(kind__in=CENTRE_KINDS).values_list("pk", flat=True))


def procedures_at_centres(period: Period, params: dict[str, Any]) -> Ratio:
    """Procedures of ``params["level"]`` in force on the last day that had at least one
    dossier received during the period at a service centre or a unit under one (whatever
    version of the procedure the dossier was received under), over all procedures of that
    level in force on the last day."""
    start, end = period.bounds()
    versions = _versions(period.last_day, params)
    at_centres = versions.filter(
        Exists(
            Dossier.objects.filter(
                procedure_version__procedure_id=OuterRef("procedure_id"),
                received_at__gte=start,
                received_at__lt=end,
                receiving_unit_id__in=centre_unit_ids(),
            )
        )
    )
    return Ratio(_procedures(at_centres), _procedures(versions))


def _issued(period: Period) -> QuerySet[OutgoingDocument]:
    start, end = period.bounds()
    return OutgoingDocument.objects.filter(
        status=OutgoingStatus.ISSUED, issued_at__gte=start, issued_at__lt=end
    )


def _electronic(documents: QuerySet[OutgoingDocument]) -> QuerySet[OutgoingDocument]:
    """Sent electronically to at least one recipient: a unit of this system received it as an
    incoming document, or its package went onto the inter-agency axis."""
    return documents.filter(
        Exists(
            OutgoingRecipient.objects.filter(document=OuterRef("pk"), delivered_at__isnull=False)
        )
        | Exists(SentPackage.objects.filter(outgoing=OuterRef("pk"), state=SentState.SENT))
    )


def documents_electronic(period: Period, params: dict[str, Any]) -> Ratio:
    """Outgoing documents issued in the period that were exchanged electronically, over all
    outgoing documents issued in the period."""
    issued = _issued(period)
    return Ratio(_electronic(issued).count(), issued.count())


def documents_signed(period: Period, params: dict[str, Any]) -> Ratio:
    """Of the documents exchanged electronically in the period, those carrying the agency's
    digital signature (an ``agency_signed`` version, made by egov's signing service at
    registration, NĐ 30/2020/NĐ-CP Điều 32)."""
    electronic = _electronic(_issued(period))
    signed = electronic.filter(
        Exists(
            OutgoingVersion.objects.filter(document=OuterRef("pk"), kind=VersionKind.AGENCY_SIGNED)
        )
    )
    return Ratio(signed.count(), electronic.count())


def _active_actor_ids(period: Period) -> QuerySet[AuditEntry, int | None]:
    start, end = period.bounds()
    return (
        AuditEntry.objects.filter(moment__gte=start, moment__lt=end, actor_id__isnull=False)
        .exclude(action__in=NOT_ACTIVITY)
        .values_list("actor_id", flat=True)
    )


def _roles_in(period: Period) -> QuerySet[RoleAssignment]:
    """Role assignments of people (not API clients' service accounts) in force at some time
    during the period."""
    return RoleAssignment.objects.filter(
        valid_from__lte=period.last_day,
        valid_until__gt=period.first_day,
        user__api_client__isnull=True,
    )


def units_active(period: Period, params: dict[str, Any]) -> Ratio:
    """Units of ``params["kinds"]`` in force on the last day where at least one person (not an
    API client's service account) holding a role there during the period signed in or acted
    (an audit entry of theirs in the period), over all units of those kinds in force on the
    last day."""
    units = Unit.objects.valid_on(period.last_day)
    if params.get("kinds"):
        units = units.filter(kind__in=params["kinds"])
    active = units.filter(
        Exists(_roles_in(period).filter(unit=OuterRef("pk"), user_id__in=_active_actor_ids(period)))
    )
    return Ratio(active.count(), units.count())


def staff_active(period: Period, params: dict[str, Any]) -> Ratio:
    """Staff accounts (active, not an API client's service account) with a role in force on
    the last day that signed in or acted during the period, over all of them."""
    staff = (
        RoleAssignment.objects.valid_on(period.last_day)
        .filter(user__is_active=True, user__api_client__isnull=True)
        .values("user_id")
        .distinct()
    )
    active = staff.filter(user_id__in=_active_actor_ids(period))
    return Ratio(active.count(), staff.count())


MEASURES: dict[str, Callable[[Period, dict[str, Any]], Ratio]] = {
    Measure.PROCEDURES_INFORMATION: procedures_information,
    Measure.PROCEDURES_ONLINE_SUBMISSION: procedures_online_submission,
    Measure.PROCEDURES_AT_CENTRES: procedures_at_centres,
    Measure.DOCUMENTS_ELECTRONIC: documents_electronic,
    Measure.DOCUMENTS_SIGNED: documents_signed,
    Measure.UNITS_ACTIVE: units_active,
    Measure.STAFF_ACTIVE: staff_active,
}
