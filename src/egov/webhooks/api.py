"""Partner API of event subscriptions (webhooks): an API client manages its own subscriptions,
reads their delivery log and replays dead letters. ``Authorization: Bearer <key>`` of the
client (``manage.py api_client``); another client's subscription answers 404, as one that
does not exist. What is sent and how to verify it: docs/webhooks.md."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status
from pydantic import AwareDatetime

from egov.accounts.api_auth import ApiKeyAuth, api_user
from egov.accounts.models import ApiClient, User
from egov.core.api_errors import ApiError, ErrorResponse, validation_details
from egov.core.api_types import Text
from egov.webhooks.catalogue import EventType
from egov.webhooks.models import Delivery, DeliveryState, Subscription
from egov.webhooks.permissions import (
    client_of,
    get_delivery_for_client,
    get_subscription_for_client,
)
from egov.webhooks.selectors import delivery_log, subscriptions_of
from egov.webhooks.services import (
    NotDead,
    OutsideScope,
    SubscriptionInput,
    deliveries_replay_range,
    delivery_replay,
    subscription_create,
    subscription_delete,
    subscription_pause,
    subscription_resume,
    subscription_rotate_secret,
    subscription_update,
)

webhooks_router = Router(tags=["webhooks"], auth=ApiKeyAuth("webhooks"))

Id = Annotated[int, Field(ge=1, le=2**31 - 1)]
Code = Annotated[str, Text(60)]
READ_ERRORS = {401: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse}
WRITE_ERRORS = {401: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse}


# --- schemas -----------------------------------------------------------------------------


class EventTypeOut(Schema):
    type: EventType
    cloudevents_type: str
    label: str


class SubscriptionIn(Schema):
    url: Annotated[str, Text(500)] = Field(
        description="https:// (http:// chỉ với địa chỉ loopback khi máy chủ cho phép)."
    )
    event_types: list[EventType] = Field(min_length=1, max_length=len(EventType))
    units: list[Code] = Field(
        default=[], max_length=50, description="Mã định danh đơn vị; rỗng: mọi đơn vị được xem."
    )
    procedures: list[Code] = Field(
        default=[], max_length=50, description="Mã thủ tục; rỗng: mọi thủ tục."
    )
    description: Annotated[str, Text(200)] = ""


class SubscriptionOut(Schema):
    id: int
    url: str
    description: str
    event_types: list[EventType]
    units: list[str]
    procedures: list[str]
    state: str
    pause_reason: str
    failing_since: dt.datetime | None
    last_success_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime


class SubscriptionWithSecretOut(SubscriptionOut):
    secret: str = Field(description="Khóa bí mật ký HMAC: chỉ hiển thị một lần, hãy lưu lại.")


class DeliveryOut(Schema):
    id: int
    event_id: str
    event_type: str
    subject: str
    event_time: dt.datetime
    state: DeliveryState
    attempts: int
    next_attempt_at: dt.datetime | None
    last_status_code: int | None
    last_error: str
    last_latency_ms: int | None
    delivered_at: dt.datetime | None


class DeliveryPageOut(Schema):
    items: list[DeliveryOut]
    next_cursor: str | None


class ReplayRangeIn(Schema):
    # With an offset (Z or +07:00): a naive time is refused, never guessed.
    since: AwareDatetime
    until: AwareDatetime


class ReplayRangeOut(Schema):
    replayed: int


# --- helpers -----------------------------------------------------------------------------


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    return value.astimezone(dt.UTC) if value is not None else None


def _subscription_out(subscription: Subscription) -> dict[str, Any]:
    return {
        "id": subscription.pk,
        "url": subscription.url,
        "description": subscription.description,
        "event_types": subscription.event_types,
        "units": sorted(u.code or u.key for u in subscription.units.all()),
        "procedures": sorted(p.public_code for p in subscription.procedures.all()),
        "state": subscription.state,
        "pause_reason": subscription.pause_reason,
        "failing_since": _utc(subscription.failing_since),
        "last_success_at": _utc(subscription.last_success_at),
        "created_at": _utc(subscription.created_at),
        "updated_at": _utc(subscription.updated_at),
    }


def _delivery_out(delivery: Delivery) -> dict[str, Any]:
    return {
        "id": delivery.pk,
        "event_id": str(delivery.event_id),
        "event_type": delivery.event.type,
        "subject": delivery.event.subject,
        "event_time": _utc(delivery.event.time),
        "state": delivery.state,
        "attempts": delivery.attempts,
        "next_attempt_at": _utc(delivery.next_attempt_at),
        "last_status_code": delivery.last_status_code,
        "last_error": delivery.last_error,
        "last_latency_ms": delivery.last_latency_ms,
        "delivered_at": _utc(delivery.delivered_at),
    }


def _caller(request: HttpRequest) -> tuple[User, ApiClient]:
    user = api_user(request)
    client = client_of(user)
    if client is None:  # a key always has its client: without one the key is not valid
        raise ApiError(401, "unauthenticated", _("Khóa API không còn hiệu lực."))
    return user, client


def _subscription(request: HttpRequest, pk: int) -> tuple[User, Subscription]:
    user = api_user(request)
    subscription = get_subscription_for_client(user, pk)
    if subscription is None:
        raise ApiError(404, "subscription_not_found", _("Không tìm thấy đăng ký nhận sự kiện."))
    return user, subscription


@contextmanager
def _as_api_errors() -> Iterator[None]:
    try:
        yield
    except OutsideScope as exc:
        raise ApiError(403, "unit_forbidden", str(exc)) from None
    except ValidationError as exc:
        details = validation_details(exc)
        message = details[0]["message"] if details else _("Dữ liệu gửi lên không hợp lệ.")
        raise ApiError(422, "invalid_input", message, details) from None


def _input(payload: SubscriptionIn) -> SubscriptionInput:
    return SubscriptionInput(
        url=payload.url,
        event_types=[t.value for t in payload.event_types],
        units=payload.units,
        procedures=payload.procedures,
        description=payload.description,
    )


# --- operations --------------------------------------------------------------------------


@webhooks_router.get(
    "/webhooks/event-types",
    response={200: list[EventTypeOut], 401: ErrorResponse},
    summary="Danh mục loại sự kiện có thể đăng ký",
)
def list_webhook_event_types(request: HttpRequest) -> Any:
    """Every event type of the fixed catalogue, with its CloudEvents ``type`` as sent."""
    api_user(request)
    prefix = settings.EGOV_WEBHOOKS_TYPE_PREFIX
    return [
        {"type": t, "cloudevents_type": f"{prefix}.{t.value}", "label": str(t.label)}
        for t in EventType
    ]


@webhooks_router.post(
    "/webhooks/subscriptions",
    response={
        201: SubscriptionWithSecretOut,
        401: ErrorResponse,
        403: ErrorResponse,
        422: ErrorResponse,
    },
    summary="Đăng ký nhận sự kiện (trả khóa bí mật một lần)",
)
def create_webhook_subscription(request: HttpRequest, payload: SubscriptionIn) -> Any:
    """A new active subscription of the calling client; 403 ``unit_forbidden`` for a unit
    filter beyond the units the client's roles reach. The answer carries the HMAC secret,
    shown this once (it is not kept in the idempotency store either: a retried create makes
    a second subscription — list and delete the extra one)."""
    user, client = _caller(request)
    with _as_api_errors():
        created = subscription_create(actor=user, owner=client, data=_input(payload))
    return Status(201, {**_subscription_out(created.subscription), "secret": created.secret})


@webhooks_router.get(
    "/webhooks/subscriptions",
    response={200: list[SubscriptionOut], 401: ErrorResponse},
    summary="Các đăng ký nhận sự kiện của ứng dụng",
)
def list_webhook_subscriptions(request: HttpRequest) -> Any:
    """The calling client's subscriptions (at most 20), oldest first."""
    return [_subscription_out(s) for s in subscriptions_of(api_user(request))]


@webhooks_router.get(
    "/webhooks/subscriptions/{subscription_id}",
    response={200: SubscriptionOut, **READ_ERRORS},
    summary="Một đăng ký nhận sự kiện",
)
def get_webhook_subscription(request: HttpRequest, subscription_id: Id) -> Any:
    """One subscription of the calling client, with its state and health."""
    _user, subscription = _subscription(request, subscription_id)
    return _subscription_out(subscription)


@webhooks_router.put(
    "/webhooks/subscriptions/{subscription_id}",
    response={200: SubscriptionOut, 403: ErrorResponse, **READ_ERRORS},
    summary="Sửa địa chỉ, loại sự kiện, bộ lọc",
)
def update_webhook_subscription(
    request: HttpRequest, subscription_id: Id, payload: SubscriptionIn
) -> Any:
    """Replace URL, event types, filters and description (the secret stays)."""
    user, subscription = _subscription(request, subscription_id)
    with _as_api_errors():
        updated = subscription_update(actor=user, subscription=subscription, data=_input(payload))
    return _subscription_out(get_subscription_for_client(user, updated.pk) or updated)


@webhooks_router.delete(
    "/webhooks/subscriptions/{subscription_id}",
    response={204: None, **READ_ERRORS},
    summary="Xóa đăng ký nhận sự kiện",
)
def delete_webhook_subscription(request: HttpRequest, subscription_id: Id) -> Any:
    """Deleted with its delivery log; nothing more is sent to it."""
    user, subscription = _subscription(request, subscription_id)
    subscription_delete(actor=user, subscription=subscription)
    return Status(204, None)


@webhooks_router.post(
    "/webhooks/subscriptions/{subscription_id}/rotate-secret",
    response={200: SubscriptionWithSecretOut, **READ_ERRORS},
    summary="Đổi khóa bí mật (khóa cũ vẫn ký kèm trong thời gian chuyển đổi)",
)
def rotate_webhook_secret(request: HttpRequest, subscription_id: Id) -> Any:
    """A new secret, shown this once; deliveries carry signatures with both the new and the
    old secret for ``EGOV_WEBHOOKS_ROTATION_OVERLAP_HOURS`` (24 by default)."""
    user, subscription = _subscription(request, subscription_id)
    created = subscription_rotate_secret(actor=user, subscription=subscription)
    fresh = get_subscription_for_client(user, subscription.pk) or created.subscription
    return {**_subscription_out(fresh), "secret": created.secret}


@webhooks_router.post(
    "/webhooks/subscriptions/{subscription_id}/pause",
    response={200: SubscriptionOut, **READ_ERRORS},
    summary="Tạm dừng nhận sự kiện",
)
def pause_webhook_subscription(request: HttpRequest, subscription_id: Id) -> Any:
    """Nothing is sent while paused; new events wait as pending and go out on resume."""
    user, subscription = _subscription(request, subscription_id)
    subscription_pause(actor=user, subscription=subscription)
    return _subscription_out(get_subscription_for_client(user, subscription.pk) or subscription)


@webhooks_router.post(
    "/webhooks/subscriptions/{subscription_id}/resume",
    response={200: SubscriptionOut, **READ_ERRORS},
    summary="Tiếp tục nhận sự kiện (gửi ngay các sự kiện đang chờ)",
)
def resume_webhook_subscription(request: HttpRequest, subscription_id: Id) -> Any:
    """Active again, also after an automatic pause; every waiting delivery is due at once."""
    user, subscription = _subscription(request, subscription_id)
    subscription_resume(actor=user, subscription=subscription)
    return _subscription_out(get_subscription_for_client(user, subscription.pk) or subscription)


@webhooks_router.get(
    "/webhooks/subscriptions/{subscription_id}/deliveries",
    response={200: DeliveryPageOut, **READ_ERRORS},
    summary="Nhật ký gửi sự kiện (mới nhất trước, phân trang bằng con trỏ)",
)
def list_webhook_deliveries(
    request: HttpRequest,
    subscription_id: Id,
    state: DeliveryState | None = None,
    cursor: Annotated[str, Text(12)] = "",
    limit: Annotated[int, Field(ge=1, le=200)] = 50,
) -> Any:
    """The delivery log, newest first; pass ``next_cursor`` as ``cursor`` for the next page.
    ``state=dead`` lists the dead letters."""
    _user, subscription = _subscription(request, subscription_id)
    if cursor and (not cursor.isdigit() or int(cursor) > 2**31):
        raise ApiError(422, "invalid_input", _("Con trỏ trang không hợp lệ."))
    rows = delivery_log(
        subscription, after=int(cursor) if cursor else None, limit=limit + 1, state=state or ""
    )
    page = rows[:limit]
    return {
        "items": [_delivery_out(d) for d in page],
        "next_cursor": str(page[-1].pk) if len(rows) > limit else None,
    }


@webhooks_router.post(
    "/webhooks/subscriptions/{subscription_id}/deliveries/{delivery_id}/replay",
    response={200: DeliveryOut, **WRITE_ERRORS},
    summary="Gửi lại một sự kiện trong danh sách không gửi được",
)
def replay_webhook_delivery(request: HttpRequest, subscription_id: Id, delivery_id: Id) -> Any:
    """A dead delivery is sent again (same event id) with a fresh retry schedule; 409
    ``not_dead`` for a delivery in another state."""
    user = api_user(request)
    delivery = get_delivery_for_client(user, subscription_id, delivery_id)
    if delivery is None:
        raise ApiError(404, "delivery_not_found", _("Không tìm thấy sự kiện đã gửi."))
    try:
        replayed = delivery_replay(actor=user, delivery=delivery)
    except NotDead as exc:
        raise ApiError(409, "not_dead", str(exc)) from None
    replayed.event = delivery.event
    return _delivery_out(replayed)


@webhooks_router.post(
    "/webhooks/subscriptions/{subscription_id}/replay",
    response={200: ReplayRangeOut, **READ_ERRORS},
    summary="Gửi lại các sự kiện không gửi được trong một khoảng thời gian",
)
def replay_webhook_deliveries(
    request: HttpRequest, subscription_id: Id, payload: ReplayRangeIn
) -> Any:
    """Every dead delivery whose event happened in [since, until) is sent again."""
    user, subscription = _subscription(request, subscription_id)
    with _as_api_errors():
        count = deliveries_replay_range(
            actor=user, subscription=subscription, since=payload.since, until=payload.until
        )
    return {"replayed": count}
