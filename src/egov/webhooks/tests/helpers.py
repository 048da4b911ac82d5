"""Helpers of the webhook tests: domain events made through the real services."""

from __future__ import annotations

from egov.accounts.models import User
from egov.dossiers.models import Dossier
from egov.dossiers.services.reception import dossier_receive
from egov.dossiers.tests.helpers import reception
from egov.webhooks.services import SubscriptionInput, subscription_create


def receive_dossier(capture, code: str = "1.001612") -> Dossier:
    """A dossier received at the provincial centre by receptionist Bình; the commit's
    callbacks (waking the delivery worker) run as in production."""
    with capture(execute=True):
        return dossier_receive(
            actor=User.objects.get(username="tinh.tiepnhan"), reception=reception(code)
        )


def subscribe(partner, url: str, *types: str, units=(), procedures=()):
    created = subscription_create(
        actor=partner.user,
        owner=partner,
        data=SubscriptionInput(
            url=url,
            event_types=list(types),
            units=list(units),
            procedures=list(procedures),
        ),
    )
    return created
