"""Ký số từ xa end to end: the leader signs from the queue, the web request only records a
request and enqueues the task; the task (queue ``signing``, run by the database worker) asks
the CSC simulator — protocol-true over HTTP, its phone answered over HTTP
too — and the document is signed through the same ``sign`` transition as the other methods.
Declined, expired, provider down, double click, several documents in one confirmation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from egov.accounts.models import User
from egov.contrib.csc.simulator import CscSimulator, credential_material
from egov.contrib.csc.tests.test_csc import Phone
from egov.core.tests.test_numbering import run_at_once
from egov.documents.actions import OutgoingAction as A
from egov.documents.errors import TransitionForbidden, TransitionRefused
from egov.documents.models import (
    OutgoingDocument,
    OutgoingStatus,
    RemoteSigningRequest,
    RemoteSigningState,
    VersionKind,
)
from egov.documents.selectors_remote_signing import remote_signing_status
from egov.documents.services.outgoing import outgoing_transition
from egov.documents.services.outgoing_remote_signing import (
    GRACE,
    outgoing_remote_sign_start,
    remote_signing_refresh,
)
from egov.documents.services.outgoing_signing import outgoing_sign
from egov.documents.tests.conftest import Province
from egov.documents.tests.test_outgoing_pages import flashes
from egov.documents.tests.test_outgoing_signing import _bytes, compose_draft, to_approval
from egov.signing.models import PersonalSigningMethod, SigningMethod
from egov.signing.pki import DevPki
from egov.signing.services import SigningError
from egov.signing.tests.fixtures import pdfsig
from egov.signing.verification import Verdict, verify_pdf

pytestmark = pytest.mark.usefixtures("signing_settings")
TASK = "egov.documents.tasks.remote_signing_task"


@pytest.fixture(autouse=True)
def _no_mfa(settings):
    settings.EGOV_REQUIRE_STAFF_MFA = False


def remote_method(simulator: CscSimulator, dev_pki: DevPki, user: User, settings) -> None:
    """``user`` signs remotely with a credential of their own at ``simulator``, issued by the
    development PKI (so the signature validates at B-LT like the others)."""
    material = credential_material(
        common_name=user.full_name,
        organisation="Ủy ban nhân dân tỉnh Thử",
        issuer=dev_pki.csc_issuer(),
    )
    credential = f"CRED-{user.pk}"
    simulator.add_credential(f"0220840{user.pk:05d}", material=material, credential_id=credential)
    simulator.credentials[credential].multisign = 10
    PersonalSigningMethod.objects.create(
        user=user, method=SigningMethod.REMOTE, credential_id=credential
    )
    settings.EGOV_CSC_BASE_URL = simulator.csc_url
    settings.EGOV_CSC_CLIENT_ID = simulator.client_id
    settings.EGOV_CSC_CLIENT_SECRET = simulator.client_secret
    settings.EGOV_CSC_CONFIRM_TIMEOUT_SECONDS = 30
    settings.EGOV_CSC_POLL_SECONDS = 0.02


@pytest.fixture
def csc(province: Province, dev_pki: DevPki, settings) -> Iterator[CscSimulator]:
    simulator = CscSimulator().start()
    remote_method(simulator, dev_pki, province.leader, settings)
    yield simulator
    simulator.stop()


def run_signing_worker() -> None:
    """Run the pending tasks of the ``signing`` queue with the database worker's own
    ``run_task`` (claim, status, return value, failure) — without its loop, whose connection
    recycling would close the test's transaction. ``test_with_the_real_worker`` runs
    ``manage.py db_worker`` itself, in a transactional test."""
    worker = Worker(
        queue_names=["signing"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    pending = DBTaskResult.objects.ready().filter(queue_name="signing").order_by("enqueued_at")
    while (result := pending.first()) is not None:
        result.claim(worker.worker_id)
        worker.run_task(result)


def start(province: Province, *documents: OutgoingDocument) -> RemoteSigningRequest:
    started = outgoing_remote_sign_start(
        actor=province.leader, documents=[(d, d.revision) for d in documents]
    )
    assert started.created
    return started.request


def fresh(document: OutgoingDocument) -> OutgoingDocument:
    return OutgoingDocument.objects.get(pk=document.pk)


def states(request: RemoteSigningRequest) -> list[tuple[str, str]]:
    return list(request.events.values_list("from_state", "to_state"))


def message(request: RemoteSigningRequest) -> str:
    request.refresh_from_db()
    return remote_signing_status(request).message


def test_confirmed_on_the_phone_the_document_is_signed(
    province: Province, csc: CscSimulator, nss_db: str, tmp_path: Path
) -> None:
    document = to_approval(province, compose_draft(province))
    request = start(province, document)
    # The web request only recorded the request: nothing is signed yet, the task waits.
    assert (request.state, fresh(document).status) == ("waiting", OutgoingStatus.APPROVAL)
    assert message(request) == "Đang chờ xác nhận trên điện thoại…"
    [task] = DBTaskResult.objects.filter(task_path=TASK)
    assert (task.queue_name, task.status, str(task.id)) == ("signing", "READY", request.task_id)

    with Phone(csc, "approve") as phone:
        run_signing_worker()
    assert [(p["numSignatures"], p["description"]) for p in phone.seen] == [
        (1, "Ký số 1 văn bản: Về việc tổ chức Tết Nguyên đán")
    ]
    task.refresh_from_db()
    assert (task.status, task.return_value) == ("SUCCESSFUL", "signed")
    request.refresh_from_db()
    assert states(request) == [("", "waiting"), ("waiting", "signed")]
    assert message(request) == "Đã ký số."

    # Signed exactly as with the other methods: the sign transition, the printed delegation.
    document = fresh(document)
    assert (document.status, document.delegation, document.signer_position) == (
        OutgoingStatus.SIGNED,
        "KT.",
        "Phó Chủ tịch",
    )
    assert list(document.events.values_list("action", flat=True))[-1] == A.SIGN
    signed = _bytes(document, VersionKind.PERSONAL_SIGNED)
    report = verify_pdf(signed)
    assert report.verdict == Verdict.VALID
    assert [(s.field_name, s.signer_name) for s in report.signatures] == [
        ("SigNguoiKy", "Lê Văn Dũng")
    ]
    path = tmp_path / "ky-tu-xa.pdf"
    path.write_bytes(signed)
    out = pdfsig(path, nss_db)
    assert "Signature Validation: Signature is Valid." in out
    assert "Certificate Validation: Certificate is Trusted." in out


def test_declined_on_the_phone_the_document_still_waits(
    province: Province, csc: CscSimulator
) -> None:
    document = to_approval(province, compose_draft(province))
    request = start(province, document)
    csc.auto_answer = "decline"
    run_signing_worker()
    request.refresh_from_db()
    assert states(request) == [("", "waiting"), ("waiting", "declined")]
    assert message(request) == "Người ký đã từ chối trên điện thoại. Văn bản vẫn chờ ký."
    [row] = remote_signing_status(request).documents
    assert (row.signed, row.message) == (False, "Người ký đã từ chối.")
    after = fresh(document)
    assert (after.status, after.revision) == (OutgoingStatus.APPROVAL, document.revision)
    assert not after.versions.filter(kind=VersionKind.PERSONAL_SIGNED).exists()
    # Nothing is lost: the leader may send a new request.
    assert outgoing_remote_sign_start(actor=province.leader, documents=[(after, None)]).created


def test_nobody_answers_the_phone(province: Province, csc: CscSimulator) -> None:
    document = to_approval(province, compose_draft(province))
    request = start(province, document)
    csc.authorization_timeout = 0.2  # the service gives up; it says expired_token
    run_signing_worker()
    request.refresh_from_db()
    assert request.state == RemoteSigningState.EXPIRED
    assert message(request) == (
        "Hết thời gian chờ xác nhận trên điện thoại. Văn bản vẫn chờ ký; bạn có thể ký lại."
    )
    assert fresh(document).status == OutgoingStatus.APPROVAL


def test_the_provider_is_down(province: Province, csc: CscSimulator) -> None:
    document = to_approval(province, compose_draft(province))
    request = start(province, document)
    csc.down = True
    run_signing_worker()
    request.refresh_from_db()
    assert states(request) == [("", "waiting"), ("waiting", "failed")]
    assert message(request) == (
        "Không ký được: Dịch vụ ký số từ xa tạm thời không hoạt động, vui lòng thử lại sau. "
        "Văn bản vẫn chờ ký."
    )
    assert fresh(document).status == OutgoingStatus.APPROVAL


def test_a_second_click_while_waiting_sends_nothing_more(
    province: Province, csc: CscSimulator
) -> None:
    document = to_approval(province, compose_draft(province))
    first = start(province, document, document)  # named twice in one form: counted once
    assert first.items.count() == 1
    again = outgoing_remote_sign_start(actor=province.leader, documents=[(document, None)])
    assert (again.created, again.request.pk) == (False, first.pk)
    assert RemoteSigningRequest.objects.count() == 1
    assert DBTaskResult.objects.filter(task_path=TASK).count() == 1
    csc.auto_answer = "approve"
    run_signing_worker()
    assert fresh(document).status == OutgoingStatus.SIGNED
    with pytest.raises(TransitionRefused):  # signed now: nothing to send
        outgoing_remote_sign_start(actor=province.leader, documents=[(fresh(document), None)])


def test_several_documents_one_confirmation(province: Province, csc: CscSimulator) -> None:
    subjects = ("Về việc tổ chức Tết", "Về việc trực Tết", "Về việc bắn pháo hoa")
    documents = [to_approval(province, compose_draft(province, subject=s)) for s in subjects]
    request = start(province, *documents)
    with Phone(csc, "approve") as phone:
        run_signing_worker()
    assert [(p["numSignatures"], p["description"]) for p in phone.seen] == [
        (3, "Ký số 3 văn bản: " + "; ".join(subjects))
    ]
    assert message(request) == "Đã ký số."
    for document in documents:
        document = fresh(document)
        assert document.status == OutgoingStatus.SIGNED
        assert verify_pdf(_bytes(document, VersionKind.PERSONAL_SIGNED)).verdict == Verdict.VALID


def test_a_document_returned_meanwhile_is_left_out(province: Province, csc: CscSimulator) -> None:
    kept, returned = (
        to_approval(province, compose_draft(province, subject=s)) for s in ("Giữ", "Trả lại")
    )
    request = start(province, kept, returned)
    outgoing_transition(
        actor=province.leader, document=returned, action=A.RETURN, reason="Sửa số liệu"
    )
    with Phone(csc, "approve") as phone:
        run_signing_worker()
    assert [p["numSignatures"] for p in phone.seen] == [1]
    assert message(request) == ("Đã ký số 1 trong 2 văn bản; các văn bản còn lại vẫn chờ ký.")
    rows = {row.document.subject: row for row in remote_signing_status(request).documents}
    assert rows["Giữ"].signed and not rows["Trả lại"].signed
    assert rows["Trả lại"].message.startswith("Văn bản vừa được người khác xử lý.")
    assert (fresh(kept).status, fresh(returned).status) == ("signed", "draft")


def test_a_request_nobody_ran_expires_and_rings_nobody(
    province: Province, csc: CscSimulator
) -> None:
    document = to_approval(province, compose_draft(province))
    request = start(province, document)
    later = request.deadline + dt.timedelta(seconds=1)
    with time_machine.travel(later, tick=False):
        run_signing_worker()  # the worker came after the deadline: the phone is not asked
    request.refresh_from_db()
    assert request.state == RemoteSigningState.EXPIRED
    assert csc.requests == {}

    second = start(province, fresh(document))
    with time_machine.travel(second.deadline + GRACE + dt.timedelta(seconds=1), tick=False):
        assert remote_signing_refresh(second).state == RemoteSigningState.EXPIRED
    assert states(second) == [("", "waiting"), ("waiting", "expired")]


def test_the_synchronous_path_refuses_a_remote_signer(
    province: Province, csc: CscSimulator
) -> None:
    document = to_approval(province, compose_draft(province))
    with pytest.raises(SigningError, match="Bạn ký số từ xa, xác nhận trên điện thoại"):
        outgoing_sign(actor=province.leader, document=document)
    assert fresh(document).status == OutgoingStatus.APPROVAL


def test_refusals_send_nothing(province: Province, csc: CscSimulator) -> None:
    document = to_approval(province, compose_draft(province))
    with pytest.raises(SigningError, match="chưa được gắn chứng thư số"):
        outgoing_remote_sign_start(actor=province.clerk, documents=[(document, None)])
    PersonalSigningMethod.objects.create(user=province.clerk, method=SigningMethod.SERVER_PKCS12)
    with pytest.raises(TransitionForbidden, match="không dùng ký số từ xa"):
        outgoing_remote_sign_start(actor=province.clerk, documents=[(document, None)])
    with pytest.raises(TransitionRefused) as refused:
        outgoing_remote_sign_start(
            actor=province.leader, documents=[(document, None)], delegation="TM."
        )
    assert str(refused.value) == (
        "Về việc tổ chức Tết Nguyên đán: Dự thảo đã in thẩm quyền ký “KT.”; muốn ký với thẩm "
        "quyền khác, hãy trả lại dự thảo để sửa."
    )
    draft = compose_draft(province, subject="Chưa trình")
    with pytest.raises(TransitionRefused) as refused:
        outgoing_remote_sign_start(
            actor=province.leader, documents=[(document, None), (draft, None)]
        )
    assert str(refused.value) == (
        "Chưa trình: Không thể “Duyệt và ký số” khi văn bản đang ở bước “Dự thảo”."
    )
    assert RemoteSigningRequest.objects.count() == 0
    assert not DBTaskResult.objects.filter(task_path=TASK).exists()


# --- the pages --------------------------------------------------------------------------------


def test_the_queue_page_waits_for_the_phone(
    province: Province, csc: CscSimulator, client: Client
) -> None:
    document = to_approval(province, compose_draft(province))
    client.force_login(province.leader)
    queue = client.get("/staff/van-ban-di/cho-ky/").content.decode()
    assert 'data-testid="remote-signing-note"' in queue
    form = {"document": [document.pk], f"revision-{document.pk}": document.revision}
    response = client.post("/staff/van-ban-di/cho-ky/", form)
    request = RemoteSigningRequest.objects.get()
    url = f"/staff/van-ban-di/ky-tu-xa/{request.pk}/"
    assert response["Location"] == url
    page = client.get(url).content.decode()
    assert "Đang chờ xác nhận trên điện thoại…" in page
    assert f'hx-get="{url}" hx-trigger="every 2s"' in page
    assert '<script src="/static/django_htmx/htmx-2.min.js" defer></script>' in page
    assert (
        'data-testid="remote-signing-waiting"'
        in client.get("/staff/van-ban-di/cho-ky/").content.decode()
    )

    # A second click (or the document's own sign button) finds the same request.
    again = client.post("/staff/van-ban-di/cho-ky/", form)
    assert again["Location"] == url
    assert flashes(again) == [
        "Văn bản đã chọn đang chờ xác nhận trên điện thoại trong một yêu cầu đã gửi; không gửi "
        "thêm yêu cầu."
    ]
    action = client.post(
        f"/staff/van-ban-di/{document.pk}/thao-tac/",
        {"action": "sign", "revision": document.revision},
    )
    assert action["Location"] == url
    assert RemoteSigningRequest.objects.count() == 1

    csc.auto_answer = "approve"
    run_signing_worker()
    block = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert block.startswith('<section id="remote-signing-status"')
    assert 'data-state="signed"' in block and "Đã ký số." in block
    assert "hx-trigger" not in block  # done: the page stops asking
    assert fresh(document).status == OutgoingStatus.SIGNED


def test_the_document_page_sign_button_sends_a_request(
    province: Province, csc: CscSimulator, client: Client
) -> None:
    document = to_approval(province, compose_draft(province))
    client.force_login(province.leader)
    response = client.post(
        f"/staff/van-ban-di/{document.pk}/thao-tac/",
        {"action": "sign", "revision": document.revision},
    )
    request = RemoteSigningRequest.objects.get()
    assert response["Location"] == f"/staff/van-ban-di/ky-tu-xa/{request.pk}/"
    csc.auto_answer = "decline"
    run_signing_worker()
    page = client.get(response["Location"]).content.decode()
    assert "Người ký đã từ chối trên điện thoại. Văn bản vẫn chờ ký." in page


def test_only_the_signer_sees_the_request(
    province: Province, csc: CscSimulator, client: Client
) -> None:
    document = to_approval(province, compose_draft(province))
    request = start(province, document)
    for someone in (province.clerk, province.vx_leader, province.outsider):
        client.force_login(someone)
        assert client.get(f"/staff/van-ban-di/ky-tu-xa/{request.pk}/").status_code == 404
    client.force_login(province.leader)
    assert client.get("/staff/van-ban-di/ky-tu-xa/999999/").status_code == 404


def test_the_page_tells_a_refusal(province: Province, csc: CscSimulator, client: Client) -> None:
    document = to_approval(province, compose_draft(province))
    client.force_login(province.leader)
    response = client.post(
        "/staff/van-ban-di/cho-ky/",
        {"document": [document.pk], f"revision-{document.pk}": document.revision + 1},
    )
    assert response["Location"] == "/staff/van-ban-di/cho-ky/"
    page = client.get("/staff/van-ban-di/cho-ky/").content.decode()
    assert "Về việc tổ chức Tết Nguyên đán: Văn bản vừa được người khác xử lý." in page
    assert RemoteSigningRequest.objects.count() == 0


def test_a_request_started_after_the_timeout_is_shown_expired(
    province: Province, csc: CscSimulator, client: Client
) -> None:
    document = to_approval(province, compose_draft(province))
    request = start(province, document)
    client.force_login(province.leader)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=10), tick=False):
        page = client.get(f"/staff/van-ban-di/ky-tu-xa/{request.pk}/").content.decode()
    assert "Hết thời gian chờ xác nhận trên điện thoại." in page


@pytest.mark.django_db(transaction=True)
def test_with_the_real_worker(province: Province, dev_pki: DevPki, settings) -> None:
    """``manage.py db_worker --queue-name signing`` as in production, against committed rows."""
    simulator = CscSimulator().start()
    try:
        remote_method(simulator, dev_pki, province.leader, settings)
        simulator.auto_answer = "approve"
        document = to_approval(province, compose_draft(province))
        request = start(province, document)
        call_command(
            "db_worker",
            "--batch",
            "--no-startup-delay",
            "--queue-name",
            "signing",
            stdout=StringIO(),
            stderr=StringIO(),
        )
    finally:
        simulator.stop()
    request.refresh_from_db()
    assert request.state == RemoteSigningState.SIGNED
    assert fresh(document).status == OutgoingStatus.SIGNED
    assert DBTaskResult.objects.get(task_path=TASK).status == "SUCCESSFUL"


@pytest.mark.django_db(transaction=True)
def test_clicks_at_the_same_moment_send_one_request(
    province: Province, dev_pki: DevPki, settings
) -> None:
    """Four clicks released together, each on its own connection (document row locks on
    PostgreSQL, IMMEDIATE transactions on SQLite, and the one-waiting-item constraint)."""
    simulator = CscSimulator().start()
    try:
        remote_method(simulator, dev_pki, province.leader, settings)
        document = to_approval(province, compose_draft(province))
        seen: list[int] = []

        def click(_i: int) -> None:
            started = outgoing_remote_sign_start(
                actor=province.leader, documents=[(document, document.revision)]
            )
            seen.append(started.request.pk)

        assert run_at_once(4, click) == []
    finally:
        simulator.stop()
    assert len(set(seen)) == 1 and len(seen) == 4
    assert RemoteSigningRequest.objects.count() == 1
    assert DBTaskResult.objects.filter(task_path=TASK).count() == 1
