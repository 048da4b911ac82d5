"""Every write of the webhooks app: subscriptions (create, change, delete, rotate the secret,
pause, resume) and replays of dead deliveries. Keyword-only, an explicit actor (the owner's
service account, or a provincial administrator), atomic, audited.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.actors import Actor, person
from egov.accounts.models import ApiClient, RoleAssignment
from egov.accounts.scope import is_provincial_admin, unit_subtree_ids
from egov.audit.services import audit_record
from egov.catalog.models import Procedure
from egov.core.inputs import text_problem
from egov.org.models import Unit
from egov.webhooks.catalogue import EventType
from egov.webhooks.fanout import wake_worker
from egov.webhooks.models import (
    Delivery,
    DeliveryState,
    PauseReason,
    Subscription,
    SubscriptionState,
)
from egov.webhooks.signing import new_secret, seal
from egov.webhooks.state import delivery_move, subscription_move

MAX_SUBSCRIPTIONS_PER_CLIENT = 20
LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1"}


@dataclass(frozen=True)
class SubscriptionInput:
    url: str
    event_types: Sequence[str]
    units: Sequence[str] = ()
    procedures: Sequence[str] = ()
    description: str = ""


def _is_loopback(host: str) -> bool:
    if host in LOOPBACK_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def clean_url(url: str) -> str:
    """https:// only; http:// on loopback only where allowed (DEBUG, tests, benchmarks)."""
    url = url.strip()
    problem = text_problem(url, max_length=500)
    if problem:
        raise ValidationError({"url": [problem]})
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        parts.port  # noqa: B018 (raises ValueError for a port out of range)
    except ValueError:
        raise ValidationError({"url": [_("Địa chỉ nhận sự kiện không hợp lệ.")]}) from None
    if not host or parts.username or parts.password or parts.fragment:
        raise ValidationError({"url": [_("Địa chỉ nhận sự kiện không hợp lệ.")]})
    if parts.scheme == "https":
        return url
    if parts.scheme == "http" and _is_loopback(host) and settings.EGOV_WEBHOOKS_ALLOW_LOOPBACK_HTTP:
        return url
    raise ValidationError({"url": [_("Địa chỉ nhận sự kiện phải dùng https://.")]})


def _clean_types(values: Sequence[str]) -> list[str]:
    if not values:
        raise ValidationError({"event_types": [_("Chọn ít nhất một loại sự kiện.")]})
    unknown = [v for v in values if v not in EventType.values]
    if unknown:
        raise ValidationError(
            {
                "event_types": [
                    _("Loại sự kiện không có trong danh mục: %s.") % ", ".join(unknown[:5])
                ]
            }
        )
    return sorted(set(values))


class OutsideScope(Exception):
    """The unit filter names a unit beyond what the owner's roles reach (the API: 403)."""


def _reach(owner: ApiClient) -> set[int] | None:
    """The units whose events ``owner`` may receive: those under the units where its service
    account holds a role today; None (the whole province) for a provincial administrator."""
    user = owner.user
    if is_provincial_admin(user):
        return None
    held = RoleAssignment.objects.valid_on(timezone.localdate()).filter(user=user)
    return unit_subtree_ids(held.values_list("unit_id", flat=True))


def _clean_units(owner: ApiClient, codes: Sequence[str]) -> list[Unit]:
    """The unit filter, within what the owner's service account may see: a client that is not
    a provincial administrator must name units, all under its own."""
    units = list(Unit.objects.filter(Q(code__in=codes) | Q(key__in=codes)))
    found = {u.code for u in units} | {u.key for u in units}
    missing = [c for c in codes if c not in found]
    if missing:
        raise ValidationError({"units": [_("Không có đơn vị mã %s.") % ", ".join(missing[:5])]})
    reach = _reach(owner)
    if reach is not None:
        if not units:
            raise ValidationError(
                {"units": [_("Cần chọn đơn vị: ứng dụng chỉ được nhận sự kiện của đơn vị mình.")]}
            )
        outside = [u for u in units if u.pk not in reach]
        if outside:
            raise OutsideScope(
                _("Ứng dụng không được nhận sự kiện của đơn vị %s.")
                % ", ".join(u.code or u.key for u in outside[:5])
            )
    return units


def _clean_procedures(codes: Sequence[str]) -> list[Procedure]:
    procedures = list(Procedure.objects.filter(Q(national_code__in=codes) | Q(key__in=codes)))
    found = {p.national_code for p in procedures} | {p.key for p in procedures}
    missing = [c for c in codes if c not in found]
    if missing:
        raise ValidationError(
            {"procedures": [_("Không có thủ tục mã %s.") % ", ".join(missing[:5])]}
        )
    return procedures


def _clean_description(value: str) -> str:
    problem = text_problem(value.strip(), max_length=200)
    if problem:
        raise ValidationError({"description": [problem]})
    return value.strip()


@dataclass(frozen=True)
class Created:
    subscription: Subscription
    secret: str  # shown once


@transaction.atomic
def subscription_create(*, actor: Actor, owner: ApiClient, data: SubscriptionInput) -> Created:
    """A new active subscription of ``owner``, with a new secret returned only now."""
    url = clean_url(data.url)
    types = _clean_types(data.event_types)
    units = _clean_units(owner, data.units)
    procedures = _clean_procedures(data.procedures)
    description = _clean_description(data.description)
    locked = ApiClient.objects.select_for_update().get(pk=owner.pk)
    if locked.webhook_subscriptions.count() >= MAX_SUBSCRIPTIONS_PER_CLIENT:
        raise ValidationError(
            _("Mỗi ứng dụng có tối đa %d đăng ký nhận sự kiện.") % MAX_SUBSCRIPTIONS_PER_CLIENT
        )
    secret = new_secret()
    now = timezone.now()
    subscription = Subscription.objects.create(
        owner=locked,
        url=url,
        event_types=types,
        description=description,
        secret_sealed=seal(secret),
        created_at=now,
        updated_at=now,
    )
    subscription.units.set(units)
    subscription.procedures.set(procedures)
    audit_record(
        actor=person(actor),
        action="webhooks.subscription_created",
        target=subscription,
        details={"types": types, "units": [u.key for u in units]},
    )
    return Created(subscription, secret)


@transaction.atomic
def subscription_update(
    *, actor: Actor, subscription: Subscription, data: SubscriptionInput
) -> Subscription:
    """Replace the URL, the types and the filters (deliveries already made keep their URL's
    events: pending ones go to the new URL)."""
    url = clean_url(data.url)
    types = _clean_types(data.event_types)
    units = _clean_units(subscription.owner, data.units)
    procedures = _clean_procedures(data.procedures)
    description = _clean_description(data.description)
    locked = Subscription.objects.select_for_update().get(pk=subscription.pk)
    locked.url, locked.event_types, locked.description = url, types, description
    locked.updated_at = timezone.now()
    locked.save(update_fields=["url", "event_types", "description", "updated_at"])
    locked.units.set(units)
    locked.procedures.set(procedures)
    audit_record(
        actor=person(actor),
        action="webhooks.subscription_updated",
        target=locked,
        details={"types": types, "units": [u.key for u in units]},
    )
    return locked


@transaction.atomic
def subscription_delete(*, actor: Actor, subscription: Subscription) -> None:
    """Gone with its delivery log; what was not yet delivered is never sent."""
    audit_record(
        actor=person(actor),
        action="webhooks.subscription_deleted",
        target=subscription,
        details={"url_host": urlsplit(subscription.url).hostname or ""},
    )
    subscription.delete()


@transaction.atomic
def subscription_rotate_secret(*, actor: Actor, subscription: Subscription) -> Created:
    """A new secret, returned only now. For ``EGOV_WEBHOOKS_ROTATION_OVERLAP_HOURS`` the old
    one signs too (two signatures in the header) while the partner switches."""
    locked = Subscription.objects.select_for_update().get(pk=subscription.pk)
    secret = new_secret()
    now = timezone.now()
    locked.previous_secret_sealed = locked.secret_sealed
    locked.previous_secret_until = now + dt.timedelta(
        hours=settings.EGOV_WEBHOOKS_ROTATION_OVERLAP_HOURS
    )
    locked.secret_sealed = seal(secret)
    locked.updated_at = now
    locked.save()
    audit_record(actor=person(actor), action="webhooks.secret_rotated", target=locked)
    return Created(locked, secret)


@transaction.atomic
def subscription_pause(*, actor: Actor, subscription: Subscription) -> Subscription:
    locked = Subscription.objects.select_for_update().get(pk=subscription.pk)
    if locked.state == SubscriptionState.PAUSED:
        return locked
    subscription_move(
        locked, SubscriptionState.PAUSED, at=timezone.now(), reason=PauseReason.OWNER, actor=actor
    )
    audit_record(actor=person(actor), action="webhooks.subscription_paused", target=locked)
    return locked


@transaction.atomic
def subscription_resume(*, actor: Actor, subscription: Subscription) -> Subscription:
    """Active again; what waited while it was paused (pending and failed deliveries) is due
    at once, and its health starts afresh. Dead letters stay dead (replay them)."""
    locked = Subscription.objects.select_for_update().get(pk=subscription.pk)
    if locked.state == SubscriptionState.ACTIVE:
        return locked
    now = timezone.now()
    subscription_move(locked, SubscriptionState.ACTIVE, at=now, actor=actor)
    locked.failing_since = None
    locked.consecutive_dead = 0
    locked.save(update_fields=["failing_since", "consecutive_dead"])
    Delivery.objects.filter(
        subscription=locked, state__in=(DeliveryState.PENDING, DeliveryState.FAILED)
    ).update(next_attempt_at=now, locked_until=None)
    audit_record(actor=person(actor), action="webhooks.subscription_resumed", target=locked)
    transaction.on_commit(wake_worker)
    return locked


class NotDead(Exception):
    """Only a dead delivery can be replayed."""


def _replay(delivery: Delivery, actor: Actor, now: dt.datetime) -> None:
    delivery_move(delivery, DeliveryState.PENDING, at=now, actor=actor)
    delivery.attempts = 0
    delivery.next_attempt_at = now
    delivery.locked_until = None
    delivery.save()


@transaction.atomic
def delivery_replay(*, actor: Actor, delivery: Delivery) -> Delivery:
    """A dead delivery is sent again, with a fresh retry schedule (same event, same id)."""
    locked = Delivery.objects.select_for_update().get(pk=delivery.pk)
    if locked.state != DeliveryState.DEAD:
        raise NotDead(_("Chỉ gửi lại được sự kiện trong danh sách không gửi được."))
    _replay(locked, actor, timezone.now())
    audit_record(
        actor=person(actor),
        action="webhooks.delivery_replayed",
        target=locked.subscription,
        details={"delivery": locked.pk},
    )
    transaction.on_commit(wake_worker)
    return locked


@transaction.atomic
def deliveries_replay_range(
    *, actor: Actor, subscription: Subscription, since: dt.datetime, until: dt.datetime
) -> int:
    """Every dead delivery of ``subscription`` whose event happened in [since, until) is sent
    again; returns how many."""
    if until <= since:
        raise ValidationError({"until": [_("Thời điểm kết thúc phải sau thời điểm bắt đầu.")]})
    now = timezone.now()
    dead = (
        Delivery.objects.select_for_update()
        .filter(
            subscription=subscription,
            state=DeliveryState.DEAD,
            event__time__gte=since,
            event__time__lt=until,
        )
        .order_by("id")
    )
    count = 0
    for delivery in dead:
        _replay(delivery, actor, now)
        count += 1
    audit_record(
        actor=person(actor),
        action="webhooks.deliveries_replayed",
        target=subscription,
        details={"since": since.isoformat(), "until": until.isoformat(), "count": count},
    )
    if count:
        transaction.on_commit(wake_worker)
    return count
