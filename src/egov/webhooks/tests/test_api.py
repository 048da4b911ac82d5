"""The owner's API: create (secret shown once), list, get, update, delete, rotate, pause and
resume, the delivery log in cursor pages, replay of dead letters — and another client's
subscription is a 404, whatever the operation."""

from __future__ import annotations

import datetime as dt

import pytest

from egov.accounts.models import Role
from egov.accounts.services import api_client_create
from egov.org.models import Unit
from egov.webhooks.models import Delivery, DeliveryState, Subscription, WebhookEvent
from egov.webhooks.signing import unseal

pytestmark = pytest.mark.django_db
BASE = "/api/v1/webhooks/subscriptions"


def auth(client_with_key):
    return {"HTTP_AUTHORIZATION": f"Bearer {client_with_key.key}"}


def create(client, partner, **overrides):
    body = {
        "url": "https://doitac.example.vn/su-kien",
        "event_types": ["dossier.received", "dossier.status_changed"],
        "units": ["qn.ttpvhcc"],
        "procedures": ["1.001612"],
        "description": "Hệ thống theo dõi",
        **overrides,
    }
    return client.post(BASE, body, content_type="application/json", **auth(partner))


@pytest.fixture
def other(quang_ninh):
    client, key = api_client_create(
        actor=None,
        name="Đối tác khác",
        unit=Unit.objects.get(key="qn.ubnd"),
        role=Role.SYSTEM_ADMIN,
    )
    client.key = key
    return client


def test_create_returns_the_secret_once_and_stores_it_sealed(client, partner):
    response = create(client, partner)
    assert response.status_code == 201
    body = response.json()
    assert body["secret"].startswith("whsec_")
    assert body["event_types"] == ["dossier.received", "dossier.status_changed"]
    assert body["units"] == [Unit.objects.get(key="qn.ttpvhcc").code]
    assert body["procedures"] == ["1.001612"]
    assert body["state"] == "active"
    stored = Subscription.objects.get(pk=body["id"])
    assert body["secret"] not in stored.secret_sealed
    assert unseal(stored.secret_sealed) == body["secret"]
    again = client.get(f"{BASE}/{body['id']}", **auth(partner)).json()
    assert "secret" not in again
    assert again["url"] == "https://doitac.example.vn/su-kien"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"url": "http://doitac.example.vn/su-kien"}, "url"),
        ({"url": "ftp://doitac.example.vn/"}, "url"),
        ({"url": "https://user:pw@doitac.example.vn/"}, "url"),
        ({"event_types": ["dossier.deleted"]}, "event_types.0"),
        ({"event_types": []}, "event_types"),
        ({"units": ["000.00.00.Z99"]}, "units"),
        ({"procedures": ["9.999999"]}, "procedures"),
    ],
)
def test_bad_input_is_a_translated_422_naming_the_field(client, partner, overrides, field):
    response = create(client, partner, **overrides)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_input"
    assert [d["field"] for d in error["details"]] == [field]
    assert not Subscription.objects.exists()


def test_http_on_loopback_only_where_allowed(client, partner, settings):
    settings.EGOV_WEBHOOKS_ALLOW_LOOPBACK_HTTP = False
    assert create(client, partner, url="http://127.0.0.1:8001/hook").status_code == 422
    settings.EGOV_WEBHOOKS_ALLOW_LOOPBACK_HTTP = True
    assert create(client, partner, url="http://127.0.0.1:8001/hook").status_code == 201
    assert create(client, partner, url="http://10.0.0.1/hook").status_code == 422


def test_a_client_of_one_ward_subscribes_only_to_its_own_units(client, quang_ninh):
    ward, key = api_client_create(
        actor=None,
        name="Phần mềm phường",
        unit=Unit.objects.get(key="qn.x.hong-gai.ttpvhcc"),
        role=Role.RECEPTIONIST,
        scopes=["dossiers.read", "webhooks.manage"],
    )
    ward.key = key
    assert create(client, ward, units=[]).status_code == 422
    refused = create(client, ward, units=["qn.ttpvhcc"])
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "unit_forbidden"
    assert create(client, ward, units=["qn.x.hong-gai.ttpvhcc"], procedures=[]).status_code == 201


def test_another_clients_subscription_is_not_found_for_every_operation(client, partner, other):
    pk = create(client, partner).json()["id"]
    body = {"url": "https://x.example.vn/", "event_types": ["dossier.received"]}
    calls = [
        client.get(f"{BASE}/{pk}", **auth(other)),
        client.put(f"{BASE}/{pk}", body, content_type="application/json", **auth(other)),
        client.delete(f"{BASE}/{pk}", **auth(other)),
        client.post(f"{BASE}/{pk}/rotate-secret", **auth(other)),
        client.post(f"{BASE}/{pk}/pause", **auth(other)),
        client.post(f"{BASE}/{pk}/resume", **auth(other)),
        client.get(f"{BASE}/{pk}/deliveries", **auth(other)),
        client.post(
            f"{BASE}/{pk}/replay",
            {"since": "2026-01-01T00:00:00Z", "until": "2027-01-01T00:00:00Z"},
            content_type="application/json",
            **auth(other),
        ),
    ]
    assert [r.status_code for r in calls] == [404] * len(calls)
    assert {r.json()["error"]["code"] for r in calls} == {"subscription_not_found"}
    assert client.get(BASE, **auth(other)).json() == []
    assert [s["id"] for s in client.get(BASE, **auth(partner)).json()] == [pk]
    assert Subscription.objects.get(pk=pk).state == "active"
    assert client.get(BASE).status_code == 401


def test_update_pause_resume_rotate_delete(client, partner):
    created = create(client, partner).json()
    pk = created["id"]
    updated = client.put(
        f"{BASE}/{pk}",
        {"url": "https://moi.example.vn/hook", "event_types": ["payment.recorded"]},
        content_type="application/json",
        **auth(partner),
    ).json()
    assert (updated["url"], updated["event_types"], updated["units"], updated["procedures"]) == (
        "https://moi.example.vn/hook",
        ["payment.recorded"],
        [],
        [],
    )
    paused = client.post(f"{BASE}/{pk}/pause", **auth(partner)).json()
    assert (paused["state"], paused["pause_reason"]) == ("paused", "owner")
    resumed = client.post(f"{BASE}/{pk}/resume", **auth(partner)).json()
    assert (resumed["state"], resumed["pause_reason"]) == ("active", "")
    steps = Subscription.objects.get(pk=pk).steps.values_list("from_state", "to_state", "reason")
    assert list(steps) == [("active", "paused", "owner"), ("paused", "active", "")]

    rotated = client.post(f"{BASE}/{pk}/rotate-secret", **auth(partner)).json()
    assert rotated["secret"] != created["secret"]
    stored = Subscription.objects.get(pk=pk)
    assert unseal(stored.secret_sealed) == rotated["secret"]
    assert unseal(stored.previous_secret_sealed) == created["secret"]

    assert client.delete(f"{BASE}/{pk}", **auth(partner)).status_code == 204
    assert not Subscription.objects.filter(pk=pk).exists()


def _deliveries(subscription, n, state=DeliveryState.DELIVERED):
    now = dt.datetime(2026, 12, 2, tzinfo=dt.UTC)
    for i in range(n):
        event = WebhookEvent.objects.create(
            id=f"00000000-0000-4000-8000-{i:012d}",
            type="dossier.received",
            subject=f"HS-{i}",
            time=now + dt.timedelta(minutes=i),
            body="{}",
        )
        Delivery.objects.create(
            event=event, subscription=subscription, state=state, attempts=8, created_at=now
        )


def test_the_delivery_log_is_paged_by_cursor_newest_first(client, partner):
    pk = create(client, partner).json()["id"]
    _deliveries(Subscription.objects.get(pk=pk), 5)
    seen, cursor = [], ""
    while True:
        page = client.get(f"{BASE}/{pk}/deliveries?limit=2&cursor={cursor}", **auth(partner)).json()
        seen += [d["subject"] for d in page["items"]]
        if page["next_cursor"] is None:
            break
        cursor = page["next_cursor"]
    assert seen == ["HS-4", "HS-3", "HS-2", "HS-1", "HS-0"]
    bad = client.get(f"{BASE}/{pk}/deliveries?cursor=abc", **auth(partner))
    assert bad.status_code == 422
    assert client.get(f"{BASE}/{pk}/deliveries?state=lost", **auth(partner)).status_code == 422


def test_replay_of_a_dead_letter_and_of_a_range(client, partner):
    pk = create(client, partner).json()["id"]
    subscription = Subscription.objects.get(pk=pk)
    _deliveries(subscription, 3, state=DeliveryState.DEAD)
    dead = list(Delivery.objects.order_by("id"))
    one = client.post(f"{BASE}/{pk}/deliveries/{dead[0].pk}/replay", **auth(partner))
    assert one.status_code == 200
    assert (one.json()["state"], one.json()["attempts"]) == ("pending", 0)
    again = client.post(f"{BASE}/{pk}/deliveries/{dead[0].pk}/replay", **auth(partner))
    assert (again.status_code, again.json()["error"]["code"]) == (409, "not_dead")
    naive = client.post(
        f"{BASE}/{pk}/replay",
        {"since": "2026-12-02T00:00:00", "until": "2026-12-03T00:00:00"},
        content_type="application/json",
        **auth(partner),
    )
    assert naive.status_code == 422
    ranged = client.post(
        f"{BASE}/{pk}/replay",
        {"since": "2026-12-02T00:01:00Z", "until": "2026-12-02T00:02:00Z"},
        content_type="application/json",
        **auth(partner),
    )
    assert ranged.json() == {"replayed": 1}
    states = dict(Delivery.objects.values_list("event__subject", "state"))
    assert states == {"HS-0": "pending", "HS-1": "pending", "HS-2": "dead"}
    assert list(dead[0].steps.values_list("from_state", "to_state")) == [("dead", "pending")]


def test_the_catalogue_names_the_cloudevents_types(client, partner):
    types = client.get("/api/v1/webhooks/event-types", **auth(partner)).json()
    assert {
        "type": "dossier.status_changed",
        "cloudevents_type": "vn.gov.quangninh.egov.dossier.status_changed",
        "label": "Hồ sơ chuyển trạng thái",
    } in types


def test_a_key_without_the_webhooks_scope_is_refused(client, quang_ninh):
    desk, key = api_client_create(
        actor=None,
        name="Quầy không quản lý sự kiện",
        unit=Unit.objects.get(key="qn.x.hong-gai.ttpvhcc"),
        role=Role.RECEPTIONIST,
    )
    desk.key = key
    refused = create(client, desk, units=["qn.x.hong-gai.ttpvhcc"])
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "insufficient_scope"
