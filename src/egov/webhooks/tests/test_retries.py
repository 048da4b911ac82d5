"""Retries over the documented schedule, dead letters, automatic pause (a partner failing for
24 hours, one answering 410 Gone, dead letters in a row), resume sending what waited, and
replay from the dead-letter list — end to end, with the subscriber simulator."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
import time_machine

from egov.webhooks.catalogue import RETRY_DELAYS
from egov.webhooks.models import Delivery, DeliveryState, Subscription
from egov.webhooks.services import delivery_replay, subscription_resume
from egov.webhooks.tests.conftest import T0, run_due_tasks
from egov.webhooks.tests.helpers import receive_dossier, subscribe
from egov.webhooks.tests.test_outage import drain

pytestmark = pytest.mark.django_db


@pytest.fixture
def failing(partner, subscriber):
    created = subscribe(partner, subscriber.base_url + "/hook", "dossier.received")
    subscriber.secret = created.secret
    subscriber.down = True
    subscriber.status_when_down = 500
    return created.subscription


def test_the_schedule_spans_more_than_a_day_then_dead_letter_and_pause(
    failing, subscriber, partner, django_capture_on_commit_callbacks
):
    with time_machine.travel(T0, tick=False) as traveller:
        receive_dossier(django_capture_on_commit_callbacks)
        drain(traveller, until=T0 + dt.timedelta(days=3))
        delivery = Delivery.objects.get()
        steps = list(delivery.steps.order_by("sequence"))
        assert [(s.from_state, s.to_state) for s in steps] == [
            ("pending", "failed"),
            *[("failed", "failed")] * 6,
            ("failed", "dead"),
        ]
        assert {s.status_code for s in steps} == {500}
        gaps = [b.at - a.at for a, b in itertools.pairwise(steps)]
        for gap, delay in zip(gaps, RETRY_DELAYS, strict=True):
            assert delay * 0.9 <= gap <= delay * 1.1 + dt.timedelta(seconds=2)
        assert steps[-1].at - steps[0].at > dt.timedelta(hours=24)
        assert delivery.state == DeliveryState.DEAD
        subscription = Subscription.objects.get()
        assert (subscription.state, subscription.pause_reason) == ("paused", "failing")

        # Paused: a new event waits, nothing is sent.
        later = receive_dossier(django_capture_on_commit_callbacks)
        tried = subscriber.requests
        run_due_tasks()
        assert subscriber.requests == tried
        waiting = Delivery.objects.get(event__subject=later.code)
        assert waiting.state == DeliveryState.PENDING

        # The partner is back: resume sends what waited; the dead letter needs a replay.
        subscriber.down = False
        with django_capture_on_commit_callbacks(execute=True):
            subscription_resume(actor=partner.user, subscription=subscription)
        run_due_tasks()
        assert [e["subject"] for e in subscriber.events()] == [later.code]
        with django_capture_on_commit_callbacks(execute=True):
            delivery_replay(actor=partner.user, delivery=delivery)
        run_due_tasks()
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED
    assert [s.to_state for s in delivery.steps.order_by("sequence")][-2:] == [
        "pending",
        "delivered",
    ]
    assert len(subscriber.events()) == 2
    assert list(Subscription.objects.get().steps.values_list("to_state", "reason")) == [
        ("paused", "failing"),
        ("active", ""),
    ]


def test_410_gone_pauses_at_once(failing, subscriber, django_capture_on_commit_callbacks):
    subscriber.status_when_down = 410
    with time_machine.travel(T0, tick=False):
        receive_dossier(django_capture_on_commit_callbacks)
        run_due_tasks()
    subscription = Subscription.objects.get()
    assert (subscription.state, subscription.pause_reason) == ("paused", "gone")
    assert Delivery.objects.get().state == DeliveryState.FAILED


def test_dead_letters_in_a_row_pause(failing, settings, django_capture_on_commit_callbacks):
    settings.EGOV_WEBHOOKS_PAUSE_AFTER_FAILING_HOURS = 1000
    settings.EGOV_WEBHOOKS_PAUSE_AFTER_DEAD = 2
    with time_machine.travel(T0, tick=False) as traveller:
        receive_dossier(django_capture_on_commit_callbacks)
        traveller.move_to(T0 + dt.timedelta(hours=1))
        receive_dossier(django_capture_on_commit_callbacks)
        drain(traveller, until=T0 + dt.timedelta(days=3))
    subscription = Subscription.objects.get()
    assert list(Delivery.objects.values_list("state", flat=True)) == ["dead", "dead"]
    assert (subscription.state, subscription.pause_reason) == ("paused", "dead_letters")
    assert subscription.consecutive_dead == 2


def test_one_success_clears_the_failing_clock(
    failing, subscriber, django_capture_on_commit_callbacks
):
    with time_machine.travel(T0, tick=False) as traveller:
        receive_dossier(django_capture_on_commit_callbacks)
        run_due_tasks()
        assert Subscription.objects.get().failing_since == T0
        subscriber.down = False
        drain(traveller, until=T0 + dt.timedelta(hours=1))
    subscription = Subscription.objects.get()
    assert subscription.failing_since is None
    assert subscription.state == "active"
