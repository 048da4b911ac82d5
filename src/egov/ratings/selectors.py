"""Reads of the ratings: one dossier's rating, the kiosk's lookup, and the Điều 15 scores of
officers and units over a period (``evaluation_scores``, also meant for the reports module)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from egov.accounts.models import User
from egov.catalog.models import ChannelKind, OnlineService, ProcedureVersion, VersionStatus
from egov.dossiers.models import OPEN_STATUSES, Dossier, DossierEvent, Outcome
from egov.org.models import Unit
from egov.ratings.criteria import CRITERIA, LEVELS
from egov.ratings.indices import (
    CITIZEN_QUESTIONS,
    IndexSet,
    grade_of,
    index_average,
    index_set_by_key,
    index_set_on,
    score_online,
    score_timing,
    total_of,
)
from egov.ratings.models import Rating, UnitAssessment
from egov.ratings.services import check_matches
from egov.ratings.system import officer_steps, step_timings
from egov.workdays.engine import VIETNAM_TZ

# Dossiers scored in one report at most (a quarter of a large centre fits; see docs/ratings.md).
MAX_DOSSIERS = 20000
CITIZEN_INDICES = ("1", "3", "4", "7")


def rating_for(dossier: Dossier) -> Rating | None:
    return Rating.objects.filter(dossier=dossier).first()


def rating_lines(rating: Rating) -> list[tuple[str, str]]:
    """A rating's answers as (question, answer) labels, for either scale: the official
    indices' questions with the province's extra questions, or the old three-level criteria
    (``criteria.py``) for the ratings made before them."""
    index_set = index_set_by_key(rating.criteria_version)
    if index_set is None:
        labels = dict(CRITERIA)
        return [
            (labels.get(key, key), LEVELS.get(int(value), str(value)))
            for key, value in rating.answers.items()
        ]
    lines = []
    for question in CITIZEN_QUESTIONS:
        value = rating.answers.get(question.key)
        choices = {k: str(v) for k, v in question.choices}
        if value is not None:
            lines.append((str(question.label), choices.get(value, value)))
    for key, label in index_set.extra_questions:
        if key in rating.answers:
            lines.append((label, index_set.extra_levels.get(int(rating.answers[key]), "")))
    return lines


def dossier_for_kiosk(code: str, check: str) -> Dossier | None:
    """The dossier a counter applicant names by its code and check; None when either is
    wrong (one answer for both, so the kiosk does not tell which codes exist)."""
    dossier = (
        Dossier.objects.select_related("procedure_version", "receiving_unit")
        .filter(code=code.strip().upper())
        .first()
    )
    if dossier is None or not check_matches(dossier, check):
        return None
    return dossier


@dataclass
class ScoreRow:
    """The Điều 15 result of one officer or unit: the average of each index (None: no data,
    left out — Điều 15 khoản 4 điểm b), the total and the grade."""

    key: int
    name: str
    dossiers: int
    averages: dict[int, Decimal | None]
    total: Decimal = Decimal(0)
    grade: str = ""


@dataclass
class EvaluationReport:
    start: dt.date
    end: dt.date
    index_set: IndexSet
    officers: list[ScoreRow] = field(default_factory=list)
    units: list[ScoreRow] = field(default_factory=list)
    ratings: int = 0
    legacy_ratings: int = 0
    truncated: bool = False


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=VIETNAM_TZ)


def _online_index(
    index_set: IndexSet, unit_id: int, start: dt.date, end: dt.date
) -> Decimal | None:
    """Index 9 of a unit: its published procedures offered online (toàn trình or một phần),
    the share of its dossiers received online in the period, and whether any online dossier
    ended late or is still open past its appointment at the end of the period."""
    lower, upper = _moment(start), _moment(end + dt.timedelta(days=1))
    versions = ProcedureVersion.objects.filter(
        Q(implementing_units=unit_id) | Q(competent_unit=unit_id), status=VersionStatus.PUBLISHED
    ).distinct()
    offered = versions.values_list("online_service", flat=True)
    if not offered:
        return None
    procedures_share = Decimal(
        sum(1 for value in offered if value in (OnlineService.FULL, OnlineService.PARTIAL))
    ) / Decimal(len(offered))
    received = Dossier.objects.filter(
        receiving_unit_id=unit_id, received_at__gte=lower, received_at__lt=upper
    )
    total = received.count()
    if total == 0:
        return None
    online = received.filter(channel=ChannelKind.ONLINE)
    failed = online.filter(
        Q(outcome=Outcome.LATE) | Q(status__in=OPEN_STATUSES, due_at__lt=upper)
    ).count()
    score = score_online(
        index_set.index(9),
        procedures_share=procedures_share,
        dossiers_share=Decimal(online.count()) / Decimal(total),
        online_failed=failed,
    )
    return Decimal(score)


def _assessed(
    index_set: IndexSet, unit_id: int, number: int, start: dt.date, end: dt.date
) -> Decimal | None:
    """The latest assessment of a unit-level index whose period meets the report's."""
    row = (
        UnitAssessment.objects.filter(
            unit_id=unit_id,
            index=number,
            index_set=index_set.key,
            period_start__lte=end,
            period_end__gte=start,
        )
        .order_by("-period_end", "-recorded_at")
        .first()
    )
    return None if row is None else Decimal(row.score)


def evaluation_scores(
    *, start: dt.date, end: dt.date, unit_ids: set[int] | None = None
) -> EvaluationReport:
    """The Điều 15 scores (TT 01/2018/TT-VPCP) of the officers and units who handled the
    dossiers whose processing ended in [start, end] (Việt Nam days), received or handled by
    ``unit_ids`` (None: every unit).

    Per dossier (Điều 14 khoản 1): indices 1, 3, 4 and 7 from the applicant's rating (new
    scale only), index 2 from the dossier's events (``ratings.system``). Each index is the
    average over the dossiers that have it, rounded to one decimal (Điều 15 khoản 2 điểm a);
    an officer's total is the sum of indices 1, 2, 3, 4, 7 and is graded by Điều 15 khoản 3
    điểm a; a unit adds its unit-level indices 5, 6, 8 (assessed) and 9 (computed) and is
    graded by Điều 15 khoản 3 điểm b. An index without data is left out (khoản 4 điểm b)."""
    index_set = index_set_on(end)
    report = EvaluationReport(start=start, end=end, index_set=index_set)
    dossiers_qs = Dossier.objects.filter(
        completed_at__gte=_moment(start),
        completed_at__lt=_moment(end + dt.timedelta(days=1)),
    ).exclude(outcome="")
    if unit_ids is not None:
        dossiers_qs = dossiers_qs.filter(
            Q(receiving_unit_id__in=unit_ids) | Q(handling_unit_id__in=unit_ids)
        )
    dossiers = list(dossiers_qs.order_by("completed_at", "id")[: MAX_DOSSIERS + 1])
    report.truncated = len(dossiers) > MAX_DOSSIERS
    dossiers = dossiers[:MAX_DOSSIERS]
    by_id = {d.pk: d for d in dossiers}
    events: dict[int, list[DossierEvent]] = defaultdict(list)
    for event in DossierEvent.objects.filter(dossier_id__in=by_id).order_by(
        "dossier_id", "sequence"
    ):
        events[event.dossier_id].append(event)
    ratings = {r.dossier_id: r for r in Rating.objects.filter(dossier_id__in=by_id)}
    report.legacy_ratings = sum(1 for r in ratings.values() if not r.scores)
    report.ratings = len(ratings) - report.legacy_ratings

    officer_scores: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    officer_dossiers: dict[int, set[int]] = defaultdict(set)
    unit_scores: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    unit_dossiers: dict[int, set[int]] = defaultdict(set)
    timing_index = index_set.index(2)
    for dossier in dossiers:
        dossier_events = events[dossier.pk]
        steps = step_timings(dossier, dossier_events)
        step_score = {s.step: score_timing(timing_index, s.timing) for s in steps}
        unit_step: dict[int, int] = {}
        for s in steps:
            value = step_score[s.step]
            unit_step[s.unit_id] = min(value, unit_step.get(s.unit_id, value))
        rating = ratings.get(dossier.pk)
        citizen = {int(k): int(v) for k, v in (rating.scores if rating else {}).items()}
        units = {dossier.receiving_unit_id, dossier.handling_unit_id} - {None}
        for unit_id in units:
            assert unit_id is not None
            unit_dossiers[unit_id].add(dossier.pk)
            for number, value in citizen.items():
                unit_scores[unit_id][number].append(value)
            if unit_id in unit_step:
                unit_scores[unit_id][2].append(unit_step[unit_id])
        for officer_id, acted in officer_steps(dossier_events, exclude=dossier.owner_id).items():
            officer_dossiers[officer_id].add(dossier.pk)
            for number, value in citizen.items():
                officer_scores[officer_id][number].append(value)
            mine = [step_score[step] for step in acted if step in step_score]
            if mine:
                officer_scores[officer_id][2].append(min(mine))

    names = {
        u.pk: u.get_full_name() or u.username
        for u in User.objects.filter(pk__in=list(officer_dossiers))
    }
    averages: dict[int, Decimal | None]
    for officer_id in officer_dossiers:
        scores = officer_scores.get(officer_id, {})
        averages = {
            n: index_average(scores.get(n, []), decimals=index_set.decimals)
            for n in index_set.officer_indices
        }
        total = total_of(averages)
        report.officers.append(
            ScoreRow(
                officer_id,
                names.get(officer_id, ""),
                len(officer_dossiers[officer_id]),
                averages,
                total,
                grade_of(total, index_set.officer_grades),
            )
        )
    unit_names = dict(Unit.objects.filter(pk__in=list(unit_dossiers)).values_list("pk", "name"))
    for unit_id in unit_dossiers:
        if unit_ids is not None and unit_id not in unit_ids:
            continue  # a partner of a dossier in scope, outside the reader's units
        scores = unit_scores.get(unit_id, {})
        averages = {}
        for n in index_set.unit_indices:
            index = index_set.index(n)
            if index.scope == "dossier":
                averages[n] = index_average(scores.get(n, []), decimals=index_set.decimals)
            elif index.source == "assessment":
                averages[n] = _assessed(index_set, unit_id, n, start, end)
            else:
                averages[n] = _online_index(index_set, unit_id, start, end)
        total = total_of(averages)
        report.units.append(
            ScoreRow(
                unit_id,
                unit_names.get(unit_id, ""),
                len(unit_dossiers[unit_id]),
                averages,
                total,
                grade_of(total, index_set.unit_grades),
            )
        )
    report.officers.sort(key=lambda r: (-r.total, r.name))
    report.units.sort(key=lambda r: (-r.total, r.name))
    return report
