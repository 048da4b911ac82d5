"""Pushing dossier changes to the national portal through an outbox.

``sync_on_event`` is a subscriber of ``dossiers.events.record_event``: it writes one
``NationalSync`` row in the event's transaction, so the row exists if and only if the event
does, and wakes the delivery task after commit. ``deliver_due`` sends, outside any
transaction, the *head* of each dossier's queue — its oldest row not yet sent — so a dossier's
event n+1 never leaves before the portal acknowledged event n. A portal that cannot be reached
(outage, 5xx, timeout) reschedules the heads with a doubling delay up to a cap; a record the
portal refuses (unknown dossier, out of order, invalid) is marked failed and holds its dossier
until an administrator retries it (the dashboard's button or ``national_replay``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, F, Min, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from egov.accounts.actors import Actor
from egov.audit.services import audit_record
from egov.contrib.dvcqg.client import DvcqgClient, DvcqgRefused, DvcqgUnavailable
from egov.dossiers.models import DossierEvent
from egov.national.gateway import national_client, sync_enabled
from egov.national.models import NationalSync, SyncStatus
from egov.national.payloads import (
    components_by_dossier,
    event_snapshot,
    record_for,
    results_by_dossier,
)

LEASE = dt.timedelta(minutes=5)
OUT_OF_ORDER = "04"


def sync_on_event(event: DossierEvent) -> None:
    """The subscriber (``NationalConfig.ready``): one outbox row per dossier event."""
    if not sync_enabled():
        return
    now = timezone.now()
    NationalSync.objects.create(
        dossier=event.dossier,
        event=event,
        payload=event_snapshot(event),
        next_attempt_at=now,
        created_at=now,
    )
    transaction.on_commit(wake_delivery)


def wake_delivery() -> None:
    """Enqueue one delivery run unless one is already waiting to start now."""
    from django_tasks_db.models import DBTaskResult, get_date_max

    from egov.national.tasks import deliver_national_sync_task

    waiting = DBTaskResult.objects.filter(
        status="READY",
        task_path="egov.national.tasks.deliver_national_sync_task",
        run_after=get_date_max(),
    )
    if not waiting.exists():
        deliver_national_sync_task.enqueue()


def retry_delay(attempts: int) -> dt.timedelta:
    first = dt.timedelta(seconds=settings.EGOV_NATIONAL_RETRY_FIRST_SECONDS)
    cap = dt.timedelta(seconds=settings.EGOV_NATIONAL_RETRY_MAX_SECONDS)
    delay: dt.timedelta = first * (2 ** min(max(attempts - 1, 0), 30))
    return min(delay, cap)


@dataclass(frozen=True)
class DeliveryRun:
    sent: int = 0
    retried: int = 0
    failed: int = 0


def _sent_before() -> QuerySet[NationalSync]:
    """Rows of the same dossier sent before this one: then this one is an update."""
    return NationalSync.objects.filter(
        dossier_id=OuterRef("dossier_id"), id__lt=OuterRef("id"), status=SyncStatus.SENT
    )


def _claim_heads(now: dt.datetime, size: int) -> list[NationalSync]:
    """Lease the due heads: each dossier's oldest row not yet sent, when it is pending and due
    (a failed head holds its dossier). The heads are found by grouping the unsent rows by
    dossier — one pass over the (dossier, status, id) index, however long each queue is."""
    heads_ids = (
        NationalSync.objects.exclude(status=SyncStatus.SENT)
        .values("dossier_id")
        .annotate(first=Min("id"))
        .values("first")
    )
    with transaction.atomic():
        heads = (
            NationalSync.objects.filter(
                pk__in=Subquery(heads_ids),
                status=SyncStatus.PENDING,
                next_attempt_at__lte=now,
            )
            .filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now))
            .annotate(updating=Exists(_sent_before()))
            .select_related("dossier__national_submission")
            .order_by("id")
        )
        if connection.vendor == "postgresql":
            heads = heads.select_for_update(skip_locked=True, of=("self",))
        batch: list[NationalSync] = list(heads[:size])
        NationalSync.objects.filter(pk__in=[r.pk for r in batch]).update(locked_until=now + LEASE)
    return batch


def _reschedule(rows: list[NationalSync], now: dt.datetime, error: str) -> tuple[int, int]:
    retried = failed = 0
    for row in rows:
        attempts = row.attempts + 1
        give_up = attempts >= settings.EGOV_NATIONAL_MAX_ATTEMPTS
        NationalSync.objects.filter(pk=row.pk).update(
            status=SyncStatus.FAILED if give_up else SyncStatus.PENDING,
            attempts=attempts,
            last_error=error[:300],
            next_attempt_at=now + retry_delay(attempts),
            locked_until=None,
        )
        failed += give_up
        retried += not give_up
    return retried, failed


def _send(
    client: DvcqgClient, rows: list[NationalSync], now: dt.datetime, *, updating: bool
) -> DeliveryRun:
    try:
        results = results_by_dossier([row.dossier_id for row in rows])
        components = components_by_dossier([row.dossier_id for row in rows])
        records = [
            record_for(
                row.dossier, row.payload, results[row.dossier_id], components[row.dossier_id]
            )
            for row in rows
        ]
        answers = client.sync_dossiers(records, updating=updating)
    except (DvcqgUnavailable, DvcqgRefused) as exc:
        retried, failed = _reschedule(rows, now, str(exc))
        return DeliveryRun(retried=retried, failed=failed)
    ok = [
        row.pk
        for row, result in zip(rows, answers, strict=True)
        # A replayed record the portal already holds in a newer state is acknowledged.
        if result.ok or (result.code == OUT_OF_ORDER and row.replays > 0)
    ]
    NationalSync.objects.filter(pk__in=ok).update(
        status=SyncStatus.SENT,
        attempts=F("attempts") + 1,
        last_error="",
        sent_at=now,
        locked_until=None,
    )
    acknowledged = set(ok)
    refused = [(row, r) for row, r in zip(rows, answers, strict=True) if row.pk not in acknowledged]
    for row, result in refused:
        NationalSync.objects.filter(pk=row.pk).update(
            status=SyncStatus.FAILED,
            attempts=F("attempts") + 1,
            last_error=f"{result.code}: {result.message}"[:300],
            locked_until=None,
        )
    return DeliveryRun(sent=len(ok), failed=len(refused))


def deliver_due(*, now: dt.datetime | None = None, rounds: int | None = None) -> DeliveryRun:
    """Send due heads in batches until none is due (or after ``rounds`` batches); stops at
    the first batch the portal could not take, so an outage costs one request per run."""
    client = national_client()  # one session (login) for the whole run
    try:
        return _deliver(client, now, rounds)
    finally:
        client.close()


def _deliver(client: DvcqgClient, now: dt.datetime | None, rounds: int | None) -> DeliveryRun:
    sent = retried = failed = 0
    done = 0
    while rounds is None or done < rounds:
        moment = now or timezone.now()
        batch = _claim_heads(moment, settings.EGOV_NATIONAL_BATCH_SIZE)
        if not batch:
            break
        done += 1
        stalled = False
        for updating in (False, True):
            rows = [row for row in batch if bool(getattr(row, "updating", False)) == updating]
            if not rows:
                continue
            if stalled:
                # The portal is down: release the rest of the batch for the next run.
                NationalSync.objects.filter(pk__in=[r.pk for r in rows]).update(locked_until=None)
                continue
            run = _send(client, rows, moment, updating=updating)
            sent, retried, failed = sent + run.sent, retried + run.retried, failed + run.failed
            stalled = run.retried > 0
        if stalled:
            break
    return DeliveryRun(sent, retried, failed)


@transaction.atomic
def national_sync_retry(*, actor: Actor, ids: list[int] | None = None) -> int:
    """Put failed rows (all, or those of ``ids``) back in the queue, due now."""
    rows = NationalSync.objects.filter(status=SyncStatus.FAILED)
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    count = rows.update(
        status=SyncStatus.PENDING, attempts=0, next_attempt_at=timezone.now(), locked_until=None
    )
    if count:
        audit_record(
            actor=actor,
            action="national.sync_retried",
            object_type="national.sync",
            object_repr=str(count),
            details={"rows": count},
        )
        transaction.on_commit(wake_delivery)
    return count


@transaction.atomic
def national_sync_replay(
    *,
    actor: Actor,
    dossier_code: str = "",
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> int:
    """Send again the rows of one dossier and/or of a time range (their events' times), in
    their order, e.g. after the national portal lost data. Rows still waiting are left as
    they are."""
    rows = NationalSync.objects.all()
    if dossier_code:
        rows = rows.filter(dossier__code=dossier_code)
    if since is not None:
        rows = rows.filter(event__at__gte=since)
    if until is not None:
        rows = rows.filter(event__at__lt=until)
    rows = rows.exclude(status=SyncStatus.PENDING)
    count = rows.update(
        status=SyncStatus.PENDING,
        attempts=0,
        replays=F("replays") + 1,
        last_error="",
        next_attempt_at=timezone.now(),
        locked_until=None,
    )
    audit_record(
        actor=actor,
        action="national.sync_replayed",
        object_type="national.sync",
        object_repr=dossier_code[:255],
        details={
            "rows": count,
            "since": since.isoformat() if since else None,
            "until": until.isoformat() if until else None,
        },
    )
    if count:
        transaction.on_commit(wake_delivery)
    return count
