"""Data migration 0008: dossiers written before the completion and money columns get them, with
the values the transitions write today."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from egov.dossiers.models import Dossier
from egov.dossiers.services.reception import dossier_receive
from egov.dossiers.services.transitions import dossier_transition
from egov.dossiers.tests.helpers import reception, user
from egov.workdays.engine import VIETNAM_TZ

BEFORE = ("dossiers", "0007_dossier_completion_money_unit_received_index")
AFTER = ("dossiers", "0008_backfill_completion_and_obligations")
COLUMNS = ("code", "completed_at", "outcome", "working_days", "obligation_amount")


def at(*args):
    return dt.datetime(*args, tzinfo=VIETNAM_TZ)


def act(username, dossier, action, reason="", **data):
    return dossier_transition(
        actor=user(username), dossier=dossier, action=action, reason=reason, data=data
    )


@pytest.mark.django_db(transaction=True)
def test_completion_and_obligations_are_backfilled(quang_ninh):
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        approved = dossier_receive(
            actor=user("tinh.tiepnhan"), reception=reception("qn-cap-phieu-ly-lich-tu-phap")
        )
        approved = act("tinh.tiepnhan", approved, "hand_off")
        approved = act("tinh.lanhdaophong", approved, "assign", assignee="tinh.chuyenvien")
        paying = dossier_receive(
            actor=user("tinh.tiepnhan"), reception=reception("qn-cap-phieu-ly-lich-tu-phap")
        )
        paying = act("tinh.tiepnhan", paying, "hand_off")
        paying = act("tinh.lanhdaophong", paying, "assign", assignee="tinh.chuyenvien")
        open_one = dossier_receive(actor=user("tinh.tiepnhan"), reception=reception("2.000884"))
    with time_machine.travel(at(2026, 3, 3, 10, 0), tick=False):
        paying = act("tinh.chuyenvien", paying, "request_payment", amount=150000)
        paying = act("tinh.tiepnhan", paying, "paid", amount=150000, method="cash")
        paying = act("tinh.chuyenvien", paying, "request_payment", amount="1.250.000")
        approved = act("tinh.chuyenvien", approved, "submit_for_approval")
    with time_machine.travel(at(2026, 3, 13, 9, 0), tick=False):
        approved = act("tinh.lanhdaophong", approved, "approve")
    # Monday 09:00 → Friday of the next week 09:00: 0.8 + 8 working days + 0.2.
    written = {row[0]: row[1:] for row in Dossier.objects.values_list(*COLUMNS)}
    assert written == {
        approved.code: (at(2026, 3, 13, 9, 0), "late", Decimal("9.00"), None),
        paying.code: (None, "", None, 1250000),
        open_one.code: (None, "", None, None),
    }
    # As before the columns existed.
    Dossier.objects.update(completed_at=None, outcome="", working_days=None, obligation_amount=None)

    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    new = executor.loader.project_state([AFTER]).apps.get_model("dossiers", "Dossier")
    assert {row[0]: row[1:] for row in new.objects.values_list(*COLUMNS)} == written


@pytest.mark.django_db(transaction=True)
def test_folded_applicant_names_are_backfilled(quang_ninh):
    """Migration 0016: dossiers written before the column get their folded name."""
    from egov.dossiers.services.reception import Applicant

    binh = Applicant(kind="citizen", name="Đặng Thị Bình", personal_id="022084000456")
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        first = dossier_receive(actor=user("tinh.tiepnhan"), reception=reception("2.000884"))
        second = dossier_receive(
            actor=user("tinh.tiepnhan"), reception=reception("2.000884", applicant=binh)
        )
    written = dict(Dossier.objects.values_list("code", "applicant_search"))
    assert written == {first.code: "nguyen van an", second.code: "dang thi binh"}
    executor = MigrationExecutor(connection)
    executor.migrate([("dossiers", "0015_late_act_warnings")])
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert dict(Dossier.objects.values_list("code", "applicant_search")) == written
