"""Reads of dossiers: the public status lookup (no personal data beyond a masked name)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet

from egov.dossiers.models import Dossier, DossierStatus
from egov.dossiers.state import TRANSITIONS

DOSSIER_CODE_RE = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}-\d{6}-\d{4,6}$")

ACTION_LABELS = {
    "receive": "Tiếp nhận hồ sơ",
    "apologise": "Xin lỗi và hẹn lại ngày trả kết quả",
    **{name: t.label for name, t in TRANSITIONS.items()},
}


def mask_name(name: str) -> str:
    """ "Nguyễn Văn An" → "N***** V** A*": enough to recognise one's own dossier."""
    return " ".join(word[0] + "*" * (len(word) - 1) for word in name.split())


@dataclass(frozen=True)
class PublicStep:
    label: str
    at: dt.datetime


@dataclass(frozen=True)
class PublicStatus:
    code: str
    procedure: str
    applicant: str
    status: str
    status_label: str
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    result_ready: bool
    steps: list[PublicStep]


_PUBLIC_SQL = (
    "SELECT d.code, d.status, d.applicant_name, d.received_at, d.due_at, v.name, e.action, e.at "
    "FROM dossiers_dossier d "
    "JOIN catalog_procedureversion v ON v.id = d.procedure_version_id "
    "LEFT JOIN dossiers_dossierevent e ON e.dossier_id = d.id "
    "WHERE d.code = %s ORDER BY e.sequence"
)


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    if value is not None and value.tzinfo is None:  # SQLite returns naive UTC values
        return value.replace(tzinfo=dt.UTC)
    return value


def public_status(code: str) -> PublicStatus | None:
    """One hand-written query (the public lookup is the hottest read of the system)."""
    code = code.strip()
    if not DOSSIER_CODE_RE.fullmatch(code):
        return None
    with connection.cursor() as cursor:
        cursor.execute(_PUBLIC_SQL, [code])
        rows = cursor.fetchall()
    if not rows:
        return None
    found, status, name, received_at, due_at, procedure = rows[0][:6]
    return PublicStatus(
        code=found,
        procedure=procedure,
        applicant=mask_name(name),
        status=status,
        status_label=str(DossierStatus(status).label),
        received_at=_aware(received_at),
        due_at=_aware(due_at),
        result_ready=status in (DossierStatus.RESULT_READY, DossierStatus.RETURNED),
        steps=[
            PublicStep(ACTION_LABELS.get(action, action), _aware(at) or at)
            for *_ignored, action, at in rows
            if action is not None
        ],
    )


OPEN_STATUSES = (
    DossierStatus.AWAITING_ONLINE_RECEPTION,
    DossierStatus.RECEIVED,
    DossierStatus.PROCESSING,
    DossierStatus.SUPPLEMENT_REQUESTED,
    DossierStatus.AWAITING_PAYMENT,
    DossierStatus.RESULT_READY,
)
DUE_SOON = dt.timedelta(hours=24)


@dataclass(frozen=True)
class QueueRow:
    dossier: Dossier
    urgency: str  # "overdue" | "due_soon" | "in_time"


def _units_of(user: object) -> QuerySet[Any]:
    """Ids of the units where the user holds a role today and of the units below them (two
    levels: a centre's reception points, a department's divisions), as a sub-query."""
    from django.utils import timezone

    from egov.accounts.models import RoleAssignment
    from egov.org.models import Unit

    roots = (
        RoleAssignment.objects.valid_on(timezone.localdate()).filter(user=user).values("unit_id")
    )
    return Unit.objects.filter(
        Q(pk__in=roots) | Q(parent_id__in=roots) | Q(parent__parent_id__in=roots)
    ).values("pk")


def work_queue(user: object, *, search: str = "", limit: int = 50) -> list[QueueRow]:
    """Open dossiers received by, or to be decided in, the user's units, earliest due first.
    A fixed number of queries, whatever the number of dossiers."""
    from django.utils import timezone

    units = _units_of(user)
    dossiers = Dossier.objects.filter(status__in=OPEN_STATUSES).filter(
        Q(receiving_unit_id__in=units)
        | Q(handling_unit_id__in=units)
        | Q(procedure_version__competent_unit_id__in=units)
    )
    term = search.strip()
    if term:
        dossiers = dossiers.filter(
            Q(code__iexact=term) | Q(applicant_personal_id=term) | Q(applicant_name__icontains=term)
        )
    now = timezone.now()
    rows = []
    listed = (
        dossiers.select_related("procedure_version")
        .only("code", "status", "due_at", "applicant_name", "procedure_version__name")
        .order_by("due_at", "id")[:limit]
    )
    for dossier in listed:
        if dossier.due_at is not None and dossier.due_at < now:
            urgency = "overdue"
        elif dossier.due_at is not None and dossier.due_at - now <= DUE_SOON:
            urgency = "due_soon"
        else:
            urgency = "in_time"
        rows.append(QueueRow(dossier, urgency))
    return rows
