"""Due moment of a dossier from its channel's legal processing time.

Time is counted from the receipt of a complete, valid dossier, in working days or hours of
the receiving unit (office hours, holidays — egov.workdays); "within the day" procedures are
due at the close of the day of receipt, or of the next working day when received after the
cut-off (15:00) — TT 01/2018/TT-VPCP and the procedure records (one-stop regulation §1.6).
"""

from __future__ import annotations

import datetime as dt

from egov.catalog.models import Channel, TimeKind
from egov.workdays.engine import VIETNAM_TZ, WorkCalendar


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
