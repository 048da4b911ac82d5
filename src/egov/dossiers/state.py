"""The dossier lifecycle: one table of transitions, one function that applies them.

Actions follow NĐ 61/2018 (NĐ 118/2025 from 01/07/2025) and TT 01/2018/TT-VPCP: reception at
the one-stop desk, hand-off to the competent unit, supplement requests through the desk,
financial obligations, approval by the competent leader, return of the result; refusal,
withdrawal on request and stopping with a reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from egov.accounts.models import Role
from egov.audit.services import audit_record
from egov.core.inputs import has_control_chars
from egov.dossiers.access import roles_at
from egov.dossiers.completion import record_completion
from egov.dossiers.errors import TransitionError as TransitionError
from egov.dossiers.models import Dossier, DossierEvent, DossierStatus
from egov.org.models import Unit

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

S = DossierStatus


RECEIVING, HANDLING, COMPETENT, PARTNER = "receiving", "handling", "competent", "partner"
# Not a staff role: the citizen account that submitted the dossier online.
APPLICANT = "applicant"
OWN_UNITS = frozenset({RECEIVING, HANDLING, COMPETENT})


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    roles: frozenset[str]
    needs_reason: bool = False
    label: StrOrPromise = ""
    # Where the actor's roles count: the receiving desk, the unit the dossier was handed to,
    # the procedure's competent unit, or the agency it was sent to for liên thông.
    scope: frozenset[str] = OWN_UNITS
    # Once a dossier is assigned, a specialist acts only on the dossiers given to them.
    assignee_bound: bool = False


TRANSITIONS: dict[str, Transition] = {
    "accept_online": Transition(
        frozenset({S.AWAITING_ONLINE_RECEPTION}),
        S.RECEIVED,
        frozenset({Role.RECEPTIONIST}),
        label=pgettext_lazy("dossier action", "Tiếp nhận hồ sơ trực tuyến"),
    ),
    "refuse": Transition(
        frozenset({S.AWAITING_ONLINE_RECEPTION}),
        S.REFUSED,
        frozenset({Role.RECEPTIONIST}),
        needs_reason=True,
        label=pgettext_lazy("dossier action", "Từ chối tiếp nhận"),
    ),
    "hand_off": Transition(
        frozenset({S.RECEIVED}),
        S.PROCESSING,
        frozenset({Role.RECEPTIONIST}),
        label=pgettext_lazy("dossier action", "Chuyển hồ sơ đến cơ quan giải quyết"),
    ),
    "assign": Transition(
        frozenset({S.PROCESSING}),
        S.PROCESSING,
        frozenset({Role.DEPARTMENT_LEADER}),
        label=pgettext_lazy("dossier action", "Phân công chuyên viên xử lý"),
        scope=frozenset({HANDLING}),
    ),
    "submit_for_approval": Transition(
        frozenset({S.PROCESSING}),
        S.PROCESSING,
        frozenset({Role.SPECIALIST}),
        label=pgettext_lazy("dossier action", "Thẩm định xong, trình lãnh đạo"),
        assignee_bound=True,
    ),
    "transfer_out": Transition(
        frozenset({S.PROCESSING}),
        S.INTERAGENCY,
        frozenset({Role.SPECIALIST, Role.DEPARTMENT_LEADER}),
        needs_reason=True,
        label=pgettext_lazy("dossier action", "Chuyển liên thông đến cơ quan phối hợp"),
        scope=frozenset({HANDLING, COMPETENT}),
        assignee_bound=True,
    ),
    "transfer_back": Transition(
        frozenset({S.INTERAGENCY}),
        S.PROCESSING,
        frozenset({Role.SPECIALIST, Role.DEPARTMENT_LEADER, Role.RECEPTIONIST}),
        label=pgettext_lazy("dossier action", "Cơ quan phối hợp xử lý xong, chuyển trả"),
        scope=frozenset({PARTNER}),
    ),
    "request_supplement": Transition(
        frozenset({S.PROCESSING, S.AWAITING_ONLINE_RECEPTION}),
        S.SUPPLEMENT_REQUESTED,
        frozenset({Role.SPECIALIST, Role.RECEPTIONIST}),
        label=pgettext_lazy("dossier action", "Yêu cầu bổ sung hồ sơ"),
        assignee_bound=True,
    ),
    "supplemented": Transition(
        frozenset({S.SUPPLEMENT_REQUESTED}),
        S.PROCESSING,
        frozenset({Role.RECEPTIONIST, APPLICANT}),
        label=pgettext_lazy("dossier action", "Nhận hồ sơ bổ sung"),
    ),
    "resubmit_online": Transition(
        frozenset({S.SUPPLEMENT_REQUESTED}),
        S.AWAITING_ONLINE_RECEPTION,
        frozenset({APPLICANT}),
        label=pgettext_lazy("dossier action", "Nộp lại hồ sơ đã bổ sung"),
    ),
    "request_payment": Transition(
        frozenset({S.PROCESSING}),
        S.AWAITING_PAYMENT,
        frozenset({Role.SPECIALIST}),
        label=pgettext_lazy("dossier action", "Yêu cầu thực hiện nghĩa vụ tài chính"),
        assignee_bound=True,
    ),
    "paid": Transition(
        frozenset({S.AWAITING_PAYMENT}),
        S.PROCESSING,
        frozenset({Role.RECEPTIONIST}),
        label=pgettext_lazy("dossier action", "Đã thực hiện nghĩa vụ tài chính"),
    ),
    "approve": Transition(
        frozenset({S.PROCESSING}),
        S.RESULT_READY,
        frozenset({Role.DEPARTMENT_LEADER}),
        label=pgettext_lazy("dossier action", "Phê duyệt kết quả"),
    ),
    "return_result": Transition(
        frozenset({S.RESULT_READY}),
        S.RETURNED,
        frozenset({Role.RECEPTIONIST}),
        label=pgettext_lazy("dossier action", "Trả kết quả"),
    ),
    "send_by_post": Transition(
        frozenset({S.RESULT_READY}),
        S.RESULT_IN_TRANSIT,
        frozenset({Role.RECEPTIONIST, Role.POSTAL}),
        label=pgettext_lazy("dossier action", "Gửi kết quả qua bưu chính"),
        scope=frozenset({RECEIVING}),
    ),
    "postal_delivered": Transition(
        frozenset({S.RESULT_IN_TRANSIT}),
        S.RETURNED,
        frozenset({Role.RECEPTIONIST, Role.POSTAL}),
        label=pgettext_lazy("dossier action", "Bưu chính đã phát kết quả"),
        scope=frozenset({RECEIVING}),
    ),
    "postal_failed": Transition(
        frozenset({S.RESULT_IN_TRANSIT}),
        S.RESULT_READY,
        frozenset({Role.RECEPTIONIST, Role.POSTAL}),
        needs_reason=True,
        label=pgettext_lazy("dossier action", "Bưu chính phát không thành công, trả lại"),
        scope=frozenset({RECEIVING}),
    ),
    "withdraw": Transition(
        frozenset(
            {
                S.AWAITING_ONLINE_RECEPTION,
                S.RECEIVED,
                S.PROCESSING,
                S.INTERAGENCY,
                S.SUPPLEMENT_REQUESTED,
                S.AWAITING_PAYMENT,
            }
        ),
        S.WITHDRAWN,
        frozenset({Role.RECEPTIONIST, APPLICANT}),
        needs_reason=True,
        label=pgettext_lazy("dossier action", "Rút hồ sơ theo yêu cầu"),
    ),
    "stop": Transition(
        frozenset({S.PROCESSING, S.SUPPLEMENT_REQUESTED}),
        S.STOPPED,
        frozenset({Role.DEPARTMENT_LEADER}),
        needs_reason=True,
        label=pgettext_lazy("dossier action", "Dừng xử lý"),
    ),
}


# Actions the system may take by itself (an online payment confirmed by the gateway's IPN).
SYSTEM_ACTIONS = frozenset({"paid"})


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

    def __init__(self, actor: Any) -> None:
        self.actor = actor
        self.by_unit: dict[int, set[str]] = {}

    def at(self, units: list[Unit]) -> set[str]:
        roles: set[str] = set()
        for unit in units:
            if unit.pk not in self.by_unit:
                self.by_unit[unit.pk] = roles_at(self.actor, unit)
            roles |= self.by_unit[unit.pk]
        return roles


def actor_roles(actor: Any, dossier: Dossier) -> set[str]:
    """Roles at the receiving unit, at the unit the dossier was handed to, and at the
    competent unit of the procedure."""
    return _RoleCache(actor).at(_scope_units(dossier, OWN_UNITS))


def supplement_before_reception(dossier: Dossier) -> bool:
    """Whether the open supplement request was made before the online dossier was accepted
    (the applicant then resubmits it for reception; otherwise processing resumes)."""
    last = dossier.events.filter(action="request_supplement").order_by("-sequence").first()
    return last is not None and last.from_status == S.AWAITING_ONLINE_RECEPTION


def _guard(dossier: Dossier, name: str) -> str | None:
    if dossier.status != S.SUPPLEMENT_REQUESTED:
        return None
    if name == "resubmit_online" and not supplement_before_reception(dossier):
        return _("Hồ sơ đang được giải quyết; bổ sung sẽ tiếp tục quá trình giải quyết.")
    if name == "supplemented" and supplement_before_reception(dossier):
        return _("Hồ sơ chưa được tiếp nhận; người nộp bổ sung và nộp lại trực tuyến.")
    return None


def _refusal(
    actor: Any, dossier: Dossier, transition: Transition, cache: _RoleCache, name: str = ""
) -> str | None:
    """Why ``actor`` may not take ``transition`` on ``dossier`` (None: they may)."""
    guarded = _guard(dossier, name)
    if guarded is not None:
        return guarded
    if (
        APPLICANT in transition.roles
        and dossier.owner_id is not None
        and dossier.owner_id == getattr(actor, "pk", None)
    ):
        return None
    roles = cache.at(_scope_units(dossier, transition.scope)) & transition.roles
    if not roles:
        return _("Bạn không có quyền “%s” với hồ sơ này.") % transition.label
    if (
        transition.assignee_bound
        and dossier.assignee_id is not None
        and dossier.assignee_id != getattr(actor, "pk", None)
        and roles <= {Role.SPECIALIST}
    ):
        return _(
            "Hồ sơ đã được phân công cho %(person)s; chỉ người được phân công mới thực hiện "
            "được “%(action)s”."
        ) % {"person": getattr(dossier.assignee, "display_name", ""), "action": transition.label}
    return None


def allowed_actions(actor: Any, dossier: Dossier) -> list[str]:
    cache = _RoleCache(actor)
    return [
        name
        for name, t in TRANSITIONS.items()
        if dossier.status in t.sources and _refusal(actor, dossier, t, cache, name) is None
    ]


def append_event(
    *,
    dossier: Dossier,
    action: str,
    from_status: str,
    to_status: str,
    actor: Any,
    reason: str = "",
    data: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> DossierEvent:
    last = dossier.events.order_by("-sequence").values_list("sequence", flat=True).first() or 0
    return DossierEvent.objects.create(
        dossier=dossier,
        sequence=last + 1,
        action=action,
        from_status=from_status,
        to_status=to_status,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        at=at or timezone.now(),
        reason=reason,
        data=data or {},
    )


def supplemented_due(dossier: Dossier) -> tuple[dt.datetime | None, str]:
    """The due moment once a requested supplement is complete, by the procedure version's
    rule (catalog ``supplement_clock``; the law as retrieved does not settle it, so it is
    data): pause → the working time left when the supplement was requested; restart → the
    full legal time again from now; unknown → unchanged."""
    from egov.catalog.models import SupplementClock
    from egov.dossiers.services.deadlines import due_moment
    from egov.workdays.selectors import calendar_for_unit

    version = dossier.procedure_version
    rule = version.supplement_clock
    requested = dossier.events.filter(action="request_supplement").order_by("-sequence").first()
    if dossier.due_at is None or requested is None or rule == SupplementClock.UNKNOWN:
        return dossier.due_at, str(rule)
    calendar = calendar_for_unit(dossier.receiving_unit)
    now = timezone.now()
    if rule == SupplementClock.PAUSE:
        left = max(calendar.working_time_between(requested.at, dossier.due_at), dt.timedelta())
        return calendar.add_working_time(now, left), str(rule)
    channel = version.channels.filter(kind=dossier.channel).first()
    if channel is None:
        return dossier.due_at, str(rule)
    due, _rule = due_moment(channel, now, calendar)
    return due, str(rule)


class TransitionConflict(TransitionError):
    """The dossier changed since the caller read it (its revision moved in the database):
    another officer acted first. The API answers 409 ``conflict``."""


def _conflict(dossier: Dossier) -> TransitionConflict:
    return TransitionConflict(
        _("Hồ sơ %s vừa được người khác xử lý. Vui lòng tải lại trang để xem trạng thái mới.")
        % dossier.code
    )


def _input_problem(reason: str, data: dict[str, Any] | None) -> str | None:
    values: list[Any] = [reason, *(data or {}).values()]
    for value in values:
        texts = value if isinstance(value, list | tuple) else [value]
        if any(isinstance(t, str) and has_control_chars(t) for t in texts):
            return _("Dữ liệu nhập không được chứa ký tự điều khiển (ví dụ ký tự NUL).")
    return None


@transaction.atomic
def dossier_transition(
    *,
    actor: Any,
    dossier: Dossier,
    action: str,
    reason: str = "",
    data: dict[str, Any] | None = None,
    expected_revision: int | None = None,
    handling_unit: Unit | None = None,
    as_system: bool = False,
) -> Dossier:
    """Apply ``action``; ``data`` carries the action's inputs (see ``action_inputs``).

    ``as_system``: the system itself acts (no person; the event has no actor), allowed only
    for SYSTEM_ACTIONS — e.g. a payment gateway confirming a financial obligation.

    Two officers acting at once: the second finds the revision changed in the database and
    gets TransitionConflict ("already handled"); nothing of the first is lost. A caller that
    passes ``expected_revision`` other than the current one gets it too."""
    from egov.dossiers.action_inputs import prepare
    from egov.dossiers.notifying import notify_applicant

    transition = TRANSITIONS.get(action)
    if transition is None:
        raise TransitionError(_("Thao tác không tồn tại."))
    problem = _input_problem(reason, data)
    if problem:
        raise TransitionError(problem)
    if expected_revision is not None:
        current = Dossier.objects.filter(pk=dossier.pk).values_list("revision", flat=True).first()
        if current != expected_revision:
            raise _conflict(dossier)
    revision = dossier.revision
    if as_system:
        if action not in SYSTEM_ACTIONS:
            raise TransitionError(_("Thao tác này cần một cán bộ thực hiện."))
    else:
        refusal = _refusal(actor, dossier, transition, _RoleCache(actor), action)
        if refusal is not None:
            raise TransitionError(refusal)
    if transition.needs_reason and not reason.strip():
        raise TransitionError(_("Cần ghi rõ lý do."))
    if dossier.status not in transition.sources:
        raise TransitionError(
            _("Không thể “%(action)s” khi hồ sơ đang ở trạng thái “%(status)s”.")
            % {"action": transition.label, "status": DossierStatus(dossier.status).label}
        )
    inputs = dict(data or {})
    if handling_unit is not None:
        inputs["handling_unit"] = handling_unit
    prepared = prepare(action, dossier, inputs, reason, actor)
    changes: dict[str, Any] = {
        **prepared.changes,
        "status": transition.target,
        "revision": F("revision") + 1,
    }
    updated = Dossier.objects.filter(
        pk=dossier.pk, revision=revision, status=dossier.status
    ).update(**changes)
    if not updated:
        # The row no longer has the revision (and status) read by the caller.
        raise _conflict(dossier)
    from_status = dossier.status
    dossier.refresh_from_db()
    event = append_event(
        dossier=dossier,
        action=action,
        from_status=from_status,
        to_status=transition.target,
        actor=actor,
        reason=reason.strip(),
        data=prepared.data,
    )
    record_completion(dossier, at=event.at)
    if prepared.after is not None:
        prepared.after(dossier, actor)
    notify_applicant(dossier, event)
    audit_record(
        actor=actor,
        action=f"dossier.{action}",
        target=dossier,
        details={"from": from_status, "to": transition.target, "event": event.sequence},
    )
    return dossier
