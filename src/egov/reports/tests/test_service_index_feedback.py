"""The feedback indicators of the service index (QĐ 766/QĐ-TTg 5.2 and 5.3) from egov's own
feedback: exact figures for six feedback items received in April 2026, each unit seeing only
the feedback of its units, judged when asked, and no dossier list behind them.

The six (as in egov/feedback/tests/test_indicators.py), received Friday 24/4/2026 at the
provincial service centre, answer deadline Wednesday 20/5 17:00:

- A, B, C routed to Sở Tư pháp and answered: A on 28/4 and liked, C on 28/4 and disliked, B on
  21/5 (late);
- D refused by the centre on 28/4 (in time), E waiting at the centre (never routed);
- F routed to Công an tỉnh (about conduct), not answered.
"""

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from egov.accounts.models import Role, User
from egov.accounts.services import api_client_create
from egov.feedback.tests.helpers import (
    CENTRE,
    JUSTICE,
    POLICE,
    six_feedback,
    unit,
)
from egov.reports.service_index import index_dossiers, parse_index_period, service_index
from egov.reports.tests.service_index_data import by_code, numbers
from egov.workdays.engine import VIETNAM_TZ

pytestmark = pytest.mark.django_db
ANON = AnonymousUser()
APRIL = "2026-04"
# After the answer deadline (20/5 17:00): E and F are late.
JUDGED = dt.datetime(2026, 5, 22, 18, 0, tzinfo=VIETNAM_TZ)
FEEDBACK_CODES = ("PETITION_PROCESSING_ON_TIME", "PETITION_HANDLING_SATISFACTION")


@pytest.fixture
def six(quang_ninh):
    """``six_feedback`` (feedback/tests/helpers.py)."""
    found = six_feedback()
    assert [found[x].closed_on_time for x in "abc"] == [True, False, True]
    return found


def _feedback_numbers(key: str, *, at: dt.datetime = JUDGED) -> tuple[tuple[object, ...], ...]:
    with time_machine.travel(at, tick=False):
        index = by_code(service_index(unit=unit(key), period=parse_index_period(APRIL)))
    return tuple(numbers(index[code]) for code in FEEDBACK_CODES)


def test_the_centre_counts_every_feedback_it_received(six):
    on_time, satisfaction = _feedback_numbers(CENTRE)
    # A, C answered in time, D refused in time; B answered late; E and F past the deadline.
    # Linear, 6 points: 6 × 3/6.
    assert on_time == (3, 6, Decimal("0.5000"), Decimal("3.00"), "computed")
    # Of A, B, C answered: A (B late, C disliked). 6 × 1/3.
    assert satisfaction == (1, 3, Decimal("0.3333"), Decimal("2.00"), "computed")


def test_a_unit_counts_only_the_feedback_routed_to_it_or_below(six):
    # Sở Tư pháp: A, B, C. On time: A, C.
    justice_on_time, justice_satisfaction = _feedback_numbers(JUSTICE)
    assert justice_on_time == (2, 3, Decimal("0.6667"), Decimal("4.00"), "computed")
    assert justice_satisfaction == (1, 3, Decimal("0.3333"), Decimal("2.00"), "computed")
    # Công an tỉnh: F, late and not answered: no answer to be satisfied with → full marks.
    police_on_time, police_satisfaction = _feedback_numbers(POLICE)
    assert police_on_time == (0, 1, Decimal("0.0000"), Decimal("0.00"), "computed")
    assert police_satisfaction == (0, 0, None, Decimal("6.00"), "computed")
    # A unit that received nothing and was sent nothing: 0/0, full marks (the portal's rule).
    other = _feedback_numbers("qn.x.ha-long.ubnd")
    assert other == ((0, 0, None, Decimal("6.00"), "computed"),) * 2
    # The province (root) counts the centre's six once each.
    root = unit(CENTRE)
    while root.parent_id is not None:
        root = root.parent
    assert _feedback_numbers(root.key)[0][:2] == (3, 6)


def test_feedback_still_open_is_judged_when_asked(six):
    """Asked on 1/5, before the answer deadline: E and F are in progress within it (5 of 6);
    asked on 22/5 they are late (3 of 6), as GET /api/v1/reports/feedback counts them."""
    on_time, _satisfaction = _feedback_numbers(
        CENTRE, at=dt.datetime(2026, 5, 1, tzinfo=VIETNAM_TZ)
    )
    assert on_time == (5, 6, Decimal("0.8333"), Decimal("5.00"), "computed")


def test_feedback_indicators_have_no_dossier_list(six):
    period = parse_index_period(APRIL)
    for code in FEEDBACK_CODES:
        with pytest.raises(LookupError):
            index_dossiers(unit=unit(CENTRE), period=period, indicator_code=code, part="numerator")
    index = by_code(service_index(unit=unit(CENTRE), period=period))
    assert [index[code].drillable for code in FEEDBACK_CODES] == [False, False]


@pytest.fixture
def _no_staff_mfa(settings):
    settings.EGOV_REQUIRE_STAFF_MFA = False


def _row_cells(text: str, code: str) -> list[str]:
    row = text[text.index(f'data-indicator="{code}"') :]
    row = row[: row.index("</tr>")]
    return re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)


@pytest.mark.usefixtures("_no_staff_mfa")
def test_the_page_shows_the_feedback_numbers_without_a_link(six, client):
    client.force_login(User.objects.get(username="tinh.lanhdaotrungtam"))
    with time_machine.travel(JUDGED, tick=False):
        response = client.get(
            reverse("workspace:service_index"), {"ky": APRIL, "don_vi": unit(CENTRE).pk}
        )
    assert response.status_code == 200
    cells = _row_cells(response.content.decode(), "PETITION_PROCESSING_ON_TIME")
    assert [re.sub(r"<[^>]+>", "", c).strip() for c in cells[:5]] == [
        "3",
        "6",
        "50,00 %",
        "3,00",
        "6",
    ]
    # The staff's feedback list has no unit or period filter to link to.
    assert "href" not in "".join(cells[:2])
    assert 'title="Phản ánh, kiến nghị tiếp nhận trong kỳ"' in cells[1]
    refused = client.get(
        reverse("workspace:service_index_dossiers"),
        {
            "ky": APRIL,
            "don_vi": unit(CENTRE).pk,
            "chi_so": "PETITION_PROCESSING_ON_TIME",
            "tap": "tu_so",
        },
    )
    assert refused.status_code == 400
    assert "Chỉ số này không có danh sách hồ sơ." in refused.content.decode()


def test_the_api_names_what_is_counted_and_keeps_the_scope(six, client):
    _row, justice = api_client_create(
        actor=None,
        name="index-justice",
        unit=unit(JUSTICE),
        role=Role.DEPARTMENT_LEADER,
        scopes=None,
    )
    auth = {"HTTP_AUTHORIZATION": f"Bearer {justice}"}
    api = "/api/v1/reports/service-index"
    with time_machine.travel(JUDGED, tick=False):
        response = client.get(api, {"period": APRIL, "unit": unit(JUSTICE).code}, **auth)
        refused = client.get(api, {"period": APRIL, "unit": unit(CENTRE).code}, **auth)
    assert response.status_code == 200, response.content
    got = {i["code"]: i for i in response.json()["indicators"]}
    on_time = got["PETITION_PROCESSING_ON_TIME"]
    assert (on_time["numerator"], on_time["denominator"], on_time["points"]) == (2, 3, 4.0)
    assert (on_time["numerator_measure"], on_time["denominator_measure"]) == (
        "feedback_on_time",
        "feedback_received",
    )
    assert (on_time["counted"], got["ON_TIME"]["counted"]) == ("feedback", "dossiers")
    assert got["PUBLISH_ON_TIME"]["counted"] is None
    # Sở Tư pháp's leader does not reach the centre.
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "unit_forbidden")
