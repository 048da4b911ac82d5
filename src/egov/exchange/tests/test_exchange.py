"""The exchange inside one database: the committee's system is connected to the axis for
itself and for Sở Nội vụ, so a document the committee sends to the department's organ code
travels through the axis simulator and comes back as the department's incoming document."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from egov.contrib.axis.headers import read_header
from egov.documents.models import IncomingDocument, IncomingSource, IncomingStatus
from egov.documents.services.incoming import (
    AssigneeInput,
    assignment_complete,
    incoming_distribute,
    incoming_register,
    incoming_return_to_sender,
)
from egov.documents.tests.conftest import Province
from egov.exchange.models import (
    BusinessType,
    ReceivedPackage,
    ReceivedState,
    SentPackage,
    SentState,
    StatusMessage,
)
from egov.exchange.packaging import document_package
from egov.exchange.services.inbox import PollRun, exchange_poll, exchange_recall_decide
from egov.exchange.services.outbox import (
    exchange_declare_replacement,
    exchange_recall,
    exchange_send_due,
)
from egov.exchange.tests.conftest import COMMITTEE, DEPARTMENT, MINISTRY, World
from egov.exchange.tests.flows import issue_to

Capture = Callable[..., Any]
TAMPERED = "Chữ ký số của gói tin không hợp lệ: nội dung đã bị thay đổi sau khi ký."
pytestmark = pytest.mark.usefixtures("signing_settings")


def cycle(world: World, capture: Capture) -> PollRun:
    """Send what is due, poll (acknowledging after the commit), send the statuses."""
    with capture(execute=True):
        exchange_send_due(axis=world.axis)
        run = exchange_poll(axis=world.axis)
    exchange_send_due(axis=world.axis)
    return run


def incoming_of(province: Province) -> list[IncomingDocument]:
    return list(
        IncomingDocument.objects.filter(agency=province.other, source=IncomingSource.EXCHANGE)
    )


def test_issue_queues_a_package_per_axis_recipient(
    province: Province, world: World, django_capture_on_commit_callbacks: Capture
) -> None:
    document = issue_to(
        province, {DEPARTMENT: "Sở Nội vụ tỉnh Thử", MINISTRY: "Văn phòng Chính phủ"}
    )
    rows = list(SentPackage.objects.filter(outgoing=document).order_by("to_organ"))
    assert [(r.to_organ, r.state, r.business_type) for r in rows] == [
        (MINISTRY, SentState.QUEUED, BusinessType.NEW),
        (DEPARTMENT, SentState.QUEUED, BusinessType.NEW),
    ]
    expected_id = f"000.00.00.T01,{document.issued_date:%Y/%m/%d},{document.number_text}"
    assert {r.document_id for r in rows} == {expected_id}
    run = exchange_send_due(axis=world.axis)
    assert (run.sent, run.retried, run.failed) == (2, 0, 0)
    [pending] = world.ministry.pending()
    assert (pending.from_organ, pending.document_id) == ("000.00.00.T01", expected_id)
    # A second run sends nothing more.
    assert exchange_send_due(axis=world.axis).sent == 0


def test_same_package_fetched_twice_makes_one_incoming(
    province: Province, world: World, django_capture_on_commit_callbacks: Capture
) -> None:
    issue_to(province, {DEPARTMENT: "Sở Nội vụ tỉnh Thử"})
    exchange_send_due(axis=world.axis)
    # The first poll's acknowledgement is lost (its commit callbacks never run).
    first = exchange_poll(axis=world.axis)
    assert first.documents == 1
    assert len(world.axis.pending("edoc")) == 1
    with django_capture_on_commit_callbacks(execute=True):
        second = exchange_poll(axis=world.axis)
    assert (second.documents, second.duplicates) == (0, 1)
    assert world.axis.pending("edoc") == []
    [incoming] = incoming_of(province)
    assert incoming.status == IncomingStatus.RECEIVED
    assert ReceivedPackage.objects.count() == 1


def test_accept_assign_complete_flow_back_to_the_sender(
    province: Province, world: World, django_capture_on_commit_callbacks: Capture
) -> None:
    document = issue_to(province, {DEPARTMENT: "Sở Nội vụ tỉnh Thử"})
    cycle(world, django_capture_on_commit_callbacks)
    [incoming] = incoming_of(province)
    assert (incoming.organ_id, incoming.subject, incoming.code_notation) == (
        "000.00.00.T01",
        "Về việc phối hợp tổ chức hội nghị",
        document.code_notation,
    )
    assert incoming.code_number == f"{document.code_number:02d}"
    assert incoming.file is not None
    assert incoming.signature_verdict["verdict"] == "no_signature"
    sent = SentPackage.objects.get(outgoing=document)

    def latest() -> str:
        cycle(world, django_capture_on_commit_callbacks)
        sent.refresh_from_db()
        return sent.receiver_status

    assert latest() == "01"
    incoming_register(actor=province.other_clerk, document=incoming)
    assert latest() == "03"
    [assignment] = incoming_distribute(
        actor=_other_leader(province),
        document=incoming,
        lead=AssigneeInput(person=province.outsider),
    )
    assert latest() == "04"
    assignment_complete(actor=province.outsider, assignment=assignment, note="Đã xong")
    assert latest() == "06"
    assert list(
        StatusMessage.objects.filter(direction="in").order_by("id").values_list("code", flat=True)
    ) == ["01", "03", "04", "06"]


def _other_leader(province: Province) -> Any:
    from egov.accounts.models import Role, RoleAssignment, User

    leader = User.objects.create_user(username="t.snv.lead", full_name="Hoàng Văn Minh")
    RoleAssignment.objects.create(user=leader, unit=province.other, role=Role.DEPARTMENT_LEADER)
    return leader


def test_refusal_goes_back_with_its_reason(
    province: Province, world: World, django_capture_on_commit_callbacks: Capture
) -> None:
    document = issue_to(province, {DEPARTMENT: "Sở Nội vụ tỉnh Thử"})
    cycle(world, django_capture_on_commit_callbacks)
    [incoming] = incoming_of(province)
    incoming_return_to_sender(
        actor=province.other_clerk, document=incoming, reason="Gửi nhầm cơ quan"
    )
    cycle(world, django_capture_on_commit_callbacks)
    sent = SentPackage.objects.get(outgoing=document)
    assert (sent.receiver_status, sent.receiver_description) == ("02", "Gửi nhầm cơ quan")


@pytest.mark.parametrize("agree", [True, False])
def test_recall_is_agreed_or_refused_by_the_receiver(
    province: Province, world: World, django_capture_on_commit_callbacks: Capture, agree: bool
) -> None:
    document = issue_to(province, {DEPARTMENT: "Sở Nội vụ tỉnh Thử"})
    cycle(world, django_capture_on_commit_callbacks)
    [recall] = exchange_recall(actor=province.clerk, document=document, reason="Sai nội dung")
    cycle(world, django_capture_on_commit_callbacks)
    request = ReceivedPackage.objects.get(business_type=BusinessType.RECALL)
    assert (request.state, request.reason) == (ReceivedState.RECALL_REQUESTED, "Sai nội dung")
    exchange_recall_decide(
        actor=province.other_clerk,
        received=request,
        agree=agree,
        reason="" if agree else "Đã triển khai thực hiện",
    )
    cycle(world, django_capture_on_commit_callbacks)
    recall.refresh_from_db()
    [incoming] = incoming_of(province)
    if agree:
        assert recall.receiver_status == "15"
        assert incoming.status == IncomingStatus.RECALLED
    else:
        assert (recall.receiver_status, recall.receiver_description) == (
            "16",
            "Đã triển khai thực hiện",
        )
        assert incoming.status == IncomingStatus.RECEIVED
    # The original package's row keeps the status about the document itself.
    assert SentPackage.objects.get(outgoing=document, business_type=0).receiver_status == "01"


def test_a_replacement_marks_the_earlier_document_replaced(
    province: Province, world: World, django_capture_on_commit_callbacks: Capture
) -> None:
    earlier = issue_to(province, {DEPARTMENT: "Sở Nội vụ tỉnh Thử"}, subject="Kế hoạch cũ")
    cycle(world, django_capture_on_commit_callbacks)

    def declare(document: Any) -> None:
        exchange_declare_replacement(
            actor=province.clerk,
            document=document,
            replaces=earlier,
            kind=BusinessType.REPLACE,
            reason="Thay thế do sai số liệu",
        )

    later = issue_to(
        province, {DEPARTMENT: "Sở Nội vụ tỉnh Thử"}, subject="Kế hoạch mới", before_issue=declare
    )
    sent = SentPackage.objects.get(outgoing=later)
    assert sent.business_type == BusinessType.REPLACE
    assert sent.replaces_document_id == SentPackage.objects.get(outgoing=earlier).document_id
    cycle(world, django_capture_on_commit_callbacks)
    old, new = sorted(incoming_of(province), key=lambda d: d.pk)
    assert (old.subject, old.status) == ("Kế hoạch cũ", IncomingStatus.REPLACED)
    assert (new.subject, new.status) == ("Kế hoạch mới", IncomingStatus.RECEIVED)
    received_new = ReceivedPackage.objects.get(incoming=new)
    assert received_new.concerns is not None
    assert received_new.concerns.incoming_id == old.pk
    assert received_new.concerns.state == ReceivedState.REPLACED


def test_a_package_the_axis_refuses_is_failed_not_retried(
    province: Province, world: World, django_capture_on_commit_callbacks: Capture
) -> None:
    document = issue_to(province, {"000.00.00.Z99": "Cơ quan không có trên trục"})
    run = exchange_send_due(axis=world.axis)
    assert (run.sent, run.failed) == (0, 1)
    sent = SentPackage.objects.get(outgoing=document)
    assert sent.state == SentState.FAILED
    assert sent.last_error.startswith("422 UNKNOWN_RECIPIENT")
    assert [e.to_state for e in sent.events.all()] == ["queued", "failed"]
    assert exchange_send_due(axis=world.axis).failed == 0


def test_nothing_is_queued_when_the_exchange_is_off(province: Province) -> None:
    document = issue_to(province, {MINISTRY: "Văn phòng Chính phủ"})
    assert not SentPackage.objects.filter(outgoing=document).exists()


def test_a_package_whose_signature_fails_is_invalid_and_creates_nothing(
    province: Province, world: World, django_capture_on_commit_callbacks: Capture
) -> None:
    document = issue_to(province, {DEPARTMENT: "Sở Nội vụ tỉnh Thử"}, subject="Bản gốc")
    package = document_package(SentPackage.objects.get(outgoing=document))
    tampered = package.replace("Bản gốc".encode(), "Bản sửa".encode())
    assert tampered != package
    world.simulator.store.store(read_header(tampered, "edoc"), tampered, sent_by=COMMITTEE)
    with django_capture_on_commit_callbacks(execute=True):
        run = exchange_poll(axis=world.axis)
    assert (run.documents, run.invalid) == (0, 1)
    assert incoming_of(province) == []
    row = ReceivedPackage.objects.get()
    assert row.state == ReceivedState.INVALID
    assert row.problem == TAMPERED
    assert world.axis.pending() == []  # acknowledged: it will not come back
    # The sender is told, through the same outbox as every status message.
    [refusal] = StatusMessage.objects.filter(direction="out")
    assert (refusal.state, refusal.code, refusal.description) == ("queued", "02", TAMPERED)
    assert (refusal.from_organ, refusal.to_organ, refusal.document_id, refusal.received) == (
        DEPARTMENT,
        COMMITTEE,
        row.document_id,
        row,
    )
    assert exchange_send_due(axis=world.axis).sent == 2  # the untouched original, the 02
    with django_capture_on_commit_callbacks(execute=True):
        exchange_poll(axis=world.axis)
    sent = SentPackage.objects.get(outgoing=document)
    assert (sent.receiver_status, sent.receiver_description) == ("02", TAMPERED)


def test_an_invalid_recall_is_refused_as_a_recall(
    province: Province, world: World, django_capture_on_commit_callbacks: Capture
) -> None:
    document = issue_to(province, {DEPARTMENT: "Sở Nội vụ tỉnh Thử"})
    cycle(world, django_capture_on_commit_callbacks)
    [recall] = exchange_recall(actor=province.clerk, document=document, reason="Ban hành nhầm")
    package = document_package(recall)
    tampered = package.replace("Ban hành nhầm".encode(), "Ban hành sai".encode())
    assert tampered != package
    world.simulator.store.store(read_header(tampered, "edoc"), tampered, sent_by=COMMITTEE)
    with django_capture_on_commit_callbacks(execute=True):
        assert exchange_poll(axis=world.axis).invalid == 1
    row = ReceivedPackage.objects.get(state=ReceivedState.INVALID)
    assert row.business_type == BusinessType.RECALL
    refusal = StatusMessage.objects.get(direction="out", received=row)
    # 16, not 02: the sender must not read it as a refusal of the document itself.
    assert (refusal.code, refusal.description) == ("16", TAMPERED)


def test_the_package_signer_is_kept_with_the_verdict(
    province: Province, world: World, django_capture_on_commit_callbacks: Capture
) -> None:
    issue_to(province, {DEPARTMENT: "Sở Nội vụ tỉnh Thử"})
    cycle(world, django_capture_on_commit_callbacks)
    [incoming] = incoming_of(province)
    assert "CN=" in incoming.signature_verdict["package_signer"]
