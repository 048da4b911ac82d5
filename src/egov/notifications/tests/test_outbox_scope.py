"""/staff/thong-bao/ shows each watcher the messages of its own units (issue 9, point 14)."""

import pytest

from egov.contrib.sms.simulator import SmsSimulator
from egov.dossiers.services.reception import Applicant, dossier_receive
from egov.dossiers.tests.helpers import reception, user
from egov.notifications.delivery import deliver_due
from egov.notifications.models import Message
from egov.notifications.services import Recipient, notification_enqueue
from egov.org.models import Unit

pytestmark = pytest.mark.django_db

LAN = Applicant(kind="citizen", name="Phạm Thị Lan", personal_id="022185004513", phone="0987654321")
HOA = Applicant(kind="citizen", name="Vũ Văn Hòa", personal_id="022185004514", phone="0977111222")


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


@pytest.fixture
def failed_messages(quang_ninh, settings, sms_gateway):
    settings.EGOV_REQUIRE_STAFF_MFA = False
    at_centre = reception("qn-cap-phieu-ly-lich-tu-phap", applicant=LAN)
    centre = dossier_receive(actor=user("tinh.tiepnhan"), reception=at_centre)
    at_ward = reception("qn-cap-phieu-ly-lich-tu-phap", applicant=HOA)
    at_ward.unit = Unit.objects.get(key="qn.x.hong-gai.ttpvhcc")
    ward = dossier_receive(actor=user("honggai.tiepnhan"), reception=at_ward)
    notification_enqueue(
        event="received",
        reference="tai-khoan",
        recipient=Recipient(phone="+84966000111"),
        context={"code": "X"},
    )
    sms_gateway.down = True
    deliver_due()
    return centre, ward


def test_messages_know_the_unit_that_sent_them(failed_messages):
    centre, ward = failed_messages
    assert {m.unit.key for m in Message.objects.filter(reference=centre.code)} == {"qn.ttpvhcc"}
    assert {m.unit.key for m in Message.objects.filter(reference=ward.code)} == {
        "qn.x.hong-gai.ttpvhcc"
    }


def _outbox(client, username):
    client.force_login(user(username))
    response = client.get("/staff/thong-bao/")
    assert response.status_code == 200
    return response.content.decode()


def test_ward_watchers_see_only_their_ward(failed_messages, client):
    centre, ward = failed_messages
    for username in ("honggai.giamsat", "honggai.lanhdaotrungtam"):
        page = _outbox(client, username)
        assert ward.code in page and centre.code not in page
        assert "+84966***111" not in page


def test_centre_watchers_see_the_centre_and_its_reception_points(failed_messages, client):
    centre, ward = failed_messages
    page = _outbox(client, "tinh.giamsat")
    assert ward.code in page and centre.code in page
    assert "+84966***111" not in page  # account messages: provincial administrators only


def test_provincial_administrator_sees_every_message_masked(failed_messages, client):
    centre, ward = failed_messages
    page = _outbox(client, "tinh.quantri")
    assert ward.code in page and centre.code in page and "+84966***111" in page
    assert "+84966000111" not in page
