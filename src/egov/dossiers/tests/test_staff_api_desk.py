"""The desk's operations through the staff API: apology, fees, scans, counter notices and the
tracking book — each with its refusal in the one JSON error format."""

import datetime as dt
import hashlib
import json
from io import StringIO

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from egov.core.tests.scan_samples import document_pdf
from egov.dossiers.services.reception import dossier_receive
from egov.dossiers.services.transitions import dossier_transition
from egov.dossiers.tests.helpers import reception, user
from egov.dossiers.tests.test_staff_api import make_key, post
from egov.workdays.engine import VIETNAM_TZ

pytestmark = pytest.mark.django_db

# A real (born-digital, image-free) PDF: scans are now read and checked for quality.
PDF = document_pdf()


def auth(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_apology_through_the_api_once_and_in_time(quang_ninh, client):
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=VIETNAM_TZ), tick=False):
        dossier = dossier_receive(
            actor=user("tinh.tiepnhan"), reception=reception("qn-cap-phieu-ly-lich-tu-phap")
        )
        dossier_transition(actor=user("tinh.tiepnhan"), dossier=dossier, action="hand_off")
        # The competent unit's head signs the apology (NĐ 61/2018 Điều 19 khoản 9).
        key = make_key(unit="qn.so-tu-phap", role="department_leader", name="lanhdao")
        url = f"/api/v1/staff/dossiers/{dossier.code}/apology"
        naive = post(client, url, key, {"new_due": "2026-04-30T16:00:00", "reason": "Chờ xác minh"})
        assert naive.status_code == 422 and naive.json()["error"]["code"] == "invalid_input"
        assert naive.json()["error"]["details"] == [
            {
                "field": "new_due",
                "message": "Thời điểm cần có độ lệch múi giờ (RFC 3339), ví dụ "
                "2026-05-04T17:00:00+07:00 hoặc 2026-05-04T10:00:00Z.",
                "code": "timezone_aware",
            }
        ]
        assert client.get(url + ".pdf", **auth(key)).status_code == 404
        body = {"new_due": "2026-04-30T16:00:00+07:00", "reason": "Chờ kết quả xác minh"}
        done = post(client, url, key, body)
        assert done.status_code == 200, done.content
        # Every moment leaves in Việt Nam time with its offset (docs/api-conventions.md).
        assert done.json()["due_at"] == "2026-04-30T16:00:00+07:00"
        again = post(client, url, key, body)
        assert again.status_code == 422 and "không quá một lần" in again.json()["error"]["message"]
        pdf = client.get(url + ".pdf", **auth(key))
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_fees_scans_notices_and_tracking_book_through_the_api(quang_ninh, client, settings):
    key = make_key()
    dossier = dossier_receive(
        actor=user("tinh.tiepnhan"), reception=reception("qn-cap-phieu-ly-lich-tu-phap")
    )
    base = f"/api/v1/staff/dossiers/{dossier.code}"
    paid = post(client, base + "/payments", key, {"amount": 200000, "reference": "BL 7"})
    assert paid.status_code == 201 and paid.json()["purpose"] == "fee"
    wrong = post(client, base + "/payments", key, {"amount": -200000})
    assert wrong.status_code == 422 and wrong.json()["error"]["code"] == "payment_refused"
    assert "lý do" in wrong.json()["error"]["details"][0]["message"]

    component_id = dossier.components.first().component_id
    scan_url = f"{base}/components/{component_id}/scan"
    bad = client.post(scan_url, {"file": SimpleUploadedFile("x.pdf", b"GIF89a......")}, **auth(key))
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_file"
    assert client.get(scan_url, **auth(key)).status_code == 404
    good = client.post(scan_url, {"file": SimpleUploadedFile("to-khai.pdf", PDF)}, **auth(key))
    assert good.status_code == 200 and good.json()["sha256"] == hashlib.sha256(PDF).hexdigest()
    download = client.get(scan_url, **auth(key))
    assert b"".join(download.streaming_content) == PDF
    other = make_key(unit="qn.x.hong-gai.ttpvhcc", name="kiosk-hong-gai")
    assert client.get(scan_url, **auth(other)).status_code == 404

    notice = post(
        client,
        "/api/v1/staff/notices",
        key,
        {
            "kind": "guidance",
            "procedure": "1.001612",
            "applicant_name": "Nguyễn Văn An",
            "items": ["Bản sao CCCD", "Bản sao CCCD"],
        },
    )
    assert notice.status_code == 201, notice.content
    number = notice.json()["number"]
    pdf = client.get(f"/api/v1/staff/notices/{notice.json()['id']}.pdf", **auth(key))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert (
        client.get(f"/api/v1/staff/notices/{notice.json()['id']}.pdf", **auth(other)).status_code
        == 404
    )
    refused = post(
        client,
        "/api/v1/staff/notices",
        key,
        {"kind": "refusal", "procedure": "1.001612", "applicant_name": "An"},
    )
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "invalid_notice"
    assert number == 1

    today = timezone.localdate().isoformat()
    book = client.get(f"/api/v1/staff/tracking-book.pdf?start={today}&end={today}", **auth(key))
    assert book.status_code == 200 and book.content.startswith(b"%PDF")
    bad_period = client.get(
        "/api/v1/staff/tracking-book.pdf?start=2026-12-31&end=2026-01-01", **auth(key)
    )
    assert bad_period.status_code == 400 and bad_period.json()["error"]["code"] == "invalid_period"
    specialist = make_key(unit="qn.so-tu-phap", role="specialist", name="cv")
    denied = client.get(
        f"/api/v1/staff/tracking-book.pdf?start={today}&end={today}", **auth(specialist)
    )
    assert denied.status_code == 403
    assert json.loads(denied.content)["error"]["code"] == "not_a_receptionist"


def test_only_the_receiving_desk_uploads_a_scan_others_get_403(quang_ninh, client):
    dossier = dossier_receive(
        actor=user("tinh.tiepnhan"), reception=reception("qn-cap-phieu-ly-lich-tu-phap")
    )
    dossier_transition(actor=user("tinh.tiepnhan"), dossier=dossier, action="hand_off")
    # The handling unit's head sees the dossier but is not the desk that received it.
    # Its key holds the scope: the role alone decides (not the scope's 403 insufficient_scope).
    out = StringIO()
    call_command(
        "api_client", "create", "lanhdao", "--unit", "qn.so-tu-phap", "--role",
        "department_leader", "--scope", "dossiers.read", "--scope", "dossiers.receive",
        stdout=out, stderr=StringIO(),
    )  # fmt: skip
    key = out.getvalue().strip()
    component_id = dossier.components.first().component_id
    url = f"/api/v1/staff/dossiers/{dossier.code}/components/{component_id}/scan"
    assert client.get(f"/api/v1/staff/dossiers/{dossier.code}", **auth(key)).status_code == 200
    refused = client.post(url, {"file": SimpleUploadedFile("to-khai.pdf", PDF)}, **auth(key))
    assert refused.status_code == 403
    assert refused.json()["error"] == {
        "code": "forbidden",
        "message": "Chỉ bộ phận tiếp nhận hồ sơ mới được số hóa thành phần hồ sơ.",
        "details": [],
    }
    assert dossier.components.get(component_id=component_id).scan is None
