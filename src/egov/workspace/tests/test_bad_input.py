"""Issue 9 point 17: no input gives a 500 — NUL bytes in paths, searches and staff actions,
dates far in the future in the tracking book and the payments reconciliation, numbers that are
not numbers. Each answer is a clear Vietnamese 4xx (or the action refused with a message)."""

import pytest
from django.contrib.messages import get_messages

from egov.dossiers.models import CounterNotice, Dossier, DossierPayment
from egov.dossiers.services.reception import dossier_receive
from egov.dossiers.tests.helpers import reception, user

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(quang_ninh, client, settings):
    settings.EGOV_REQUIRE_STAFF_MFA = False
    client.force_login(user("tinh.tiepnhan"))
    return client


def flash(response):
    """The message the action just added (earlier ones wait in the cookie)."""
    return [str(m) for m in get_messages(response.wsgi_request)][-1:]


def test_anonymous_procedure_pages_with_a_nul_byte_are_not_found(quang_ninh, client):
    assert client.get("/thu-tuc/%00/").status_code == 404
    assert client.get("/thu-tuc/1.001612/bieu-mau/%00.docx").status_code == 404
    assert client.get("/thu-tuc/%00/bieu-mau/x.docx").status_code == 404
    assert client.get("/thu-tuc/" + "1" * 5000 + "/").status_code == 404


def test_staff_searches_with_a_nul_byte_answer(desk):
    dossier = dossier_receive(actor=user("tinh.tiepnhan"), reception=reception())
    page = desk.get("/staff/ho-so/", {"q": dossier.code + "\x00"})
    assert page.status_code == 200 and dossier.code in page.content.decode()
    assert desk.get("/staff/tiep-nhan/", {"q": "ho kinh doanh\x00"}).status_code == 200
    assert desk.get("/staff/tiep-nhan/", {"thu-tuc": "1.0016\x0012"}).status_code == 200
    assert desk.get("/staff/ho-so/%00/").status_code == 404


def test_staff_actions_with_a_nul_byte_are_refused_with_a_message(desk):
    dossier = dossier_receive(actor=user("tinh.tiepnhan"), reception=reception())
    base = f"/staff/ho-so/{dossier.code}"
    done = desk.post(f"{base}/thao-tac/", {"action": "hand_off", "reason": "x\x00"})
    assert done.status_code == 302
    assert flash(done) == ["Dữ liệu nhập không được chứa ký tự điều khiển (ví dụ ký tự NUL)."]
    assert Dossier.objects.get(pk=dossier.pk).status == "received"
    bad_revision = desk.post(f"{base}/thao-tac/", {"action": "hand_off", "revision": "abc"})
    assert flash(bad_revision) == ["revision phải là số nguyên."]
    fee = desk.post(f"{base}/nop-tien/", {"amount": "1000", "method": "cash", "reference": "\x00"})
    assert fee.status_code == 302
    assert flash(fee) == ["Không được chứa ký tự điều khiển (ví dụ ký tự NUL)."]
    huge = desk.post(f"{base}/nop-tien/", {"amount": "9" * 40, "method": "cash"})
    assert flash(huge) == ["Số tiền phải là số nguyên."]
    assert not DossierPayment.objects.exists()
    apology = desk.post(f"{base}/xin-loi/", {"new_due": "2026-13-01\x00", "reason": "x"})
    assert flash(apology) == ["Ngày hẹn mới không hợp lệ."]
    notice = desk.post(
        "/staff/tiep-nhan/phieu/?thu-tuc=1.001612",
        {"kind": "refusal", "applicant_name": "An\x00", "reason": "Không đủ điều kiện"},
    )
    assert notice.status_code == 200
    assert "Không được chứa ký tự điều khiển" in notice.content.decode()
    assert not CounterNotice.objects.exists()


def test_tracking_book_with_a_date_in_year_9999_is_a_400(desk):
    response = desk.get("/staff/so-theo-doi.pdf", {"tu": "9999-12-01", "den": "9999-12-31"})
    assert response.status_code == 400
    assert response.content.decode() == (
        "Ngày không hợp lệ (ngày bắt đầu): phải trong khoảng 01/01/1900 đến 31/12/2199."
    )


def test_tracking_book_through_the_api_with_year_9999_is_a_400(quang_ninh, client):
    from egov.dossiers.tests.test_staff_api import make_key

    response = client.get(
        "/api/v1/staff/tracking-book.pdf",
        {"start": "9999-12-30", "end": "9999-12-31"},
        HTTP_AUTHORIZATION=f"Bearer {make_key()}",
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_period"


def test_payments_reconciliation_with_a_date_in_year_9999_is_a_400(quang_ninh, client, settings):
    settings.EGOV_REQUIRE_STAFF_MFA = False
    client.force_login(user("tinh.lanhdaotrungtam"))
    response = client.get("/staff/thanh-toan/", {"tu": "9999-12-01", "den": "9999-12-31"})
    assert response.status_code == 400
    assert "Ngày không hợp lệ (từ ngày): phải trong khoảng" in response.content.decode()
    wrong = client.get("/staff/thanh-toan/", {"tu": "2026-01-01", "den": "2026\x00"})
    assert wrong.status_code == 400


def test_date_and_int_parameter_helpers_have_bounds():
    import datetime as dt

    from egov.core.inputs import ParamError, parse_date_param, parse_int_param

    assert parse_date_param("2026-05-04") == dt.date(2026, 5, 4)
    assert parse_date_param("", default=dt.date(2026, 1, 1)) == dt.date(2026, 1, 1)
    for bad in ("9999-12-31", "2026-02-30", "20260504", "2026-05-04\x00", "0001-01-01"):
        with pytest.raises(ParamError):
            parse_date_param(bad)
    assert parse_int_param(" 7 ", default=1, minimum=1, maximum=10) == 7
    for bad in ("11", "0", "1e3", "9" * 40, "\x00"):
        with pytest.raises(ParamError):
            parse_int_param(bad, default=1, minimum=1, maximum=10)
