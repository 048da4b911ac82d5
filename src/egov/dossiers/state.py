"""The dossier lifecycle: one function that applies a transition of ``transitions.TRANSITIONS``.

Actions follow NĐ 61/2018 (NĐ 118/2025 from 01/07/2025) and TT 01/2018/TT-VPCP: reception at
the one-stop desk, hand-off to the competent unit, supplement requests through the desk,
financial obligations, approval by the competent leader, return of the result; refusal,
withdrawal on request and stopping with a reason.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.audit.services import audit_record
from egov.core.inputs import has_control_chars
from egov.dossiers.completion import record_completion
from egov.dossiers.errors import TransitionError as TransitionError
from egov.dossiers.models import Dossier, DossierEvent, DossierStatus
from egov.dossiers.permissions import refusal
from egov.dossiers.transitions import SYSTEM_ACTIONS
from egov.dossiers.transitions import TRANSITIONS as TRANSITIONS
from egov.org.models import Unit

S = DossierStatus


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
        refused = refusal(actor, dossier, action)
        if refused is not None:
            raise TransitionError(refused)
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
