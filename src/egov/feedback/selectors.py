"""Reads of feedback: the support centre, work lists, overdue tracking, the public answers and
the indicators reported for QĐ 766/QĐ-TTg group 5 (docs/feedback.md, "Indicators")."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from egov.core.text import fold_words
from egov.feedback.models import (
    ANSWERED_STATES,
    OPEN_STATES,
    Feedback,
    FeedbackRating,
    FeedbackState,
)
from egov.org.models import Unit
from egov.org.selectors import service_centres_valid_on, unit_by_code_or_key


def accepted_feedback_about_dossiers(*, before: dt.datetime) -> QuerySet[Feedback]:
    """Feedback naming a dossier, received before ``before`` and classified by the support
    centre (about a regulation or an official's conduct: every routed feedback has a topic).
    QĐ 766 indicator 5.4 leaves such dossiers out of the satisfied ones, as the national portal
    does. Refused feedback is not counted: anyone holding a dossier's code can name it."""
    return (
        Feedback.objects.filter(dossier__isnull=False, received_at__lt=before)
        .exclude(topic="")
        .exclude(state=FeedbackState.REFUSED)
    )


def feedback_centre() -> Unit | None:
    """The support centre receiving portal and e-mail feedback (``EGOV_FEEDBACK_CENTRE``)."""
    if settings.EGOV_FEEDBACK_CENTRE:
        return unit_by_code_or_key(settings.EGOV_FEEDBACK_CENTRE)
    return service_centres_valid_on(timezone.localdate()).order_by("pk").first()


def overdue(feedback: QuerySet[Feedback], *, at: dt.datetime | None = None) -> QuerySet[Feedback]:
    """Those of ``feedback`` whose current step is past its deadline at ``at`` (now): not yet
    classified, answered or published in time."""
    moment = at or timezone.now()
    return feedback.filter(due_at__lt=moment).exclude(state=FeedbackState.REFUSED)


def published_answers(query: str = "") -> QuerySet[Feedback]:
    """Published answers, newest first, whose public texts contain every word of ``query``
    (diacritics and case ignored)."""
    found = Feedback.objects.filter(published_at__isnull=False).select_related("unit", "field")
    for word in fold_words(query)[:10]:
        found = found.filter(public_search__contains=word)
    return found.order_by("-published_at", "-id")


def _ratio(numerator: int, denominator: int) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(
        Decimal("0.0001"), rounding=ROUND_HALF_UP
    )


@dataclass(frozen=True)
class FeedbackFigures:
    """One unit's figures for a period (feedback received in the period)."""

    received: int
    about_regulation: int
    about_conduct: int
    refused: int
    answered: int
    in_progress: int
    # QĐ 766 indicator 5.2: handled on or before the deadline + in progress within it.
    on_time: int
    # Indicator 5.3: answered, not disliked and not late.
    satisfied: int
    liked: int
    disliked: int

    @property
    def on_time_ratio(self) -> Decimal | None:
        return _ratio(self.on_time, self.received)

    @property
    def satisfaction_ratio(self) -> Decimal | None:
        return _ratio(self.satisfied, self.answered)


def feedback_figures(
    feedback: QuerySet[Feedback], *, start: dt.datetime, end: dt.datetime, at: dt.datetime
) -> FeedbackFigures:
    """Count ``feedback`` received in [start, end), judged at ``at`` (now, or the end of a past
    period): one aggregate query."""
    answered = Q(state__in=ANSWERED_STATES)
    closed_on_time = Q(closed_on_time=True)
    # While the submitter is asked for more information the clock stands still.
    open_in_time = Q(state__in=OPEN_STATES, answer_due_at__gte=at) | Q(
        state=FeedbackState.INFO_REQUESTED
    )
    row = feedback.filter(received_at__gte=start, received_at__lt=end).aggregate(
        received=Count("pk"),
        about_regulation=Count("pk", filter=Q(topic="regulation")),
        about_conduct=Count("pk", filter=Q(topic="conduct")),
        refused=Count("pk", filter=Q(state=FeedbackState.REFUSED)),
        answered=Count("pk", filter=answered),
        in_progress=Count("pk", filter=Q(state__in=OPEN_STATES)),
        on_time=Count("pk", filter=closed_on_time | open_in_time),
        satisfied=Count(
            "pk",
            filter=answered & closed_on_time & ~Q(rating=FeedbackRating.DISSATISFIED),
        ),
        liked=Count("pk", filter=Q(rating=FeedbackRating.SATISFIED)),
        disliked=Count("pk", filter=Q(rating=FeedbackRating.DISSATISFIED)),
    )
    return FeedbackFigures(**{key: int(value or 0) for key, value in row.items()})


@dataclass(frozen=True)
class UnitFigures:
    unit: Unit | None  # None: not yet routed (still at the support centre)
    figures: FeedbackFigures


def feedback_figures_by_unit(
    feedback: QuerySet[Feedback], *, start: dt.datetime, end: dt.datetime, at: dt.datetime
) -> list[UnitFigures]:
    """The figures per responsible unit (one row for feedback not yet routed)."""
    in_period = feedback.filter(received_at__gte=start, received_at__lt=end)
    unit_ids = sorted(
        set(in_period.values_list("unit_id", flat=True).distinct()),
        key=lambda pk: (pk is None, pk or 0),
    )
    units = Unit.objects.in_bulk([pk for pk in unit_ids if pk is not None])
    rows = []
    for pk in unit_ids:
        scoped = in_period.filter(unit_id=pk) if pk is not None else in_period.filter(unit=None)
        rows.append(
            UnitFigures(
                unit=units.get(pk) if pk is not None else None,
                figures=feedback_figures(scoped, start=start, end=end, at=at),
            )
        )
    return rows
