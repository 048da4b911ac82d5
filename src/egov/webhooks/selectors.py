"""Reads: an owner's subscriptions, a subscription's delivery log (keyset pages by id) and
the health overview for provincial administrators."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from egov.accounts.models import User
from egov.webhooks.models import Delivery, DeliveryState, Subscription


def subscriptions_of(user: User) -> QuerySet[Subscription]:
    return (
        Subscription.objects.filter(owner__user=user)
        .prefetch_related("units", "procedures")
        .order_by("id")
    )


def delivery_log(
    subscription: Subscription, *, after: int | None, limit: int, state: str = ""
) -> list[Delivery]:
    """Newest first; ``after`` is the id of the last delivery of the previous page."""
    rows = subscription.deliveries.select_related("event").order_by("-id")
    if after is not None:
        rows = rows.filter(id__lt=after)
    if state:
        rows = rows.filter(state=state)
    return list(rows[:limit])


@dataclass(frozen=True)
class Health:
    subscription: Subscription
    delivered: int
    waiting: int
    dead: int


def subscriptions_health() -> list[Health]:
    """Every subscription with its counts of delivered, waiting and dead deliveries."""
    rows = (
        Subscription.objects.select_related("owner")
        .annotate(
            n_delivered=Count("deliveries", filter=Q(deliveries__state=DeliveryState.DELIVERED)),
            n_waiting=Count(
                "deliveries",
                filter=Q(deliveries__state__in=[DeliveryState.PENDING, DeliveryState.FAILED]),
            ),
            n_dead=Count("deliveries", filter=Q(deliveries__state=DeliveryState.DEAD)),
        )
        .order_by("owner__name", "id")
    )
    return [Health(s, s.n_delivered, s.n_waiting, s.n_dead) for s in rows]
