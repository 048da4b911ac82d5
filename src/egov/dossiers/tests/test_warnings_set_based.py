"""The due-warnings job writes only the warnings not yet recorded, in one statement."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from egov.dossiers.models import DossierWarning
from egov.dossiers.services.reception import dossier_receive
from egov.dossiers.services.transitions import dossier_transition
from egov.dossiers.services.warnings import raise_due_warnings
from egov.dossiers.tests.helpers import reception, user
from egov.workdays.engine import VIETNAM_TZ

pytestmark = pytest.mark.django_db


def at(*args):
    return dt.datetime(*args, tzinfo=VIETNAM_TZ)


def statements(captured):
    """The statements of a run, without the savepoint of its atomic block."""
    return [
        q["sql"].split()[0]
        for q in captured.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    ]


def test_each_run_inserts_only_new_warnings_in_one_statement(quang_ninh):
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        late = dossier_receive(actor=user("tinh.tiepnhan"), reception=reception("2.000884"))
        soon = dossier_receive(actor=user("tinh.tiepnhan"), reception=reception("1.001612"))
        far = dossier_receive(
            actor=user("tinh.tiepnhan"), reception=reception("qn-cap-phieu-ly-lich-tu-phap")
        )
        withdrawn = dossier_receive(actor=user("tinh.tiepnhan"), reception=reception("2.000884"))
        dossier_transition(
            actor=user("tinh.tiepnhan"), dossier=withdrawn, action="withdraw", reason="Xin rút"
        )
    assert (late.due_at, soon.due_at, far.due_at) == (
        at(2026, 3, 2, 17, 0),
        at(2026, 3, 5, 17, 0),  # 3 working days, the day of receipt not counted
        at(2026, 3, 12, 17, 0),
    )

    def warnings():
        return sorted(DossierWarning.objects.values_list("dossier_id", "kind", "due_at"))

    with CaptureQueriesContext(connection) as captured:
        first = raise_due_warnings(now=at(2026, 3, 4, 18, 0))
    assert statements(captured) == ["INSERT"]
    assert (first.due_soon, first.overdue) == (1, 1)
    assert warnings() == sorted(
        [(late.pk, "overdue", late.due_at), (soon.pk, "due_soon", soon.due_at)]
    )
    assert set(DossierWarning.objects.values_list("raised_at", flat=True)) == {
        at(2026, 3, 4, 18, 0)
    }

    with CaptureQueriesContext(connection) as captured:
        second = raise_due_warnings(now=at(2026, 3, 4, 18, 15))
    assert statements(captured) == ["INSERT"]
    assert (second.due_soon, second.overdue) == (0, 0)
    assert DossierWarning.objects.count() == 2

    # The due-soon dossier passes its moment: one overdue warning more, nothing repeated.
    third = raise_due_warnings(now=at(2026, 3, 5, 17, 1))
    assert (third.due_soon, third.overdue) == (0, 1)
    assert warnings() == sorted(
        [
            (late.pk, "overdue", late.due_at),
            (soon.pk, "due_soon", soon.due_at),
            (soon.pk, "overdue", soon.due_at),
        ]
    )
    assert (
        raise_due_warnings(now=at(2026, 3, 5, 17, 1)).overdue,
        DossierWarning.objects.count(),
    ) == (
        0,
        3,
    )
