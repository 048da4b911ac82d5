"""Deadlines of a dossier: the due moment from its channel's legal processing time, the
desk's answer time for an online dossier, and the due moment once a supplement is complete.

Time is counted from the receipt of a complete, valid dossier, in working days or hours of
the receiving unit (office hours, holidays — egov.workdays); "within the day" procedures are
due at the close of the day of receipt, or of the next working day when received after the
cut-off (15:00) — TT 01/2018/TT-VPCP and the procedure records (one-stop regulation §1.6).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from egov.catalog.models import Channel, SupplementClock, TimeKind
from egov.dossiers.actions import DossierAction
from egov.dossiers.models import Dossier
from egov.org.models import Unit
from egov.workdays.engine import VIETNAM_TZ, WorkCalendar
from egov.workdays.selectors import calendar_for_unit

RECEPTION_WORKING_HOURS = 8  # NĐ 45/2020 / NĐ 61/2018 (as amended): answer within 8 working hours


def reception_deadline(unit: Unit, moment: dt.datetime) -> dt.datetime:
    """When the desk must have answered an online dossier submitted at ``moment``."""
    return calendar_for_unit(unit).add_working_hours(moment, RECEPTION_WORKING_HOURS)


def due_moment(
    channel: Channel, received_at: dt.datetime, calendar: WorkCalendar
) -> tuple[dt.datetime | None, str]:
    amount = channel.time_amount
    if channel.time_kind == TimeKind.WORKING_DAYS and amount:
        whole = int(amount)
        due = calendar.add_working_days(received_at, whole)
        fraction = amount - whole
        if fraction:
            hours_per_day = calendar.working_day_length(due.date()).total_seconds() / 3600
            due = calendar.add_working_hours(due, float(fraction) * hours_per_day)
        return due, f"{amount.normalize():f} ngày làm việc"
    if channel.time_kind == TimeKind.WORKING_HOURS and amount:
        return calendar.add_working_hours(
            received_at, float(amount)
        ), f"{amount.normalize():f} giờ làm việc"
    if channel.time_kind == TimeKind.WITHIN_DAY:
        cutoff = channel.cutoff or dt.time(15, 0)
        return calendar.due_within_day(received_at, cutoff), f"trong ngày, chốt {cutoff:%H:%M}"
    if channel.time_kind == TimeKind.IMMEDIATE:
        return calendar.due_within_day(received_at, dt.time(23, 59)), "ngay khi nhận đủ hồ sơ"
    if channel.time_kind == TimeKind.CALENDAR_DAYS and amount:
        end = received_at.astimezone(VIETNAM_TZ).date() + dt.timedelta(days=int(amount))
        if not calendar.is_working_day(end):
            end = calendar.next_working_day(end)
        return calendar.close_of(end), f"{int(amount)} ngày"
    return None, "thời hạn chưa xác định trong danh mục"


def supplemented_due(dossier: Dossier) -> tuple[dt.datetime | None, str]:
    """The due moment once a requested supplement is complete, by the procedure version's
    rule (catalog ``supplement_clock``; the law as retrieved does not settle it, so it is
    data): pause → the working time left when the supplement was requested; restart → the
    full legal time again from now; unknown → unchanged."""
    version = dossier.procedure_version
    rule = version.supplement_clock
    requested = (
        dossier.events.filter(action=DossierAction.REQUEST_SUPPLEMENT).order_by("-sequence").first()
    )
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
