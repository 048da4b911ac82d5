import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from egov.dossiers.models import DossierWarning
from egov.dossiers.services.apology import dossier_apologise
from egov.dossiers.services.reception import dossier_receive
from egov.dossiers.services.warnings import raise_due_warnings
from egov.dossiers.tasks import raise_due_warnings_task
from egov.dossiers.tests.helpers import reception, user
from egov.workdays.engine import VIETNAM_TZ

pytestmark = pytest.mark.django_db(transaction=True)


def at(*args):
    return dt.datetime(*args, tzinfo=VIETNAM_TZ)


def test_warnings_are_raised_once_per_due_moment(quang_ninh):
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        late = dossier_receive(actor=user("tinh.tiepnhan"), reception=reception("2.000884"))
        soon = dossier_receive(actor=user("tinh.tiepnhan"), reception=reception("1.001612"))
        far = dossier_receive(
            actor=user("tinh.tiepnhan"), reception=reception("qn-cap-phieu-ly-lich-tu-phap")
        )
    run = raise_due_warnings(now=at(2026, 3, 4, 18, 0))
    assert (run.due_soon, run.overdue) == (1, 1)
    assert set(DossierWarning.objects.values_list("dossier_id", "kind")) == {
        (late.pk, "overdue"),
        (soon.pk, "due_soon"),
    }
    again = raise_due_warnings(now=at(2026, 3, 4, 18, 15))
    assert (again.due_soon, again.overdue) == (0, 0)
    # A new date after an apology warns again when it comes near.
    with time_machine.travel(at(2026, 3, 11, 9, 0), tick=False):
        dossier_apologise(
            actor=user("tinh.lanhdaophong"),
            dossier=far,
            new_due=at(2026, 3, 20, 17, 0),
            reason="Chờ kết quả xác minh",
        )
    assert raise_due_warnings(now=at(2026, 3, 20, 9, 0)).due_soon == 1
    assert DossierWarning.objects.filter(dossier=far).count() == 1


def test_command_and_background_task(quang_ninh):
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        dossier_receive(actor=user("tinh.tiepnhan"), reception=reception("2.000884"))
    out = StringIO()
    call_command("dossier_warnings", stdout=out)
    assert "1 quá hạn" in out.getvalue()
    result = raise_due_warnings_task.enqueue()
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO(), stderr=StringIO())
    result.refresh()
    assert result.status == "SUCCESSFUL"
    assert result.return_value == {"due_soon": 0, "overdue": 0}
