"""API client scopes, per-client rate limits and the record of every call (issue 14, §4)."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.core.management import call_command

from egov.accounts.models import ApiCall, ApiClient, Role
from egov.accounts.scopes import ROLE_SCOPES, SPECIAL, Scope
from egov.accounts.services import api_client_create, api_client_revoke, api_client_set_scopes
from egov.core.models import RateCounter
from egov.org.models import Unit
from egov.workdays.engine import VIETNAM_TZ

pytestmark = pytest.mark.django_db

LIST = "/api/v1/staff/dossiers"
SCHEMA = Path(__file__).resolve().parents[4] / "docs" / "openapi.json"


def make(role=Role.RECEPTIONIST, **kwargs):
    return api_client_create(
        actor=None,
        name=f"client-{ApiClient.objects.count()}",
        unit=Unit.objects.get(key="qn.ttpvhcc"),
        role=role,
        **kwargs,
    )


def call(client, key, method="get", path=LIST, **data):
    return getattr(client, method)(
        path,
        data=data or None,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )


def test_a_new_key_gets_its_roles_scopes_unless_given_fewer(quang_ninh):
    row, _key = make(Role.POSTAL)
    assert row.scopes == ["dossiers.read", "dossiers.process"]
    row, _key = make(Role.RECEPTIONIST, scopes=["dossiers.receive", "dossiers.read"])
    assert row.scopes == ["dossiers.read", "dossiers.receive"]  # in catalogue order
    with pytest.raises(ValidationError) as refused:
        make(scopes=["dossiers.read", "everything"])
    assert refused.value.messages == [
        "Không có phạm vi quyền everything. Các phạm vi: " + ", ".join(Scope.values) + "."
    ]


def test_an_operation_outside_the_keys_scopes_is_refused_403(quang_ninh, client):
    _row, postal_key = make(Role.POSTAL)
    answer = call(client, postal_key, "post", procedure="x")
    assert answer.status_code == 403
    assert answer.json() == {
        "error": {
            "code": "insufficient_scope",
            "message": "Khóa API này không có phạm vi quyền “dossiers.receive” (Tiếp nhận hồ"
            " sơ, số hóa thành phần hồ sơ) cần cho thao tác.",
            "details": [],
        }
    }
    assert call(client, postal_key).status_code == 200  # reading is within its scopes
    _row, bare_key = make(scopes=[])
    assert call(client, bare_key).json()["error"]["code"] == "insufficient_scope"
    assert (
        call(client, bare_key, path="/api/v1/staff/incoming-documents").json()["error"]["code"]
        == "insufficient_scope"
    )


def test_changing_the_scopes_takes_effect_at_once(quang_ninh, client):
    row, key = make(scopes=[])
    assert call(client, key).status_code == 403
    api_client_set_scopes(actor=None, client=row, scopes=["dossiers.read"])
    assert call(client, key).status_code == 200
    out = StringIO()
    call_command("api_client", "scopes", row.name, "--scope", "reports.read", stdout=out)
    assert out.getvalue().strip() == f"“{row.name}”: reports.read."
    assert call(client, key).status_code == 403


def test_each_key_has_its_own_limit_and_says_so_in_headers(quang_ninh, client):
    _row, key = make(rate_limit_per_minute=2)
    _other, other_key = make()
    first = call(client, key)
    assert (first.status_code, first["RateLimit-Limit"], first["RateLimit-Remaining"]) == (
        200,
        "2",
        "1",
    )
    assert call(client, key)["RateLimit-Remaining"] == "0"
    refused = call(client, key)
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limited"
    assert refused.json()["error"]["message"] == (
        f"Khóa API này đã dùng hết 2 yêu cầu mỗi phút; thử lại sau {refused['Retry-After']} giây."
    )
    assert 1 <= int(refused["Retry-After"]) <= 60
    # Another key is counted on its own, against the installation's default.
    other = call(client, other_key)
    assert (other.status_code, other["RateLimit-Limit"]) == (200, "600")
    assert RateCounter.objects.filter(key__startswith="api-client:").count() == 2


def test_every_call_is_recorded_with_its_client(quang_ninh, client):
    row, key = make(Role.POSTAL, rate_limit_per_minute=2)
    call(client, key)
    call(client, key, "post", procedure="x")
    call(client, key)
    client.get(LIST, HTTP_AUTHORIZATION="Bearer egov_nothing_here")  # no client: not recorded
    calls = list(
        ApiCall.objects.filter(client=row).order_by("id").values_list("method", "route", "status")
    )
    assert calls == [
        ("GET", "api/v1/staff/dossiers", 200),
        ("POST", "api/v1/staff/dossiers", 403),
        ("GET", "api/v1/staff/dossiers", 429),
    ]
    assert ApiCall.objects.count() == 3


def test_keys_made_before_scopes_keep_what_their_role_allowed(quang_ninh):
    row, _key = make(Role.CLERK)
    ApiClient.objects.filter(pk=row.pk).update(scopes=[])
    migration = __import__(
        "egov.accounts.migrations.0009_api_client_scopes_and_calls", fromlist=["x"]
    )
    migration.grant_role_scopes(django_apps, None)
    row.refresh_from_db()
    assert row.scopes == [str(scope) for scope in ROLE_SCOPES[Role.CLERK]]


def test_every_operation_with_its_own_scope_exists_in_the_schema():
    paths = json.loads(SCHEMA.read_text(encoding="utf-8"))["paths"]
    for (method, route), _scope in SPECIAL.items():
        path = "/" + route.replace("<", "{").replace(">", "}")
        assert method.lower() in paths[path], (method, path)


def test_a_key_can_ask_what_it_is(quang_ninh, client, settings):
    """GET /api/v1/client: any valid key, even one without scopes, learns its roles, scopes,
    limit and expiry; a revoked key is answered 401."""
    settings.EGOV_API_CLIENT_RATE_PER_MINUTE = 250
    row, key = make(Role.POSTAL, rate_limit_per_minute=40)
    unit = Unit.objects.get(key="qn.ttpvhcc")
    answer = call(client, key, path="/api/v1/client")
    assert answer.status_code == 200
    assert answer.json() == {
        "name": row.name,
        "key_prefix": row.key_prefix,
        "roles": [
            {
                "role": "postal",
                "role_label": "Nhân viên bưu chính công ích",
                "unit": unit.code,
                "unit_name": unit.name,
            }
        ],
        "scopes": [
            {"scope": "dossiers.process", "label": "Xử lý hồ sơ (chuyển bước, thu phí, thông báo)"},
            {"scope": "dossiers.read", "label": "Xem hồ sơ của đơn vị mình"},
        ],
        "rate_limit_per_minute": 40,
        "expires_at": row.expires_at.astimezone(VIETNAM_TZ).isoformat(timespec="milliseconds"),
        "rotated_at": None,
    }
    bare, bare_key = make(Role.SUPERVISOR, scopes=[])
    plain = call(client, bare_key, path="/api/v1/client").json()
    assert (plain["scopes"], plain["rate_limit_per_minute"]) == ([], 250)
    api_client_revoke(actor=None, client=bare, reason="Thôi dùng")
    refused = call(client, bare_key, path="/api/v1/client")
    assert (refused.status_code, refused.json()["error"]["code"]) == (401, "unauthenticated")
