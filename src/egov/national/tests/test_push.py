"""Dossier changes pushed to the national portal through the outbox: one row per event in the
event's transaction, delivered in order per dossier, through retries and an outage, once."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import transaction

from egov.accounts.actors import SYSTEM
from egov.contrib.dvcqg.simulator import StoredDossier
from egov.dossiers.actions import DossierAction
from egov.dossiers.events import SUBSCRIBERS, subscribers
from egov.dossiers.models import DossierFile
from egov.dossiers.services.reception import dossier_receive
from egov.dossiers.services.results import dossier_approve
from egov.dossiers.services.transitions import dossier_transition
from egov.dossiers.tests.helpers import reception, user
from egov.national.models import NationalSync, SyncStatus
from egov.national.services.push import deliver_due, national_sync_retry, sync_on_event
from egov.signing.tests.fixtures import make_pdf
from egov.workdays.engine import VIETNAM_TZ

pytestmark = pytest.mark.django_db


def at(*args):
    return dt.datetime(*args, tzinfo=VIETNAM_TZ)


def rows(dossier):
    return list(
        NationalSync.objects.filter(dossier=dossier)
        .order_by("id")
        .values_list("payload__ThuTuCapNhat", "payload__TrangThaiHoSo", "status")
    )


def received_and_paid():
    """A dossier with four events: received (2), handed off (4), payment asked (6), paid (4)."""
    desk, specialist = user("tinh.tiepnhan"), user("honggai.chuyenvien")
    dossier = dossier_receive(actor=desk, reception=reception())
    dossier = dossier_transition(
        actor=desk,
        dossier=dossier,
        action=DossierAction.HAND_OFF,
        data={"handling_unit": "qn.x.hong-gai.ubnd"},
    )
    dossier = dossier_transition(
        actor=specialist,
        dossier=dossier,
        action="request_payment",
        data={"amount": 100000, "description": "Lệ phí"},
    )
    return dossier_transition(
        actor=SYSTEM, dossier=dossier, action=DossierAction.PAID, data={"amount": 100000}
    )


def test_each_event_writes_one_row_in_its_transaction(quang_ninh, dvcqg):
    dossier = received_and_paid()
    assert rows(dossier) == [
        (1, 2, "pending"),
        (2, 4, "pending"),
        (3, 6, "pending"),
        (4, 4, "pending"),
    ]
    first = NationalSync.objects.filter(dossier=dossier).order_by("id").first()
    assert first is not None
    assert first.payload["MaHoSo"] == dossier.code
    assert first.payload["MaTTHC"] == "1.001612"
    assert first.payload["KenhThucHien"] == 1  # at the counter
    # Personal data is read when sending, not copied into the outbox.
    assert "ChuHoSo" not in first.payload and "SoDienThoai" not in first.payload

    with pytest.raises(RuntimeError), transaction.atomic():
        dossier_transition(actor=user("honggai.lanhdao"), dossier=dossier, action="approve")
        assert len(rows(dossier)) == 5
        raise RuntimeError
    assert len(rows(dossier)) == 4


def test_nothing_is_written_when_sync_is_off(quang_ninh, settings):
    settings.EGOV_NATIONAL_SYNC_ENABLED = False
    dossier = dossier_receive(actor=user("tinh.tiepnhan"), reception=reception())
    assert rows(dossier) == []


def test_delivery_sends_each_dossier_in_order_and_once(quang_ninh, dvcqg):
    first, second = received_and_paid(), received_and_paid()
    run = deliver_due()
    assert (run.sent, run.retried, run.failed) == (8, 0, 0)
    assert [h for h in dvcqg.store.history if h[0] == first.code] == [
        (first.code, 1, 2),
        (first.code, 2, 4),
        (first.code, 3, 6),
        (first.code, 4, 4),
    ]
    assert [h[1] for h in dvcqg.store.history if h[0] == second.code] == [1, 2, 3, 4]
    stored = dvcqg.store.dossiers[first.code].record
    assert stored["ChuHoSo"] == "Nguyễn Văn An" and stored["LoaiDoiTuong"] == 1
    assert stored["TrangThaiHoSo"] == 4
    assert deliver_due().sent == 0  # nothing twice
    assert len(dvcqg.store.history) == 8


def test_a_refused_record_holds_its_dossier_until_retried(quang_ninh, dvcqg):
    dossier = received_and_paid()
    # The portal holds this dossier already at a later update: the first record is refused.
    dvcqg.store.dossiers[dossier.code] = StoredDossier({}, 9, 4)
    run = deliver_due()
    assert (run.sent, run.failed) == (0, 1)
    assert rows(dossier) == [
        (1, 2, "failed"),
        (2, 4, "pending"),
        (3, 6, "pending"),
        (4, 4, "pending"),
    ]
    assert NationalSync.objects.get(dossier=dossier, event__sequence=1).last_error.startswith("04:")
    # Its later records are never sent before it, however often delivery runs.
    assert deliver_due().sent == 0
    assert dvcqg.store.history == []

    dvcqg.store.dossiers.clear()
    assert national_sync_retry(actor=user("tinh.quantri")) == 1
    assert deliver_due().sent == 4
    assert dvcqg.store.history == [
        (dossier.code, n, s) for n, s in [(1, 2), (2, 4), (3, 6), (4, 4)]
    ]


def test_an_outage_of_an_hour_loses_nothing_and_delivers_once_in_order(quang_ninh, dvcqg):
    start = at(2026, 12, 7, 9, 0)
    with time_machine.travel(start, tick=False) as clock:
        dvcqg.down = True
        first = received_and_paid()
        second = dossier_receive(actor=user("tinh.tiepnhan"), reception=reception())
        requests = []
        # A worker woken every minute for an hour: only the heads are tried, with backoff.
        for _minute in range(60):
            run = deliver_due()
            assert run.sent == 0 and run.failed == 0
            requests.append(run.retried)
            clock.shift(dt.timedelta(minutes=1))
        # Backoff 30 s, 1, 2, 4, 8, then 10 minutes: tried at minutes 0, 1, 2, 4, 8, 16, 26,
        # 36, 46 and 56 — each time one request for both heads.
        assert [minute for minute, n in enumerate(requests) if n] == [
            0,
            1,
            2,
            4,
            8,
            16,
            26,
            36,
            46,
            56,
        ]
        assert set(requests) == {0, 2}
        head = NationalSync.objects.get(dossier=first, event__sequence=1)
        assert head.status == SyncStatus.PENDING and head.attempts == 10
        assert head.last_error == "portal answered HTTP 503"
        assert NationalSync.objects.get(dossier=first, event__sequence=2).attempts == 0
        assert dvcqg.store.history == []

        dvcqg.down = False
        clock.shift(dt.timedelta(minutes=10))
        run = deliver_due()
    assert (run.sent, run.retried, run.failed) == (5, 0, 0)
    assert sorted(dvcqg.store.history) == sorted(
        [(first.code, n, s) for n, s in [(1, 2), (2, 4), (3, 6), (4, 4)]] + [(second.code, 1, 2)]
    )
    assert [h[1] for h in dvcqg.store.history if h[0] == first.code] == [1, 2, 3, 4]
    assert set(NationalSync.objects.values_list("status", flat=True)) == {"sent"}


def test_replay_command_resends_a_dossier_in_order(quang_ninh, dvcqg):
    dossier, other = received_and_paid(), received_and_paid()
    deliver_due()
    # The national portal lost its copy of one dossier.
    del dvcqg.store.dossiers[dossier.code]
    dvcqg.store.history.clear()
    call_command("national_replay", dossier=dossier.code, now=True)
    assert dvcqg.store.history == [
        (dossier.code, n, s) for n, s in [(1, 2), (2, 4), (3, 6), (4, 4)]
    ]
    assert set(NationalSync.objects.filter(dossier=dossier).values_list("replays", flat=True)) == {
        1
    }
    assert set(NationalSync.objects.filter(dossier=other).values_list("replays", flat=True)) == {0}


def test_replay_of_a_time_range_and_of_records_the_portal_still_has(quang_ninh, dvcqg):
    with time_machine.travel(at(2026, 12, 7, 9, 0), tick=False):
        early = dossier_receive(actor=user("tinh.tiepnhan"), reception=reception())
    with time_machine.travel(at(2026, 12, 8, 9, 0), tick=False):
        late = dossier_receive(actor=user("tinh.tiepnhan"), reception=reception())
        deliver_due()
    dvcqg.store.history.clear()
    call_command("national_replay", since="2026-12-08T00:00", until="2026-12-09T00:00", now=True)
    # The portal still holds it (a duplicate): acknowledged without a second change.
    assert dvcqg.store.history == []
    assert NationalSync.objects.get(dossier=late).replays == 1
    assert NationalSync.objects.get(dossier=late).status == SyncStatus.SENT
    assert NationalSync.objects.get(dossier=early).replays == 0


def test_replay_command_refuses_bad_input(quang_ninh, dvcqg):
    with pytest.raises(CommandError, match="Cần ít nhất một"):
        call_command("national_replay")
    with pytest.raises(CommandError, match="Thời điểm không hợp lệ"):
        call_command("national_replay", since="hôm qua")
    with pytest.raises(CommandError, match="--since phải trước --until"):
        call_command("national_replay", since="2026-12-09", until="2026-12-08")


def test_the_subscriber_is_installed_after_the_dossier_apps_own(quang_ninh):
    installed = subscribers()
    assert installed[: len(SUBSCRIBERS)] == SUBSCRIBERS and installed.count(sync_on_event) == 1


def test_the_approval_sends_the_signed_e_result_with_it(
    quang_ninh, dvcqg, signing_settings, settings
):
    desk = user("tinh.tiepnhan")
    dossier = dossier_receive(actor=desk, reception=reception("qn-cap-phieu-ly-lich-tu-phap"))
    dossier = dossier_transition(actor=desk, dossier=dossier, action="hand_off")
    dossier = dossier_approve(
        actor=user("tinh.lanhdaophong"),
        dossier=dossier,
        result=io.BytesIO(make_pdf()),
        result_name="ket-qua.pdf",
    )
    assert deliver_due().sent == 3
    record = dvcqg.store.dossiers[dossier.code].record
    result = DossierFile.objects.get(dossier=dossier, source="result")
    assert record["TrangThaiHoSo"] == 9  # Đã xử lý xong
    assert record["DanhSachGiayToKetQua"] == [
        {
            "TenGiayTo": "ket-qua.pdf",
            "GiayToId": dossier.result_code,
            "MaHash": result.file.sha256,
            "ChuKySo": "valid",
            "DuongDanTepTinKetQua": f"{settings.EGOV_PUBLIC_URL}/xac-thuc-van-ban/",
        }
    ]


def test_without_a_portal_url_the_changes_wait(quang_ninh, dvcqg, settings):
    dossier = dossier_receive(actor=user("tinh.tiepnhan"), reception=reception())
    settings.EGOV_NATIONAL_PORTAL_URL = ""
    run = deliver_due()
    assert (run.sent, run.retried, run.failed) == (0, 1, 0)
    row = NationalSync.objects.get(dossier=dossier)
    assert (row.status, row.attempts) == (SyncStatus.PENDING, 1)
    assert row.last_error == "EGOV_NATIONAL_PORTAL_URL is not set"
