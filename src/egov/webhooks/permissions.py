"""Who may see and change a subscription: its owner (the API client whose service account
calls), and provincial administrators (the workspace overview). Anyone else gets None — the
API answers 404, never revealing that another client's subscription exists."""

from __future__ import annotations

from egov.accounts.models import ApiClient, User
from egov.accounts.scope import is_provincial_admin
from egov.webhooks.models import Delivery, Subscription


def client_of(user: User) -> ApiClient | None:
    client: ApiClient | None = ApiClient.objects.filter(user=user).first()
    return client


def get_subscription_for_client(user: User, pk: int) -> Subscription | None:
    subscription: Subscription | None = (
        Subscription.objects.select_related("owner")
        .prefetch_related("units", "procedures")
        .filter(pk=pk, owner__user=user)
        .first()
    )
    return subscription


def get_delivery_for_client(user: User, subscription_pk: int, pk: int) -> Delivery | None:
    delivery: Delivery | None = (
        Delivery.objects.select_related("subscription", "event")
        .filter(pk=pk, subscription_id=subscription_pk, subscription__owner__user=user)
        .first()
    )
    return delivery


def may_oversee(user: User) -> bool:
    """The province-wide overview of every partner's subscriptions."""
    return is_provincial_admin(user)
