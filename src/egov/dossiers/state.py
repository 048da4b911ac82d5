"""The dossier lifecycle: one table of transitions, one function that applies them.

Actions follow NĐ 61/2018 (NĐ 118/2025 from 01/07/2025) and TT 01/2018/TT-VPCP: reception at
the one-stop desk, hand-off to the competent unit, supplement requests through the desk,
financial obligations, approval by the competent leader, return of the result; refusal,
withdrawal on request and stopping with a reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.models import Role
from egov.audit.services import audit_record
from egov.dossiers.access import roles_at
from egov.dossiers.models import Dossier, DossierEvent, DossierStatus
from egov.org.models import Unit

S = DossierStatus


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    roles: frozenset[str]
    needs_reason: bool = False
    label: str = ""


TRANSITIONS: dict[str, Transition] = {
    "accept_online": Transition(
        frozenset({S.AWAITING_ONLINE_RECEPTION}),
        S.RECEIVED,
        frozenset({Role.RECEPTIONIST}),
        label="Tiếp nhận hồ sơ trực tuyến",
    ),
    "refuse": Transition(
        frozenset({S.AWAITING_ONLINE_RECEPTION}),
        S.REFUSED,
        frozenset({Role.RECEPTIONIST}),
        needs_reason=True,
        label="Từ chối tiếp nhận",
    ),
    "hand_off": Transition(
        frozenset({S.RECEIVED}),
        S.PROCESSING,
        frozenset({Role.RECEPTIONIST}),
        label="Chuyển hồ sơ đến cơ quan giải quyết",
    ),
    "submit_for_approval": Transition(
        frozenset({S.PROCESSING}),
        S.PROCESSING,
        frozenset({Role.SPECIALIST}),
        label="Thẩm định xong, trình lãnh đạo",
    ),
    "request_supplement": Transition(
        frozenset({S.PROCESSING}),
        S.SUPPLEMENT_REQUESTED,
        frozenset({Role.SPECIALIST, Role.RECEPTIONIST}),
        needs_reason=True,
        label="Yêu cầu bổ sung hồ sơ",
    ),
    "supplemented": Transition(
        frozenset({S.SUPPLEMENT_REQUESTED}),
        S.PROCESSING,
        frozenset({Role.RECEPTIONIST}),
        label="Nhận hồ sơ bổ sung",
    ),
    "request_payment": Transition(
        frozenset({S.PROCESSING}),
        S.AWAITING_PAYMENT,
        frozenset({Role.SPECIALIST}),
        label="Yêu cầu thực hiện nghĩa vụ tài chính",
    ),
    "paid": Transition(
        frozenset({S.AWAITING_PAYMENT}),
        S.PROCESSING,
        frozenset({Role.RECEPTIONIST}),
        label="Đã thực hiện nghĩa vụ tài chính",
    ),
    "approve": Transition(
        frozenset({S.PROCESSING}),
        S.RESULT_READY,
        frozenset({Role.DEPARTMENT_LEADER}),
        label="Phê duyệt kết quả",
    ),
    "return_result": Transition(
        frozenset({S.RESULT_READY}), S.RETURNED, frozenset({Role.RECEPTIONIST}), label="Trả kết quả"
    ),
    "withdraw": Transition(
        frozenset({S.RECEIVED, S.PROCESSING, S.SUPPLEMENT_REQUESTED, S.AWAITING_PAYMENT}),
        S.WITHDRAWN,
        frozenset({Role.RECEPTIONIST}),
        needs_reason=True,
        label="Rút hồ sơ theo yêu cầu",
    ),
    "stop": Transition(
        frozenset({S.PROCESSING, S.SUPPLEMENT_REQUESTED}),
        S.STOPPED,
        frozenset({Role.DEPARTMENT_LEADER}),
        needs_reason=True,
        label="Dừng xử lý",
    ),
}


class TransitionError(Exception):
    """A transition that may not happen now; the message is for the person who tried."""


def actor_roles(actor: Any, dossier: Dossier) -> set[str]:
    """Roles at the receiving unit, at the unit the dossier was handed to, and at the
    competent unit of the procedure."""
    roles = roles_at(actor, dossier.receiving_unit)
    for unit in (dossier.handling_unit, dossier.procedure_version.competent_unit):
        if unit is not None:
            roles |= roles_at(actor, unit)
    return roles


def allowed_actions(actor: Any, dossier: Dossier) -> list[str]:
    roles = actor_roles(actor, dossier)
    return [
        name for name, t in TRANSITIONS.items() if dossier.status in t.sources and roles & t.roles
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
) -> Dossier:
    """Apply ``action``. Two officers acting at once: the second finds the revision changed
    and gets a clear "already handled" error; nothing of the first is lost."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise TransitionError(_("Thao tác không tồn tại."))
    revision = dossier.revision if expected_revision is None else expected_revision
    if not actor_roles(actor, dossier) & transition.roles:
        raise TransitionError(_("Bạn không có quyền “%s” với hồ sơ này.") % transition.label)
    if transition.needs_reason and not reason.strip():
        raise TransitionError(_("Cần ghi rõ lý do."))
    if dossier.status not in transition.sources:
        raise TransitionError(
            _("Không thể “%(action)s” khi hồ sơ đang ở trạng thái “%(status)s”.")
            % {"action": transition.label, "status": DossierStatus(dossier.status).label}
        )
    changes: dict[str, Any] = {"status": transition.target, "revision": F("revision") + 1}
    if action == "hand_off":
        # Giao hồ sơ: to the unit chosen by the desk, else the procedure's competent unit.
        target = handling_unit or dossier.procedure_version.competent_unit
        if target is None:
            raise TransitionError(_("Cần chọn đơn vị giải quyết để chuyển hồ sơ."))
        changes["handling_unit"] = target
        data = {**(data or {}), "to_unit": target.key}
    if action == "return_result":
        received_by = str((data or {}).get("received_by", "")).strip()
        if not received_by:
            raise TransitionError(_("Cần ghi họ tên người nhận kết quả."))
        delivery = str((data or {}).get("delivery", "counter"))
        if delivery not in ("counter", "post", "online"):
            raise TransitionError(_("Hình thức trả kết quả không hợp lệ."))
        data = {**(data or {}), "received_by": received_by[:255], "delivery": delivery}
    if action == "supplemented":
        new_due, rule = supplemented_due(dossier)
        changes["due_at"] = new_due
        data = {
            **(data or {}),
            "supplement_rule": rule,
            "due_at": new_due.isoformat() if new_due else None,
        }
    updated = Dossier.objects.filter(
        pk=dossier.pk, revision=revision, status=dossier.status
    ).update(**changes)
    if not updated:
        raise TransitionError(
            _("Hồ sơ %s vừa được người khác xử lý. Vui lòng tải lại trang để xem trạng thái mới.")
            % dossier.code
        )
    from_status = dossier.status
    dossier.refresh_from_db()
    append_event(
        dossier=dossier,
        action=action,
        from_status=from_status,
        to_status=transition.target,
        actor=actor,
        reason=reason,
        data=data,
    )
    audit_record(
        actor=actor,
        action=f"dossier.{action}",
        target=dossier,
        details={"from": from_status, "to": transition.target},
    )
    return dossier
