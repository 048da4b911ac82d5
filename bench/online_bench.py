"""Online services benchmark (PostgreSQL): an online submission with 3 uploads of 1 MB (server
time of the upload and submit requests), VNPAY IPN handling throughput, and the notification
outbox drain rate with the console e-mail backend.

Run by `make bench` (bench/run.py); prints one JSON line of results.
Usage: DATABASE_URL=… EGOV_VAR_DIR=… python bench/online_bench.py
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.settings")
os.environ["EGOV_EMAIL_BACKEND"] = "django.core.mail.backends.console.EmailBackend"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from egov.accounts.citizens import ProfileInput, citizen_profile_save  # noqa: E402
from egov.accounts.models import User  # noqa: E402
from egov.catalog.selectors import version_by_code  # noqa: E402
from egov.contrib.vnpay import protocol  # noqa: E402
from egov.dossiers.models import Dossier  # noqa: E402
from egov.dossiers.services.reception import Applicant, Reception, dossier_receive  # noqa: E402
from egov.dossiers.services.transitions import dossier_transition  # noqa: E402
from egov.notifications.delivery import deliver_due  # noqa: E402
from egov.notifications.models import Message  # noqa: E402
from egov.notifications.services import Recipient, notification_enqueue  # noqa: E402
from egov.org.models import Unit  # noqa: E402
from egov.payments.services import payment_start  # noqa: E402
from egov.portal.models import ApplicationDraft  # noqa: E402

PROCEDURE = "1.001612"
MB = 1024 * 1024


def one_mb_pdf(index: int) -> SimpleUploadedFile:
    """A valid born-digital PDF of about 1 MB (an embedded file): uploads are read and checked
    for scan quality (egov.core.scan_quality), so the body must be a real PDF."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_attachment("phu-luc.bin", bytes([65 + index % 26]) * (MB - 2048))
    out = io.BytesIO()
    writer.write(out)
    body = out.getvalue()
    return SimpleUploadedFile(f"trang-{index}.pdf", body, content_type="application/pdf")


def setup() -> tuple[User, Client]:
    call_command("migrate", verbosity=0)
    with contextlib.redirect_stdout(io.StringIO()):
        call_command("load_demo")
    account = User.objects.create_user("bench.citizen", email="bench@example.vn", password="x" * 16)
    citizen_profile_save(
        actor=account,
        user=account,
        data=ProfileInput(
            full_name="Nguyễn Văn An", personal_id="022084000123", phone="0912345678"
        ),
    )
    client = Client()
    client.force_login(account)
    return account, client


def submission_benchmark(account: User, client: Client, runs: int = 20) -> dict[str, object]:
    version = version_by_code(PROCEDURE)
    assert version is not None
    centre = Unit.objects.get(key="qn.ttpvhcc")
    components = list(version.components.order_by("order"))
    totals, submits = [], []
    for run in range(runs):
        address = {"REMOTE_ADDR": f"10.1.{run // 200}.{run % 200}"}  # below the rate limit
        client.post(f"/thu-tuc/{PROCEDURE}/nop-truc-tuyen/")
        draft = ApplicationDraft.objects.get(owner=account, dossier=None)
        client.post(f"/ho-so-nhap/{draft.pk}/", dict(draft.applicant, receiving_unit=centre.pk))
        uploads = [one_mb_pdf(run * 3 + i) for i in range(3)]
        start = time.perf_counter()
        for index, upload in enumerate(uploads):
            component = components[index % len(components)]
            response = client.post(
                f"/ho-so-nhap/{draft.pk}/giay-to/", {"component": component.pk, "files": [upload]}
            )
            assert response.status_code == 302
        submit_start = time.perf_counter()
        response = client.post(f"/ho-so-nhap/{draft.pk}/xem-lai/", **address)
        end = time.perf_counter()
        assert response.status_code == 302 and "/ho-so-cua-toi/" in response["Location"], response
        totals.append((end - start) * 1000)
        submits.append((end - submit_start) * 1000)
    return {
        "runs": runs,
        "median_ms": round(statistics.median(totals), 1),
        "p95_ms": round(sorted(totals)[int(0.95 * (runs - 1))], 1),
        "submit_median_ms": round(statistics.median(submits), 1),
        "dossiers": Dossier.objects.filter(owner=account).count(),
    }


def ipn_benchmark(client: Client, count: int = 300) -> dict[str, object]:
    """IPN handling rate: each IPN verifies the signature, locks the payment, records the
    payment on the dossier and moves it on (one transition and its event and messages)."""
    desk = User.objects.get(username="tinh.tiepnhan")
    specialist = User.objects.get(username="tinh.chuyenvien")
    version = version_by_code("qn-cap-phieu-ly-lich-tu-phap")
    assert version is not None
    requests = []
    for _index in range(count):
        dossier = dossier_receive(
            actor=desk,
            reception=Reception(
                unit=Unit.objects.get(key="qn.ttpvhcc"),
                version=version,
                channel="counter",
                applicant=Applicant(kind="citizen", name="An", personal_id="022084000123"),
                components={c.pk: (1, 0) for c in version.components.filter(required=True)},
            ),
        )
        dossier = dossier_transition(actor=desk, dossier=dossier, action="hand_off")
        dossier = dossier_transition(
            actor=specialist, dossier=dossier, action="request_payment", data={"amount": 100000}
        )
        started = payment_start(dossier=dossier, client_ip="127.0.0.1", return_url="http://x/")
        requests.append(dict(parse_qsl(urlsplit(started.url).query)))
    results = []
    for request in requests:
        result = {
            "vnp_Amount": request["vnp_Amount"],
            "vnp_BankCode": "NCB",
            "vnp_OrderInfo": request["vnp_OrderInfo"],
            "vnp_PayDate": protocol.vnpay_time(timezone.now()),
            "vnp_ResponseCode": "00",
            "vnp_TmnCode": request["vnp_TmnCode"],
            "vnp_TransactionNo": "14000001",
            "vnp_TransactionStatus": "00",
            "vnp_TxnRef": request["vnp_TxnRef"],
        }
        result["vnp_SecureHash"] = protocol.sign(result, settings.EGOV_VNPAY_HASH_SECRET)
        results.append(result)
    start = time.perf_counter()
    answers = [client.get("/thanh-toan/vnpay/ipn/", r).json()["RspCode"] for r in results]
    elapsed = time.perf_counter() - start
    assert answers == ["00"] * len(results), set(answers)
    return {"ipn": len(results), "per_second": round(len(results) / elapsed, 1)}


def outbox_benchmark(count: int = 2000) -> dict[str, object]:
    Message.objects.update(status="sent")
    context = {
        "code": "000.00.89.H49-261127-0001",
        "procedure": "Đăng ký hộ kinh doanh",
        "applicant": "Nguyễn Văn An",
        "unit": "Trung tâm",
        "unit_short": "TTPVHCC",
        "headline": "Đã tiếp nhận",
        "date": "09:00 01/12/2026",
    }
    for index in range(count // 2):
        notification_enqueue(
            event="received",
            reference=f"BENCH-{index}",
            recipient=Recipient(email=f"a{index}@example.vn", phone=f"+849120{index:05d}"),
            context=context,
        )
    sent = 0
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        while True:
            run = deliver_due(limit=500)
            sent += run.sent
            if run.sent == 0:
                break
    elapsed = time.perf_counter() - start
    return {"messages": sent, "per_second": round(sent / elapsed, 1)}


def main() -> None:
    account, client = setup()
    results = {
        "submission": submission_benchmark(account, client),
        "ipn": ipn_benchmark(client),
        "outbox": outbox_benchmark(),
    }
    print(json.dumps(results))


if __name__ == "__main__":
    main()
