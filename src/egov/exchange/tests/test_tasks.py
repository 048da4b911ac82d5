"""The background work: the sending task after a commit, the self-scheduling poll task, and
the ``exchange_run`` command cron runs."""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_tasks_db.models import DBTaskResult

from egov.documents.tests.conftest import Province
from egov.exchange.models import SentPackage, SentState
from egov.exchange.tasks import poll_axis_task, send_exchange_task
from egov.exchange.tests.conftest import DEPARTMENT, MINISTRY, World
from egov.exchange.tests.flows import issue_to

Capture = Callable[..., Any]
pytestmark = pytest.mark.usefixtures("signing_settings")


def waiting(task: Any) -> list[Any]:
    return list(DBTaskResult.objects.filter(status="READY", task_path=task.module_path))


def test_issue_wakes_the_sender_once_after_the_commit(
    province: Province, world: World, django_capture_on_commit_callbacks: Capture
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        issue_to(province, {MINISTRY: "Văn phòng Chính phủ", DEPARTMENT: "Sở Nội vụ tỉnh Thử"})
    assert len(waiting(send_exchange_task)) == 1
    assert send_exchange_task.call() == {"sent": 2, "retried": 0, "failed": 0}
    assert {row.state for row in SentPackage.objects.all()} == {SentState.SENT}


def test_the_sender_schedules_itself_for_the_next_retry(province: Province, world: World) -> None:
    issue_to(province, {MINISTRY: "Văn phòng Chính phủ"})
    world.simulator.available = False
    assert send_exchange_task.call() == {"sent": 0, "retried": 1, "failed": 0}
    [later] = waiting(send_exchange_task)
    assert later.run_after == SentPackage.objects.get().next_attempt_at


def test_the_poll_task_schedules_the_next_poll(province: Province, world: World) -> None:
    assert poll_axis_task.call() == {"documents": 0, "statuses": 0, "duplicates": 0}
    [next_poll] = waiting(poll_axis_task)
    world.simulator.available = False
    DBTaskResult.objects.filter(pk=next_poll.pk).delete()
    assert poll_axis_task.call() == {"unavailable": 1}
    assert len(waiting(poll_axis_task)) == 1


def test_exchange_run_sends_and_polls(province: Province, world: World) -> None:
    issue_to(province, {DEPARTMENT: "Sở Nội vụ tỉnh Thử"})
    out = StringIO()
    call_command("exchange_run", stdout=out)
    assert out.getvalue().splitlines() == [
        "sent=1 retried=0 failed=0",
        "documents=1 statuses=0 duplicates=0 invalid=0",
        "sent=1",
    ]
    world.simulator.available = False
    with pytest.raises(CommandError, match="Trục không sẵn sàng"):
        call_command("exchange_run", stdout=StringIO())


def test_exchange_run_needs_the_axis_configured() -> None:
    with pytest.raises(CommandError, match="EGOV_AXIS_URL"):
        call_command("exchange_run", stdout=StringIO())


def test_exchange_directory_lists_the_axis_agencies(province: Province, world: World) -> None:
    out = StringIO()
    call_command("exchange_directory", stdout=out)
    assert out.getvalue().splitlines() == [
        "000.00.00.G22\tVăn phòng Chính phủ\tactive\t—\t—",
        "000.00.00.T01\tỦy ban nhân dân tỉnh Thử\tactive\t—\tỦy ban nhân dân tỉnh Thử",
        "000.00.00.T02\tSở Nội vụ tỉnh Thử\tactive\t000.00.00.T01\tSở Nội vụ tỉnh Thử",
    ]
