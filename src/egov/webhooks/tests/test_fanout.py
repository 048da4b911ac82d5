"""Fan-out on both event paths: which domain events become which CloudEvents, for whom
(types, unit and procedure filters), in the same transaction, and what the payload carries
(codes and statuses — never the applicant's name or identity number)."""

from __future__ import annotations

import json
import uuid

import pytest
from django.db import transaction

from egov.accounts.actors import SYSTEM
from egov.documents.catalogue import Confidentiality
from egov.documents.tests.conftest import province  # noqa: F401 (fixture)
from egov.documents.tests.helpers import issued, received
from egov.dossiers.actions import DossierAction
from egov.dossiers.models import DossierStatus
from egov.dossiers.services.payments import dossier_record_fee
from egov.dossiers.services.transitions import dossier_transition
from egov.dossiers.tests.helpers import AN, user
from egov.org.models import Unit
from egov.webhooks.models import Delivery, WebhookEvent
from egov.webhooks.tests.helpers import receive_dossier, subscribe

pytestmark = pytest.mark.django_db
URL = "https://doitac.example.vn/hook"


def sent(subscription) -> list[tuple[str, str]]:
    return list(
        Delivery.objects.filter(subscription=subscription)
        .order_by("id")
        .values_list("event__type", "event__subject")
    )


def test_a_received_dossier_becomes_one_cloudevent_without_personal_data(
    partner, django_capture_on_commit_callbacks
):
    subscription = subscribe(partner, URL, "dossier.received").subscription
    dossier = receive_dossier(django_capture_on_commit_callbacks)
    event = WebhookEvent.objects.get()
    body = json.loads(event.body)
    assert body == {
        "specversion": "1.0",
        "id": str(event.id),
        "source": "urn:vn:gov:quangninh:egov/dossiers",
        "type": "vn.gov.quangninh.egov.dossier.received",
        "subject": dossier.code,
        "time": body["time"],
        "datacontenttype": "application/json",
        "data": {
            "dossier": dossier.code,
            "sequence": 1,
            "action": "receive",
            "from_status": None,
            "status": "received",
            "channel": "counter",
            "unit": Unit.objects.get(key="qn.ttpvhcc").code,
            "handling_unit": None,
            "procedure": "1.001612",
            "due_at": body["data"]["due_at"],
        },
    }
    assert body["time"].endswith("Z") and body["data"]["due_at"].endswith("Z")
    assert uuid.UUID(body["id"]).version == 5
    for personal in (AN.name, AN.personal_id, AN.phone):
        assert personal not in event.body
    assert sent(subscription) == [("dossier.received", dossier.code)]


def test_types_filters_and_several_events_from_one_step(
    partner, django_capture_on_commit_callbacks
):
    everything = subscribe(
        partner,
        URL,
        "dossier.received",
        "dossier.status_changed",
        "dossier.result_ready",
        "payment.recorded",
    ).subscription
    other_procedure = subscribe(
        partner, URL, "dossier.received", procedures=["1.001193"]
    ).subscription
    other_unit = subscribe(
        partner, URL, "dossier.received", units=["qn.x.hong-gai.ttpvhcc"]
    ).subscription
    this_unit = subscribe(
        partner, URL, "dossier.status_changed", units=["qn.ttpvhcc"], procedures=["1.001612"]
    ).subscription
    dossier = receive_dossier(django_capture_on_commit_callbacks)
    dossier = dossier_transition(
        actor=user("tinh.tiepnhan"),
        dossier=dossier,
        action=DossierAction.HAND_OFF,
        data={"handling_unit": "qn.x.hong-gai.ubnd"},
    )
    assert sent(everything) == [
        ("dossier.received", dossier.code),
        ("dossier.status_changed", dossier.code),
    ]
    assert sent(other_procedure) == []
    assert sent(other_unit) == []
    assert sent(this_unit) == [("dossier.status_changed", dossier.code)]


def test_a_paid_obligation_and_an_approval_send_their_own_types(
    partner, django_capture_on_commit_callbacks
):
    subscription = subscribe(partner, URL, "dossier.result_ready", "payment.recorded").subscription
    dossier = receive_dossier(django_capture_on_commit_callbacks)
    # The status the steps start from is set directly: the types depend only on the event.
    dossier.status = DossierStatus.AWAITING_PAYMENT
    dossier.obligation_amount = 50000
    dossier.save()
    dossier = dossier_transition(
        actor=SYSTEM,
        dossier=dossier,
        action=DossierAction.PAID,
        data={"amount": 50000, "method": "online", "reference": "VNPAY 1"},
    )
    payment = json.loads(WebhookEvent.objects.get(type="payment.recorded").body)["data"]
    assert (payment["amount"], payment["method"], payment["status"], payment["purpose"]) == (
        50000,
        "online",
        "processing",
        "obligation",
    )
    assert "reference" not in payment
    assert sent(subscription) == [("payment.recorded", dossier.code)]


def test_a_fee_recorded_at_the_desk_sends_payment_recorded_without_a_status_change(
    partner, django_capture_on_commit_callbacks
):
    subscription = subscribe(
        partner, URL, "payment.recorded", "dossier.status_changed"
    ).subscription
    dossier = receive_dossier(django_capture_on_commit_callbacks)
    dossier_record_fee(
        actor=user("tinh.tiepnhan"), dossier=dossier, amount=30000, method="cash", reference="BL 7"
    )
    data = json.loads(WebhookEvent.objects.get(type="payment.recorded").body)["data"]
    assert {k: data[k] for k in ("sequence", "action", "from_status", "status")} == {
        "sequence": 2,
        "action": "record_payment",
        "from_status": "received",
        "status": "received",
    }
    assert (data["amount"], data["method"], data["purpose"]) == (30000, "cash", "fee")
    assert "reference" not in data
    assert sent(subscription) == [("payment.recorded", dossier.code)]


def test_nothing_is_written_when_the_domain_event_rolls_back(
    partner, django_capture_on_commit_callbacks
):
    subscribe(partner, URL, "dossier.received")
    with pytest.raises(RuntimeError), transaction.atomic():
        receive_dossier(django_capture_on_commit_callbacks)
        assert WebhookEvent.objects.count() == 1
        raise RuntimeError
    assert not WebhookEvent.objects.exists()
    assert not Delivery.objects.exists()


def test_no_subscriber_no_event_row(partner, django_capture_on_commit_callbacks):
    subscribe(partner, URL, "payment.recorded")
    receive_dossier(django_capture_on_commit_callbacks)
    assert not WebhookEvent.objects.exists()


def test_incoming_documents_are_sent_except_secret_ones(
    partner,
    province,  # noqa: F811
):
    subscription = subscribe(partner, URL, "document.received", "document.registered").subscription
    document = received(province, subject="Về việc tổ chức hội nghị", distribute=False)
    received(
        province,
        subject="Mật",
        code_number="13",
        confidentiality=Confidentiality.SECRET,
        distribute=False,
    )
    subject = f"in-{document.pk}"
    assert sent(subscription) == [
        ("document.received", subject),
        ("document.registered", subject),
    ]
    data = json.loads(WebhookEvent.objects.get(type="document.received").body)["data"]
    assert data == {
        "document": document.pk,
        "direction": "incoming",
        "sequence": 1,
        "status": "received",
        "code": "12/BNV-VP",
        "document_type": None,
        "agency": "000.00.00.T01",
        "issued_date": None,
        "urgency": "normal",
        "due_date": None,
        "organ_id": None,
    }
    assert "hội nghị" not in WebhookEvent.objects.get(type="document.received").body


def test_an_issued_outgoing_document_is_sent_once(partner, province):  # noqa: F811
    subscription = subscribe(
        partner, URL, "document.issued", units=[province.agency.code]
    ).subscription
    document = issued(province, subject="Quyết định phê duyệt kế hoạch")
    assert sent(subscription) == [("document.issued", f"out-{document.pk}")]
    data = json.loads(WebhookEvent.objects.get().body)["data"]
    assert (data["direction"], data["status"], data["agency"]) == (
        "outgoing",
        "issued",
        "000.00.00.T01",
    )
    assert data["code"] == f"{document.code_number}/{document.code_notation}"
