import pytest

pytestmark = pytest.mark.django_db


def test_health(client):
    assert client.get("/api/v1/health").json() == {"status": "ok"}


def test_units_keyset_pagination_covers_every_valid_unit_once(quang_ninh, client):
    seen, after = [], ""
    while True:
        page = client.get(
            "/api/v1/units", {"valid_on": "2026-11-27", "limit": 50, "cursor": after}
        ).json()
        seen += [u["key"] for u in page["items"]]
        if page["next_cursor"] is None:
            break
        after = page["next_cursor"]
    assert len(seen) == len(set(seen))
    assert "qn.ttpvhcc" in seen and "qn.ha-long.tthcc" not in seen
    old = client.get("/api/v1/units", {"valid_on": "2012-06-01", "kind": "ttpvhcc"}).json()
    assert len(old["items"]) == 6
    bad = client.get("/api/v1/units", {"cursor": "50"})
    assert (bad.status_code, bad.json()["error"]["code"]) == (422, "invalid_cursor")


def test_unit_detail_and_not_found_error_format(quang_ninh, client):
    assert (
        client.get("/api/v1/units/000.00.00.H49").json()["name"]
        == "Ủy ban nhân dân tỉnh Quảng Ninh"
    )
    response = client.get("/api/v1/units/000.99.99.H49")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "unit_not_found"


def test_calendar_endpoints_and_validation(quang_ninh, client):
    days = {day["date"]: day for day in client.get("/api/v1/calendar/holidays/2026").json()}
    assert days["2026-04-27"] == {
        "date": "2026-04-27",
        "name": "Nghỉ bù Giỗ Tổ Hùng Vương (10/3 âm lịch)",
        "key": "gio_to_hung_vuong",
        "basis": "BLLĐ 2019 Điều 111 khoản 3 (nghỉ bù)",
        "confirmed": True,
    }
    assert days["2026-01-02"] == {
        "date": "2026-01-02",
        "name": "Nghỉ hoán đổi (làm bù thứ Bảy 10/01/2026)",
        "key": "extra",
        "basis": "12729/VPCP-KGVX ngày 25/12/2025",
        "confirmed": False,
    }
    due = client.get(
        "/api/v1/calendar/deadline", {"start": "2026-04-24T10:00:00+07:00", "days": 3}
    ).json()
    assert (due["due"], due["counting"]) == ("2026-05-04T17:00:00+07:00", "end_of_day")
    bad = client.get("/api/v1/calendar/deadline", {"start": "không phải ngày", "days": 3})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_input"
    negative = client.get(
        "/api/v1/calendar/deadline", {"start": "2026-04-24T10:00:00Z", "days": -2}
    )
    assert negative.status_code == 422 and negative.json()["error"]["code"] == "invalid_days"
    # A moment without its offset is refused, as everywhere in the API.
    naive = client.get("/api/v1/calendar/deadline", {"start": "2026-04-24T10:00:00", "days": 2})
    assert naive.status_code == 422
    assert [(d["field"], d["code"]) for d in naive.json()["error"]["details"]] == [
        ("start", "timezone_aware")
    ]
    # Any offset in, Việt Nam time out.
    utc = client.get(
        "/api/v1/calendar/deadline", {"start": "2026-04-24T03:00:00Z", "days": 3}
    ).json()
    assert (utc["start"], utc["due"]) == ("2026-04-24T10:00:00+07:00", "2026-05-04T17:00:00+07:00")
    assert client.get("/api/v1/calendar/holidays/1800").status_code == 422


def test_body_refusals_of_the_size_middleware_are_documented_and_answered(client, db):
    """Every operation that takes a body documents the middleware's 400/411/413, and the
    answer has the API's one error shape."""
    import json
    from pathlib import Path

    from django.conf import settings

    schema = json.loads((Path(settings.BASE_DIR) / "docs" / "openapi.json").read_text())
    with_body = [
        (path, method)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if "requestBody" in operation
    ]
    assert with_body
    for path, method in with_body:
        assert {"400", "411", "413"} <= set(schema["paths"][path][method]["responses"]), (
            path,
            method,
        )
    refused = client.post(
        "/api/v1/staff/dossiers",
        data=b"{}",
        content_type="application/json",
        CONTENT_LENGTH=str(150 * 1024 * 1024),
    )
    assert refused.status_code == 413
    assert set(refused.json()["error"]) == {"code", "message", "details"}


def test_a_unit_names_its_parent_by_code_or_by_key_when_it_has_none(quang_ninh, client):
    from egov.org.models import Unit

    child = Unit.objects.filter(parent__code="000.00.00.H49").exclude(code=None).first()
    assert child is not None and child.parent is not None and child.code
    parent_key = child.parent.key
    one = client.get(f"/api/v1/units/{child.code}").json()
    assert (one["parent"], one["parent_key"]) == ("000.00.00.H49", parent_key)
    # Without a code the parent is named by its key, as a unit without a code is.
    Unit.objects.filter(pk=child.parent_id).update(code=None)
    one = client.get(f"/api/v1/units/{child.code}").json()
    assert (one["parent"], one["parent_key"]) == (parent_key, parent_key)
    top = client.get(f"/api/v1/units/{parent_key}").json()  # the province, by its key now
    assert (top["parent"], top["parent_key"]) == (None, None)
