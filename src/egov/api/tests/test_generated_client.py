"""The worked example of docs/integration.md, run as written: a Python client is generated from
the committed docs/openapi.json with openapi-python-client (no warnings allowed), and a dossier
goes from reception to the citizen's public lookup through it, against the live server — every
id and value the steps send comes from an earlier answer of the API, none from the database or
a web page. Each step is the section of the same number in the guide."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import importlib
import io
import re
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from egov.accounts.services import api_client_create
from egov.core.tests.scan_samples import document_pdf
from egov.org.models import Unit

ROOT = Path(__file__).resolve().parents[4]
SCHEMA = ROOT / "docs" / "openapi.json"
CONFIG = ROOT / "docs" / "api" / "openapi-python-client.yaml"
PACKAGE = "egov_api_client"
# A real (born-digital, image-free) PDF: scans are now read and checked for quality.
PDF = document_pdf()
APPLICANT = "Nguyễn Văn An"


def _generator() -> str:
    beside = Path(sys.executable).with_name("openapi-python-client")
    found = str(beside) if beside.exists() else shutil.which("openapi-python-client")
    assert found, "openapi-python-client is a development dependency (pyproject.toml)"
    return found


@pytest.fixture
def generated(tmp_path: Path) -> Iterator[ModuleType]:
    """The package generated from the committed schema, imported from a temporary folder."""
    target = tmp_path / PACKAGE
    run = subprocess.run(
        [
            _generator(),
            "generate",
            "--path",
            str(SCHEMA),
            "--meta",
            "none",
            "--config",
            str(CONFIG),
            "--output-path",
            str(target),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    output = (run.stdout + run.stderr).strip()
    # Every operation and model generated: the generator prints nothing but its first line.
    assert run.returncode == 0, output
    assert output.splitlines() == [f"Generating {target}"], output
    sys.path.insert(0, str(tmp_path))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


@pytest.fixture
def opened() -> Iterator[contextlib.ExitStack]:
    """The clients' HTTP sessions, closed when the test ends: the live server's thread for a
    kept-alive connection holds a database connection until the client hangs up, and the test
    database cannot be dropped while it does (PostgreSQL)."""
    with contextlib.ExitStack() as stack:
        yield stack


def _module(name: str) -> Any:
    return importlib.import_module(f"{PACKAGE}.{name}")


def _key(name: str, unit_key: str, role: str) -> str:
    """What the operator does with ``manage.py api_client create`` (guide, step 0)."""
    _, key = api_client_create(
        actor=None, name=name, unit=Unit.objects.get(key=unit_key), role=role
    )
    return key


def _ok(response: Any, status: int, model: Any) -> Any:
    """The answer has the status and parsed into the generated model (not None, not a dict)."""
    assert response.status_code == status, response.content
    assert isinstance(response.parsed, model), response.parsed
    return response.parsed


def test_worked_example_from_reception_to_public_lookup(
    generated: ModuleType,
    live_server: Any,
    transactional_db: None,
    quang_ninh: None,
    opened: contextlib.ExitStack,
) -> None:
    models = _module("models")
    list_procedures = _module("api.catalog.list_procedures")
    get_procedure = _module("api.catalog.get_procedure")
    procedure_fee = _module("api.catalog.procedure_fee")
    upload_scan = _module("api.dossiers.upload_scan")
    record_fee = _module("api.dossiers.record_fee")
    receive_dossier = _module("api.dossiers.receive_dossier")
    list_assignees = _module("api.dossiers.list_assignees")
    get_unit = _module("api.org.get_unit")
    lookup_dossier = _module("api.public.lookup_dossier")
    base = live_server.url
    anyone = opened.enter_context(generated.Client(base_url=base))

    # 1. Find the procedure (public, no key).
    page = _ok(
        list_procedures.sync_detailed(client=anyone, q="lý lịch tư pháp"),
        200,
        models.ProcedurePage,
    )
    assert [(p.code, p.name) for p in page.items] == [
        (
            "qn-cap-phieu-ly-lich-tu-phap",
            "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam cư trú trong nước",
        )
    ]
    procedure = page.items[0].code

    # 2. Its detail: the components (ids to send at reception), their forms, the competent unit.
    detail = _ok(get_procedure.sync_detailed(procedure, client=anyone), 200, models.ProcedureDetail)
    assert isinstance(detail.competent_unit, models.UnitRef)
    assert detail.competent_unit.key == "qn.cong-an-tinh"
    assert [
        (c.name, c.required, c.originals, [(f.key, f.url) for f in c.forms])
        for c in detail.components
    ] == [
        (
            "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp",
            True,
            1,
            [("to-khai-lltp", f"/thu-tuc/{procedure}/bieu-mau/to-khai-lltp.docx")],
        ),
        ("Văn bản ủy quyền", False, 1, []),
    ]
    required = [c for c in detail.components if c.required]
    form = anyone.get_httpx_client().get(required[0].forms[0].url)
    assert form.status_code == 200 and form.content.startswith(b"PK\x03\x04")  # a .docx

    # 3. The fee the desk collects at the counter (the default channel).
    quote = _ok(
        procedure_fee.sync_detailed(procedure, client=anyone),
        200,
        models.FeeQuoteOut,
    )
    assert (quote.channel, quote.amount, quote.currency) == ("counter", 200_000, "VND")

    # 4. Receive the dossier with the desk's key, under an idempotency key.
    desk_key = _key("Kiosk quầy tỉnh", "qn.ttpvhcc", "receptionist")
    desk = opened.enter_context(generated.AuthenticatedClient(base_url=base, token=desk_key))
    body = models.DossierReceiveIn(
        procedure=procedure,
        applicant=models.ApplicantIn(name=APPLICANT, personal_id="022084000123"),
        components=[models.ComponentIn(component_id=c.id, originals=1) for c in required],
    )
    attempt = str(uuid.uuid4())
    received = receive_dossier.sync_detailed(client=desk, body=body, idempotency_key=attempt)
    dossier = _ok(received, 201, models.DossierOut)
    code = dossier.code
    # The key's own rate limit (EGOV_API_CLIENT_RATE_PER_MINUTE): the first call of the minute.
    assert (received.headers["RateLimit-Limit"], received.headers["RateLimit-Remaining"]) == (
        "600",
        "599",
    )
    # Units are named by their electronic code where they have one (GET /units/{key}).
    desk_unit = _ok(get_unit.sync_detailed("qn.ttpvhcc", client=anyone), 200, models.UnitOut)
    assert desk_unit.code == "000.00.89.H49"
    assert re.fullmatch(rf"{re.escape(desk_unit.code)}-\d{{6}}-\d{{4}}", code), code
    assert (dossier.status, dossier.procedure, dossier.receiving_unit) == (
        "received",
        procedure,
        desk_unit.code,
    )
    # Every moment leaves in Việt Nam time with its offset (docs/api-conventions.md).
    assert dossier.received_at.utcoffset() == dt.timedelta(hours=7)
    assert dossier.due_at.utcoffset() == dt.timedelta(hours=7)
    assert (dossier.applicant_name, dossier.fee_quoted, dossier.revision) == (
        APPLICANT,
        200_000,
        0,
    )
    assert dossier.allowed_actions == ["hand_off", "withdraw"]
    assert [(e.action, e.to_status) for e in dossier.events] == [("receive", "received")]
    # The answer got lost? The same request with the same key gives the same dossier.
    again = receive_dossier.sync_detailed(client=desk, body=body, idempotency_key=attempt)
    assert _ok(again, 201, models.DossierOut).code == code
    assert again.headers["Idempotent-Replayed"] == "true"

    # 5. The scan of the declaration (multipart; the component id again from step 2).
    upload = models.UploadScanFileParams(
        file=generated.types.File(
            payload=io.BytesIO(PDF), file_name="to-khai.pdf", mime_type="application/pdf"
        )
    )
    scan = _ok(
        upload_scan.sync_detailed(code, required[0].id, client=desk, body=upload),
        200,
        models.ScanOut,
    )
    assert (scan.component_id, scan.content_type, scan.size, scan.sha256) == (
        required[0].id,
        "application/pdf",
        len(PDF),
        hashlib.sha256(PDF).hexdigest(),
    )

    # 6. The fee paid in cash at the desk: the amount quoted in step 3.
    paying = str(uuid.uuid4())
    fee_in = models.FeeIn(
        amount=quote.amount, method=models.PaymentMethod.CASH, reference="BL-000123"
    )
    fee = _ok(
        record_fee.sync_detailed(code, client=desk, body=fee_in, idempotency_key=paying),
        201,
        models.FeeOut,
    )
    retried = record_fee.sync_detailed(code, client=desk, body=fee_in, idempotency_key=paying)
    assert _ok(retried, 201, models.FeeOut) == fee  # recorded once (step 10 shows one payment)
    assert (fee.amount, fee.purpose, fee.method, fee.reference) == (
        200_000,
        "fee",
        "cash",
        "BL-000123",
    )

    # 7. Hand-off to the competent unit, with the revision read in step 4.
    dossier = _act(
        models, desk, code, action=models.DossierAction.HAND_OFF, revision=dossier.revision
    )
    assert (dossier.status, dossier.handling_unit, dossier.revision) == (
        "processing",
        detail.competent_unit.key,
        1,
    )
    stale = _module("api.dossiers.transition_dossier").sync_detailed(
        code,
        client=desk,
        body=models.TransitionIn(action=models.DossierAction.WITHDRAW, reason="thử", revision=0),
    )
    assert stale.status_code == 409 and isinstance(stale.parsed, models.ErrorResponse)
    assert stale.parsed.error.code == "revision_conflict"

    # 8. The leader of the handling unit assigns it to a specialist; the specialist submits it.
    unit = dossier.handling_unit
    leader = opened.enter_context(
        generated.AuthenticatedClient(
            base_url=base, token=_key("Lãnh đạo phòng, Công an tỉnh", unit, "department_leader")
        )
    )
    specialist_key = _key("Chuyên viên, Công an tỉnh", unit, "specialist")
    specialist = opened.enter_context(
        generated.AuthenticatedClient(base_url=base, token=specialist_key)
    )
    specialists = list_assignees.sync_detailed(code, client=leader)
    assert specialists.status_code == 200, specialists.content
    assert all(isinstance(a, models.AssigneeOut) for a in specialists.parsed)
    assert [a.full_name for a in specialists.parsed] == [
        "API: Chuyên viên, Công an tỉnh",
        "Lương Văn Thắng",
    ]
    # The specialist behind the second key (a person of the unit would do as well).
    assignee = specialists.parsed[0].username
    # A leader's key has no dossiers.receive scope: it cannot take the desk's work.
    refused = upload_scan.sync_detailed(code, required[0].id, client=leader, body=upload)
    assert refused.status_code == 403 and isinstance(refused.parsed, models.ErrorResponse)
    assert refused.parsed.error.code == "insufficient_scope"
    dossier = _act(
        models, leader, code, action=models.DossierAction.ASSIGN, assignee=assignee, revision=1
    )
    assert (dossier.status, dossier.assignee, dossier.revision) == ("processing", assignee, 2)
    dossier = _act(
        models, specialist, code, action=models.DossierAction.SUBMIT_FOR_APPROVAL, revision=2
    )
    assert dossier.allowed_actions == ["transfer_out", "request_supplement", "request_payment"]

    # 9. The leader approves: the result is ready, with its result code.
    dossier = _act(models, leader, code, action=models.DossierAction.APPROVE, revision=3)
    assert (dossier.status, dossier.revision) == ("result_ready", 4)
    assert dossier.events[-1].data.additional_properties == {"result_code": f"{code}-KQ1"}

    # 10. The desk hands the result over at the counter.
    dossier = _act(
        models,
        desk,
        code,
        action=models.DossierAction.RETURN_RESULT,
        received_by=APPLICANT,
        revision=4,
    )
    assert (dossier.status, dossier.revision, dossier.allowed_actions) == ("returned", 5, [])
    assert [e.action for e in dossier.events] == [
        "receive",
        "record_payment",  # the fee paid at reception: its own event, the status unchanged
        "hand_off",
        "assign",
        "submit_for_approval",
        "approve",
        "return_result",
    ]
    assert dossier.events[-1].data.additional_properties == {
        "received_by": APPLICANT,
        "delivery": "counter",
    }
    assert [(p.purpose, p.amount, p.method) for p in dossier.payments] == [("fee", 200_000, "cash")]

    # 11. The citizen looks the code up (public, no key).
    status = _ok(lookup_dossier.sync_detailed(code, client=anyone), 200, models.PublicDossierOut)
    assert (status.code, status.procedure, status.status, status.status_label) == (
        code,
        detail.name,
        "returned",
        "Đã trả kết quả",
    )
    assert (status.result_ready, status.result_code, status.overdue) == (
        True,
        f"{code}-KQ1",
        False,
    )
    assert status.applicant == "N***** V** A*"  # masked for the public
    assert [s.label for s in status.steps] == [
        "Tiếp nhận hồ sơ",
        "Ghi nhận khoản đã nộp",
        "Chuyển hồ sơ đến cơ quan giải quyết",
        "Phân công chuyên viên xử lý",
        "Thẩm định xong, trình lãnh đạo",
        "Phê duyệt kết quả",
        "Trả kết quả",
    ]
    assert [s.at for s in status.steps] == [e.at for e in dossier.events]


def _act(models: Any, client: Any, code: str, **body: Any) -> Any:
    """A lifecycle action, with the revision read last and a fresh idempotency key."""
    return _ok(
        _module("api.dossiers.transition_dossier").sync_detailed(
            code,
            client=client,
            body=models.TransitionIn(**body),
            idempotency_key=str(uuid.uuid4()),
        ),
        200,
        models.DossierOut,
    )
