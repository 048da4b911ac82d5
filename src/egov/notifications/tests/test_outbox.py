"""The outbox: messages written with the change they report, delivered with retries, never
lost during a provider outage and delivered once."""

import datetime as dt

import pytest
from django.core import mail
from django.db import transaction

from egov.contrib.sms.simulator import SmsSimulator
from egov.contrib.zalo.simulator import ZnsSimulator
from egov.dossiers.services.reception import Applicant, dossier_receive
from egov.dossiers.services.transitions import dossier_transition
from egov.dossiers.tests.helpers import reception, user
from egov.notifications.delivery import deliver_due
from egov.notifications.models import Channel, Message, MessageStatus
from egov.notifications.selectors import mask_recipient

pytestmark = pytest.mark.django_db

CHI = Applicant(
    kind="citizen",
    name="Lê Thị Chi",
    personal_id="022185004512",
    phone="0912 345 678",
    email="chi@example.vn",
    address="Tổ 2, phường Hồng Gai",
)


def receive(applicant=CHI, code="qn-cap-phieu-ly-lich-tu-phap"):
    request = reception(code)
    request.applicant = applicant
    return dossier_receive(actor=user("tinh.tiepnhan"), reception=request)


def test_messages_are_written_with_the_change_and_rendered_in_vietnamese(quang_ninh):
    dossier = receive()
    email, sms = Message.objects.order_by("channel")
    assert (email.channel, email.recipient, email.event) == ("email", "chi@example.vn", "received")
    assert email.subject == f"Hồ sơ {dossier.code} đã được tiếp nhận"
    assert "Kính gửi Lê Thị Chi" in email.body and "Hẹn trả kết quả:" in email.body
    assert "&amp;" not in email.body and f"?ma={dossier.code}" in email.body
    assert (sms.channel, sms.recipient) == ("sms", "+84912345678")
    assert sms.body.isascii() and "da tiep nhan ho so" in sms.body and dossier.code in sms.body
    assert {m.status for m in (email, sms)} == {MessageStatus.PENDING}
    # No message when the change does not happen.
    before = Message.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        receive()
        raise RuntimeError("the reception is rolled back")
    assert Message.objects.count() == before
    # No contact details, no message.
    receive(applicant=Applicant(kind="citizen", name="An", personal_id="022084000123"))
    assert Message.objects.count() == before


def test_lifecycle_events_notify_with_their_details(quang_ninh):
    dossier = receive()
    dossier = dossier_transition(actor=user("tinh.tiepnhan"), dossier=dossier, action="hand_off")
    dossier = dossier_transition(
        actor=user("tinh.chuyenvien"),
        dossier=dossier,
        action="request_supplement",
        data={"items": ["Bản sao CCCD", "Tờ khai có chữ ký"]},
    )
    email = Message.objects.get(event="supplement_requested", channel="email")
    assert "1. Bản sao CCCD\n2. Tờ khai có chữ ký" in email.body
    dossier = dossier_transition(
        actor=user("tinh.tiepnhan"), dossier=dossier, action="supplemented"
    )
    dossier = dossier_transition(actor=user("tinh.lanhdaophong"), dossier=dossier, action="approve")
    ready = Message.objects.get(event="result_ready", channel="sms")
    assert f"{dossier.code}-KQ1" in ready.body
    assert not Message.objects.filter(event="processing").exists()
    assert set(Message.objects.values_list("event", flat=True)) == {
        "received",
        "supplement_requested",
        "result_ready",
    }


def test_default_backends_deliver_email_and_keep_sms_in_the_outbox(quang_ninh):
    receive()
    run = deliver_due()
    assert (run.sent, run.retried, run.failed) == (2, 0, 0)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["chi@example.vn"]
    assert mail.outbox[0].subject.startswith("Hồ sơ ")
    assert set(Message.objects.values_list("status", flat=True)) == {MessageStatus.SENT}
    assert deliver_due().sent == 0  # nothing sent twice


@pytest.fixture
def sms_gateway(settings):
    simulator = SmsSimulator(api_key="khoa", secret_key="bi-mat").start()
    settings.EGOV_SMS_BACKEND = "esms"
    settings.EGOV_SMS_API_URL = simulator.url
    settings.EGOV_SMS_API_KEY = "khoa"
    settings.EGOV_SMS_SECRET_KEY = "bi-mat"
    settings.EGOV_SMS_BRANDNAME = "QUANGNINH"
    yield simulator
    simulator.stop()


def test_a_ten_minute_outage_delays_but_loses_nothing_and_sends_once(quang_ninh, sms_gateway):
    codes = [receive().code for _ in range(5)]
    sms_gateway.down = True
    start = Message.objects.order_by("created_at").first().created_at
    moment = start
    while moment < start + dt.timedelta(minutes=10):  # the worker keeps trying every 30 s
        deliver_due(now=moment)
        moment += dt.timedelta(seconds=30)
    sms = Message.objects.filter(channel=Channel.SMS)
    assert set(sms.values_list("status", flat=True)) == {MessageStatus.PENDING}
    assert all(m.attempts >= 4 and "unreachable" in m.last_error for m in sms)
    assert sms_gateway.delivered == {}
    sms_gateway.down = False
    # Retries are spaced out (at most 10 minutes apart): within 10 more minutes all are sent.
    while moment < start + dt.timedelta(minutes=21) and sms.exclude(status="sent").exists():
        deliver_due(now=moment)
        moment += dt.timedelta(seconds=30)
    assert set(sms.values_list("status", flat=True)) == {MessageStatus.SENT}
    assert set(sms_gateway.delivered) == {str(m.key) for m in sms}  # each exactly once
    texts = [m["Content"] for m in sms_gateway.delivered.values()]
    assert all(any(code in text for text in texts) for code in codes)
    delivered = next(iter(sms_gateway.delivered.values()))
    assert delivered["Phone"].startswith("09") and delivered["Brandname"] == "QUANGNINH"
    assert delivered["IsUnicode"] == "0"


def test_a_lost_answer_is_resent_with_the_same_request_id(quang_ninh, sms_gateway):
    receive()
    sms = Message.objects.get(channel=Channel.SMS)
    deliver_due()
    assert len(sms_gateway.delivered) == 1
    # The worker died after the gateway accepted it but before recording it.
    Message.objects.filter(pk=sms.pk).update(
        status=MessageStatus.SENDING, locked_until=dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    )
    calls = sms_gateway.calls
    deliver_due()
    assert sms_gateway.calls == calls + 1 and len(sms_gateway.delivered) == 1
    assert Message.objects.get(pk=sms.pk).status == MessageStatus.SENT


def test_zalo_first_and_sms_when_the_number_is_not_on_zalo(quang_ninh, settings, sms_gateway):
    zns = ZnsSimulator(
        token="oa-token", templates={"231001": {"ma_ho_so", "thu_tuc", "noi_dung", "ngay"}}
    ).start()
    try:
        settings.EGOV_ZALO_BACKEND = "zns"
        settings.EGOV_ZALO_API_URL = zns.url
        settings.EGOV_ZALO_ACCESS_TOKEN = "oa-token"
        settings.EGOV_ZALO_TEMPLATES = {"received": "231001"}
        first = receive()
        zalo = Message.objects.get(channel=Channel.ZALO)
        assert zalo.payload["template_data"]["ma_ho_so"] == first.code
        deliver_due()
        assert zns.sent[str(zalo.key)]["phone"] == "84912345678"
        assert not Message.objects.filter(channel=Channel.SMS).exists()
        zns.not_on_zalo.add("84987654321")
        receive(applicant=Applicant(**{**CHI.__dict__, "phone": "0987654321", "email": ""}))
        deliver_due()
        refused = Message.objects.filter(channel=Channel.ZALO).exclude(pk=zalo.pk).get()
        assert refused.status == MessageStatus.FAILED and "-118" in refused.last_error
        deliver_due()
        fallback = Message.objects.get(channel=Channel.SMS)
        assert fallback.status == MessageStatus.SENT and fallback.recipient == "+84987654321"
        assert sms_gateway.delivered[str(fallback.key)]["Phone"] == "0987654321"
    finally:
        zns.stop()


def test_per_recipient_hourly_limit_postpones_without_dropping(quang_ninh, settings):
    settings.EGOV_NOTIFY_MAX_PER_RECIPIENT_HOUR = 2
    for _ in range(3):
        receive(applicant=Applicant(**{**CHI.__dict__, "email": ""}))
    run = deliver_due()
    assert (run.sent, run.postponed) == (2, 1)
    waiting = Message.objects.get(status=MessageStatus.PENDING)
    first_sent = Message.objects.filter(status="sent").order_by("sent_at").first().sent_at
    assert waiting.next_attempt_at == first_sent + dt.timedelta(hours=1)
    assert deliver_due(now=waiting.next_attempt_at + dt.timedelta(seconds=1)).sent == 1


def test_staff_see_delivery_on_the_dossier_and_watchers_see_the_outbox(
    quang_ninh, client, settings, sms_gateway
):
    settings.EGOV_REQUIRE_STAFF_MFA = False
    dossier = receive()
    sms_gateway.down = True
    deliver_due()
    client.force_login(user("tinh.tiepnhan"))
    page = client.get(f"/staff/ho-so/{dossier.code}/").content.decode()
    assert "Thông báo đã gửi người nộp" in page and "1 lần thử" in page
    assert client.get("/staff/thong-bao/").status_code == 403
    client.force_login(user("tinh.giamsat"))
    outbox = client.get("/staff/thong-bao/").content.decode()
    assert dossier.code in outbox and "+84912***678" in outbox and "+84912345678" not in outbox
    assert mask_recipient("chi@example.vn") == "c***@example.vn"


def test_the_worker_task_schedules_its_next_run_for_the_earliest_retry(quang_ninh, sms_gateway):
    from django_tasks_db.models import DBTaskResult

    from egov.notifications.tasks import deliver_notifications_task

    receive()
    sms_gateway.down = True
    DBTaskResult.objects.all().delete()
    result = deliver_notifications_task.call()
    assert result["retried"] == 1
    scheduled = DBTaskResult.objects.get()
    retry = Message.objects.get(channel=Channel.SMS).next_attempt_at
    assert scheduled.run_after == retry


def test_a_batch_of_messages_wakes_the_worker_once(quang_ninh, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            receive()
    with django_capture_on_commit_callbacks(execute=True):
        receive()
    waiting = DBTaskResult.objects.filter(status="READY")
    assert waiting.count() == 1
    assert waiting.get().task_path == "egov.notifications.tasks.deliver_notifications_task"
