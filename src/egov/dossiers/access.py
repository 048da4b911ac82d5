"""Who may do what with dossiers — the only place that answers it."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from egov.accounts.models import Role, RoleAssignment
from egov.org.models import Unit


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
