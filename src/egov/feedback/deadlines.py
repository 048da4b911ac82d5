"""Deadlines of a feedback on the support centre's working-day calendar (egov.workdays).

The step durations are settings (``EGOV_FEEDBACK_*_DAYS``), in working days from the moment
the step starts. Their defaults are the limits the national PAKN system applies when it scores
QĐ 766/QĐ-TTg indicator 5.2 (refuse ≤ 2, ask for more information ≤ 5, answer ≤ 15, publish
≤ 2 working days): observed on the national portal, chưa xác nhận against the text of
NĐ 20/2008/NĐ-CP as amended by NĐ 92/2017/NĐ-CP (docs/feedback.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings

from egov.org.models import Unit
from egov.workdays.selectors import calendar_for_unit


@dataclass(frozen=True)
class IntakeDeadlines:
    refuse_by: dt.datetime
    request_info_by: dt.datetime
    answer_by: dt.datetime


def _add(unit: Unit, start: dt.datetime, days: int) -> dt.datetime:
    return calendar_for_unit(unit).add_working_days(start, days)


def intake_deadlines(centre: Unit, start: dt.datetime) -> IntakeDeadlines:
    """The limits that run from a (complete) feedback's receipt at ``centre``."""
    return IntakeDeadlines(
        refuse_by=_add(centre, start, settings.EGOV_FEEDBACK_REFUSE_DAYS),
        request_info_by=_add(centre, start, settings.EGOV_FEEDBACK_INFO_REQUEST_DAYS),
        answer_by=_add(centre, start, settings.EGOV_FEEDBACK_ANSWER_DAYS),
    )


def publish_deadline(centre: Unit, answered_at: dt.datetime) -> dt.datetime:
    return _add(centre, answered_at, settings.EGOV_FEEDBACK_PUBLISH_DAYS)
