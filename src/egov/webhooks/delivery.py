"""Sending what is due: ``deliver_due`` (the task, or ``manage.py webhooks_deliver``) claims
the due deliveries of active subscriptions, sends them outside any transaction — in parallel,
so one slow partner does not hold up the others — and records each outcome.

A 2xx answer within ``EGOV_WEBHOOKS_TIMEOUT_SECONDS`` is delivered; anything else (another
status, a timeout, a refused connection) is a failed attempt, retried after the next delay of
``catalogue.RETRY_DELAYS`` with jitter (a ``Retry-After`` asking for longer is honoured), and a
dead letter once the schedule is exhausted. Redirects are not followed (the partner updates
its URL instead). A 410 Gone pauses the subscription at once. At least once: a lost answer
means a second delivery of the same ``webhook-id``, which the receiver ignores.
"""

from __future__ import annotations

import datetime as dt
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import requests
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from egov.webhooks.catalogue import JITTER, MAX_ATTEMPTS, RETRY_DELAYS
from egov.webhooks.models import (
    Delivery,
    DeliveryState,
    PauseReason,
    Subscription,
    SubscriptionState,
)
from egov.webhooks.signing import headers, unseal
from egov.webhooks.state import Move, deliveries_move, subscription_move

LEASE = dt.timedelta(minutes=5)
DUE_STATES = (DeliveryState.PENDING, DeliveryState.FAILED)


@dataclass(frozen=True)
class Outcome:
    delivery_id: int
    status_code: int | None
    error: str
    latency_ms: int
    retry_after: int | None = None

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


@dataclass(frozen=True)
class DeliveryRun:
    delivered: int = 0
    retried: int = 0
    dead: int = 0


def due_deliveries(now: dt.datetime) -> Q:
    return Q(
        state__in=DUE_STATES,
        next_attempt_at__lte=now,
        subscription__state=SubscriptionState.ACTIVE,
    ) & (Q(locked_until__isnull=True) | Q(locked_until__lt=now))


def _claim(now: dt.datetime, limit: int) -> list[Delivery]:
    with transaction.atomic():
        due = Delivery.objects.filter(due_deliveries(now)).order_by("next_attempt_at", "id")
        if connection.vendor == "postgresql":
            due = due.select_for_update(skip_locked=True, of=("self",))
        batch = list(due.select_related("event", "subscription")[:limit])
        Delivery.objects.filter(pk__in=[d.pk for d in batch]).update(locked_until=now + LEASE)
    return batch


def _secrets(subscription: Subscription, now: dt.datetime) -> list[str]:
    found = [unseal(subscription.secret_sealed)]
    until = subscription.previous_secret_until
    if subscription.previous_secret_sealed and until is not None and until > now:
        found.append(unseal(subscription.previous_secret_sealed))
    return found


def _retry_after(response: requests.Response) -> int | None:
    value = response.headers.get("Retry-After", "")
    return min(int(value), 24 * 3600) if value.isdigit() else None


def send(delivery: Delivery, secrets_in_use: list[str], session: requests.Session) -> Outcome:
    """One attempt (no database access: it runs in a worker thread)."""
    body = delivery.event.body.encode("utf-8")
    signed = headers(
        secrets_in_use, msg_id=str(delivery.event.id), timestamp=int(time.time()), body=body
    )
    started = time.perf_counter()
    try:
        response = session.post(
            delivery.subscription.url,
            data=body,
            headers=signed,
            timeout=settings.EGOV_WEBHOOKS_TIMEOUT_SECONDS,
            allow_redirects=False,
        )
    except requests.Timeout:
        return Outcome(delivery.pk, None, "timeout", _ms(started))
    except requests.RequestException as exc:
        return Outcome(delivery.pk, None, f"connection: {type(exc).__name__}", _ms(started))
    response.close()
    error = "" if 200 <= response.status_code < 300 else f"HTTP {response.status_code}"
    return Outcome(delivery.pk, response.status_code, error, _ms(started), _retry_after(response))


def _ms(started: float) -> int:
    return int((time.perf_counter() - started) * 1000)


def retry_delay(attempts: int, retry_after: int | None = None) -> dt.timedelta:
    """The wait after failed attempt number ``attempts`` (1-based), with jitter."""
    base = RETRY_DELAYS[min(attempts, len(RETRY_DELAYS)) - 1]
    delay = base * (1 + random.uniform(-JITTER, JITTER))
    if retry_after is not None:
        delay = max(delay, dt.timedelta(seconds=retry_after))
    return delay


@dataclass
class _Step:
    delivery: Delivery
    to_state: str
    outcome: Outcome


@transaction.atomic
def record(outcomes: list[Outcome], *, now: dt.datetime) -> list[str]:
    """Apply the outcomes of one run's attempts to their deliveries and their subscriptions'
    health, in one transaction (a few statements for the whole batch, not per delivery).
    Returns each outcome's resulting state."""
    ids = [o.delivery_id for o in outcomes]
    locked = Delivery.objects.select_for_update().filter(pk__in=ids, state__in=DUE_STATES)
    deliveries = {d.pk: d for d in locked.order_by("id")}
    subscriptions = {
        s.pk: s
        for s in Subscription.objects.select_for_update()
        .filter(pk__in={d.subscription_id for d in deliveries.values()})
        .order_by("id")
    }
    results: list[str] = []
    steps: list[_Step] = []
    reasons: dict[int, str] = {}
    for outcome in outcomes:
        delivery = deliveries.get(outcome.delivery_id)
        if delivery is None:  # replayed or finished meanwhile by another worker
            results.append("")
            continue
        subscription = subscriptions[delivery.subscription_id]
        to_state = _apply(delivery, subscription, outcome, now)
        steps.append(_Step(delivery, to_state, outcome))
        results.append(to_state)
        reason = _pause_reason(subscription, outcome, now)
        if reason:
            reasons.setdefault(subscription.pk, reason)
    deliveries_move(
        [
            Move(
                s.delivery,
                s.to_state,
                status_code=s.outcome.status_code,
                error=s.outcome.error,
                latency_ms=s.outcome.latency_ms,
            )
            for s in steps
        ],
        at=now,
    )
    Delivery.objects.bulk_update(
        [s.delivery for s in steps],
        [
            "state",
            "attempts",
            "locked_until",
            "last_status_code",
            "last_error",
            "last_latency_ms",
            "delivered_at",
            "next_attempt_at",
        ],
    )
    for subscription in subscriptions.values():
        subscription.save(update_fields=["failing_since", "consecutive_dead", "last_success_at"])
        reason = reasons.get(subscription.pk, "")
        if reason and subscription.state == SubscriptionState.ACTIVE:
            subscription_move(subscription, SubscriptionState.PAUSED, at=now, reason=reason)
    return results


def _apply(
    delivery: Delivery, subscription: Subscription, outcome: Outcome, now: dt.datetime
) -> str:
    """The delivery's fields after this attempt, and its subscription's health; the state it
    moves to."""
    delivery.attempts += 1
    delivery.locked_until = None
    delivery.last_status_code = outcome.status_code
    delivery.last_error = outcome.error[:300]
    delivery.last_latency_ms = outcome.latency_ms
    if outcome.ok:
        delivery.delivered_at = now
        delivery.next_attempt_at = None
        subscription.failing_since = None
        subscription.consecutive_dead = 0
        subscription.last_success_at = now
        return DeliveryState.DELIVERED
    subscription.failing_since = subscription.failing_since or now
    if delivery.attempts >= MAX_ATTEMPTS:
        delivery.next_attempt_at = None
        subscription.consecutive_dead += 1
        return DeliveryState.DEAD
    delivery.next_attempt_at = now + retry_delay(delivery.attempts, outcome.retry_after)
    return DeliveryState.FAILED


def _pause_reason(subscription: Subscription, outcome: Outcome, now: dt.datetime) -> str:
    """Automatic pause (docs/webhooks.md): the partner said 410 Gone; or the last
    ``EGOV_WEBHOOKS_PAUSE_AFTER_DEAD`` deliveries in a row went dead; or every attempt failed
    for ``EGOV_WEBHOOKS_PAUSE_AFTER_FAILING_HOURS``."""
    if outcome.status_code == 410:
        return PauseReason.GONE
    if subscription.consecutive_dead >= settings.EGOV_WEBHOOKS_PAUSE_AFTER_DEAD:
        return PauseReason.DEAD_LETTERS
    failing = subscription.failing_since
    hours = dt.timedelta(hours=settings.EGOV_WEBHOOKS_PAUSE_AFTER_FAILING_HOURS)
    if not outcome.ok and failing is not None and now - failing >= hours:
        return PauseReason.FAILING
    return ""


def _with_secrets(items: list[Delivery]) -> list[tuple[Delivery, list[str]]]:
    now = timezone.now()
    keys: dict[int, list[str]] = {}
    for delivery in items:
        subscription = delivery.subscription
        if subscription.pk not in keys:
            keys[subscription.pk] = _secrets(subscription, now)
    return [(d, keys[d.subscription_id]) for d in items]


def deliver_due(*, limit: int = 500) -> DeliveryRun:
    """Send up to ``limit`` due deliveries and record their outcomes."""
    claimed = _claim(timezone.now(), limit)
    if not claimed:
        return DeliveryRun()
    local = threading.local()
    sessions: list[requests.Session] = []

    def attempt(item: tuple[Delivery, list[str]]) -> Outcome:
        # One HTTP session (kept-alive connections) per thread: a Session is not thread-safe.
        session = getattr(local, "session", None)
        if session is None:
            session = local.session = requests.Session()
            sessions.append(session)
        return send(item[0], item[1], session)

    workers = min(settings.EGOV_WEBHOOKS_CONCURRENCY, len(claimed))
    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            outcomes = list(pool.map(attempt, _with_secrets(claimed)))
    finally:
        for session in sessions:
            session.close()
    counts = {DeliveryState.DELIVERED: 0, DeliveryState.FAILED: 0, DeliveryState.DEAD: 0}
    for state in record(outcomes, now=timezone.now()):
        if state in counts:
            counts[DeliveryState(state)] += 1
    return DeliveryRun(
        counts[DeliveryState.DELIVERED], counts[DeliveryState.FAILED], counts[DeliveryState.DEAD]
    )
