"""Reminders before an incoming document's deadline: one due-soon reminder, one overdue
notice, never twice; nothing for finished work; the horizon on the working-day calendar."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

import time_machine

from egov.documents.models import Assignment, IncomingDocument
from egov.documents.reminders import send_document_reminders
from egov.documents.services.incoming import (
    AssigneeInput,
    assignment_complete,
    incoming_distribute,
    incoming_receive,
    incoming_register,
)
from egov.documents.tasks import send_document_reminders_task
from egov.documents.tests.conftest import Province
from egov.documents.tests.helpers import received
from egov.notifications.models import Message

VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY = dt.datetime(2026, 12, 7, 9, 0, tzinfo=VN)


def _distributed(province: Province, subject: str = "Về việc báo cáo") -> IncomingDocument:
    document = received(province, subject=subject, distribute=False)
    incoming_distribute(
        actor=province.leader,
        document=document,
        lead=AssigneeInput(person=province.specialist, working_days=2),
        cooperating=[AssigneeInput(unit=province.vx, working_days=2)],
    )
    return document


def _at(moment: dt.datetime) -> time_machine.travel:
    return time_machine.travel(moment, tick=False)


def test_one_reminder_then_one_overdue_notice(province: Province) -> None:
    with _at(MONDAY):
        document = _distributed(province)
    lead = document.assignments.get(role="lead")
    assert lead.due_at is not None
    with _at(MONDAY + dt.timedelta(hours=1)):
        # Two working days ahead: beyond the 8 working hours of the reminder.
        run = send_document_reminders()
        assert (run.due_soon, run.overdue) == (0, 0)
        assert not Message.objects.filter(event="document_due_soon").exists()
    with _at(lead.due_at - dt.timedelta(hours=1)):
        run = send_document_reminders()
        assert (run.due_soon, run.overdue) == (2, 0)
        again = send_document_reminders()
        assert (again.due_soon, again.overdue) == (0, 0)
    soon = Message.objects.filter(event="document_due_soon").order_by("recipient")
    # The lead person, and the leader of the co-operating unit.
    assert [m.recipient for m in soon] == ["t.chi@example.gov.vn", "t.lan@example.gov.vn"]
    assert soon[0].subject == "[Sắp đến hạn] Văn bản đến 12/BNV-VP"
    assert "Ngô Minh Chi (Chủ trì)" in soon[0].body and "Về việc báo cáo" in soon[0].body
    assert f"/staff/van-ban-den/{document.pk}/" in soon[0].body
    with _at(lead.due_at + dt.timedelta(hours=1)):
        assignment_complete(
            actor=province.vx_leader,
            assignment=document.assignments.get(role="cooperate"),
            note="Đã góp ý",
        )
        run = send_document_reminders()
        assert (run.due_soon, run.overdue) == (0, 1)
        assert send_document_reminders_task.call() == {"due_soon": 0, "overdue": 0}
    [late] = Message.objects.filter(event="document_overdue")
    assert late.recipient == "t.chi@example.gov.vn"
    assert late.subject == "[Quá hạn] Văn bản đến 12/BNV-VP"


def test_the_horizon_is_configurable(province: Province, settings: Any) -> None:
    with _at(MONDAY):
        document = _distributed(province)
    settings.EGOV_DOCUMENT_REMINDER_WORKING_HOURS = 24
    with _at(MONDAY + dt.timedelta(hours=1)):
        assert send_document_reminders().due_soon == 2
    assert Assignment.objects.filter(document=document).count() == 2


def test_secret_subject_never_in_a_reminder(province: Province) -> None:
    with _at(MONDAY):
        document = incoming_receive(
            actor=province.clerk,
            agency=province.agency,
            source="paper",
            organ_name="Bộ Công an",
            subject="Nội dung mật",
            confidentiality="secret",
        )
        incoming_register(actor=province.clerk, document=document)
        incoming_distribute(
            actor=province.leader,
            document=document,
            lead=AssigneeInput(person=province.vx_leader, working_days=0),
        )
    with _at(MONDAY + dt.timedelta(days=3)):
        assert send_document_reminders().overdue == 1
    [message] = Message.objects.filter(event="document_overdue")
    assert "Nội dung mật" not in message.body and "(văn bản mật)" in message.body
