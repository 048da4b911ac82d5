"""Reads of dossiers: the public status lookup (no personal data beyond a masked name)."""

from __future__ import annotations

import base64
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.db import connection, models
from django.db.models import CharField, Count, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov.accounts.actors import Actor, person
from egov.core.inputs import CONTROL_RE
from egov.core.text import fold_words
from egov.dossiers.actions import ACTION_LABELS as ACTION_LABELS
from egov.dossiers.models import (
    IN_PROCESSING_STATUSES,
    RESULT_STATUSES,
    Dossier,
    DossierPayment,
    DossierStatus,
    PaymentPurpose,
)
from egov.dossiers.models import OPEN_STATUSES as OPEN_STATUSES
from egov.dossiers.permissions import visible_dossiers
from egov.workdays.engine import VIETNAM_TZ

DOSSIER_CODE_RE = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}-\d{6}-\d{4,6}$")


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
    result_code: str
    steps: list[PublicStep]
    # Submitted online and not yet received: ``due_at`` is then the desk's deadline to accept
    # or refuse (8 working hours), not the appointment for the result ("reception_answer").
    submitted_at: dt.datetime | None = None
    due_kind: str = "result"
    # Not finished and past ``due_at`` now.
    overdue: bool = False


_PUBLIC_SQL = (
    "SELECT d.code, d.status, d.applicant_name, d.received_at, d.due_at, v.name, d.result_code, "
    "d.submitted_at, e.action, e.at "
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
    found, status, name, received_at, due_at, procedure, result, submitted_at = rows[0][:8]
    due = _aware(due_at)
    unfinished = status == DossierStatus.AWAITING_ONLINE_RECEPTION or status in (
        IN_PROCESSING_STATUSES
    )
    return PublicStatus(
        code=found,
        procedure=procedure,
        applicant=mask_name(name),
        status=status,
        status_label=str(DossierStatus(status).label),
        received_at=_aware(received_at),
        due_at=due,
        result_ready=status in RESULT_STATUSES,
        result_code=result or "",
        steps=[
            PublicStep(str(ACTION_LABELS.get(action, action)), _aware(at) or at)
            for *_ignored, action, at in rows
            if action is not None
        ],
        submitted_at=_aware(submitted_at),
        due_kind=(
            "reception_answer" if status == DossierStatus.AWAITING_ONLINE_RECEPTION else "result"
        ),
        overdue=unfinished and due is not None and due < timezone.now(),
    )


DUE_SOON = dt.timedelta(hours=24)
URGENCIES = ("overdue", "due_soon", "in_time")


@dataclass(frozen=True)
class QueueRow:
    dossier: Dossier
    urgency: str  # "overdue" | "due_soon" | "in_time"
    # The fee quoted at reception is not (fully) collected yet.
    fee_short: bool = False


@dataclass(frozen=True)
class QueueFilters:
    """What an officer narrows the queue to; unknown values are ignored, not errors (the
    API refuses them before they get here)."""

    search: str = ""
    mine: bool = False  # only dossiers assigned to the user (per-person queue)
    status: str = ""  # any status; a closed one reaches dossiers outside the work queue
    urgency: str = ""
    channel: str = ""
    scope: str = "open"  # QueueScope: which dossiers when no status is chosen


class QueueUrgency(models.TextChoices):
    """The colour of a queue row (the same rule as the staff home page's figures)."""

    OVERDUE = "overdue", _("Quá hạn")
    DUE_SOON = "due_soon", _("Sắp đến hạn")
    IN_TIME = "in_time", _("Trong hạn")


class QueueScope(models.TextChoices):
    OPEN = "open", _("Đang chờ xử lý")
    CLOSED = "closed", _("Đã kết thúc (trả kết quả, từ chối, rút, dừng)")
    ALL = "all", _("Tất cả")


CLOSED_STATUSES = tuple(s for s in DossierStatus if s not in OPEN_STATUSES)


def _urgency(due_at: dt.datetime | None, now: dt.datetime) -> str:
    if due_at is not None and due_at < now:
        return "overdue"
    if due_at is not None and due_at - now <= DUE_SOON:
        return "due_soon"
    return "in_time"


@dataclass(frozen=True)
class QueueCounts:
    """The staff home page's figures for the dossiers an officer may open."""

    received_today: int
    overdue: int
    due_soon: int
    mine: int  # open and assigned to the officer


def queue_counts(user: Actor, *, now: dt.datetime | None = None) -> QueueCounts:
    """One aggregate query: received since the start of today (Việt Nam), open and past due,
    open and due within ``DUE_SOON``, open and assigned to ``user`` — the same rules as the
    work queue's colours."""
    now = now or timezone.now()
    today = dt.datetime.combine(timezone.localdate(now), dt.time.min, tzinfo=VIETNAM_TZ)
    open_ = Q(status__in=OPEN_STATUSES)
    officer = person(user)
    figures = visible_dossiers(user).aggregate(
        received_today=Count("pk", filter=Q(received_at__gte=today)),
        overdue=Count("pk", filter=open_ & Q(due_at__lt=now)),
        due_soon=Count("pk", filter=open_ & Q(due_at__gte=now, due_at__lte=now + DUE_SOON)),
        mine=Count("pk", filter=open_ & (Q(assignee=officer) if officer else Q(pk__in=[]))),
    )
    return QueueCounts(**{name: int(value or 0) for name, value in figures.items()})


_CODE_CHARS_RE = re.compile(r"^[0-9A-Za-z.\-]+$")
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_CURSOR_RE = re.compile(r"^(-|\d{1,20})\.(\d{1,18})\.(\d{1,9})$")
QUEUE_PAGE = 50
# Above this many matching dossiers the page says "hơn 1.000" rather than counting them all.
COUNT_CAP = 1000


@dataclass(frozen=True)
class QueueCursor:
    """Where the next page of the queue starts: after (``due_at``, ``pk``) in the queue's order;
    ``shown`` rows were listed before it (for "51–100"). Sent as an opaque token."""

    due_at: dt.datetime | None
    pk: int
    shown: int

    def encode(self) -> str:
        due = (
            "-"
            if self.due_at is None
            else str((self.due_at - _EPOCH) // dt.timedelta(microseconds=1))
        )
        raw = f"{due}.{self.pk}.{self.shown}".encode("ascii")
        return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")

    @classmethod
    def decode(cls, token: str) -> QueueCursor | None:
        """None for anything that is not a token made by ``encode`` (the caller shows the
        first page and says so)."""
        if not token or len(token) > 80 or not re.fullmatch(r"[A-Za-z0-9_\-]+", token):
            return None
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode("ascii")
        except (ValueError, UnicodeDecodeError):
            return None
        found = _CURSOR_RE.fullmatch(raw)
        if found is None:
            return None
        due, pk, shown = found.groups()
        try:
            due_at = None if due == "-" else _EPOCH + dt.timedelta(microseconds=int(due))
        except OverflowError:
            return None
        return cls(due_at, int(pk), int(shown))


@dataclass(frozen=True)
class QueuePage:
    rows: list[QueueRow]
    # Matching dossiers, counted up to COUNT_CAP + 1 (that value means "more than COUNT_CAP").
    total: int
    first: int  # position of the first row, from 1
    next_cursor: str  # "" on the last page

    @property
    def total_is_capped(self) -> bool:
        return self.total > COUNT_CAP

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1


def _code_prefix(prefix: str) -> Q:
    """Codes starting with ``prefix``, through an index: on PostgreSQL ``LIKE 'x%'`` uses the
    ``varchar_pattern_ops`` index Django adds beside a unique CharField; SQLite's LIKE ignores
    case and so cannot use the code's (binary) index, but a range on it can (codes are ASCII)."""
    if connection.vendor == "postgresql":
        return Q(code__startswith=prefix)
    return Q(code__gte=prefix, code__lt=prefix[:-1] + chr(ord(prefix[-1]) + 1))


def _search(dossiers: QuerySet[Dossier], text: str) -> QuerySet[Dossier]:
    """A code or its beginning ("000.00.89.H49-2510", any case), a personal ID (exact), or
    words of the applicant's name without diacritics ("binh" finds "Bình"; every word must be
    in the name, the last one may be the beginning of a word, as in the catalog search)."""
    term = CONTROL_RE.sub("", text).strip()[:100]
    if not term:
        return dossiers
    if _CODE_CHARS_RE.fullmatch(term) and any(ch.isdigit() for ch in term):
        if "." in term or "-" in term:
            return dossiers.filter(_code_prefix(term.upper()))
        if term.isdigit():
            return dossiers.filter(Q(applicant_personal_id=term) | _code_prefix(term))
    words = fold_words(term)[:8]
    if not words:
        return dossiers.none()
    dossiers = dossiers.alias(
        padded_name=Concat(Value(" "), "applicant_search", Value(" "), output_field=CharField())
    )
    for index, word in enumerate(words):
        tail = "" if index == len(words) - 1 else " "
        dossiers = dossiers.filter(padded_name__contains=f" {word}{tail}")
    return dossiers


def _open_queue(user: Actor, filters: QueueFilters, now: dt.datetime) -> QuerySet[Dossier]:
    from egov.catalog.models import ChannelKind

    # Exactly the dossiers the dossier page opens (permissions.visible_dossiers).
    dossiers = visible_dossiers(user)
    if filters.status in DossierStatus.values:
        dossiers = dossiers.filter(status=filters.status)
    elif filters.scope == QueueScope.CLOSED:
        dossiers = dossiers.filter(status__in=CLOSED_STATUSES)
    elif filters.scope != QueueScope.ALL:
        dossiers = dossiers.filter(status__in=OPEN_STATUSES)
    if filters.mine:
        me = person(user)
        dossiers = dossiers.filter(assignee=me) if me is not None else dossiers.none()
    if filters.channel in ChannelKind.values:
        dossiers = dossiers.filter(channel=filters.channel)
    if filters.urgency == "overdue":
        dossiers = dossiers.filter(due_at__lt=now)
    elif filters.urgency == "due_soon":
        dossiers = dossiers.filter(due_at__gte=now, due_at__lte=now + DUE_SOON)
    elif filters.urgency == "in_time":
        dossiers = dossiers.filter(Q(due_at__gt=now + DUE_SOON) | Q(due_at__isnull=True))
    # A control character (NUL) cannot be in a code, a name or an ID: _search drops it rather
    # than send it to the database (PostgreSQL refuses NUL in text).
    return _search(dossiers, filters.search)


def _after(cursor: QueueCursor) -> Q:
    """The rows after ``cursor`` in the order (due_at, id), dossiers without a due time last."""
    if cursor.due_at is None:
        return Q(due_at__isnull=True, pk__gt=cursor.pk)
    return (
        Q(due_at__gt=cursor.due_at)
        | Q(due_at=cursor.due_at, pk__gt=cursor.pk)
        | Q(due_at__isnull=True)
    )


def _rows(dossiers: QuerySet[Dossier], limit: int, now: dt.datetime) -> list[QueueRow]:
    listed = list(
        dossiers.select_related("procedure_version", "assignee")
        .only(
            "code",
            "status",
            "due_at",
            "received_at",  # no receipt link before reception
            "fee_quoted",
            "applicant_name",
            "procedure_version__name",
            "assignee__full_name",
            "assignee__username",
        )
        .order_by(F("due_at").asc(nulls_last=True), "id")[:limit]
    )
    # The fees collected for the listed rows only, in one query (a correlated sum in the
    # listing itself would be computed for every open dossier before the sort).
    quoted = [d.pk for d in listed if d.fee_quoted]
    collected = (
        dict(
            DossierPayment.objects.filter(dossier_id__in=quoted, purpose=PaymentPurpose.FEE)
            .values("dossier")
            .annotate(total=Sum("amount"))
            .values_list("dossier", "total")
        )
        if quoted
        else {}
    )
    return [
        QueueRow(
            dossier,
            _urgency(dossier.due_at, now),
            fee_short=dossier.fee_quoted is not None
            and collected.get(dossier.pk, 0) < dossier.fee_quoted,
        )
        for dossier in listed
    ]


def work_queue(
    user: Actor, *, filters: QueueFilters | None = None, limit: int = QUEUE_PAGE
) -> list[QueueRow]:
    """Open dossiers the user may see (received by, handled in, to be decided in, or sent for
    liên thông to the user's units or units below them), earliest due first (those without a
    due time last). A fixed number of queries, whatever the number of dossiers."""
    now = timezone.now()
    return _rows(_open_queue(user, filters or QueueFilters(), now), limit, now)


def work_queue_page(
    user: Actor,
    *,
    filters: QueueFilters | None = None,
    cursor: QueueCursor | None = None,
    per_page: int = QUEUE_PAGE,
) -> QueuePage:
    """One page of the work queue after ``cursor`` (keyset paging on (due_at, id): each page
    costs the same however far the officer goes), with the number of matching dossiers
    counted up to COUNT_CAP + 1 (docs/performance.md)."""
    now = timezone.now()
    dossiers = _open_queue(user, filters or QueueFilters(), now)
    total = dossiers.order_by()[: COUNT_CAP + 1].count()
    page = dossiers.filter(_after(cursor)) if cursor is not None else dossiers
    rows = _rows(page, per_page + 1, now)
    shown = cursor.shown if cursor is not None else 0
    next_cursor = ""
    if len(rows) > per_page:
        rows = rows[:per_page]
        last = rows[-1].dossier
        next_cursor = QueueCursor(last.due_at, last.pk, shown + per_page).encode()
    return QueuePage(rows=rows, total=total, first=shown + 1, next_cursor=next_cursor)


def assignable_specialists(dossier: Dossier) -> list[Any]:
    """Specialists (today) of the unit handling the dossier or of a unit above it, by name."""
    from django.contrib.auth import get_user_model

    from egov.accounts.models import Role, RoleAssignment

    unit = dossier.handling_unit
    if unit is None:
        return []
    units = [unit, *unit.ancestors()]
    holders = (
        RoleAssignment.objects.valid_on(timezone.localdate())
        .filter(role=Role.SPECIALIST, unit__in=units)
        .values("user_id")
    )
    return list(
        get_user_model().objects.filter(pk__in=holders, is_active=True).order_by("full_name")
    )


TRACKING_BOOK_MAX_DAYS = 366
TRACKING_BOOK_MAX_ROWS = 5000


class TrackingBookError(ValueError):
    """A period the tracking book cannot be printed for; the message is for the officer."""


def tracking_book_dossiers(unit: Any, start_text: str, end_text: str) -> tuple[list[Dossier], str]:
    """Dossiers received by ``unit`` in the period (Mẫu 06), with the period as printed.
    At most one year and TRACKING_BOOK_MAX_ROWS rows, so a single request stays bounded."""
    from django.utils.translation import gettext as _

    from egov.core.inputs import ParamError, parse_date_param
    from egov.workdays.engine import VIETNAM_TZ

    try:
        start = parse_date_param(start_text, label=_("ngày bắt đầu"))
        end = parse_date_param(end_text, label=_("ngày kết thúc"))
    except ParamError as exc:
        raise TrackingBookError(str(exc)) from None
    if start is None or end is None:
        raise TrackingBookError(
            _("Cần chọn khoảng thời gian hợp lệ: ?tu=YYYY-MM-DD&den=YYYY-MM-DD.")
        )
    if end < start or (end - start).days > TRACKING_BOOK_MAX_DAYS:
        raise TrackingBookError(
            _("Khoảng thời gian phải từ 1 ngày đến 1 năm, ngày kết thúc sau ngày bắt đầu.")
        )
    lower = dt.datetime.combine(start, dt.time.min, tzinfo=VIETNAM_TZ)
    upper = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=VIETNAM_TZ)
    dossiers = list(
        Dossier.objects.filter(receiving_unit=unit, received_at__gte=lower, received_at__lt=upper)
        .select_related("procedure_version__competent_unit", "handling_unit")
        .prefetch_related("events")
        .order_by("received_at", "id")[: TRACKING_BOOK_MAX_ROWS + 1]
    )
    if len(dossiers) > TRACKING_BOOK_MAX_ROWS:
        raise TrackingBookError(
            _("Quá %d hồ sơ trong khoảng này; hãy chọn khoảng ngắn hơn.") % TRACKING_BOOK_MAX_ROWS
        )
    return dossiers, f"từ {start:%d/%m/%Y} đến {end:%d/%m/%Y}"
