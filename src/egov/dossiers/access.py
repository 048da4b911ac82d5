"""Who may do what with dossiers — the only place that answers it."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from egov.accounts.models import Role, RoleAssignment
from egov.core.inputs import has_control_chars
from egov.org.models import Unit


def _could_be_a_code(code: str) -> bool:
    """Whatever a URL carries is checked here, once for every caller: PostgreSQL refuses a
    NUL byte in a query parameter (500), and no code is longer than its column or has
    control characters."""
    from egov.core.inputs import column_length
    from egov.dossiers.models import Dossier

    return 0 < len(code) <= column_length(Dossier, "code") and not has_control_chars(code)


def roles_at(user: Any, unit: Unit) -> set[str]:
    """Roles ``user`` holds today at ``unit`` or at one of its parent units."""
    if not getattr(user, "is_authenticated", False):
        return set()
    units = [unit, *unit.ancestors()]
    assignments: QuerySet[RoleAssignment] = RoleAssignment.objects.valid_on(
        timezone.localdate()
    ).filter(user=user, unit__in=units)
    return set(assignments.values_list("role", flat=True))


def can_receive_at(user: Any, unit: Unit) -> bool:
    return Role.RECEPTIONIST in roles_at(user, unit)


def get_dossier_for_user(user: Any, code: str) -> Any:
    """The dossier if ``user`` holds a role at its receiving unit (or a parent), at the unit
    handling it, at the competent unit of its procedure or — only while it holds the dossier —
    at the agency it was sent to for liên thông; None otherwise (callers answer 404, not 403,
    so codes cannot be probed). Once the partner has sent the dossier back, ``partner_unit``
    still names it (the last liên thông) but gives no access any more."""
    from egov.dossiers.models import Dossier, DossierStatus

    if not _could_be_a_code(code):
        return None
    dossier = (
        Dossier.objects.select_related(
            "receiving_unit__parent",
            "procedure_version__competent_unit",
            "handling_unit",
            "partner_unit",
            "assignee",
        )
        .filter(code=code)
        .first()
    )
    if dossier is None:
        return None
    units = [dossier.receiving_unit]
    partner = dossier.partner_unit if dossier.status == DossierStatus.INTERAGENCY else None
    for unit in (dossier.handling_unit, dossier.procedure_version.competent_unit, partner):
        if unit is not None:
            units.append(unit)
    if any(roles_at(user, unit) for unit in units):
        return dossier
    return None


def partner_events_for_user(user: Any, code: str) -> tuple[Any, list[Any]] | None:
    """After liên thông, what a former partner agency keeps: the dossier's code and the events
    of its own part — each ``transfer_out`` that sent the dossier to a unit where ``user``
    holds a role, and the ``transfer_back`` that returned it — read-only, nothing else of the
    dossier (applicant, files, other events). None when ``user`` was never at such a partner
    (callers answer 404)."""
    from egov.dossiers.models import DossierEvent

    if not _could_be_a_code(code):
        return None
    events = list(
        DossierEvent.objects.select_related("actor", "dossier")
        .filter(dossier__code=code, action__in=["transfer_out", "transfer_back"])
        .order_by("sequence")
    )
    keys = {str(e.data.get("to_unit") or e.data.get("from_unit") or "") for e in events} - {""}
    if not keys:
        return None
    held = {unit.key for unit in Unit.objects.filter(key__in=keys) if roles_at(user, unit)}
    own = [
        event
        for event in events
        if event.data.get("to_unit" if event.action == "transfer_out" else "from_unit") in held
    ]
    if not own:
        return None
    return own[0].dossier, own
