"""Extensions the law itself grants (gia hạn theo quy định của pháp luật).

Some laws allow more time in a stated case: chứng thực bản sao từ bản chính +≤02 working days
(NĐ 23/2015/NĐ-CP Điều 21), kết hôn ≤05 working days when the conditions must be verified (Luật
Hộ tịch Điều 18 khoản 2), nhận cha, mẹ, con +≤05 working days (Điều 25 khoản 2)… Each is data
of the procedure version (``catalog.time_rules.LawfulExtension``). Applying one moves the
appointment to the end of the lawful period: the dossier stays on time if it is resolved by
then (``completion``), and the one apology with a new date (NĐ 61/2018 Điều 19 khoản 9,
``services.apology``) is not used up.

It is decided while the time still runs (not after the appointment has passed), once per
extension of the version, by an officer of the dossier's units, with the case stated.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.actors import Actor
from egov.catalog.time_rules import LawfulExtension, lawful_extensions
from egov.core.inputs import text_problem
from egov.dossiers.actions import DossierAction
from egov.dossiers.errors import TransitionRefused
from egov.dossiers.events import record_event
from egov.dossiers.models import IN_PROCESSING_STATUSES, Dossier
from egov.dossiers.permissions import may_extend
from egov.dossiers.services.deadlines import clock_start, period_end
from egov.workdays.engine import VIETNAM_TZ
from egov.workdays.selectors import calendar_for_unit

REASON_MAX = 2000


def applied_extensions(dossier: Dossier) -> set[str]:
    """Keys of the lawful extensions already applied to the dossier."""
    rows = dossier.events.filter(action=DossierAction.EXTEND).values_list("data", flat=True)
    return {str(data.get("key")) for data in rows if isinstance(data, dict)}


def extended_due(dossier: Dossier, extension: LawfulExtension) -> dt.datetime | None:
    """The appointment once ``extension`` is applied (None without an appointment)."""
    if dossier.due_at is None:
        return None
    calendar = calendar_for_unit(dossier.receiving_unit)
    start = dossier.due_at if extension.mode == "add" else clock_start(dossier)
    if start is None:
        return None
    return period_end(start, extension.time_kind, extension.amount, calendar)


def extension_problem(
    dossier: Dossier, extension: LawfulExtension | None, now: dt.datetime
) -> str | None:
    """Why ``extension`` cannot be applied to ``dossier`` now (None: it can)."""
    if extension is None:
        return _("Thủ tục này không có trường hợp gia hạn đó theo quy định.")
    if dossier.status not in IN_PROCESSING_STATUSES:
        return _("Chỉ được gia hạn hồ sơ đang giải quyết.")
    if dossier.due_at is None:
        return _("Hồ sơ chưa có hạn trả kết quả.")
    if now > dossier.due_at:
        return _(
            "Đã quá thời hạn trả kết quả; gia hạn theo quy định phải được quyết định trong "
            "thời hạn giải quyết."
        )
    if extension.key in applied_extensions(dossier):
        return _("Hồ sơ đã được gia hạn theo trường hợp này.")
    new_due = extended_due(dossier, extension)
    if new_due is None or new_due <= dossier.due_at:
        return _("Thời hạn khi gia hạn theo trường hợp này không muộn hơn ngày hẹn hiện tại.")
    return None


def available_extensions(dossier: Dossier, now: dt.datetime) -> list[LawfulExtension]:
    """The version's lawful extensions that may be applied to the dossier now."""
    return [
        extension
        for extension in lawful_extensions(dossier.procedure_version)
        if extension_problem(dossier, extension, now) is None
    ]


@transaction.atomic
def dossier_extend(*, actor: Actor, dossier: Dossier, extension: str, reason: str) -> Dossier:
    """Apply the lawful extension ``extension`` (its key in the version) with the case stated
    in ``reason``: the appointment moves, the apology stays available."""
    if not may_extend(actor, dossier):
        raise TransitionRefused(_("Bạn không có quyền gia hạn hồ sơ này."))
    if not reason.strip():
        raise TransitionRefused(_("Cần ghi rõ trường hợp gia hạn (vd. nội dung cần xác minh)."))
    problem = text_problem(reason.strip(), max_length=REASON_MAX)
    if problem:
        raise TransitionRefused(problem)
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    chosen = next(
        (e for e in lawful_extensions(locked.procedure_version) if e.key == extension), None
    )
    now = timezone.now()
    problem = extension_problem(locked, chosen, now)
    if problem or chosen is None:
        raise TransitionRefused(problem or "")
    old_due = locked.due_at
    new_due = extended_due(locked, chosen)
    Dossier.objects.filter(pk=locked.pk).update(due_at=new_due, revision=F("revision") + 1)
    locked.refresh_from_db()
    record_event(
        dossier=locked,
        action=DossierAction.EXTEND,
        from_status=locked.status,
        to_status=locked.status,
        actor=actor,
        reason=reason.strip(),
        at=now,
        data={
            "key": chosen.key,
            "name": chosen.name,
            "basis": chosen.basis,
            "rule": chosen.label,
            "confirmed": chosen.confirmed,
            "old_due": old_due.astimezone(VIETNAM_TZ).isoformat() if old_due else None,
            "new_due": new_due.astimezone(VIETNAM_TZ).isoformat() if new_due else None,
        },
    )
    return locked
