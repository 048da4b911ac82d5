"""Who may see and do what with dossiers — the one place that answers it.

Views, API endpoints and services ask here; none of them loads a dossier, its events, files or
a counter notice by itself (``dossiers/tests/test_permission_boundary.py`` enforces it).

- Staff see a dossier when they hold a role today at one of its units or at a unit above it:
  the receiving desk, the unit it was handed to, the competent unit of its procedure and —
  only while it holds the dossier (status ``interagency``) — the liên thông partner. The work
  queue lists exactly these dossiers (``visible_dossiers``) and the dossier page opens exactly
  these (``get_dossier_for_actor``): one rule, so the two cannot disagree.
- The applicant sees the dossiers of their own account (``own_dossiers``).
- What an actor may do to a dossier is ``allowed_actions``; why not one action, ``refusal``.
- The reception desk an officer works at is ``reception_desk``.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.actors import Actor, person
from egov.accounts.models import ApiClient, Role, RoleAssignment
from egov.core.inputs import column_length, has_control_chars
from egov.dossiers.actions import DossierAction
from egov.dossiers.models import (
    CounterNotice,
    Dossier,
    DossierEvent,
    DossierStatus,
    ResultShipment,
    ShipmentStatus,
)
from egov.dossiers.state import (
    APPLICANT,
    COMPETENT,
    HANDLING,
    OWN_UNITS,
    PARTNER,
    RECEIVING,
    TRANSITIONS,
    Transition,
)
from egov.org.models import Unit
from egov.org.selectors import units_below

# The apology with a new date (Mẫu 04) is the competent agency's, signed by its head (NĐ 61/2018
# Điều 19 khoản 9): a leader of the unit handling the dossier or of the competent unit — not
# the desk, which only passes it on.
APOLOGY_ROLES = frozenset({Role.DEPARTMENT_LEADER})
APOLOGY_SCOPE = frozenset({HANDLING, COMPETENT})
# Lawful extensions (services.extensions) are the law's own periods, applied where the case
# arises: at the desk (chứng thực) or by the officer handling the dossier (verification).
EXTENSION_ROLES = frozenset({Role.SPECIALIST, Role.DEPARTMENT_LEADER, Role.RECEPTIONIST})
# Roles that may attach the approved result (the competent leader, or the clerk who issues it).
RESULT_ROLES = frozenset({Role.DEPARTMENT_LEADER, Role.CLERK})
# Shipments the postal operator has taken (they have its tracking number).
BOOKED_SHIPMENTS = (ShipmentStatus.BOOKED, ShipmentStatus.DELIVERED, ShipmentStatus.FAILED)


def _could_be_a_code(code: str) -> bool:
    """Whatever a URL carries is checked here, once for every caller: PostgreSQL refuses a
    NUL byte in a query parameter (500), and no code is longer than its column or has
    control characters."""
    return 0 < len(code) <= column_length(Dossier, "code") and not has_control_chars(code)


# --- roles -------------------------------------------------------------------------------


def roles_at(actor: Actor, unit: Unit) -> set[str]:
    """Roles ``actor`` holds today at ``unit`` or at one of its parent units."""
    user = person(actor)
    if user is None:
        return set()
    units = [unit, *unit.ancestors()]
    assignments: QuerySet[RoleAssignment] = RoleAssignment.objects.valid_on(
        timezone.localdate()
    ).filter(user=user, unit__in=units)
    return set(assignments.values_list("role", flat=True))


def can_receive_at(actor: Actor, unit: Unit) -> bool:
    return Role.RECEPTIONIST in roles_at(actor, unit)


def units_in_scope(actor: Actor) -> list[int]:
    """Ids of the units where ``actor`` holds a role today and of every unit below them, at any
    depth — the units whose dossiers the actor may see. One recursive query (the hierarchy is
    walked by the database, not level by level)."""
    user = person(actor)
    if user is None:
        return []
    return units_below(
        RoleAssignment.objects.valid_on(timezone.localdate()).filter(user=user).values("unit_id")
    )


def _scope_units(dossier: Dossier, scope: frozenset[str]) -> list[Unit]:
    candidates = {
        RECEIVING: dossier.receiving_unit,
        HANDLING: dossier.handling_unit,
        COMPETENT: dossier.procedure_version.competent_unit,
        PARTNER: dossier.partner_unit,
    }
    units: list[Unit] = []
    for name in (RECEIVING, HANDLING, COMPETENT, PARTNER):
        unit = candidates[name]
        if name in scope and unit is not None and unit not in units:
            units.append(unit)
    return units


class _RoleCache:
    """Roles of one actor per unit, each unit asked once per request."""

    def __init__(self, actor: Actor) -> None:
        self.actor = actor
        self.by_unit: dict[int, set[str]] = {}

    def at(self, units: list[Unit]) -> set[str]:
        roles: set[str] = set()
        for unit in units:
            if unit.pk not in self.by_unit:
                self.by_unit[unit.pk] = roles_at(self.actor, unit)
            roles |= self.by_unit[unit.pk]
        return roles


def actor_roles(actor: Actor, dossier: Dossier) -> set[str]:
    """Roles at the receiving unit, at the unit the dossier was handed to, and at the
    competent unit of the procedure."""
    return _RoleCache(actor).at(_scope_units(dossier, OWN_UNITS))


def may_apologise(actor: Actor, dossier: Dossier) -> bool:
    return apology_issuer(actor, dossier) is not None


def apology_issuer(actor: Actor, dossier: Dossier) -> Unit | None:
    """The agency in whose name ``actor`` may sign the apology: the unit handling the dossier,
    else the procedure's competent unit, where the actor is a leader (None: may not)."""
    roles = _RoleCache(actor)
    for unit in _scope_units(dossier, APOLOGY_SCOPE):
        if roles.at([unit]) & APOLOGY_ROLES:
            return unit
    return None


def may_extend(actor: Actor, dossier: Dossier) -> bool:
    return bool(actor_roles(actor, dossier) & EXTENSION_ROLES)


def may_attach_result(actor: Actor, dossier: Dossier) -> bool:
    return bool(actor_roles(actor, dossier) & RESULT_ROLES)


def is_desk_of(actor: Actor, dossier: Dossier) -> bool:
    """Whether ``actor`` receives dossiers at the dossier's receiving desk (fees, scans)."""
    return can_receive_at(actor, dossier.receiving_unit)


# --- which dossiers ----------------------------------------------------------------------


def postal_only(actor: Actor) -> bool:
    """True for the postal operator's API client — a service account whose only role today is
    the postal service's: it sees only the dossiers whose result it carries
    (``visible_dossiers``) and confirms a delivery only with the tracking number of a booked
    shipment (``action_inputs``). Postal staff working at the desk in person (NĐ 61/2018
    Điều 13) keep the desk's view."""
    user = person(actor)
    if user is None or not ApiClient.objects.filter(user=user).exists():
        return False
    roles = set(
        RoleAssignment.objects.valid_on(timezone.localdate())
        .filter(user=user)
        .values_list("role", flat=True)
    )
    return roles == {Role.POSTAL}


def visible_dossiers(actor: Actor) -> QuerySet[Dossier]:
    """Every dossier a staff ``actor`` may open (see the module's docstring); for the postal
    service only those with a shipment it has booked (a tracking number)."""
    units = units_in_scope(actor)
    if not units:
        return Dossier.objects.none()
    dossiers = Dossier.objects.filter(
        Q(receiving_unit_id__in=units)
        | Q(handling_unit_id__in=units)
        | Q(procedure_version__competent_unit_id__in=units)
        | Q(partner_unit_id__in=units, status=DossierStatus.INTERAGENCY)
    )
    if postal_only(actor):
        booked = ResultShipment.objects.filter(status__in=BOOKED_SHIPMENTS).values("dossier_id")
        dossiers = dossiers.filter(pk__in=booked)
    return dossiers


def own_dossiers(actor: Actor) -> QuerySet[Dossier]:
    """The dossiers an applicant submitted from their account."""
    user = person(actor)
    if user is None:
        return Dossier.objects.none()
    return Dossier.objects.filter(owner=user)


def get_dossier_for_actor(actor: Actor, code: str, *, as_applicant: bool = False) -> Dossier | None:
    """The dossier with ``code`` if ``actor`` may see it — as staff, or with ``as_applicant``
    as the account that submitted it; None otherwise (callers answer 404, not 403, so codes
    cannot be probed). Once a partner has sent the dossier back, ``partner_unit`` still names
    it (the last liên thông) but gives no access any more."""
    if not _could_be_a_code(code):
        return None
    dossiers = own_dossiers(actor) if as_applicant else visible_dossiers(actor)
    return (
        dossiers.select_related(
            "receiving_unit__parent",
            "procedure_version__competent_unit",
            "handling_unit",
            "partner_unit",
            "assignee",
        )
        .filter(code=code)
        .first()
    )


def payable_dossier(code: str) -> Dossier | None:
    """The dossier to pay by its code: as on the national payment platform, anyone holding the
    code may pay its obligation (the page shows the procedure and the amount, nothing
    personal)."""
    if not _could_be_a_code(code):
        return None
    return Dossier.objects.select_related("procedure_version").filter(code=code).first()


def referenced_dossier(code: str) -> Dossier | None:
    """The dossier a citizen names by its code, e.g. in a feedback about it: holding the code
    is enough to name it, as in the public lookup; callers show nothing of it back to the
    citizen beyond the code they typed."""
    if not _could_be_a_code(code):
        return None
    return (
        Dossier.objects.select_related(
            "procedure_version__procedure", "handling_unit", "receiving_unit"
        )
        .filter(code=code)
        .first()
    )


def partner_events_for_actor(actor: Actor, code: str) -> tuple[Dossier, list[DossierEvent]] | None:
    """After liên thông, what a former partner agency keeps: the dossier's code and the events
    of its own part — each ``transfer_out`` that sent the dossier to a unit where ``actor``
    holds a role, and the ``transfer_back`` that returned it — read-only, nothing else of the
    dossier (applicant, files, other events). None when ``actor`` was never at such a partner
    (callers answer 404)."""
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
    held = {unit.key for unit in Unit.objects.filter(key__in=keys) if roles_at(actor, unit)}
    own = [
        event
        for event in events
        if event.data.get("to_unit" if event.action == "transfer_out" else "from_unit") in held
    ]
    if not own:
        return None
    return own[0].dossier, own


def get_counter_notice_for_actor(actor: Actor, pk: int) -> CounterNotice | None:
    """A counter notice (Mẫu 02/03) if ``actor`` holds a role at its unit or above it."""
    notice = (
        CounterNotice.objects.select_related("unit", "procedure_version", "created_by")
        .filter(pk=pk)
        .first()
    )
    if notice is None or not roles_at(actor, notice.unit):
        return None
    return notice


# --- what an actor may do ----------------------------------------------------------------


def supplement_before_reception(dossier: Dossier) -> bool:
    """Whether the open supplement request was made before the online dossier was accepted
    (the applicant then resubmits it for reception; otherwise processing resumes)."""
    requests = dossier.events.filter(action=DossierAction.REQUEST_SUPPLEMENT)
    last = requests.order_by("-sequence").first()
    return last is not None and last.from_status == DossierStatus.AWAITING_ONLINE_RECEPTION


def awaiting_approval(dossier: Dossier) -> DossierEvent | None:
    """The submission to the leader a processing dossier is waiting on: its latest lifecycle
    event when that is ``submit_for_approval`` (apologies and extensions do not count)."""
    if dossier.status != DossierStatus.PROCESSING:
        return None
    latest = (
        DossierEvent.objects.filter(dossier=dossier, action__in=list(TRANSITIONS))
        .order_by("-sequence")
        .only("action", "at")
        .first()
    )
    return latest if latest and latest.action == DossierAction.SUBMIT_FOR_APPROVAL else None


def _guard(dossier: Dossier, name: str) -> str | None:
    if name == DossierAction.SUBMIT_FOR_APPROVAL:
        submitted = awaiting_approval(dossier)
        if submitted is not None:
            # Pressing again would add a second submission to the timeline and to Mẫu 05.
            return _("Hồ sơ đã được trình lãnh đạo lúc %(time)s và đang chờ phê duyệt.") % {
                "time": timezone.localtime(submitted.at).strftime("%H:%M %d/%m/%Y")
            }
        return None
    if dossier.status != DossierStatus.SUPPLEMENT_REQUESTED:
        return None
    if name == DossierAction.RESUBMIT_ONLINE and not supplement_before_reception(dossier):
        return _("Hồ sơ đang được giải quyết; bổ sung sẽ tiếp tục quá trình giải quyết.")
    if name == DossierAction.SUPPLEMENTED and supplement_before_reception(dossier):
        return _("Hồ sơ chưa được tiếp nhận; người nộp bổ sung và nộp lại trực tuyến.")
    return None


def _refusal(
    actor: Actor, dossier: Dossier, transition: Transition, cache: _RoleCache, name: str
) -> str | None:
    guarded = _guard(dossier, name)
    if guarded is not None:
        return guarded
    if (
        APPLICANT in transition.roles
        and dossier.owner_id is not None
        and dossier.owner_id == actor.pk
    ):
        return None
    roles = cache.at(_scope_units(dossier, transition.scope)) & transition.roles
    if not roles:
        return _("Bạn không có quyền “%s” với hồ sơ này.") % transition.label
    if (
        transition.assignee_bound
        and dossier.assignee_id is not None
        and dossier.assignee_id != actor.pk
        and roles <= {Role.SPECIALIST}
    ):
        return _(
            "Hồ sơ đã được phân công cho %(person)s; chỉ người được phân công mới thực hiện "
            "được “%(action)s”."
        ) % {"person": getattr(dossier.assignee, "display_name", ""), "action": transition.label}
    return None


def refusal(actor: Actor, dossier: Dossier, action: str) -> str | None:
    """Why ``actor`` may not take ``action`` on ``dossier`` (None: by role, scope, assignment
    and the supplement guard, they may; the status and the inputs are checked when it is
    applied)."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        return _("Thao tác không tồn tại.")
    return _refusal(actor, dossier, transition, _RoleCache(actor), action)


def allowed_actions(actor: Actor, dossier: Dossier) -> list[str]:
    """The actions ``actor`` may take on ``dossier`` now, in the order of the table."""
    cache = _RoleCache(actor)
    return [
        name
        for name, t in TRANSITIONS.items()
        if dossier.status in t.sources and _refusal(actor, dossier, t, cache, name) is None
    ]


# --- the reception desk ------------------------------------------------------------------


def reception_desks(actor: Actor) -> list[Unit]:
    """Units where ``actor`` receives dossiers today, by name (the first is the default)."""
    user = person(actor)
    if user is None:
        return []
    held = (
        RoleAssignment.objects.valid_on(timezone.localdate())
        .filter(user=user, role=Role.RECEPTIONIST)
        .values("unit_id")
    )
    return list(Unit.objects.filter(pk__in=held).order_by("name", "pk"))


def reception_desk(actor: Actor, unit: str | None = None) -> Unit | None:
    """The desk ``actor`` works at: the unit named (key or unit code) if they receive there,
    else — when none is named — the first of ``reception_desks``; None when there is none."""
    desks = reception_desks(actor)
    if not unit:
        return desks[0] if desks else None
    return next((desk for desk in desks if unit in (desk.key, desk.code)), None)
