import datetime as dt

import pytest
import time_machine

from egov.dossiers.errors import TransitionError
from egov.dossiers.selectors import mask_name
from egov.dossiers.services.apology import dossier_apologise
from egov.dossiers.services.reception import dossier_receive
from egov.dossiers.services.transitions import dossier_transition
from egov.dossiers.tests.helpers import reception, user
from egov.workdays.engine import VIETNAM_TZ

pytestmark = pytest.mark.django_db
LLTP = "qn-cap-phieu-ly-lich-tu-phap"


def at(*args):
    return dt.datetime(*args, tzinfo=VIETNAM_TZ)


def test_apology_at_least_one_day_before_due_and_only_once(quang_ninh):
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        dossier = dossier_receive(actor=user("tinh.tiepnhan"), reception=reception(LLTP))
    assert dossier.due_at == at(2026, 3, 12, 17, 0)  # 10 days
    specialist = user("tinh.lanhdaophong")  # Sở Tư pháp, the competent unit: its head signs
    with time_machine.travel(at(2026, 3, 11, 16, 0), tick=False):  # the day before the due day
        dossier = dossier_apologise(
            actor=specialist,
            dossier=dossier,
            new_due=at(2026, 3, 18, 17, 0),
            reason="Cần xác minh thêm tại nơi cư trú trước đây",
        )
    assert dossier.due_at == at(2026, 3, 18, 17, 0)
    assert dossier.original_due_at == at(2026, 3, 12, 17, 0)
    assert dossier.events.last().action == "apologise"
    with (
        time_machine.travel(at(2026, 3, 9, 9, 0), tick=False),
        pytest.raises(TransitionError, match="không quá một lần"),
    ):
        dossier_apologise(
            actor=specialist, dossier=dossier, new_due=at(2026, 3, 20, 17, 0), reason="Lần hai"
        )


def test_apology_on_the_due_day_is_refused(quang_ninh):
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        dossier = dossier_receive(actor=user("tinh.tiepnhan"), reception=reception(LLTP))
    with (
        time_machine.travel(at(2026, 3, 12, 7, 45), tick=False),
        pytest.raises(TransitionError, match="chậm nhất 01 ngày trước ngày hẹn trả"),
    ):
        dossier_apologise(
            actor=user("tinh.lanhdaophong"),
            dossier=dossier,
            new_due=at(2026, 3, 18, 17, 0),
            reason="Muộn",
        )
    dossier.refresh_from_db()
    assert dossier.apologised_at is None and dossier.due_at == at(2026, 3, 12, 17, 0)


def test_public_lookup_page_and_api(quang_ninh, client):
    dossier = dossier_receive(actor=user("tinh.tiepnhan"), reception=reception(LLTP))
    dossier = dossier_transition(actor=user("tinh.tiepnhan"), dossier=dossier, action="hand_off")
    html = client.get("/tra-cuu-ho-so/", {"ma": dossier.code}).content.decode()
    assert "Đang xử lý" in html and "N***** V** A*" in html
    assert "Nguyễn Văn An" not in html and "022084000123" not in html and "912345678" not in html
    assert "Chuyển hồ sơ đến cơ quan giải quyết" in html
    data = client.get(f"/api/v1/public/dossiers/{dossier.code}").json()
    assert data["status"] == "processing" and data["applicant"] == "N***** V** A*"
    assert [s["label"] for s in data["steps"]] == [
        "Tiếp nhận hồ sơ",
        "Chuyển hồ sơ đến cơ quan giải quyết",
    ]
    assert "personal_id" not in str(data) and "0912" not in str(data)


def test_a_late_dossier_is_marked_overdue_until_it_is_finished(quang_ninh, client):
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        dossier = dossier_receive(actor=user("tinh.tiepnhan"), reception=reception(LLTP))
        dossier = dossier_transition(
            actor=user("tinh.tiepnhan"), dossier=dossier, action="hand_off"
        )
    assert dossier.due_at == at(2026, 3, 12, 17, 0)
    with time_machine.travel(at(2026, 3, 12, 16, 59), tick=False):
        assert client.get(f"/api/v1/public/dossiers/{dossier.code}").json()["overdue"] is False
    with time_machine.travel(at(2027, 3, 15, 9, 0), tick=False):  # a year late
        data = client.get(f"/api/v1/public/dossiers/{dossier.code}").json()
        assert (data["overdue"], data["due_kind"]) == (True, "result")
        html = client.get("/tra-cuu-ho-so/", {"ma": dossier.code}).content.decode()
        assert (
            '<dt>Hẹn trả kết quả</dt><dd>17:00 12/03/2026 <strong class="badge overdue">'
            "quá hạn</strong></dd>"
        ) in html
        dossier = dossier_transition(
            actor=user("tinh.lanhdaophong"), dossier=dossier, action="approve"
        )
        data = client.get(f"/api/v1/public/dossiers/{dossier.code}").json()
        assert (data["status"], data["overdue"]) == ("result_ready", False)


def test_an_empty_lookup_says_what_to_type(quang_ninh, client):
    page = client.get("/tra-cuu-ho-so/", {"ma": "  "})
    assert page.status_code == 400
    assert (
        '<p class="message error" role="alert">Hãy nhập mã hồ sơ in trên Giấy tiếp nhận hồ sơ '
        "và hẹn trả kết quả.</p>"
    ) in page.content.decode()
    assert client.get("/tra-cuu-ho-so/").status_code == 200  # the page itself, no error


def test_unknown_and_malformed_codes(quang_ninh, client):
    for code in ["000.00.89.H49-260101-9999", "abc", "'; drop table"]:
        response = client.get(f"/api/v1/public/dossiers/{code}")
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "dossier_not_found"
    page = client.get("/tra-cuu-ho-so/", {"ma": "000.00.89.H49-260101-9999"})
    assert page.status_code == 404 and "Không tìm thấy hồ sơ" in page.content.decode()


def test_lookups_are_rate_limited(quang_ninh, client, settings):
    from django.core.cache import cache

    cache.clear()
    settings.EGOV_LOOKUP_RATE_PER_MINUTE = 3
    statuses = [
        client.get("/api/v1/public/dossiers/000.00.89.H49-260101-0001").status_code
        for _ in range(5)
    ]
    assert statuses == [404, 404, 404, 429, 429]
    response = client.get("/tra-cuu-ho-so/", {"ma": "x"})
    assert response.status_code == 429 and "quá nhiều lần" in response.content.decode()
    cache.clear()


def test_a_refused_lookup_says_when_to_retry(quang_ninh, client, settings):
    settings.EGOV_LOOKUP_RATE_PER_MINUTE = 1
    code = dossier_receive(actor=user("tinh.tiepnhan"), reception=reception()).code
    moment = dt.datetime(2026, 12, 2, 8, 0, 45, tzinfo=dt.UTC)  # 15 s before the minute ends
    with time_machine.travel(moment, tick=False):
        allowed = client.get(f"/api/v1/public/dossiers/{code}")
        refused = client.get(f"/api/v1/public/dossiers/{code}")
    assert allowed.status_code == 200
    assert (allowed["RateLimit-Limit"], allowed["RateLimit-Remaining"]) == ("1", "0")
    assert (allowed["RateLimit-Reset"], "Retry-After" in allowed) == ("15", False)
    assert refused.status_code == 429 and refused.json()["error"]["code"] == "rate_limited"
    assert (refused["Retry-After"], refused["RateLimit-Reset"]) == ("15", "15")


def test_mask_name():
    assert mask_name("Nguyễn Văn An") == "N***** V** A*"
    assert mask_name("Công ty TNHH Hạ Long") == "C*** t* T*** H* L***"
