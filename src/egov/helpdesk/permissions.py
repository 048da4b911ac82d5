"""Who may see and change what in the knowledge base and the call log — the one place that
answers it (views and endpoints load these rows only through here).

- Published questions are public (anyone, signed in or not); the others are seen by the
  support centre that writes them: its operators (tổng đài viên) and leaders.
- Operators and leaders of a centre write drafts and send them for review; only the centre's
  leaders (Role.CENTRE_LEADER) publish, return, archive and reopen.
- A call is seen by the operator who logged it and by the leaders of the centre where it was
  logged; no one else (not even another operator of the same centre: the caller's name and
  phone are personal data).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from egov.accounts.actors import Actor, person
from egov.accounts.models import Role, RoleAssignment
from egov.helpdesk.models import HotlineCall, Question, QuestionState
from egov.helpdesk.state import QuestionAction
from egov.org.models import Unit

OPERATOR_ROLES = frozenset({Role.HOTLINE_OPERATOR, Role.CENTRE_LEADER})
LEADER_ROLES = frozenset({Role.CENTRE_LEADER})
# Moves reserved to the centre's leaders; the others (submit) belong to every editor.
LEADER_ACTIONS = frozenset(
    {QuestionAction.PUBLISH, QuestionAction.RETURN, QuestionAction.ARCHIVE, QuestionAction.REOPEN}
)
MAX_PK = 2**62


def _unit_ids(actor: Actor, roles: frozenset[Role]) -> list[int]:
    user = person(actor)
    if user is None:
        return []
    return list(
        RoleAssignment.objects.valid_on(timezone.localdate())
        .filter(user=user, role__in=roles)
        .order_by("role", "unit_id")
        .values_list("unit_id", flat=True)
    )


def helpdesk_units(actor: Actor) -> list[Unit]:
    """The support centres where ``actor`` answers calls or edits the knowledge base today."""
    ids = _unit_ids(actor, OPERATOR_ROLES)
    return list(Unit.objects.filter(pk__in=ids).order_by("name"))


def call_desk(actor: Actor) -> Unit | None:
    """The centre where a call ``actor`` logs is recorded: where they are an operator today,
    else where they lead."""
    operator = _unit_ids(actor, frozenset({Role.HOTLINE_OPERATOR}))
    ids = operator or _unit_ids(actor, LEADER_ROLES)
    return Unit.objects.filter(pk=ids[0]).first() if ids else None


def is_helpdesk_staff(actor: Actor) -> bool:
    return bool(_unit_ids(actor, OPERATOR_ROLES))


def led_unit_ids(actor: Actor) -> list[int]:
    return _unit_ids(actor, LEADER_ROLES)


# Public reads.


def published_questions() -> QuerySet[Question]:
    return Question.objects.filter(state=QuestionState.PUBLISHED)


def get_published_question(pk: int) -> Question | None:
    if not 0 < pk < MAX_PK:
        return None
    return published_questions().select_related("procedure", "field", "unit").filter(pk=pk).first()


# The knowledge base's editors.


def editable_questions(actor: Actor) -> QuerySet[Question]:
    """Every question of the centres where ``actor`` is an operator or leader today."""
    ids = _unit_ids(actor, OPERATOR_ROLES)
    if not ids:
        return Question.objects.none()
    return Question.objects.filter(unit_id__in=ids)


def get_question_for_editor(actor: Actor, pk: int) -> Question | None:
    if not 0 < pk < MAX_PK:
        return None
    return (
        editable_questions(actor)
        .select_related("procedure", "field", "unit", "author", "reviewer")
        .filter(pk=pk)
        .first()
    )


def may_move(actor: Actor, question: Question, action: str) -> bool:
    """Whether ``actor`` may apply ``action`` to ``question`` (the state table aside)."""
    if question.unit_id in led_unit_ids(actor):
        return True
    if action in LEADER_ACTIONS:
        return False
    return question.unit_id in _unit_ids(actor, OPERATOR_ROLES)


# The call log.


def visible_calls(actor: Actor) -> QuerySet[HotlineCall]:
    """The calls ``actor`` logged, and every call of the centres ``actor`` leads today."""
    user = person(actor)
    if user is None:
        return HotlineCall.objects.none()
    return HotlineCall.objects.filter(Q(operator=user) | Q(unit_id__in=led_unit_ids(actor)))


def get_call_for_actor(actor: Actor, pk: int) -> HotlineCall | None:
    if not 0 < pk < MAX_PK:
        return None
    return (
        visible_calls(actor)
        .select_related("unit", "operator", "follow_up_done_by")
        .prefetch_related("questions")
        .filter(pk=pk)
        .first()
    )
