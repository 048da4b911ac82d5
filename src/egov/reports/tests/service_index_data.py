"""The small data set of the service-index tests (QĐ 766/QĐ-TTg): six dossiers received at the
provincial service centre in March 2026 (no demo dossier is received there then)."""

import datetime as dt
import io

import time_machine

from egov.accounts.models import CitizenProfile, User
from egov.catalog.models import ProcedureVersion
from egov.catalog.selectors import version_by_code
from egov.contrib.vneid.identity import IDENTITY_SOURCE
from egov.core.uploads import store_private
from egov.dossiers.digitisation_flags import refresh_digitisation_flags
from egov.dossiers.models import Dossier, DossierFile
from egov.dossiers.services.reception import dossier_receive
from egov.dossiers.services.transitions import dossier_transition
from egov.dossiers.tests.helpers import PROVINCIAL, reception, user
from egov.national.models import NationalSync
from egov.org.models import Unit
from egov.payments.models import OnlinePayment
from egov.ratings.models import Rating
from egov.workdays.engine import VIETNAM_TZ

HKD = "1.001612"  # 3 working days


def at(*args):
    return dt.datetime(*args, tzinfo=VIETNAM_TZ)


def centre():
    return Unit.objects.get(key="qn.ttpvhcc")


def receive(moment, code=HKD):
    with time_machine.travel(moment, tick=False):
        return dossier_receive(actor=user("tinh.tiepnhan"), reception=reception(code))


def act(moment, username, dossier, action, reason="", **data):
    with time_machine.travel(moment, tick=False):
        return dossier_transition(
            actor=user(username), dossier=dossier, action=action, reason=reason, data=data
        )


def withdraw(moment, dossier):
    return act(moment, "tinh.tiepnhan", dossier, "withdraw", "Người nộp xin rút hồ sơ")


def approve(received, approved):
    dossier = receive(received, PROVINCIAL)
    dossier = act(received, "tinh.tiepnhan", dossier, "hand_off")
    dossier = act(received, "tinh.lanhdaophong", dossier, "assign", assignee="tinh.chuyenvien")
    dossier = act(received, "tinh.chuyenvien", dossier, "submit_for_approval")
    return act(approved, "tinh.lanhdaophong", dossier, "approve")


def result_file(dossier, verdict):
    stored = store_private(io.BytesIO(b"%PDF-1.4 ket qua"), original_name="kq.pdf", prefix="t")
    return DossierFile.objects.create(
        dossier=dossier,
        source="result",
        code=f"{dossier.code}-KQ1",
        file=stored,
        added_at=dossier.completed_at,
        signature_verdict=verdict,
    )


def by_code(index):
    return {r.code: r for r in index.indicators}


def numbers(result):
    return (result.numerator, result.denominator, result.ratio, result.points, result.status)


def march_dossiers(settings):
    """Six dossiers received in March 2026, each chosen for what it counts in:

    - a: withdrawn early; online, fee paid online, synced, reuses a result, VNeID account;
    - b: withdrawn after its appointment (late); an obligation not paid online;
    - c: received 30/03, still open on 31/03 and not yet due (due 02/04): within time;
    - d: received 25/03, due 30/03 17:00, still open at the month's end: late;
    - e: approved early with a validly signed e-result, synced;
    - f: approved early, its e-result unsigned, rated "Không hài lòng".
    """
    settings.EGOV_NATIONAL_SYNC_ENABLED = True  # every event writes its outbox row
    ProcedureVersion.objects.filter(pk=version_by_code(HKD, dt.date(2026, 3, 2)).pk).update(
        online_service="toan_trinh"
    )
    a = withdraw(at(2026, 3, 4, 10, 0), receive(at(2026, 3, 2, 9, 0)))
    b = withdraw(at(2026, 3, 6, 9, 0), receive(at(2026, 3, 2, 9, 0)))
    c = receive(at(2026, 3, 30, 9, 0))
    d = receive(at(2026, 3, 25, 9, 0))
    e = approve(at(2026, 3, 2, 9, 0), at(2026, 3, 5, 10, 30))
    f = approve(at(2026, 3, 2, 9, 0), at(2026, 3, 6, 10, 0))
    assert (a.outcome, b.outcome, e.outcome, f.outcome) == ("early", "late", "early", "early")
    assert (c.due_at, d.due_at) == (at(2026, 4, 2, 17, 0), at(2026, 3, 30, 17, 0))
    # The facts of the other measures, as the services would have left them.
    citizen = User.objects.create_user(username="an.vneid", password="x")
    CitizenProfile.objects.create(user=citizen, identity_source=IDENTITY_SOURCE)
    Dossier.objects.filter(pk__in=[a.pk, b.pk, c.pk, d.pk, e.pk, f.pk]).update(
        fee_quoted=None, obligation_amount=None
    )
    Dossier.objects.filter(pk=a.pk).update(channel="online", owner=citizen, fee_quoted=50_000)
    Dossier.objects.filter(pk=b.pk).update(obligation_amount=100_000)
    for dossier, status in ((a, "paid"), (b, "pending")):
        OnlinePayment.objects.create(
            txn_ref=f"T{dossier.pk}",
            dossier=dossier,
            amount=50_000,
            description="Phí",
            status=status,
            created_at=at(2026, 3, 2, 9, 30),
            expires_at=at(2026, 3, 2, 9, 45),
        )
    assert NationalSync.objects.filter(dossier=c).exists()
    NationalSync.objects.filter(dossier__in=[a, e]).update(status="sent")
    result_file(e, "valid")
    result_file(f, "")
    reused = DossierFile.objects.get(pk=result_file(e, "valid").pk)
    DossierFile.objects.filter(pk=reused.pk).update(dossier=a, source="reused")
    Rating.objects.create(
        dossier=f,
        unit=centre(),
        criteria_version="tt01-2018",
        answers={},
        overall=1,
        created_at=at(2026, 3, 7, 9, 0),
    )
    # Written directly above, so the digitisation flags are computed as the events would.
    for dossier in (a, b, c, d, e, f):
        dossier.refresh_from_db()
        refresh_digitisation_flags(dossier)
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f}
