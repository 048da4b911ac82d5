"""Who may see and act on a feedback — the one place that answers it.

- The support centre (receptionists, the centre's leaders and supervisors holding a role at
  the feedback's centre or a unit above it) sees every feedback it received, classifies,
  refuses, asks for more information, routes and publishes.
- The responsible unit (specialists and leaders with a role at the unit or above it) sees the
  feedback routed to it: a specialist drafts the answer, a leader approves or returns it.
- An operator who logged a call sees what they logged.
- The submitter sees their own: through their account, or with the tracking code and secret.
"""

from __future__ import annotations

import hashlib
import hmac

from django.db.models import Q, QuerySet
from django.utils import timezone

from egov.accounts.actors import Actor, person
from egov.accounts.models import Role, RoleAssignment
from egov.core.inputs import column_length, has_control_chars
from egov.feedback.models import Feedback
from egov.org.models import Unit
from egov.org.selectors import units_below

CENTRE_ROLES = frozenset({Role.RECEPTIONIST, Role.CENTRE_LEADER, Role.SUPERVISOR})
DRAFTER_ROLES = frozenset({Role.SPECIALIST})
APPROVER_ROLES = frozenset({Role.DEPARTMENT_LEADER})
UNIT_ROLES = DRAFTER_ROLES | APPROVER_ROLES | {Role.CENTRE_LEADER, Role.SUPERVISOR}


def _role_units(actor: Actor, roles: frozenset[str]) -> list[int]:
    """Ids of the units where ``actor`` holds one of ``roles`` today, and of the units below."""
    user = person(actor)
    if user is None:
        return []
    held = RoleAssignment.objects.valid_on(timezone.localdate()).filter(user=user, role__in=roles)
    return units_below(held.values("unit_id"))


def roles_at(actor: Actor, unit: Unit) -> set[str]:
    """Roles ``actor`` holds today at ``unit`` or at a unit above it."""
    user = person(actor)
    if user is None:
        return set()
    return set(
        RoleAssignment.objects.valid_on(timezone.localdate())
        .filter(user=user, unit__in=[unit, *unit.ancestors()])
        .values_list("role", flat=True)
    )


def visible_feedback(actor: Actor) -> QuerySet[Feedback]:
    """Every feedback ``actor`` may see as staff or operator (none for anyone else)."""
    user = person(actor)
    if user is None:
        return Feedback.objects.none()
    scope = Q(logged_by=user)
    centres = _role_units(user, CENTRE_ROLES)
    if centres:
        scope |= Q(centre_id__in=centres)
    units = _role_units(user, UNIT_ROLES)
    if units:
        scope |= Q(unit_id__in=units)
    return Feedback.objects.filter(scope).select_related("centre", "unit", "procedure", "field")


def could_be_a_code(code: str) -> bool:
    """What a URL carries is checked once for every lookup: PostgreSQL refuses a NUL byte in
    a query parameter (a 500), and no code is longer than its column."""
    return 0 < len(code) <= column_length(Feedback, "code") and not has_control_chars(code)


def get_feedback_for_actor(actor: Actor, code: str) -> Feedback | None:
    if not could_be_a_code(code):
        return None
    return (
        visible_feedback(actor)
        .select_related(
            "procedure",
            "dossier__procedure_version__competent_unit",
            "dossier__handling_unit",
        )
        .filter(code=code)
        .first()
    )


def may_classify(actor: Actor, feedback: Feedback) -> bool:
    return bool(roles_at(actor, feedback.centre) & CENTRE_ROLES)


def may_draft(actor: Actor, feedback: Feedback) -> bool:
    return feedback.unit is not None and bool(roles_at(actor, feedback.unit) & DRAFTER_ROLES)


def may_approve(actor: Actor, feedback: Feedback) -> bool:
    return feedback.unit is not None and bool(roles_at(actor, feedback.unit) & APPROVER_ROLES)


def may_log_calls(actor: Actor) -> bool:
    """Operators of the hotline are the support centre's staff."""
    return bool(_role_units(actor, CENTRE_ROLES))


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def own_feedback(actor: Actor) -> QuerySet[Feedback]:
    """The feedback ``actor`` sent while signed in."""
    user = person(actor)
    if user is None:
        return Feedback.objects.none()
    return Feedback.objects.filter(submitter_account=user).select_related("unit")


def get_tracked_feedback(actor: Actor, code: str, secret: str) -> Feedback | None:
    """The submitter's feedback by its code and secret, or by its code alone when ``actor``
    sent it while signed in; None otherwise (the same answer whether the code exists)."""
    if not could_be_a_code(code):
        return None
    found = Feedback.objects.select_related("unit", "centre").filter(code=code).first()
    if found is None:
        return None
    user = person(actor)
    if user is not None and found.submitter_account_id == user.pk:
        return found
    if secret and hmac.compare_digest(found.secret_hash, hash_secret(secret.strip())):
        return found
    return None


def published_feedback() -> QuerySet[Feedback]:
    """Answers published on the portal (their public, masked copy only is shown)."""
    return Feedback.objects.filter(published_at__isnull=False).select_related("unit", "field")


def feedback_of_units(unit_ids: list[int]) -> QuerySet[Feedback]:
    """Feedback received by or routed to these units, for reports whose caller's reach the
    report checked (``reports.scope``)."""
    return Feedback.objects.filter(Q(centre_id__in=unit_ids) | Q(unit_id__in=unit_ids))
