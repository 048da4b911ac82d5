"""Issue 14 §3: a subscriber that is down for 30 minutes loses nothing, and each event
reaches the idempotent receiver exactly once — also when an answer is lost and the same
event is sent again."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db.models import Min
from django.utils import timezone

from egov.webhooks.models import Delivery, DeliveryState, WebhookEvent
from egov.webhooks.tests.conftest import T0, run_due_tasks
from egov.webhooks.tests.helpers import receive_dossier, subscribe

pytestmark = pytest.mark.django_db


def drain(traveller, *, until: dt.datetime) -> None:
    """Run the due tasks, moving the clock to each next retry, until nothing waits or the
    clock would pass ``until``."""
    for _ in range(100):
        run_due_tasks()
        waiting = Delivery.objects.filter(
            state__in=[DeliveryState.PENDING, DeliveryState.FAILED]
        ).aggregate(at=Min("next_attempt_at"))["at"]
        if waiting is None or waiting > until:
            return
        traveller.move_to(max(waiting, timezone.now()) + dt.timedelta(seconds=1))


def test_a_thirty_minute_outage_loses_nothing_and_delivers_each_event_once(
    partner, subscriber, django_capture_on_commit_callbacks
):
    created = subscribe(partner, subscriber.base_url + "/hooks", "dossier.received")
    subscriber.secret = created.secret
    with time_machine.travel(T0, tick=False) as traveller:
        first = receive_dossier(django_capture_on_commit_callbacks)
        run_due_tasks()
        assert [e["subject"] for e in subscriber.events()] == [first.code]

        # Down from T0+1 min to T0+31 min; dossiers keep arriving meanwhile.
        traveller.move_to(T0 + dt.timedelta(minutes=1))
        subscriber.down = True
        during = []
        for minute in (1, 10, 20, 29):
            traveller.move_to(T0 + dt.timedelta(minutes=minute))
            during.append(receive_dossier(django_capture_on_commit_callbacks))
            drain(traveller, until=T0 + dt.timedelta(minutes=30))
        assert subscriber.requests > len(during)  # it was tried, and refused
        assert len(subscriber.events()) == 1

        traveller.move_to(T0 + dt.timedelta(minutes=31))
        subscriber.down = False
        drain(traveller, until=T0 + dt.timedelta(days=3))

    codes = [e["subject"] for e in subscriber.events()]
    assert sorted(codes) == sorted([first.code, *(d.code for d in during)])
    assert subscriber.duplicates == 0
    assert set(subscriber.processed) == {
        str(pk) for pk in WebhookEvent.objects.values_list("id", flat=True)
    }
    assert set(Delivery.objects.values_list("state", flat=True)) == {DeliveryState.DELIVERED}


def test_a_lost_answer_means_a_second_delivery_that_the_receiver_ignores(
    partner, subscriber, django_capture_on_commit_callbacks, settings
):
    settings.EGOV_WEBHOOKS_TIMEOUT_SECONDS = 1
    created = subscribe(partner, subscriber.base_url + "/hooks", "dossier.received")
    subscriber.secret = created.secret
    subscriber.slow_once = 2.5  # processed, but answered after the sender stopped waiting
    with time_machine.travel(T0, tick=False) as traveller:
        dossier = receive_dossier(django_capture_on_commit_callbacks)
        run_due_tasks()
        delivery = Delivery.objects.get()
        assert (delivery.state, delivery.last_error) == (DeliveryState.FAILED, "timeout")
        drain(traveller, until=T0 + dt.timedelta(hours=1))

    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED
    assert delivery.attempts == 2
    assert subscriber.duplicates == 1
    assert [e["subject"] for e in subscriber.events()] == [dossier.code]
    steps = list(delivery.steps.values_list("from_state", "to_state", "error"))
    assert steps == [("pending", "failed", "timeout"), ("failed", "delivered", "")]


def test_the_cron_command_sends_what_is_due(
    partner, subscriber, django_capture_on_commit_callbacks
):
    from io import StringIO

    from django.core.management import call_command

    created = subscribe(partner, subscriber.base_url + "/hooks", "dossier.received")
    subscriber.secret = created.secret
    dossier = receive_dossier(django_capture_on_commit_callbacks)
    out = StringIO()
    call_command("webhooks_deliver", stdout=out)
    assert out.getvalue().strip() == "delivered=1 retried=0 dead=0"
    assert [e["subject"] for e in subscriber.events()] == [dossier.code]
