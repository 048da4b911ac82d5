"""Deadlines of a dossier: the due moment from its channel's legal processing time, the
desk's answer time for an online dossier, the due moment once a supplement is complete, and
the limits whose breach is warned about (supplement request, hand-off).

Time is counted from the receipt of a complete, valid dossier, in working days or hours of
the receiving unit (office hours, holidays — egov.workdays). "Within the day" and "immediate"
procedures are due at the close of the day of receipt; only where the law has a cut-off — the
channel's ``cutoff``, with its basis: chứng thực, NĐ 23/2015/NĐ-CP Điều 7; hộ tịch, Luật Hộ
tịch Điều 5 khoản 3 — a dossier received after it (15:00) and not resolved at once is due at
the close of the next working day.

A receipt always carries an appointment (NĐ 61/2018/NĐ-CP Điều 17 khoản 1 điểm c): a channel
whose time cannot be computed is not received (``appointment_problem``). Immediate-result
procedures (Điều 17 khoản 4) are computable: due the same day.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.catalog.models import Channel, ChannelKind, ProcedureVersion, SupplementClock, TimeKind
from egov.catalog.time_rules import supplement_rule
from egov.dossiers.actions import DossierAction
from egov.dossiers.models import Dossier
from egov.org.models import Unit
from egov.workdays.engine import VIETNAM_TZ, WorkCalendar
from egov.workdays.selectors import calendar_for_unit

RECEPTION_WORKING_HOURS = 8  # NĐ 45/2020 / NĐ 61/2018 (as amended): answer within 8 working hours
# NĐ 61/2018 Điều 18 khoản 2: a paper dossier received after 15:00 goes to the competent agency
# at the start of the next working day.
HAND_OFF_CUTOFF = dt.time(15, 0)


def reception_deadline(unit: Unit, moment: dt.datetime) -> dt.datetime:
    """When the desk must have answered an online dossier submitted at ``moment``."""
    return calendar_for_unit(unit).add_working_hours(moment, RECEPTION_WORKING_HOURS)


def period_end(
    start: dt.datetime, time_kind: str, amount: Decimal | int, calendar: WorkCalendar
) -> dt.datetime:
    """``start`` plus a period of working days, working hours or (calendar) days; a period in
    days that ends on a day off ends at the close of the next working day."""
    if time_kind == TimeKind.WORKING_DAYS:
        value = Decimal(amount)
        whole = int(value)
        due = calendar.add_working_days(start, whole)
        fraction = value - whole
        if fraction:
            hours_per_day = calendar.working_day_length(due.date()).total_seconds() / 3600
            due = calendar.add_working_hours(due, float(fraction) * hours_per_day)
        return due
    if time_kind == TimeKind.WORKING_HOURS:
        return calendar.add_working_hours(start, float(amount))
    if time_kind == TimeKind.CALENDAR_DAYS:
        end = start.astimezone(VIETNAM_TZ).date() + dt.timedelta(days=int(amount))
        if not calendar.is_working_day(end):
            end = calendar.next_working_day(end)
        return calendar.close_of(end)
    raise ValueError(f"not a period: {time_kind}")


def _cutoff_rule(channel: Channel) -> str:
    if channel.cutoff is None:
        return ""
    text = f"; nhận sau {channel.cutoff:%H:%M} trả trong ngày làm việc tiếp theo"
    return text + (f" ({channel.cutoff_basis})" if channel.cutoff_basis else "")


def due_moment(
    channel: Channel, received_at: dt.datetime, calendar: WorkCalendar
) -> tuple[dt.datetime | None, str]:
    """The appointment for a dossier received at ``received_at`` through ``channel``, and the
    rule as printed on the receipt; (None, …) when the catalog has no computable time."""
    amount = channel.time_amount
    if channel.time_kind == TimeKind.WORKING_DAYS and amount:
        return period_end(received_at, channel.time_kind, amount, calendar), (
            f"{amount.normalize():f} ngày làm việc"
        )
    if channel.time_kind == TimeKind.WORKING_HOURS and amount:
        return period_end(received_at, channel.time_kind, amount, calendar), (
            f"{amount.normalize():f} giờ làm việc"
        )
    if channel.time_kind in (TimeKind.WITHIN_DAY, TimeKind.IMMEDIATE):
        # No cut-off in the law: due at the close of the day of receipt whatever the hour.
        cutoff = channel.cutoff or dt.time.max
        label = (
            "trong ngày" if channel.time_kind == TimeKind.WITHIN_DAY else "ngay khi nhận đủ hồ sơ"
        )
        return calendar.due_within_day(received_at, cutoff), label + _cutoff_rule(channel)
    if channel.time_kind == TimeKind.CALENDAR_DAYS and amount:
        return period_end(received_at, channel.time_kind, amount, calendar), f"{int(amount)} ngày"
    return None, "thời hạn chưa xác định trong danh mục"


def appointment_problem(version: ProcedureVersion, channel: Channel | None) -> str | None:
    """Why a dossier of ``version`` cannot be received through ``channel``: no such channel, or
    no processing time from which to give the appointment (None: it can)."""
    if channel is None:
        return _("Thủ tục này không tiếp nhận qua hình thức đã chọn.")
    computable = channel.time_kind in (TimeKind.WITHIN_DAY, TimeKind.IMMEDIATE) or (
        channel.time_kind != TimeKind.UNKNOWN and bool(channel.time_amount)
    )
    if computable:
        return None
    return _(
        "Không thể tiếp nhận: thủ tục “%(name)s” (phiên bản %(number)d) chưa có thời hạn "
        "giải quyết trong danh mục nên không hẹn được ngày trả kết quả. Giấy tiếp nhận hồ sơ "
        "phải có ngày hẹn trả (NĐ 61/2018/NĐ-CP Điều 17 khoản 1 điểm c); đề nghị cơ quan quản "
        "lý danh mục cập nhật thời hạn giải quyết."
    ) % {"name": version.name, "number": version.number}


def clock_start(dossier: Dossier) -> dt.datetime | None:
    """Where the dossier's legal time runs from: its reception, or the complete supplement
    when the clock restarted then."""
    restarted = (
        dossier.events.filter(
            action=DossierAction.SUPPLEMENTED, data__supplement_rule=SupplementClock.RESTART
        )
        .order_by("-sequence")
        .first()
    )
    return restarted.at if restarted is not None else dossier.received_at


def supplemented_due(dossier: Dossier, now: dt.datetime) -> tuple[dt.datetime | None, str]:
    """The due moment once a requested supplement is complete (catalog.time_rules): restart
    (the general rule) → the full legal time again from now; pause → the working time left
    when the supplement was requested."""
    version = dossier.procedure_version
    rule = supplement_rule(version)
    requested = (
        dossier.events.filter(action=DossierAction.REQUEST_SUPPLEMENT).order_by("-sequence").first()
    )
    if dossier.due_at is None or requested is None:
        return dossier.due_at, rule.clock
    calendar = calendar_for_unit(dossier.receiving_unit)
    if rule.clock == SupplementClock.PAUSE:
        left = max(calendar.working_time_between(requested.at, dossier.due_at), dt.timedelta())
        return calendar.add_working_time(now, left), rule.clock
    channel = version.channels.filter(kind=dossier.channel).first()
    if channel is None:
        return dossier.due_at, rule.clock
    due, _rule = due_moment(channel, now, calendar)
    return due or dossier.due_at, rule.clock


def working_days_limit(calendar: WorkCalendar, start: dt.datetime, days: int) -> dt.datetime:
    """The end of a limit of ``days`` working days counted from the day of ``start``: the
    close of the ``days``-th working day after it. The first day is not counted and the limit
    ends with the office day (Bộ luật Dân sự 2015 Điều 147–148), the reading least likely to
    warn about an act that was in time."""
    day = start.astimezone(VIETNAM_TZ).date()
    for _step in range(days):
        day = calendar.next_working_day(day)
    return calendar.close_of(day)


def supplement_request_limit(dossier: Dossier) -> dt.datetime | None:
    """Until when the agency may ask for a supplement (general: 03 working days from
    reception, NĐ 61/2018 Điều 19 khoản 4; or the version's sector rule)."""
    if dossier.received_at is None:
        return None
    rule = supplement_rule(dossier.procedure_version)
    calendar = calendar_for_unit(dossier.receiving_unit)
    return working_days_limit(calendar, dossier.received_at, rule.request_days)


def supplement_applicant_limit(dossier: Dossier, requested_at: dt.datetime) -> dt.datetime | None:
    """Until when the applicant must complete the dossier, where sector law sets it."""
    rule = supplement_rule(dossier.procedure_version)
    if rule.applicant_days is None:
        return None
    calendar = calendar_for_unit(dossier.receiving_unit)
    return working_days_limit(calendar, requested_at, rule.applicant_days)


def hand_off_limit(dossier: Dossier) -> dt.datetime | None:
    """Until when a paper dossier (counter, post) should reach the competent agency: the
    close of the day of reception, or — received after 15:00 or on a day off — the start of
    the next working day (NĐ 61/2018 Điều 18 khoản 2), read as its first
    EGOV_HAND_OFF_START_HOURS working hours. None for online dossiers (sent electronically)."""
    if dossier.received_at is None or dossier.channel == ChannelKind.ONLINE:
        return None
    calendar = calendar_for_unit(dossier.receiving_unit)
    local = dossier.received_at.astimezone(VIETNAM_TZ)
    day = local.date()
    if (
        calendar.is_working_day(day)
        and local.time() < HAND_OFF_CUTOFF
        and local < calendar.close_of(day)
    ):
        return calendar.close_of(day)
    start = calendar.next_working_moment(
        dt.datetime.combine(calendar.next_working_day(day), dt.time(0), tzinfo=VIETNAM_TZ)
    )
    hours = float(getattr(settings, "EGOV_HAND_OFF_START_HOURS", 1))
    return calendar.add_working_hours(start, hours)


def is_late(limit: dt.datetime | None, moment: dt.datetime | None = None) -> bool:
    return limit is not None and (moment or timezone.now()) > limit
