"""Indicators for the reports (QĐ 766/QĐ-TTg group 5; docs/feedback.md): received, handled on
time (5.2: on/before the deadline + in progress within it, over all received), satisfaction
(5.3: answered on time and not disliked, over all answered) — per unit and period, and the
`GET /api/v1/reports/feedback` endpoint."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser

from egov.accounts.models import Role
from egov.feedback.models import Feedback
from egov.feedback.selectors import feedback_figures, feedback_figures_by_unit
from egov.feedback.tests.helpers import (
    CENTRE,
    JUSTICE,
    POLICE,
    six_feedback,
    unit,
)
from egov.workdays.engine import VIETNAM_TZ

pytestmark = pytest.mark.django_db
ANON = AnonymousUser()
APRIL = dt.datetime(2026, 4, 1, tzinfo=VIETNAM_TZ)
MAY = dt.datetime(2026, 5, 1, tzinfo=VIETNAM_TZ)
JUDGED = dt.datetime(2026, 5, 22, 18, 0, tzinfo=VIETNAM_TZ)  # after the answer deadline 20/5


@pytest.fixture
def six():
    """``six_feedback`` (feedback/tests/helpers.py)."""
    found = six_feedback()
    return found


def test_figures_of_a_period(quang_ninh, six):
    figures = feedback_figures(Feedback.objects.all(), start=APRIL, end=MAY, at=JUDGED)
    assert figures.__dict__ == {
        "received": 6,
        "about_regulation": 3,
        "about_conduct": 1,
        "refused": 1,
        "answered": 3,
        "in_progress": 2,
        "on_time": 3,  # A, C answered in time, D refused in time; E and F now late
        "satisfied": 1,  # A (B late, C disliked)
        "liked": 1,
        "disliked": 1,
    }
    assert (figures.on_time_ratio, figures.satisfaction_ratio) == (
        Decimal("0.5000"),
        Decimal("0.3333"),
    )
    # Judged before the deadline, E and F are in progress within it.
    early = feedback_figures(
        Feedback.objects.all(), start=APRIL, end=MAY, at=dt.datetime(2026, 5, 1, tzinfo=VIETNAM_TZ)
    )
    assert early.on_time == 5
    # Nothing received in May.
    empty = feedback_figures(
        Feedback.objects.all(), start=MAY, end=MAY + dt.timedelta(days=31), at=JUDGED
    )
    assert (empty.received, empty.on_time_ratio, empty.satisfaction_ratio) == (0, None, None)


def test_figures_per_unit(quang_ninh, six):
    rows = feedback_figures_by_unit(Feedback.objects.all(), start=APRIL, end=MAY, at=JUDGED)
    got = [
        (row.unit.key if row.unit else None, row.figures.received, row.figures.on_time)
        for row in rows
    ]
    routed = sorted([(JUSTICE, 3, 2), (POLICE, 1, 0)], key=lambda r: unit(r[0]).pk)
    expected = [*routed, (None, 2, 1)]  # D refused and E waiting were never routed
    assert got == expected


def test_the_api_reports_the_centre(quang_ninh, six, client):
    from egov.accounts.services import api_client_create

    _row, secret = api_client_create(
        actor=None, name="feedback-leader", unit=unit(CENTRE), role=Role.CENTRE_LEADER, scopes=None
    )
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    with time_machine.travel(JUDGED, tick=False):
        response = client.get(
            "/api/v1/reports/feedback", {"period": "2026-04", "unit": unit(CENTRE).code}, **auth
        )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["period"], body["first_day"], body["last_day"]) == (
        "2026-04",
        "2026-04-01",
        "2026-04-30",
    )
    assert body["total"]["received"] == 6
    assert (body["total"]["on_time_ratio"], body["total"]["satisfaction_ratio"]) == (0.5, 0.3333)
    assert [row["unit"] for row in body["rows"]][-1] is None
    # A Sở's leader does not reach the centre.
    _row, other = api_client_create(
        actor=None,
        name="feedback-police",
        unit=unit(POLICE),
        role=Role.DEPARTMENT_LEADER,
        scopes=None,
    )
    refused = client.get(
        "/api/v1/reports/feedback",
        {"period": "2026-04", "unit": unit(CENTRE).code},
        HTTP_AUTHORIZATION=f"Bearer {other}",
    )
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "unit_forbidden")
    bad = client.get(
        "/api/v1/reports/feedback", {"period": "2026-13", "unit": unit(CENTRE).code}, **auth
    )
    assert bad.status_code == 422
