"""Who may see and do what with official documents — the one place that answers it.

Pages, API endpoints and services ask here; none of them loads a document, its events,
versions, assignments or recipients by itself
(``dossiers/tests/test_permission_boundary.py``).

Only the staff roles of document work count (``STAFF_ROLES``: văn thư, lãnh đạo, chuyên
viên). Receptionists, postal staff, supervisors, system administrators and the leaders of
the public service centre (``centre_leader``: their work is the one-stop desk, not the
agency's documents) see no document by their role; a centre leader who also handles the
agency's documents is given the leader's role at the centre's unit.

Seeing a document (``visible_incoming`` / ``visible_outgoing``):
- a staff role today at the document's agency or a unit above it (clerks, leaders,
  specialists of the agency itself) sees every non-secret document of the agency; so does
  the agency's văn thư holding the clerk's role at the agency's office
  (``office_clerk_agencies``);
- a staff role at a unit below the agency sees the outgoing documents drafted in its units
  and the incoming ones distributed to its units;
- a person sees what they drafted, are to sign, or were assigned personally;
- documents marked Mật / Tối mật / Tuyệt mật (Luật Bảo vệ bí mật nhà nước 2018 — article
  chưa xác nhận) are seen only by clerks and leaders holding the role at the agency itself
  (or the clerk's role at its office), by the leaders of the drafting unit or of a unit it
  was assigned to (at that unit itself, not above it), and by the people personally named
  on them (drafter, signer, assignee) — never by a whole unit's specialists nor by a leader
  of a unit above the agency. Which officials may read each level is set by each agency's
  internal rules on state secrets (chưa xác nhận): this is the narrowest reading, kept here
  in one place.

Acting for an agency (register, number, counter-sign, issue, distribute; ``agency_roles``):
only roles held at the agency itself, or the clerk's role at its office — a clerk of the
provincial committee does not act for the departments and communes below it. The steps of
the drafting unit (submit, review the content, a new version) count roles held at the
drafting unit or above it up to the agency, not above the agency. Drafting
(``drafting_places``, offered by the pages; ``may_draft_in``, checked by the services — one
rule): any drafting role at the unit where it is held; a leader's role also at the units
below it within the same agency.

Doing: ``outgoing_refusal`` / ``outgoing_allowed_actions`` (the transitions table of
``state``), ``may_register_incoming``, ``may_distribute``, ``assignee_refusal``, ``may_handle``.

Being given an incoming document to handle (``assignee_refusal``): a unit of the agency, or
a person holding a staff role today at the agency or a unit of it. A secret document goes only
to those who read it by their role under the rule above: a person who is a leader at the unit
named (the agency when none is) or a unit below it, or a unit that has a leader of its own
today — never to a specialist, whom being named would let read it.

Electronic copies (``visible_copies``): a copy of a document is seen by whoever sees that
document (a copy of a copy goes back to the same document), and by the văn thư of the agency
that made it; a copy of a digitised paper by that văn thư only. Only the agency's văn thư makes
and signs copies (``may_make_copies``; NĐ 30/2020, Điều 32.2.c-d).

Work files (``visible_work_files``): the files of the units where the actor holds a role
(or above them) and the files they keep themselves; everyone with a role at a unit may add a
file to its list; the keeper of a file and the unit's leaders open, fill and close it; only
the unit's leaders reopen a closed one. Seeing a file shows the list of its documents (the
metadata); a document is added only by someone who may see it. Registers (Phụ lục IV) are
printed by the agency's clerks and leaders.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.actors import Actor, person
from egov.accounts.models import Role, RoleAssignment, User
from egov.documents.actions import OutgoingAction
from egov.documents.catalogue import SECRET_LEVELS, AgencySettings
from egov.documents.errors import StateConflict, TransitionForbidden, TransitionRefused
from egov.documents.models import (
    Assignment,
    ElectronicCopy,
    FileCatalogue,
    IncomingDocument,
    OutgoingDocument,
    RemoteSigningRequest,
    WorkFile,
)
from egov.documents.state import (
    AGENCY,
    COPY_ROLES,
    DRAFTER,
    DRAFTING_ROLES,
    RETURN_ROLES,
    SIGNER,
    TRANSITIONS,
)
from egov.org.models import Unit, UnitKind
from egov.org.selectors import units_below

# Roles of document work: only these see documents by their place in the organisation.
STAFF_ROLES = frozenset({Role.CLERK, Role.DEPARTMENT_LEADER, Role.SPECIALIST})
# Roles that handle an assignment given to their unit (a secret one: leaders only).
HANDLE_ROLES = frozenset({Role.SPECIALIST, Role.DEPARTMENT_LEADER})
# Roles that may be named the signer (NĐ 30/2020, Điều 13: the head of the agency, the
# deputies, and heads of units signing thừa lệnh).
SIGNER_ROLES = frozenset({Role.DEPARTMENT_LEADER})
# Roles that see secret documents of their agency (besides the people named on them).
SECRET_ROLES = frozenset({Role.CLERK, Role.DEPARTMENT_LEADER})
# Roles that register incoming documents (Điều 22: the văn thư).
REGISTER_ROLES = frozenset({Role.CLERK})
# Roles that may be given a secret document to handle, personally or for their unit.
SECRET_HANDLE_ROLES = SECRET_ROLES & HANDLE_ROLES
# Drafting roles that also draft for the units below theirs within the agency.
DRAFT_BELOW_ROLES = frozenset({Role.DEPARTMENT_LEADER})
# Roles that distribute incoming documents with instructions (Điều 23: the leader).
DISTRIBUTE_ROLES = frozenset({Role.DEPARTMENT_LEADER})
# Roles that manage every file of their unit and reopen closed ones (Điều 29-31).
FILE_LEADER_ROLES = frozenset({Role.DEPARTMENT_LEADER})
# Roles that print the agency's registers (Phụ lục IV).
REGISTER_PRINT_ROLES = frozenset({Role.CLERK, Role.DEPARTMENT_LEADER})
_SECRET = [str(level) for level in SECRET_LEVELS]


def roles_at(actor: Actor, unit: Unit) -> set[str]:
    """Roles ``actor`` holds today at ``unit`` or at one of its parent units."""
    user = person(actor)
    if user is None:
        return set()
    units = [unit, *unit.ancestors()]
    held = RoleAssignment.objects.valid_on(timezone.localdate()).filter(user=user, unit__in=units)
    return {str(role) for role in held.values_list("role", flat=True)}


def roles_held_at(actor: Actor, unit: Unit) -> set[str]:
    """Roles ``actor`` holds today at ``unit`` itself (not at a unit above it)."""
    user = person(actor)
    if user is None:
        return set()
    held = RoleAssignment.objects.valid_on(timezone.localdate()).filter(user=user, unit=unit)
    return {str(role) for role in held.values_list("role", flat=True)}


def office_clerk_agencies(actor: Actor) -> list[int]:
    """Agencies whose văn thư ``actor`` is by holding the clerk's role today at the agency's
    office (Văn phòng, a unit of kind ``van_phong`` directly under it): the văn thư cơ quan
    usually sits in the office (e.g. the demo's Văn phòng UBND tỉnh)."""
    user = person(actor)
    if user is None:
        return []
    held = RoleAssignment.objects.valid_on(timezone.localdate()).filter(
        user=user, role=Role.CLERK, unit__kind=UnitKind.OFFICE, unit__parent__isnull=False
    )
    return sorted({parent for parent in held.values_list("unit__parent_id", flat=True) if parent})


def agency_roles(actor: Actor, agency: Unit) -> set[str]:
    """Roles ``actor`` holds for ``agency`` as a whole: at the agency itself (not above it),
    plus the clerk's role when held at its office (``office_clerk_agencies``)."""
    roles = roles_held_at(actor, agency)
    if Role.CLERK not in roles and agency.pk in office_clerk_agencies(actor):
        roles.add(Role.CLERK)
    return roles


def units_in_scope(actor: Actor, roles: frozenset[str] | None = None) -> list[int]:
    """Ids of the units where ``actor`` holds a role today (one of ``roles`` when given) and
    of every unit below them."""
    user = person(actor)
    if user is None:
        return []
    held = RoleAssignment.objects.valid_on(timezone.localdate()).filter(user=user)
    if roles is not None:
        held = held.filter(role__in=roles)
    return units_below(held.values("unit_id"))


def units_held(actor: Actor, roles: frozenset[str]) -> list[int]:
    """Ids of the units where ``actor`` holds one of ``roles`` today (not those below)."""
    user = person(actor)
    if user is None:
        return []
    held = RoleAssignment.objects.valid_on(timezone.localdate()).filter(user=user, role__in=roles)
    return sorted(set(held.values_list("unit_id", flat=True)))


# --- which documents ---------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentScope:
    """Where ``person`` sees documents from (see the module's docstring), worked out once:
    ``units`` for the open documents (staff roles today and every unit below, plus the
    agencies whose văn thư they are at the office), ``secret_units`` for the secret ones
    (clerks' and leaders' roles at the unit itself, plus those agencies)."""

    person: int | None
    units: frozenset[int] = frozenset()
    secret_units: frozenset[int] = frozenset()


def document_scope(actor: Actor) -> DocumentScope:
    """The actor's ``DocumentScope``, in one SQL statement: the staff roles held today with
    their units, and every unit below those units."""
    user = person(actor)
    if user is None:
        return DocumentScope(person=None)
    held = RoleAssignment.objects.valid_on(timezone.localdate()).filter(
        user=user, role__in=STAFF_ROLES
    )
    held_sql, params = (
        held.order_by().values_list("role", "unit_id", "unit__kind", "unit__parent_id").query
    ).sql_with_params()
    quote = connection.ops.quote_name
    table, pk = quote(Unit._meta.db_table), quote(Unit._meta.pk.column)
    parent = quote(Unit._meta.get_field("parent").column)
    sql = (
        f"WITH RECURSIVE held(role, unit, kind, parent) AS ({held_sql}), "  # noqa: S608 (names from the models)
        f"below(id) AS (SELECT unit FROM held UNION "
        f"SELECT u.{pk} FROM {table} u JOIN below ON u.{parent} = below.id) "
        "SELECT role, unit, kind, parent FROM held "
        "UNION ALL SELECT NULL, id, NULL, NULL FROM below"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    below = {unit for role, unit, _kind, _parent in rows if role is None}
    clerk_of = {
        parent
        for role, _unit, kind, parent in rows
        if role == Role.CLERK and kind == UnitKind.OFFICE and parent is not None
    }
    leading = {unit for role, unit, _kind, _parent in rows if role in SECRET_ROLES}
    return DocumentScope(
        person=user.pk,
        units=frozenset(below | clerk_of),
        secret_units=frozenset(leading | clerk_of),
    )


def _by_secrecy(open_rule: Q, secret_rule: Q) -> Q:
    return (~Q(confidentiality__in=_SECRET) & open_rule) | (
        Q(confidentiality__in=_SECRET) & secret_rule
    )


def visible_incoming(
    actor: Actor, scope: DocumentScope | None = None
) -> QuerySet[IncomingDocument]:
    """Every incoming document ``actor`` may open (see the module's docstring); ``scope``
    when already worked out (``document_scope``)."""
    scope = scope or document_scope(actor)
    if scope.person is None:
        return IncomingDocument.objects.none()
    mine = Q(pk__in=Assignment.objects.filter(person_id=scope.person).values("document_id"))

    def reached(among: frozenset[int]) -> Q:
        units = sorted(among)
        assigned = Assignment.objects.filter(unit_id__in=units).values("document_id")
        return Q(agency_id__in=units) | Q(pk__in=assigned) | mine

    return IncomingDocument.objects.filter(
        _by_secrecy(reached(scope.units), reached(scope.secret_units))
    )


def visible_outgoing(
    actor: Actor, scope: DocumentScope | None = None
) -> QuerySet[OutgoingDocument]:
    """Every outgoing document ``actor`` may open (see the module's docstring); ``scope``
    when already worked out (``document_scope``)."""
    scope = scope or document_scope(actor)
    if scope.person is None:
        return OutgoingDocument.objects.none()
    named = Q(created_by_id=scope.person) | Q(signer_id=scope.person)

    def reached(among: frozenset[int]) -> Q:
        units = sorted(among)
        return Q(agency_id__in=units) | Q(drafting_unit_id__in=units) | named

    return OutgoingDocument.objects.filter(
        _by_secrecy(reached(scope.units), reached(scope.secret_units))
    )


# The search index (``documents.search_postgres``) keeps, for each document, the words that
# say who sees it (``incoming_access`` / ``outgoing_access``); an actor's words
# (``scope_access``) meet them exactly when the rules of ``visible_incoming`` and
# ``visible_outgoing`` let the actor see the document: a unit of an open document as
# ``~u<id>``, of a secret one as ``~s<id>``, a person named on it as ``~p<id>``.
# ``test_permissions`` checks the two agree for every persona and kind of document.


def access_words(
    *, secret: bool, units: Iterable[int | None], people: Iterable[int | None]
) -> list[str]:
    """The words of a document's units (its agency, drafting or assigned units) and of the
    people named on it."""
    mark = "~s" if secret else "~u"
    words = {f"{mark}{unit}" for unit in units if unit is not None}
    words |= {f"~p{user}" for user in people if user is not None}
    return sorted(words)


def incoming_access(document: IncomingDocument) -> list[str]:
    """Who sees an incoming document: its agency, the units and people it is assigned to."""
    assigned = list(document.assignments.values_list("unit_id", "person_id"))
    return access_words(
        secret=document.is_secret,
        units=[document.agency_id, *(unit for unit, _person in assigned)],
        people=[user for _unit, user in assigned],
    )


def outgoing_access(document: OutgoingDocument) -> list[str]:
    """Who sees an outgoing document: its agency, the drafting unit, drafter and signer."""
    return access_words(
        secret=document.is_secret,
        units=[document.agency_id, document.drafting_unit_id],
        people=[document.created_by_id, document.signer_id],
    )


def scope_access(scope: DocumentScope) -> list[str]:
    """The words of what an actor sees: open units, secret units and the person."""
    if scope.person is None:
        return []
    return [
        *(f"~u{unit}" for unit in sorted(scope.units)),
        *(f"~s{unit}" for unit in sorted(scope.secret_units)),
        f"~p{scope.person}",
    ]


def get_incoming_for_actor(actor: Actor, pk: int) -> IncomingDocument | None:
    """The incoming document ``pk`` if ``actor`` may see it; None otherwise (answer 404)."""
    return (
        visible_incoming(actor)
        .select_related("agency", "document_type", "file", "reply")
        .filter(pk=pk)
        .first()
    )


def get_outgoing_for_actor(actor: Actor, pk: int) -> OutgoingDocument | None:
    """The outgoing document ``pk`` if ``actor`` may see it; None otherwise (answer 404)."""
    return (
        visible_outgoing(actor)
        .select_related("agency", "drafting_unit", "document_type", "signer", "created_by")
        .filter(pk=pk)
        .first()
    )


def get_remote_signing_for_actor(actor: Actor, pk: int) -> RemoteSigningRequest | None:
    """A remote signing request is seen only by the signer who sent it (their phone, their
    documents); None for anyone else (answer 404)."""
    user = person(actor)
    if user is None:
        return None
    return RemoteSigningRequest.objects.filter(pk=pk, actor=user).first()


# --- what an actor may do: outgoing ------------------------------------------------------


def _holds(actor: Actor, document: OutgoingDocument, roles: frozenset[str], scope: str) -> bool:
    user = person(actor)
    if user is None:
        return False
    if DRAFTER in roles and document.created_by_id == user.pk:
        return True
    if SIGNER in roles and document.signer_id == user.pk:
        return True
    if scope == AGENCY:
        return bool(agency_roles(actor, document.agency) & roles)
    return bool(_roles_within_agency(actor, document) & roles)


def _roles_within_agency(actor: Actor, document: OutgoingDocument) -> set[str]:
    """Roles held today at the drafting unit or a unit above it up to the agency — not above
    the agency (a leader of the province does not review a department's drafts)."""
    user = person(actor)
    if user is None:
        return set()
    units = _chain_to_agency(document.agency, document.drafting_unit)
    held = RoleAssignment.objects.valid_on(timezone.localdate()).filter(user=user, unit__in=units)
    return {str(role) for role in held.values_list("role", flat=True)}


def _chain_to_agency(agency: Unit, drafting_unit: Unit) -> list[Unit]:
    """The drafting unit and its parents up to and including the agency."""
    units = [drafting_unit]
    if drafting_unit.pk != agency.pk:
        for unit in drafting_unit.ancestors():
            units.append(unit)
            if unit.pk == agency.pk:
                break
    return units


def outgoing_refusal(actor: Actor, document: OutgoingDocument, action: str) -> str | None:
    """Why ``actor`` may not take ``action`` on ``document`` now (None: they may; the inputs
    are checked when it is applied)."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        return _("Thao tác không tồn tại.")
    label = OutgoingAction(action).label
    if document.status not in transition.sources:
        return _("Không thể “%(action)s” khi văn bản đang ở bước “%(status)s”.") % {
            "action": label,
            "status": document.get_status_display(),
        }
    roles, scope = transition.roles, transition.scope
    if action == OutgoingAction.RETURN:
        roles, scope = RETURN_ROLES[document.status]
    if action == OutgoingAction.SIGN:
        signer = document.signer
        if signer is None:
            return _("Văn bản chưa có người ký.")
        if not may_be_signer(signer, agency=document.agency, drafting_unit=document.drafting_unit):
            return _("Người ký được chỉ định không còn giữ chức vụ lãnh đạo của cơ quan.")
    if not _holds(actor, document, roles, scope):
        return _("Bạn không có quyền “%s” với văn bản này.") % label
    return None


def outgoing_refused(
    actor: Actor, document: OutgoingDocument, action: str
) -> TransitionRefused | None:
    """``outgoing_refusal`` as the error to raise, of the kind the API tells apart: the
    document's step (or its named signer) → ``StateConflict``; the actor's roles →
    ``TransitionForbidden``; an unknown action → invalid input."""
    refused = outgoing_refusal(actor, document, action)
    if refused is None:
        return None
    transition = TRANSITIONS.get(action)
    if transition is None:
        return TransitionRefused(refused, field="action")
    if document.status not in transition.sources or (
        action == OutgoingAction.SIGN
        and (
            document.signer is None
            or not may_be_signer(
                document.signer, agency=document.agency, drafting_unit=document.drafting_unit
            )
        )
    ):
        return StateConflict(refused)
    return TransitionForbidden(refused)


def outgoing_allowed_actions(actor: Actor, document: OutgoingDocument) -> list[str]:
    """The actions ``actor`` may take on ``document`` now, in the order of the table."""
    return [name for name in TRANSITIONS if outgoing_refusal(actor, document, name) is None]


@dataclass(frozen=True)
class DraftingPlace:
    """A unit where someone may draft, and the agency that issues what is drafted there."""

    unit: Unit
    agency: Unit


class _Drafter:
    """Where one person drafts today (see ``drafting_places``): the roles they hold, the
    agencies (units with văn thư settings) and the units read so far."""

    def __init__(self, actor: Actor) -> None:
        user = person(actor)
        self.today = timezone.localdate()
        held = RoleAssignment.objects.valid_on(self.today).filter(
            user=user, role__in=DRAFTING_ROLES
        )
        pairs = list(held.values_list("unit_id", "role")) if user is not None else []
        self.own = {unit for unit, _role in pairs}
        self.leading = {unit for unit, role in pairs if role in DRAFT_BELOW_ROLES}
        self.agencies = set(
            AgencySettings.objects.valid_on(self.today).values_list("agency_id", flat=True)
        )
        self.units: dict[int, Unit | None] = {}

    def _unit(self, pk: int) -> Unit | None:
        if pk not in self.units:
            self.units[pk] = Unit.objects.filter(pk=pk).first()
        return self.units[pk]

    def agency_for(self, unit: Unit, expected: Unit | None = None) -> Unit | None:
        """The agency ``unit`` drafts for, if this person may draft there; None otherwise.
        The agency is the nearest unit at or above ``unit`` with văn thư settings, or
        ``expected`` when it comes first (an agency not yet set up, which the pages do not
        offer)."""
        if not unit.is_valid_on(self.today):
            return None
        current: Unit | None = unit
        chain: list[int] = []
        while current is not None and current.pk not in chain:
            chain.append(current.pk)
            if current.pk in self.agencies or (expected is not None and current == expected):
                allowed = unit.pk in self.own or not self.leading.isdisjoint(chain)
                return current if allowed else None
            current = self._unit(current.parent_id) if current.parent_id else None
        return None

    def candidates(self) -> list[Unit]:
        """The units held and every unit below those held as leader, valid today."""
        below: list[int] = []
        if self.leading:
            below = units_below(Unit.objects.filter(pk__in=sorted(self.leading)).values("pk"))
        found = Unit.objects.filter(pk__in={*self.own, *below}).valid_on(self.today)
        units = list(found.order_by("name", "pk"))
        self.units.update({unit.pk: unit for unit in units})
        return units


def drafting_places(actor: Actor) -> list[DraftingPlace]:
    """The units where ``actor`` may draft outgoing documents today, by name, each with its
    agency (the unit itself or the nearest unit above it with văn thư settings). Any drafting
    role (``state.DRAFTING_ROLES``) counts at the unit where it is held; a leader's role also
    at every unit below it within the same agency (the head of a unit answers for the drafts
    of the units under it, NĐ 30/2020, Điều 10.1); no role counts for another agency below or
    above it. The pages offer these units and ``may_draft_in`` checks the same rule."""
    drafter = _Drafter(actor)
    places = []
    for unit in drafter.candidates():
        agency = drafter.agency_for(unit)
        if agency is not None:
            places.append(DraftingPlace(unit=unit, agency=agency))
    return places


def may_draft_somewhere(actor: Actor) -> bool:
    """Whether ``drafting_places`` is not empty (a leader's units below count only through
    the leader's own unit, which then counts too)."""
    drafter = _Drafter(actor)
    own = Unit.objects.filter(pk__in=drafter.own)
    return any(drafter.agency_for(unit) is not None for unit in own)


def may_draft_in(actor: Actor, unit: Unit, *, agency: Unit) -> bool:
    """Whether ``actor`` may draft in ``unit`` documents issued by ``agency`` (the rule of
    ``drafting_places``, for one unit)."""
    found = _Drafter(actor).agency_for(unit, agency)
    return found is not None and found.pk == agency.pk


def may_add_version(actor: Actor, document: OutgoingDocument) -> bool:
    """A new draft version: the drafter or the drafting unit's leader, while it is a draft."""
    from egov.documents.models import OutgoingStatus

    if document.status != OutgoingStatus.DRAFT:
        return False
    return _holds(actor, document, frozenset({DRAFTER, Role.DEPARTMENT_LEADER}), "drafting")


# --- what an actor may do: incoming ------------------------------------------------------


def may_register_incoming(actor: Actor, agency: Unit) -> bool:
    """Clerks of the agency receive and register its incoming documents (Điều 21-22)."""
    return bool(agency_roles(actor, agency) & REGISTER_ROLES)


def may_distribute(actor: Actor, document: IncomingDocument) -> bool:
    """Leaders of the agency distribute its incoming documents (Điều 23)."""
    return bool(agency_roles(actor, document.agency) & DISTRIBUTE_ROLES)


def assignee_refusal(
    document: IncomingDocument, *, unit: Unit | None, user: User | None
) -> str | None:
    """Why ``unit`` and/or ``user`` may not be given ``document`` to handle (None: they may;
    see the module's docstring)."""
    agency = document.agency
    if unit is None and user is None:
        return _("Mỗi nơi nhận xử lý cần một đơn vị hoặc một người.")
    if unit is not None and unit.pk != agency.pk and agency not in unit.ancestors():
        return _("Đơn vị “%s” không thuộc cơ quan nhận văn bản.") % unit.name
    place = unit or agency
    if user is not None:
        if not _holds_within(user, place, STAFF_ROLES):
            return _("“%s” không phải cán bộ của cơ quan nhận văn bản.") % user.display_name
        if not _holds_within(user, place, assignee_roles(document)):
            return _(
                "Không giao được văn bản mật cho “%(name)s”: văn bản mật chỉ giao cho lãnh đạo "
                "của cơ quan hoặc của đơn vị xử lý."
            ) % {"name": user.display_name}
    elif unit is not None and document.is_secret and not _has_holder(unit, SECRET_HANDLE_ROLES):
        return _(
            "Không giao được văn bản mật cho “%(name)s”: đơn vị chưa có lãnh đạo để nhận "
            "văn bản mật."
        ) % {"name": unit.name}
    return None


def assignee_roles(document: IncomingDocument) -> frozenset[str]:
    """The roles one of which a person given ``document`` holds (at the unit named, or the
    agency, or a unit below it)."""
    return SECRET_HANDLE_ROLES if document.is_secret else STAFF_ROLES


def _holds_within(user: User, place: Unit, roles: frozenset[str]) -> bool:
    """Whether ``user`` holds one of ``roles`` today at ``place`` or a unit below it."""
    held = RoleAssignment.objects.valid_on(timezone.localdate()).filter(user=user, role__in=roles)
    for assignment in held.select_related("unit"):
        if assignment.unit_id == place.pk or place in assignment.unit.ancestors():
            return True
    return False


def _has_holder(unit: Unit, roles: frozenset[str]) -> bool:
    """Whether someone holds one of ``roles`` today at ``unit`` itself."""
    held = RoleAssignment.objects.valid_on(timezone.localdate())
    return held.filter(unit=unit, role__in=roles, user__is_active=True).exists()


def may_handle(actor: Actor, assignment: Assignment) -> bool:
    """The assigned person; or — when a unit was assigned — a specialist or leader holding
    the role at that unit itself (only its leaders for a secret document), who can see the
    document."""
    user = person(actor)
    if user is None:
        return False
    if assignment.person_id is not None:
        return assignment.person_id == user.pk
    if assignment.unit is None:
        return False
    document = assignment.document
    roles = SECRET_ROLES & HANDLE_ROLES if document.is_secret else HANDLE_ROLES
    if not roles_held_at(actor, assignment.unit) & roles:
        return False
    return get_incoming_for_actor(actor, document.pk) is not None


def get_assignment_for_actor(actor: Actor, pk: int) -> Assignment | None:
    """The assignment ``pk`` if ``actor`` may see its document; None otherwise (answer 404)."""
    assignment = (
        Assignment.objects.select_related("document", "unit", "person").filter(pk=pk).first()
    )
    if assignment is None or get_incoming_for_actor(actor, assignment.document_id) is None:
        return None
    return assignment


def may_be_signer(user: User, *, agency: Unit, drafting_unit: Unit) -> bool:
    """Whether ``user`` may be named the signer of a document of ``agency`` drafted in
    ``drafting_unit``: a leader today at the agency, or at the drafting unit or a unit
    between it and the agency (a head of unit signing thừa lệnh, NĐ 30/2020, Điều 13.1.d).
    Not a leader of a unit above the agency, nor of another agency."""
    units = _chain_to_agency(agency, drafting_unit)
    return (
        RoleAssignment.objects.valid_on(timezone.localdate())
        .filter(user=user, unit__in=units, role__in=SIGNER_ROLES)
        .exists()
    )


# --- electronic copies -------------------------------------------------------------------


def copy_agencies(actor: Actor) -> list[int]:
    """Agencies whose copies ``actor`` makes: the clerk's role held at the agency itself or at
    its office (``agency_roles``)."""
    held = units_held(actor, COPY_ROLES)
    return sorted({*held, *office_clerk_agencies(actor)})


def may_make_copies(actor: Actor, agency: Unit) -> bool:
    """Only the văn thư of ``agency`` makes its copies and signs them with its certificate."""
    return bool(agency_roles(actor, agency) & COPY_ROLES)


def visible_copies(actor: Actor) -> QuerySet[ElectronicCopy]:
    """Every electronic copy ``actor`` may open (see the module's docstring)."""
    if person(actor) is None:
        return ElectronicCopy.objects.none()
    return ElectronicCopy.objects.filter(
        Q(incoming__in=visible_incoming(actor).values("pk"))
        | Q(outgoing__in=visible_outgoing(actor).values("pk"))
        | Q(agency_id__in=copy_agencies(actor))
    )


def get_copy_for_actor(actor: Actor, pk: int) -> ElectronicCopy | None:
    """The electronic copy ``pk`` if ``actor`` may see it; None otherwise (answer 404)."""
    return (
        visible_copies(actor)
        .select_related("agency", "document_type", "file", "made_by", "incoming", "outgoing")
        .filter(pk=pk)
        .first()
    )


# --- work files and registers ------------------------------------------------------------


def visible_work_files(actor: Actor) -> QuerySet[WorkFile]:
    """Every work file ``actor`` may open (see the module's docstring)."""
    user = person(actor)
    if user is None:
        return WorkFile.objects.none()
    units = units_in_scope(actor)
    return WorkFile.objects.filter(Q(catalogue__unit_id__in=units) | Q(owner=user))


def visible_catalogues(actor: Actor) -> QuerySet[FileCatalogue]:
    """The yearly file lists of the units ``actor`` works in (or above)."""
    return FileCatalogue.objects.filter(unit_id__in=units_in_scope(actor))


def get_work_file_for_actor(actor: Actor, pk: int) -> WorkFile | None:
    """The work file ``pk`` if ``actor`` may see it; None otherwise (answer 404)."""
    return (
        visible_work_files(actor)
        .select_related("catalogue", "catalogue__unit", "owner")
        .filter(pk=pk)
        .first()
    )


def may_keep_files(actor: Actor, unit: Unit) -> bool:
    """Anyone holding a role at ``unit`` (or above it) adds files to its yearly list."""
    return bool(roles_at(actor, unit))


def may_manage_file(actor: Actor, file: WorkFile) -> bool:
    """The keeper of the file or a leader of its unit opens, fills and closes it."""
    user = person(actor)
    if user is None:
        return False
    if file.owner_id == user.pk:
        return True
    return bool(roles_at(actor, file.catalogue.unit) & FILE_LEADER_ROLES)


def may_reopen_file(actor: Actor, file: WorkFile) -> bool:
    """Only a leader of the file's unit reopens a closed file (with a reason)."""
    return bool(roles_at(actor, file.catalogue.unit) & FILE_LEADER_ROLES)


def may_see_document(actor: Actor, document: IncomingDocument | OutgoingDocument) -> bool:
    if isinstance(document, IncomingDocument):
        return visible_incoming(actor).filter(pk=document.pk).exists()
    return visible_outgoing(actor).filter(pk=document.pk).exists()


def register_agencies(actor: Actor) -> list[Unit]:
    """Agencies whose registers ``actor`` may print: held as clerk or leader at the agency
    (or above it), or as the văn thư at its office."""
    user = person(actor)
    if user is None:
        return []
    units = [*units_in_scope(actor, REGISTER_PRINT_ROLES), *office_clerk_agencies(actor)]
    return list(Unit.objects.filter(pk__in=units, code__gt="").order_by("name"))


def may_print_registers(actor: Actor, agency: Unit) -> bool:
    return bool(agency_roles(actor, agency) & REGISTER_PRINT_ROLES)
