"""Incoming documents: intake, số đến, duplicate warning, return to the sender, distribution
with working-day deadlines, handling, the reply link, urgent push, access audit."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine

from egov.audit.models import AuditEntry
from egov.documents.errors import SecretFileRefused, StaleRevision, TransitionRefused
from egov.documents.models import (
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Confidentiality,
    IncomingDocument,
    IncomingStatus,
    OutgoingDocument,
    Urgency,
)
from egov.documents.selectors import due_soon_assignments, overdue_assignments
from egov.documents.services.incoming import (
    AssigneeInput,
    DuplicateWarning,
    assignment_complete,
    assignment_start,
    document_record_access,
    incoming_distribute,
    incoming_link_reply,
    incoming_receive,
    incoming_register,
    incoming_return_to_sender,
)
from egov.documents.tests.conftest import Province, stored_pdf
from egov.notifications.models import Message
from egov.workdays.selectors import calendar_for_unit

VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def _receive(province: Province, **extra: object) -> IncomingDocument:
    values: dict[str, object] = {
        "source": "upload",
        "organ_name": "Bộ Nội vụ",
        "organ_id": "000.00.00.G22",
        "subject": "Về việc báo cáo công tác văn thư năm 2026",
        "code_number": "123",
        "code_notation": "BNV-VP",
        "issued_date": dt.date(2026, 11, 20),
        "signer_position": "Chánh Văn phòng",
        "signer_full_name": "Nguyễn Văn Bình",
        "to_places": "UBND các tỉnh",
        "page_amount": 2,
        "signature_verdict": {"valid": True, "summary": "Chữ ký hợp lệ"},
    }
    values.update(extra)
    if "file" not in values and values.get("confidentiality", "normal") == "normal":
        values["file"] = stored_pdf(province.clerk)
    return incoming_receive(actor=province.clerk, agency=province.agency, **values)  # type: ignore[arg-type]


def test_receive_and_register_give_consecutive_arrival_numbers(province: Province):
    first = _receive(province)
    second = _receive(province, code_number="124")
    assert (first.status, first.arrival_number) == (IncomingStatus.RECEIVED, None)
    assert first.signature_verdict == {"valid": True, "summary": "Chữ ký hợp lệ"}
    incoming_register(actor=province.clerk, document=first)
    incoming_register(actor=province.clerk, document=second)
    assert (first.arrival_number, second.arrival_number) == (1, 2)
    assert first.status == IncomingStatus.REGISTERED
    assert first.register == "chung" and first.registered_at is not None
    assert [(e.action, e.from_status, e.to_status) for e in first.events.all()] == [
        ("receive", "", "received"),
        ("register", "received", "registered"),
    ]
    assert first.events.get(action="register").data == {
        "arrival_number": 1,
        "register": "chung",
        "duplicates": [],
    }


def test_duplicates_compare_the_number_by_value_the_notation_and_issuer_loosely(
    province: Province,
):
    original = _receive(province, code_number="05", code_notation="BNV-VP", organ_id="")
    incoming_register(actor=province.clerk, document=original)
    variants: list[dict[str, object]] = [
        {"code_number": "5"},
        {"code_notation": "bnv - vp"},
        # Named the same (spacing, case), with a mã định danh this time.
        {"organ_name": "  BỘ NỘI   VỤ", "organ_id": "000.00.00.G22"},
    ]
    for changes in variants:
        values: dict[str, object] = {
            "code_number": "05",
            "code_notation": "BNV-VP",
            "organ_id": "",
            **changes,
        }
        again = _receive(province, **values)
        with pytest.raises(DuplicateWarning) as warned:
            incoming_register(actor=province.clerk, document=again)
        assert warned.value.duplicates == [original]
    # Same mã định danh, issuer's name typed differently: still the same issuer.
    by_code = _receive(province, code_number="7", organ_id="000.00.00.G22")
    incoming_register(actor=province.clerk, document=by_code)
    renamed = _receive(province, code_number="07", organ_name="BNV", organ_id="000.00.00.G22")
    with pytest.raises(DuplicateWarning) as warned:
        incoming_register(actor=province.clerk, document=renamed)
    assert warned.value.duplicates == [by_code]
    # Another number is not a duplicate.
    other = _receive(province, code_number="50", code_notation="BNV-VP", organ_id="")
    assert incoming_register(actor=province.clerk, document=other).duplicate_of is None


def test_duplicate_is_a_warning_the_clerk_may_override_with_a_reason(province: Province):
    original = _receive(province)
    incoming_register(actor=province.clerk, document=original)
    again = _receive(province, organ_name="BỘ NỘI VỤ")
    with pytest.raises(DuplicateWarning) as warned:
        incoming_register(actor=province.clerk, document=again)
    assert warned.value.duplicates == [original]
    assert str(warned.value) == (
        "Văn bản có thể trùng với văn bản đến số 1 đã vào sổ; ghi lý do nếu vẫn vào sổ."
    )
    again.refresh_from_db()
    assert again.status == IncomingStatus.RECEIVED and again.arrival_number is None
    incoming_register(
        actor=province.clerk, document=again, override_reason="Bản gửi lại có phụ lục"
    )
    again.refresh_from_db()
    assert (again.arrival_number, again.duplicate_of, again.duplicate_override_reason) == (  # type: ignore[comparison-overlap]
        2,
        original,
        "Bản gửi lại có phụ lục",
    )
    # Another year of issue, or another issuer, is not a duplicate.
    other_year = _receive(province, issued_date=dt.date(2025, 11, 20))
    incoming_register(actor=province.clerk, document=other_year)
    other_issuer = _receive(province, organ_name="Sở Tài chính", organ_id="")
    incoming_register(actor=province.clerk, document=other_issuer)


def test_only_the_agencys_clerk_receives_and_registers(province: Province):
    for person in (province.leader, province.specialist, province.other_clerk):
        with pytest.raises(TransitionRefused, match="Chỉ văn thư"):
            incoming_receive(
                actor=person,
                agency=province.agency,
                source="paper",
                organ_name="Bộ Nội vụ",
                subject="Giấy mời",
            )
    document = _receive(province)
    with pytest.raises(TransitionRefused, match="Chỉ văn thư"):
        incoming_register(actor=province.leader, document=document)


def test_intake_checks(province: Province):
    with pytest.raises(TransitionRefused, match="Cần tệp văn bản"):
        _receive(province, file=None)
    with pytest.raises(TransitionRefused, match="Nguồn tiếp nhận không hợp lệ"):
        _receive(province, source="exchange")
    with pytest.raises(SecretFileRefused):
        _receive(province, confidentiality=Confidentiality.SECRET, file=stored_pdf())
    paper = _receive(province, source="paper", file=None)
    assert paper.file is None
    secret = _receive(province, confidentiality=Confidentiality.ULTRA_SECRET, source="paper")
    incoming_register(actor=province.clerk, document=secret)
    assert (secret.register, secret.arrival_number) == ("mat", 1)


def test_return_to_sender_needs_a_reason(province: Province):
    document = _receive(province)
    with pytest.raises(TransitionRefused, match="lý do"):
        incoming_return_to_sender(actor=province.clerk, document=document, reason=" ")
    incoming_return_to_sender(actor=province.clerk, document=document, reason="Gửi nhầm cơ quan")
    assert document.status == IncomingStatus.RETURNED
    with pytest.raises(TransitionRefused):
        incoming_register(actor=province.clerk, document=document)


def test_distribution_with_deadlines_on_the_working_day_calendar(province: Province):
    document = _receive(province)
    incoming_register(actor=province.clerk, document=document)
    # Friday 4 December 2026, 10:00: 3 working days skip the weekend.
    start = dt.datetime(2026, 12, 4, 10, 0, tzinfo=VN)
    with time_machine.travel(start, tick=False):
        with pytest.raises(TransitionRefused, match="Chỉ lãnh đạo"):
            incoming_distribute(
                actor=province.clerk, document=document, lead=AssigneeInput(unit=province.vx)
            )
        lead, helper = incoming_distribute(
            actor=province.leader,
            document=document,
            lead=AssigneeInput(unit=province.vx, working_days=3),
            cooperating=[AssigneeInput(person=province.clerk, working_days=2)],
            instructions="Giao Phòng VX chủ trì, báo cáo trước hạn.",
        )
    calendar = calendar_for_unit(province.agency)
    assert lead.due_at == calendar.add_working_days(start, 3)
    assert lead.due_at is not None and lead.due_at.astimezone(VN).date() == dt.date(2026, 12, 9)
    assert helper.due_at == calendar.add_working_days(start, 2)
    assert (lead.role, helper.role) == (AssignmentRole.LEAD, AssignmentRole.COOPERATE)
    assert lead.instructions == "Giao Phòng VX chủ trì, báo cáo trước hạn."
    document.refresh_from_db()
    assert document.status == IncomingStatus.DISTRIBUTED
    assert document.due_date == dt.date(2026, 12, 9)
    event = document.events.get(action="distribute")
    assert event.reason == "Giao Phòng VX chủ trì, báo cáo trước hạn."
    assert [a["role"] for a in event.data["assignments"]] == ["lead", "cooperate"]
    # Deadlines: due soon the day before, overdue the day after.
    assignments = Assignment.objects.filter(document=document)
    before = lead.due_at - dt.timedelta(hours=2)
    assert list(due_soon_assignments(assignments, now=before)) == [lead]
    assert lead.is_due_soon(before) and not lead.is_overdue(before)
    after = lead.due_at + dt.timedelta(minutes=1)
    assert set(overdue_assignments(assignments, now=after)) == {lead, helper}
    assert lead.is_overdue(after)


def test_handling_statuses_and_the_reply(province: Province):
    document = _receive(province)
    incoming_register(actor=province.clerk, document=document)
    lead, helper = incoming_distribute(
        actor=province.leader,
        document=document,
        lead=AssigneeInput(person=province.specialist, working_days=5),
        cooperating=[AssigneeInput(unit=province.vx)],
    )
    with pytest.raises(TransitionRefused, match="không được giao cho bạn"):
        assignment_start(actor=province.vx_leader, assignment=lead)
    assignment_start(actor=province.specialist, assignment=lead)
    assert lead.status == AssignmentStatus.IN_PROGRESS
    with pytest.raises(TransitionRefused, match="đã ở trạng thái"):
        assignment_start(actor=province.specialist, assignment=lead)
    # The division's co-operating part: a specialist or leader of the division itself.
    with pytest.raises(TransitionRefused, match="không được giao cho bạn"):
        assignment_complete(actor=province.clerk, assignment=helper, note="Đã góp ý")
    assignment_complete(actor=province.vx_leader, assignment=helper, note="Đã góp ý")
    document.refresh_from_db()
    assert document.status == IncomingStatus.DISTRIBUTED
    assignment_complete(actor=province.specialist, assignment=lead, note="Đã trả lời")
    document.refresh_from_db()
    assert document.status == IncomingStatus.COMPLETED
    assert lead.done_at is not None and not lead.is_overdue()
    reply = _issued_reply(province)
    with pytest.raises(TransitionRefused):
        incoming_link_reply(actor=province.outsider, document=document, reply=reply)
    incoming_link_reply(actor=province.specialist, document=document, reply=reply)
    assert document.reply == reply
    assert [e.action for e in document.events.all()] == [
        "receive",
        "register",
        "distribute",
        "start",
        "complete",
        "complete",
        "link_reply",
    ]


def _issued_reply(province: Province, status: str = "issued") -> OutgoingDocument:
    from egov.documents.tests.test_outgoing import _bring_to

    return _bring_to(province, status)


def test_the_reply_is_linked_by_someone_who_sees_it_once_it_has_its_number(
    province: Province,
):
    from egov.accounts.models import Role, RoleAssignment, User

    office_specialist = User.objects.create_user(username="t.vp", full_name="Chuyên viên VP")
    RoleAssignment.objects.create(
        user=office_specialist, unit=province.office, role=Role.SPECIALIST
    )
    document = _receive(province)
    signed_only = _issued_reply(province, "signed")
    incoming_register(actor=province.clerk, document=document)
    with pytest.raises(TransitionRefused, match="đã phân phối"):
        incoming_link_reply(actor=province.clerk, document=document, reply=signed_only)
    incoming_distribute(
        actor=province.leader, document=document, lead=AssigneeInput(person=office_specialist)
    )
    reply = _issued_reply(province)
    # The office's specialist handles the document but cannot see the division's reply.
    with pytest.raises(TransitionRefused, match="không có quyền xem văn bản trả lời"):
        incoming_link_reply(actor=office_specialist, document=document, reply=reply)
    with pytest.raises(TransitionRefused, match="đã có số"):
        incoming_link_reply(actor=province.clerk, document=document, reply=signed_only)
    revision = document.revision
    incoming_link_reply(actor=province.clerk, document=document, reply=reply)
    assert (document.reply, document.revision) == (reply, revision + 1)
    assert document.events.get(action="link_reply").data == {
        "reply": reply.pk,
        "code": "01/UBND-VX",
    }


def test_a_second_clerk_on_the_same_revision_gets_stale(province: Province):
    document = _receive(province)
    copy = IncomingDocument.objects.get(pk=document.pk)
    incoming_register(actor=province.clerk, document=document)
    with pytest.raises(StaleRevision):
        incoming_return_to_sender(
            actor=province.clerk, document=copy, reason="x", expected_revision=0
        )


def test_urgent_documents_are_pushed_to_the_people_who_act(province: Province):
    document = _receive(province, urgency=Urgency.FLASH)
    assert not Message.objects.filter(event="urgent_document").exists()
    incoming_register(actor=province.clerk, document=document)
    to_leaders = Message.objects.filter(event="urgent_document")
    assert list(to_leaders.values_list("recipient", "channel")) == [
        ("t.dung@example.gov.vn", "email")
    ]
    message = to_leaders.get()
    assert message.subject == "[Hỏa tốc] Văn bản đến 123/BNV-VP"
    assert "Về việc báo cáo công tác văn thư năm 2026" in message.body
    incoming_distribute(
        actor=province.leader,
        document=document,
        lead=AssigneeInput(unit=province.vx),
        cooperating=[AssigneeInput(person=province.specialist)],
    )
    assert sorted(
        Message.objects.filter(event="urgent_document").values_list("recipient", flat=True)
    ) == ["t.chi@example.gov.vn", "t.dung@example.gov.vn", "t.lan@example.gov.vn"]
    # A normal document sends nothing; a secret one never shows its subject.
    normal = _receive(province, code_number="9")
    incoming_register(actor=province.clerk, document=normal)
    assert Message.objects.filter(event="urgent_document").count() == 3
    secret = _receive(
        province,
        urgency=Urgency.URGENT,
        confidentiality=Confidentiality.SECRET,
        source="paper",
        code_number="10",
    )
    incoming_register(actor=province.clerk, document=secret)
    last = Message.objects.filter(event="urgent_document").order_by("-id").first()
    assert last is not None and "(văn bản mật)" in last.body
    assert secret.subject not in last.body


def test_views_and_downloads_are_audited(province: Province):
    document = _receive(province)
    document_record_access(actor=province.clerk, document=document, kind="view")
    document_record_access(actor=province.clerk, document=document, kind="download")
    entries = AuditEntry.objects.filter(
        object_type="documents.incomingdocument", object_id=str(document.pk)
    ).order_by("id")
    assert list(entries.values_list("action", flat=True)) == [
        "document.in.receive",
        "document.in.view",
        "document.in.download",
    ]
    with pytest.raises(ValueError):
        document_record_access(actor=province.clerk, document=document, kind="print")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"urgency": "bogus"}, "Độ khẩn không hợp lệ."),
        ({"confidentiality": "bogus"}, "Độ mật không hợp lệ."),
        ({"page_amount": -1}, "Số trang không hợp lệ."),
        ({"code_number": "1" * 12}, "“Số” dài quá 11 ký tự."),
        ({"code_notation": "A" * 31}, "“Ký hiệu” dài quá 30 ký tự."),
        ({"organ_id": "000.00.00.G221"}, "“Mã định danh cơ quan ban hành” dài quá 13 ký tự."),
        ({"signer_full_name": "N" * 51}, "“Họ tên người ký” dài quá 50 ký tự."),
        ({"signer_position": "C" * 101}, "“Chức vụ người ký” dài quá 100 ký tự."),
    ],
)
def test_bad_input_is_refused_with_a_message(
    province: Province, changes: dict[str, object], message: str
):
    with pytest.raises(TransitionRefused) as refused:
        _receive(province, **changes)
    assert str(refused.value) == message
    assert not IncomingDocument.objects.exists()
