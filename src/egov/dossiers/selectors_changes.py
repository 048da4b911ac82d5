"""The dossier changes feed: every event (reception, each transition, apology, extension) of
the dossiers an API client may see, in the order they were written, so that a partner system
can keep its copy in step without webhooks (``GET /api/v1/staff/dossiers/changes``).

Keyset paging on the event's id: a page costs the same however far the partner is. An event
is listed only once it is ``EGOV_CHANGES_SETTLE_SECONDS`` old — ids are taken when a row is
inserted, not when its transaction commits, so a younger id could otherwise become visible
after a partner's cursor has passed it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from egov.accounts.actors import Actor
from egov.dossiers.models import DossierEvent
from egov.dossiers.permissions import visible_dossiers

CHANGES_PAGE = 100


@dataclass(frozen=True)
class ChangesPage:
    events: list[DossierEvent]
    # The id of the last event listed (or the position given, when none is new): the next
    # page starts after it.
    last_id: int


def dossier_changes(
    actor: Actor,
    *,
    after_id: int = 0,
    since: dt.datetime | None = None,
    limit: int = CHANGES_PAGE,
    now: dt.datetime | None = None,
) -> ChangesPage:
    """Events after the event ``after_id`` — or, with ``since``, from that moment on — of the
    dossiers ``actor`` may see now, oldest first."""
    now = now or timezone.now()
    settled = now - dt.timedelta(seconds=settings.EGOV_CHANGES_SETTLE_SECONDS)
    events = DossierEvent.objects.filter(
        dossier__in=visible_dossiers(actor).values("pk"), at__lte=settled, pk__gt=after_id
    )
    if since is not None:
        events = events.filter(at__gte=since)
    listed = list(
        events.select_related("dossier", "dossier__procedure_version").order_by("pk")[:limit]
    )
    if listed:
        return ChangesPage(listed, listed[-1].pk)
    if since is not None:
        # Nothing yet from ``since`` on: the next page starts after the events before it.
        before = DossierEvent.objects.filter(at__lt=since).aggregate(last=Max("pk"))["last"]
        return ChangesPage([], max(after_id, before or 0))
    return ChangesPage([], after_id)
