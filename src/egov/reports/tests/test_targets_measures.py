"""Every computed measure of the plan's targets against counts made by hand on a small world
(``targets_world``): Q3 2026 in calendar quarters."""

from decimal import Decimal

import pytest

from egov.reports.periods import Convention, PeriodKind, period_of
from egov.reports.targets_measures import (
    Ratio,
    documents_electronic,
    documents_signed,
    procedures_at_centres,
    procedures_information,
    procedures_online_submission,
    staff_active,
    units_active,
)
from egov.reports.tests.targets_world import build_world

KINDS = {"kinds": ["ubnd", "so", "ttpvhcc", "ttpvhcc_xa", "mot_cua", "van_phong"]}


@pytest.fixture
def world(empty_database):
    return build_world()


def q(year, number):
    return period_of(PeriodKind.QUARTER, year, number, convention=Convention.CALENDAR)


def test_procedures_with_complete_information(world):
    assert procedures_information(q(2026, 3), {}) == Ratio(3, 5)
    assert procedures_information(q(2026, 3), {}).percent == Decimal("60.00")
    # Q2: only P6 was in force, and it has no way to submit.
    assert procedures_information(q(2026, 2), {}) == Ratio(0, 1)


def test_procedures_with_online_submission(world):
    assert procedures_online_submission(q(2026, 3), {}) == Ratio(3, 5)
    assert procedures_online_submission(q(2026, 3), {"level": "xa"}) == Ratio(1, 2)
    assert procedures_online_submission(q(2026, 3), {"level": "huyen"}) == Ratio(0, 0)
    assert procedures_online_submission(q(2026, 3), {"level": "huyen"}).percent is None
    assert procedures_online_submission(q(2026, 2), {}) == Ratio(1, 1)


def test_procedures_handled_at_centres(world):
    assert procedures_at_centres(q(2026, 3), {"level": "tinh"}) == Ratio(1, 3)
    assert procedures_at_centres(q(2026, 3), {"level": "tinh"}).percent == Decimal("33.33")
    assert procedures_at_centres(q(2026, 3), {"level": "xa"}) == Ratio(1, 2)


def test_documents_exchanged_electronically_and_signed(world):
    assert documents_electronic(q(2026, 3), {}) == Ratio(2, 4)
    assert documents_signed(q(2026, 3), {}) == Ratio(1, 2)
    # Q2: D6 alone, delivered inside egov, not signed.
    assert documents_electronic(q(2026, 2), {}) == Ratio(1, 1)
    assert documents_signed(q(2026, 2), {}) == Ratio(0, 1)


def test_units_and_staff_active(world):
    assert units_active(q(2026, 3), KINDS) == Ratio(2, 5)
    assert units_active(q(2026, 3), KINDS).percent == Decimal("40.00")
    assert staff_active(q(2026, 3), {}) == Ratio(1, 3)
    # Q2: only u3 acted (commune centre); the four people's roles were all in force on 30/06.
    assert units_active(q(2026, 2), KINDS) == Ratio(1, 5)
    assert staff_active(q(2026, 2), {}) == Ratio(1, 4)
