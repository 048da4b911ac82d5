"""Apology and new appointment (Mẫu 04).

NĐ 61/2018/NĐ-CP Điều 19 khoản 9 (and NĐ 118/2025): when a dossier will be late, the competent
agency ("cơ quan, đơn vị có thẩm quyền giải quyết hồ sơ") sends the applicant a written apology
with the reason and a new date **at least one day before the due date**, and the new date may
be set **only once** ("việc hẹn lại ngày trả kết quả được thực hiện không quá một lần"). Both
rules are enforced here. The apology is issued in the name of the unit handling the dossier (or
the competent unit) and signed by its leader (``permissions.apology_issuer``), not by the desk;
the event records both. An extension the law itself grants is not an apology
(``services.extensions``).

The decree sets no maximum for the new date. Our own safeguard (not a legal rule): the new
date is at most EGOV_APOLOGY_MAX_EXTENSION_DAYS calendar days (default 90) after the current
due date, so a typing mistake (or 9999-12-31) cannot push a dossier out of every report.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.actors import Actor, person
from egov.core.inputs import text_problem
from egov.core.numbering import Series, take_number, yearly
from egov.dossiers.actions import DossierAction
from egov.dossiers.errors import TransitionRefused
from egov.dossiers.events import record_event
from egov.dossiers.models import IN_PROCESSING_STATUSES, Dossier
from egov.dossiers.permissions import apology_issuer
from egov.org.models import Unit
from egov.workdays.engine import VIETNAM_TZ

REASON_MAX = 2000


def apology_series(unit: Unit, day: dt.date) -> Series:
    """Mẫu 04 is numbered "Số: …/PXL" per issuing unit and year (from 1 on 1 January)."""
    return yearly("apology", "unit", unit.pk, on=day)


def apology_blocker(dossier: Dossier, now: dt.datetime) -> str | None:
    """Why no apology may be sent for this dossier now (None: it may)."""
    if dossier.apologised_at is not None:
        return _("Hồ sơ đã được hẹn lại một lần; quy định chỉ cho phép hẹn lại không quá một lần.")
    if dossier.status not in IN_PROCESSING_STATUSES:
        return _("Chỉ được hẹn lại hồ sơ đang giải quyết.")
    if dossier.due_at is None:
        return _("Hồ sơ chưa có hạn trả kết quả.")
    today = now.astimezone(VIETNAM_TZ).date()
    due_day = dossier.due_at.astimezone(VIETNAM_TZ).date()
    if today > due_day - dt.timedelta(days=1):
        return _(
            "Phải gửi văn bản xin lỗi và hẹn lại chậm nhất 01 ngày trước ngày hẹn trả "
            "(%(due)s); nay đã quá thời hạn đó."
        ) % {"due": f"{due_day:%d/%m/%Y}"}
    return None


def max_extension_days() -> int:
    return int(getattr(settings, "EGOV_APOLOGY_MAX_EXTENSION_DAYS", 90))


def apology_problem(dossier: Dossier, now: dt.datetime, new_due: dt.datetime) -> str | None:
    blocker = apology_blocker(dossier, now)
    if blocker:
        return blocker
    if dossier.due_at is not None and new_due <= dossier.due_at:
        return _("Ngày hẹn mới phải sau ngày hẹn trả hiện tại.")
    limit = max_extension_days()
    if dossier.due_at is not None and new_due - dossier.due_at > dt.timedelta(days=limit):
        return _(
            "Ngày hẹn mới chỉ được muộn hơn ngày hẹn trả hiện tại (%(due)s) tối đa %(days)d "
            "ngày (giới hạn do đơn vị cấu hình, EGOV_APOLOGY_MAX_EXTENSION_DAYS)."
        ) % {"due": f"{dossier.due_at.astimezone(VIETNAM_TZ):%d/%m/%Y}", "days": limit}
    return None


@transaction.atomic
def dossier_apologise(
    *, actor: Actor, dossier: Dossier, new_due: dt.datetime, reason: str
) -> Dossier:
    issuer = apology_issuer(actor, dossier)
    if issuer is None:
        raise TransitionRefused(
            _(
                "Văn bản xin lỗi và hẹn lại do thủ trưởng cơ quan, đơn vị giải quyết hồ sơ ký "
                "(NĐ 61/2018/NĐ-CP Điều 19 khoản 9); bạn không có quyền này với hồ sơ này."
            )
        )
    if not reason.strip():
        raise TransitionRefused(_("Cần ghi rõ lý do chậm trễ."))
    problem = text_problem(reason.strip(), max_length=REASON_MAX)
    if problem:
        raise TransitionRefused(problem)
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    problem = apology_problem(locked, timezone.now(), new_due)
    if problem:
        raise TransitionRefused(problem)
    now = timezone.now()
    Dossier.objects.filter(pk=locked.pk).update(
        apologised_at=now,
        original_due_at=locked.due_at,
        due_at=new_due,
        revision=F("revision") + 1,
    )
    locked.refresh_from_db()
    day = now.astimezone(VIETNAM_TZ).date()
    number = take_number(apology_series(issuer, day))
    record_event(
        dossier=locked,
        action=DossierAction.APOLOGISE,
        from_status=locked.status,
        to_status=locked.status,
        actor=actor,
        reason=reason.strip(),
        data={
            "old_due": locked.original_due_at.isoformat() if locked.original_due_at else None,
            "new_due": new_due.isoformat(),
            "number": number,
            "year": day.year,
            "issuer": issuer.key,
            "issuer_name": issuer.name,
            "signer": getattr(person(actor), "display_name", ""),
        },
        at=now,
    )
    return locked
