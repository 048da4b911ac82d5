"""What a delivery looks like on the wire and how the receiver helper judges it: a good
signature passes; a forged one, a changed body, a replayed (old) message and a message
without headers are refused. During a secret rotation both signatures are sent."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import requests
import time_machine

from egov.webhooks.models import Subscription
from egov.webhooks.services import subscription_rotate_secret
from egov.webhooks.signing import headers, new_secret, sign
from egov.webhooks.tests.conftest import T0, run_due_tasks
from egov.webhooks.tests.helpers import receive_dossier, subscribe
from egov.webhooks.verification import InvalidWebhook, verify_webhook

MSG_ID = "7d8c2f8a-2a55-5a7f-9e0d-1d3c6b1e2a44"
BODY = b'{"specversion":"1.0","id":"7d8c2f8a-2a55-5a7f-9e0d-1d3c6b1e2a44"}'
NOW = 1_790_000_000


def signed(secret: str, *, timestamp: int = NOW, body: bytes = BODY) -> dict[str, str]:
    return headers([secret], msg_id=MSG_ID, timestamp=timestamp, body=body)


def test_a_good_signature_passes_and_gives_the_id():
    secret = new_secret()
    assert verify_webhook(secret, signed(secret), BODY, now=NOW + 299) == MSG_ID


def test_the_signature_matches_the_published_scheme():
    # Standard Webhooks' own example (spec 1.0, "Signature scheme"): secret, id, timestamp
    # and body as published; our signer must give their signature.
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    body = b'{"test": 2432232314}'
    assert (
        sign(secret, msg_id="msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp=1614265330, body=body)
        == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    )


@pytest.mark.parametrize(
    "tamper",
    ["forged", "body", "id", "replayed", "future", "missing", "no_v1"],
)
def test_forged_changed_and_replayed_messages_are_refused(tamper):
    secret = new_secret()
    sent, body = signed(secret), BODY
    if tamper == "forged":
        sent = signed(new_secret())
    elif tamper == "body":
        body = BODY.replace(b"1.0", b"1.1")
    elif tamper == "id":
        sent["Webhook-Id"] = "another-id"
    elif tamper == "replayed":
        sent = signed(secret, timestamp=NOW - 301)
    elif tamper == "future":
        sent = signed(secret, timestamp=NOW + 301)
    elif tamper == "missing":
        del sent["Webhook-Signature"]
    elif tamper == "no_v1":
        sent["Webhook-Signature"] = sent["Webhook-Signature"].replace("v1,", "v2,")
    with pytest.raises(InvalidWebhook):
        verify_webhook(secret, sent, body, now=NOW)


@pytest.mark.django_db
def test_the_simulated_partner_refuses_a_forged_and_a_replayed_request(partner, subscriber):
    subscriber.secret = new_secret()
    at = int(T0.timestamp())
    good = signed(subscriber.secret, timestamp=at)
    with time_machine.travel(T0, tick=False):
        forged = requests.post(
            subscriber.base_url, data=BODY, headers=signed(new_secret(), timestamp=at), timeout=5
        )
        accepted = requests.post(subscriber.base_url, data=BODY, headers=good, timeout=5)
    with time_machine.travel(T0 + dt.timedelta(minutes=6), tick=False):
        replayed = requests.post(subscriber.base_url, data=BODY, headers=good, timeout=5)
    assert [forged.status_code, accepted.status_code, replayed.status_code] == [401, 200, 401]
    assert list(subscriber.processed) == [MSG_ID]
    assert subscriber.refused == [
        "no valid signature",
        "timestamp outside the tolerance (replayed or clock skew)",
    ]


@pytest.mark.django_db
def test_a_delivery_on_the_wire_and_a_rotation_without_failures(
    partner, subscriber, django_capture_on_commit_callbacks
):
    created = subscribe(partner, subscriber.base_url + "/hook", "dossier.received")
    subscriber.secret = created.secret
    seen: list[dict[str, str]] = []
    original = subscriber.handle_post

    def spy(handler):
        seen.append(dict(handler.headers.items()))
        original(handler)

    subscriber.handle_post = spy
    with time_machine.travel(T0, tick=False):
        first = receive_dossier(django_capture_on_commit_callbacks)
        run_due_tasks()
        subscription_rotate_secret(actor=partner.user, subscription=created.subscription)
        # The partner has not switched yet: the old secret still verifies.
        second = receive_dossier(django_capture_on_commit_callbacks)
        run_due_tasks()
    assert [e["subject"] for e in subscriber.events()] == [first.code, second.code]
    assert seen[0]["Content-Type"] == "application/cloudevents+json; charset=utf-8"
    assert seen[0]["Webhook-Timestamp"] == str(int(T0.timestamp()))
    assert seen[0]["Webhook-Id"] == subscriber.events()[0]["id"]
    assert len(seen[0]["Webhook-Signature"].split(" ")) == 1
    assert len(seen[1]["Webhook-Signature"].split(" ")) == 2
    stored = Subscription.objects.get()
    assert json.loads(stored.deliveries.first().event.body)["subject"] == first.code
