"""The lifecycle of a knowledge-base question as data, and the one function that moves a
question and appends its event (``QuestionEvent``)."""

from __future__ import annotations

from enum import StrEnum

from django.utils import timezone

from egov.accounts.actors import Actor, person
from egov.core.lifecycle import IllegalTransition as IllegalTransition
from egov.core.lifecycle import append_event, next_state
from egov.helpdesk.models import Question, QuestionEvent, QuestionState


class QuestionAction(StrEnum):
    CREATE = "create"
    SUBMIT = "submit"  # the author sends the draft for review
    RETURN = "return"  # the reviewer sends it back to draft, with a note
    PUBLISH = "publish"
    ARCHIVE = "archive"  # withdrawn from the portal (outdated, superseded)
    REOPEN = "reopen"  # an archived question becomes a draft again, to be revised


# "" is the question's creation.
QUESTION_TRANSITIONS: dict[tuple[str, str], str] = {
    ("", QuestionAction.CREATE): QuestionState.DRAFT,
    (QuestionState.DRAFT, QuestionAction.SUBMIT): QuestionState.IN_REVIEW,
    (QuestionState.IN_REVIEW, QuestionAction.RETURN): QuestionState.DRAFT,
    (QuestionState.IN_REVIEW, QuestionAction.PUBLISH): QuestionState.PUBLISHED,
    (QuestionState.PUBLISHED, QuestionAction.ARCHIVE): QuestionState.ARCHIVED,
    (QuestionState.ARCHIVED, QuestionAction.REOPEN): QuestionState.DRAFT,
}


def allowed(question: Question, action: str) -> bool:
    return (question.state, action) in QUESTION_TRANSITIONS


def move(
    question: Question,
    action: QuestionAction,
    *,
    actor: Actor,
    created: bool = False,
    note: str = "",
) -> QuestionEvent:
    """Apply ``action`` to ``question`` (``created``: the row was just saved in the target
    state) after checking the table, and append the event."""
    from_state, target = next_state(QUESTION_TRANSITIONS, question.state, action, created=created)
    now = timezone.now()
    if not created:
        question.state = target
        fields = ["state", "updated_at"]
        if target == QuestionState.PUBLISHED:
            question.published_at = now
            question.reviewer = person(actor)
            fields += ["published_at", "reviewer"]
        question.save(update_fields=fields)
    return append_event(
        QuestionEvent,
        "question",
        question,
        action=action,
        from_state=from_state,
        to_state=target,
        by=person(actor),
        at=now,
        note=note[:500],
    )
