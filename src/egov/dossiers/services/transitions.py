"""Applying a transition of the lifecycle (``state.TRANSITIONS``) to a dossier.

Who may act and from which status is in ``state``; what each action needs in ``action_inputs``;
the event row and what it sets off in ``events.record_event``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.actors import SYSTEM, Actor
from egov.core.inputs import has_control_chars
from egov.dossiers.action_inputs import prepare
from egov.dossiers.actions import DossierAction
from egov.dossiers.completion import completion_changes
from egov.dossiers.errors import (
    InvalidTransitionInput,
    StaleRevision,
    StateConflict,
    TransitionForbidden,
)
from egov.dossiers.events import record_event
from egov.dossiers.inputs import ActionInput, action_input
from egov.dossiers.models import Dossier, DossierStatus
from egov.dossiers.permissions import refusal
from egov.dossiers.state import SYSTEM_ACTIONS, TRANSITIONS
from egov.org.models import Unit


def _stale(dossier: Dossier) -> StaleRevision:
    return StaleRevision(
        _("Hồ sơ %s vừa được người khác xử lý. Vui lòng tải lại trang để xem trạng thái mới.")
        % dossier.code
    )


def _input_problem(reason: str, data: Mapping[str, Any]) -> str | None:
    values: list[Any] = [reason, *data.values()]
    for value in values:
        texts = value if isinstance(value, list | tuple) else [value]
        if any(isinstance(t, str) and has_control_chars(t) for t in texts):
            return _("Dữ liệu nhập không được chứa ký tự điều khiển (ví dụ ký tự NUL).")
    return None


@transaction.atomic
def dossier_transition(
    *,
    actor: Actor,
    dossier: Dossier,
    action: str,
    reason: str = "",
    data: ActionInput | Mapping[str, Any] | None = None,
    expected_revision: int | None = None,
    handling_unit: Unit | None = None,
) -> Dossier:
    """Apply ``action``; ``data`` carries the action's inputs: its model (``inputs``), or a
    mapping read into that model (a posted form, an API body; unknown keys are ignored).
    ``handling_unit`` is a shortcut for hand_off's input of that name, with a mapping.

    ``actor=SYSTEM``: the system itself acts (no person; the event has no actor), allowed only
    for SYSTEM_ACTIONS — e.g. a payment gateway confirming a financial obligation.

    Two officers acting at once: the second finds the revision changed in the database and
    gets StaleRevision ("already handled"); nothing of the first is lost. A caller that
    passes ``expected_revision`` other than the current one gets it too. Other refusals are
    TransitionForbidden (roles, scope), StateConflict (the status) or InvalidTransitionInput
    — all TransitionRefused, which callers that only show the message catch."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise InvalidTransitionInput(_("Thao tác không tồn tại."), field="action")
    name = DossierAction(action)
    raw = data.model_dump() if isinstance(data, ActionInput) else dict(data or {})
    problem = _input_problem(reason, raw)
    if problem:
        raise InvalidTransitionInput(problem)
    if expected_revision is not None:
        current = Dossier.objects.filter(pk=dossier.pk).values_list("revision", flat=True).first()
        if current != expected_revision:
            raise _stale(dossier)
    revision = dossier.revision
    if actor is SYSTEM:
        if name not in SYSTEM_ACTIONS:
            raise TransitionForbidden(_("Thao tác này cần một cán bộ thực hiện."))
    else:
        refused = refusal(actor, dossier, name)
        if refused is not None:
            raise TransitionForbidden(refused)
    if transition.needs_reason and not reason.strip():
        raise InvalidTransitionInput(_("Cần ghi rõ lý do."), field="reason")
    if dossier.status not in transition.sources:
        raise StateConflict(
            _("Không thể “%(action)s” khi hồ sơ đang ở trạng thái “%(status)s”.")
            % {"action": transition.label, "status": DossierStatus(dossier.status).label}
        )
    if handling_unit is not None:
        if isinstance(data, ActionInput):
            raise TypeError("handling_unit goes in the input model")
        raw["handling_unit"] = handling_unit
    inputs = action_input(name, data if isinstance(data, ActionInput) else raw)
    prepared = prepare(name, dossier, inputs, reason, actor)
    at = timezone.now()
    changes: dict[str, Any] = {
        **prepared.changes,
        "status": transition.target,
        "revision": F("revision") + 1,
    }
    changes.update(completion_changes(dossier, target=transition.target, at=at, changes=changes))
    updated = Dossier.objects.filter(
        pk=dossier.pk, revision=revision, status=dossier.status
    ).update(**changes)
    if not updated:
        # The row no longer has the revision (and status) read by the caller.
        raise _stale(dossier)
    from_status = dossier.status
    dossier.refresh_from_db()
    if prepared.after is not None:
        prepared.after(dossier, actor)
    record_event(
        dossier=dossier,
        action=name,
        from_status=from_status,
        to_status=transition.target,
        actor=actor,
        reason=reason.strip(),
        data=prepared.data,
        at=at,
    )
    return dossier
