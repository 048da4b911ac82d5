"""A small hand-built province for the dashboard and public statistics tests.

"Now" is Thursday 31/12/2026 10:00 (Việt Nam): 1/1/2027 is a holiday, then the weekend, so the
next two working days are Monday 4/1 and Tuesday 5/1 and "due soon" runs to Wednesday 6/1 00:00.

Dossiers are received through the real reception service, then put in the state each case
needs (status, units, dates, outcome), as if they had lived through it.

Units: T = Sở Tư pháp, C = Công an tỉnh, centre = Trung tâm PVHCC tỉnh, H = UBND phường Hồng
Gai (received at its own centre).

| name | holds | status                | due              | counts as                        |
|------|-------|-----------------------|------------------|----------------------------------|
| d1   | T     | processing            | 30/12 17:00      | overdue                          |
| d2   | T     | processing (online)   | 4/1/2027 17:00   | due soon (over holiday, weekend) |
| d3   | T     | processing            | 6/1/2027 10:00   | in time                          |
| d4   | T     | supplement_requested  | 29/12 17:00      | neither: clock stopped           |
| d5   | C     | received              | 31/12 09:00      | overdue                          |
| d6   | centre (not handed off) | received | 5/1/2027 16:00 | due soon                       |
| d7   | T     | result_ready          | 1/12 17:00       | neither: result approved         |
| h1   | H     | processing (online)   | 30/12 17:00      | overdue                          |
| r1   | T     | returned, Nov, early, fee paid online (counter) |  |                          |
| r2   | T     | returned, Nov, late, fee not paid (online)      |  |                          |
| r3   | C     | returned, Dec, on time (online)                 |  |                          |
| r4   | T     | withdrawn before reception, Dec (no outcome)    |  |                          |
"""

import datetime as dt

import time_machine

from egov.dossiers.models import Dossier
from egov.dossiers.services.reception import dossier_receive
from egov.dossiers.tests.helpers import reception, user
from egov.org.models import Unit
from egov.payments.models import OnlinePayment
from egov.workdays.engine import VIETNAM_TZ

NOW = dt.datetime(2026, 12, 31, 10, 0, tzinfo=VIETNAM_TZ)
DECEMBER_10 = dt.datetime(2026, 12, 10, 9, 0, tzinfo=VIETNAM_TZ)
T, C, CENTRE = "qn.so-tu-phap", "qn.cong-an-tinh", "qn.ttpvhcc"
H, H_CENTRE = "qn.x.hong-gai.ubnd", "qn.x.hong-gai.ttpvhcc"


def at(*args):
    return dt.datetime(*args, tzinfo=VIETNAM_TZ)


def unit(key):
    return Unit.objects.get(key=key)


def _dossier(
    *,
    holds,
    status,
    receiving=CENTRE,
    received=DECEMBER_10,
    due=None,
    completed=None,
    outcome="",
    channel="counter",
    fee=None,
):
    with time_machine.travel(at(2026, 12, 1, 9), tick=False):
        dossier = dossier_receive(actor=user("tinh.tiepnhan"), reception=reception())
    Dossier.objects.filter(pk=dossier.pk).update(
        receiving_unit=unit(receiving),
        handling_unit=unit(holds) if holds != receiving else None,
        status=status,
        received_at=received,
        due_at=due,
        completed_at=completed,
        outcome=outcome,
        channel=channel,
        fee_quoted=fee,
        obligation_amount=None,
    )
    return Dossier.objects.get(pk=dossier.pk)


def build_province():
    """The dossiers of the table above, by name."""
    d = {
        "d1": _dossier(holds=T, status="processing", due=at(2026, 12, 30, 17)),
        "d2": _dossier(holds=T, status="processing", due=at(2027, 1, 4, 17), channel="online"),
        "d3": _dossier(holds=T, status="processing", due=at(2027, 1, 6, 10)),
        "d4": _dossier(holds=T, status="supplement_requested", due=at(2026, 12, 29, 17)),
        "d5": _dossier(holds=C, status="received", due=at(2026, 12, 31, 9)),
        "d6": _dossier(holds=CENTRE, status="received", due=at(2027, 1, 5, 16)),
        "d7": _dossier(holds=T, status="result_ready", due=at(2026, 12, 1, 17)),
        "h1": _dossier(
            holds=H,
            receiving=H_CENTRE,
            status="processing",
            due=at(2026, 12, 30, 17),
            received=at(2026, 12, 11, 9),
            channel="online",
        ),
        "r1": _dossier(
            holds=T,
            status="returned",
            received=at(2026, 11, 3, 9),
            due=at(2026, 11, 17, 17),
            completed=at(2026, 11, 10, 9),
            outcome="early",
            fee=50_000,
        ),
        "r2": _dossier(
            holds=T,
            status="returned",
            received=at(2026, 11, 4, 9),
            due=at(2026, 11, 18, 17),
            completed=at(2026, 11, 20, 9),
            outcome="late",
            fee=50_000,
            channel="online",
        ),
        "r3": _dossier(
            holds=C,
            status="returned",
            received=at(2026, 12, 1, 9),
            due=at(2026, 12, 2, 17),
            completed=at(2026, 12, 2, 15),
            outcome="on_time",
            channel="online",
        ),
        "r4": _dossier(
            holds=T,
            status="withdrawn",
            received=None,
            completed=at(2026, 12, 3, 9),
            channel="online",
        ),
    }
    paid = at(2026, 11, 3, 9, 30)
    OnlinePayment.objects.create(
        txn_ref="DASH-R1",
        dossier=d["r1"],
        purpose="fee",
        amount=50_000,
        description="Phí",
        status="paid",
        created_at=paid,
        expires_at=paid + dt.timedelta(minutes=15),
        paid_at=paid,
    )
    # A failed attempt for r2 does not make it paid online.
    OnlinePayment.objects.create(
        txn_ref="DASH-R2",
        dossier=d["r2"],
        purpose="fee",
        amount=50_000,
        description="Phí",
        status="failed",
        created_at=paid,
        expires_at=paid + dt.timedelta(minutes=15),
    )
    return d
