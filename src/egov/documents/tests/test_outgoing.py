"""The outgoing lifecycle: every allowed and refused transition, returns, signing with a
delegation, registration, the agency signature and issue to internal recipients."""

from __future__ import annotations

import datetime as dt

import pytest

from egov.audit.models import AuditEntry
from egov.documents.actions import OutgoingAction as A
from egov.documents.errors import SecretFileRefused, StaleRevision, TransitionRefused
from egov.documents.models import (
    Confidentiality,
    Delegation,
    IncomingSource,
    IncomingStatus,
    OutgoingDocument,
    OutgoingRecipient,
    OutgoingStatus,
    RecipientKind,
    VersionKind,
)
from egov.documents.permissions import outgoing_allowed_actions, outgoing_refusal
from egov.documents.selectors import document_type
from egov.documents.services.incoming import incoming_register
from egov.documents.services.outgoing import (
    RecipientInput,
    outgoing_add_version,
    outgoing_create,
    outgoing_transition,
)
from egov.documents.state import TRANSITIONS
from egov.documents.tests.conftest import Province, stored_pdf
from egov.documents.tests.helpers import draft, take_step
from egov.org.models import Unit, UnitKind

S = OutgoingStatus
# Status → the action that moves it on, and who takes it (attribute of Province).
HAPPY_PATH = [
    (S.DRAFT, A.SUBMIT, "specialist"),
    (S.UNIT_REVIEW, A.APPROVE_CONTENT, "vx_leader"),
    (S.FORMAT_CHECK, A.APPROVE_FORMAT, "clerk"),
    (S.APPROVAL, A.SIGN, "leader"),
    (S.SIGNED, A.REGISTER, "clerk"),
    (S.REGISTERED, A.AGENCY_SIGN, "clerk"),
    (S.AGENCY_SIGNED, A.ISSUE, "clerk"),
]


def _draft(province: Province, key: str = "cong-van", **extra: object) -> OutgoingDocument:
    return draft(
        province,
        key=key,
        subject="Về việc tổ chức Tết Nguyên đán",
        unit_abbreviation=province.vx_abbr,
        file=None if extra.get("confidentiality") else stored_pdf(province.specialist),
        recipients=[
            RecipientInput(unit=province.other),
            RecipientInput(name="Báo Quảng Ninh", email="toasoan@example.vn"),
        ],
        **extra,
    )


def _step(province: Province, document: OutgoingDocument, action: str, who: str) -> None:
    file = stored_pdf() if TRANSITIONS[action].needs_file and not document.is_secret else None
    take_step(province, document, action, who, file)


def _bring_to(province: Province, status: str, **extra: object) -> OutgoingDocument:
    document = _draft(province, **extra)  # type: ignore[arg-type]
    for source, action, who in HAPPY_PATH:
        if document.status == status:
            break
        assert document.status == source
        _step(province, document, action, who)
    assert document.status == status
    return document


def test_the_whole_path_records_every_step(province: Province):
    document = _bring_to(province, S.ISSUED)
    events = list(document.events.order_by("sequence"))
    assert [(e.action, e.from_status, e.to_status) for e in events] == [
        ("create", "", "draft"),
        ("submit", "draft", "unit_review"),
        ("approve_content", "unit_review", "format_check"),
        ("approve_format", "format_check", "approval"),
        ("sign", "approval", "signed"),
        ("register", "signed", "registered"),
        ("agency_sign", "registered", "agency_signed"),
        ("issue", "agency_signed", "issued"),
    ]
    assert [e.actor for e in events] == [
        province.specialist,
        province.specialist,
        province.vx_leader,
        province.clerk,
        province.leader,
        province.clerk,
        province.clerk,
        province.clerk,
    ]
    assert events[4].data == {"delegation": "KT.", "version": 2}
    assert events[5].data == {"number": 1, "notation": "UBND-VX"}
    assert (document.delegation, document.signer_position, document.signer_full_name) == (
        "KT.",
        "PHÓ CHỦ TỊCH",
        "Lê Văn Dũng",
    )
    assert document.number_text == "01/UBND-VX"
    assert document.revision == 7
    assert [(v.number, v.kind) for v in document.versions.order_by("number")] == [
        (1, VersionKind.DRAFT),
        (2, VersionKind.PERSONAL_SIGNED),
        (3, VersionKind.AGENCY_SIGNED),
    ]
    audit = AuditEntry.objects.filter(
        object_type="documents.outgoingdocument", object_id=str(document.pk)
    )
    assert sorted(audit.values_list("action", flat=True)) == sorted(
        f"document.out.{e.action}" for e in events
    )


def test_issue_delivers_to_internal_recipients_as_incoming(province: Province):
    document = _bring_to(province, S.ISSUED)
    internal = document.recipients.get(kind=RecipientKind.INTERNAL)
    external = document.recipients.get(kind=RecipientKind.EXTERNAL)
    assert external.incoming is None and external.delivered_at is None
    incoming = internal.incoming
    assert incoming is not None and internal.delivered_at == document.issued_at
    assert (incoming.agency, incoming.source, incoming.status) == (
        province.other,
        IncomingSource.INTERNAL,
        IncomingStatus.RECEIVED,
    )
    assert (incoming.code_number, incoming.code_notation, incoming.organ_id) == (
        "01",
        "UBND-VX",
        "000.00.00.T01",
    )
    assert incoming.signer_position == "KT. PHÓ CHỦ TỊCH"
    assert incoming.file == document.versions.get(kind=VersionKind.AGENCY_SIGNED).file
    assert incoming.source_outgoing == document
    assert [e.action for e in incoming.events.all()] == ["receive"]
    assert document.events.get(action="issue").data == {"delivered": [incoming.pk]}


def test_a_division_recipient_is_received_by_its_agency(province: Province):
    """Sent to a division (Phòng VX) of another agency: the agency's văn thư receives it in
    the agency's register of số đến, the division is named in "đơn vị hoặc người nhận"."""
    division = Unit.objects.create(
        key="t.snv.tccb", name="Phòng Tổ chức cán bộ", kind=UnitKind.DIVISION, parent=province.other
    )
    document = _draft(province)
    OutgoingRecipient.objects.create(
        document=document, kind=RecipientKind.INTERNAL, unit=division, name=division.name
    )
    for _status, action, who in HAPPY_PATH:
        _step(province, document, action, who)
    incoming = document.recipients.get(unit=division).incoming
    assert incoming is not None
    assert (incoming.agency, incoming.to_places) == (province.other, "Phòng Tổ chức cán bộ")
    direct = document.recipients.get(unit=province.other).incoming
    assert direct is not None and (direct.agency, direct.to_places) == (province.other, "")
    registered = incoming_register(actor=province.other_clerk, document=incoming)
    incoming_register(actor=province.other_clerk, document=direct, override_reason="Hai nơi")
    direct.refresh_from_db()
    assert (registered.arrival_number, direct.arrival_number) == (1, 2)


@pytest.mark.parametrize(("status", "action", "who"), HAPPY_PATH)
def test_each_step_is_refused_to_everyone_else(province: Province, status, action, who):
    document = _bring_to(province, status)
    people = ["clerk", "leader", "vx_leader", "specialist", "outsider", "other_clerk"]
    allowed = {
        p for p in people if outgoing_refusal(getattr(province, p), document, action) is None
    }
    expected = {who}
    # The agency's leader also holds the leader's role over the drafting division.
    if action == A.APPROVE_CONTENT:
        expected.add("leader")
    # The drafter submits; so may the division's leader and the agency's leader above it.
    if action == A.SUBMIT:
        expected |= {"vx_leader", "leader"}
    assert allowed == expected
    refused = next(p for p in people if p not in expected)
    with pytest.raises(TransitionRefused, match="Bạn không có quyền"):
        _step(province, document, action, refused)


@pytest.mark.parametrize("status", list(S))
def test_every_action_outside_its_statuses_is_refused(province: Province, status):
    document = _bring_to(province, status)
    events = document.events.count()
    for action, transition in TRANSITIONS.items():
        if status in transition.sources:
            continue
        assert outgoing_refusal(province.clerk, document, action) == (
            f"Không thể “{A(action).label}” khi văn bản đang ở bước “{S(status).label}”."
        )
        with pytest.raises(TransitionRefused):
            _step(province, document, action, "clerk")
    assert document.events.count() == events
    assert document.status == status


@pytest.mark.parametrize(
    ("status", "who"),
    [(S.UNIT_REVIEW, "vx_leader"), (S.FORMAT_CHECK, "clerk"), (S.APPROVAL, "leader")],
)
def test_return_with_comments_goes_back_to_the_draft(province: Province, status, who):
    document = _bring_to(province, status)
    actor = getattr(province, who)
    assert A.RETURN in outgoing_allowed_actions(actor, document)
    with pytest.raises(TransitionRefused, match="Cần ghi rõ ý kiến"):
        outgoing_transition(actor=actor, document=document, action=A.RETURN, reason="  ")
    outgoing_transition(
        actor=actor, document=document, action=A.RETURN, reason="Sửa lại đoạn 2 cho rõ."
    )
    assert document.status == S.DRAFT
    last = document.events.order_by("-sequence").first()
    assert last is not None
    assert (last.action, last.from_status, last.to_status, last.reason) == (
        "return",
        status,
        "draft",
        "Sửa lại đoạn 2 cho rõ.",
    )
    # A new draft version, then the path starts again.
    version = outgoing_add_version(actor=province.specialist, document=document, file=stored_pdf())
    assert version.number == 2
    assert outgoing_allowed_actions(province.specialist, document) == [A.SUBMIT]


def test_return_is_refused_to_the_people_of_other_steps(province: Province):
    document = _bring_to(province, S.FORMAT_CHECK)
    assert outgoing_refusal(province.vx_leader, document, A.RETURN) == (
        "Bạn không có quyền “Trả lại dự thảo kèm ý kiến” với văn bản này."
    )
    assert outgoing_refusal(province.clerk, document, A.RETURN) is None


def test_signing_needs_the_signed_file_and_a_valid_delegation(province: Province):
    document = _bring_to(province, S.APPROVAL)
    with pytest.raises(TransitionRefused, match="Cần tệp văn bản đã ký số"):
        outgoing_transition(actor=province.leader, document=document, action=A.SIGN)
    with pytest.raises(TransitionRefused, match="Thẩm quyền ký không hợp lệ"):
        outgoing_transition(
            actor=province.leader,
            document=document,
            action=A.SIGN,
            file=stored_pdf(),
            delegation="KY THAY",
        )
    assert Delegation.values == ["", "TM.", "KT.", "Q.", "TL.", "TUQ."]
    outgoing_transition(
        actor=province.leader, document=document, action=A.SIGN, file=stored_pdf(), delegation="TM."
    )
    assert document.delegation == "TM."


def test_only_the_named_signer_signs(province: Province):
    document = _bring_to(province, S.APPROVAL)
    document.signer = province.vx_leader
    document.save(update_fields=["signer"])
    assert outgoing_refusal(province.leader, document, A.SIGN) is not None
    assert outgoing_refusal(province.vx_leader, document, A.SIGN) is None
    document.signer = None
    document.save(update_fields=["signer"])
    assert outgoing_refusal(province.leader, document, A.SIGN) == "Văn bản chưa có người ký."


def test_a_second_person_on_the_same_revision_gets_stale(province: Province):
    document = _bring_to(province, S.UNIT_REVIEW)
    copy = OutgoingDocument.objects.get(pk=document.pk)
    outgoing_transition(actor=province.vx_leader, document=document, action=A.APPROVE_CONTENT)
    with pytest.raises(StaleRevision):
        outgoing_transition(
            actor=province.vx_leader, document=copy, action=A.RETURN, reason="Chưa đạt"
        )
    with pytest.raises(StaleRevision):
        outgoing_transition(
            actor=province.clerk,
            document=document,
            action=A.APPROVE_FORMAT,
            expected_revision=document.revision - 1,
        )


def test_secret_documents_are_metadata_only(province: Province):
    with pytest.raises(SecretFileRefused):
        outgoing_create(
            actor=province.specialist,
            agency=province.agency,
            drafting_unit=province.vx,
            document_type=document_type(None, "bao-cao"),  # type: ignore[arg-type]
            subject="Báo cáo mật",
            confidentiality=Confidentiality.SECRET,
            file=stored_pdf(),
        )
    document = _bring_to(province, S.APPROVAL, confidentiality=Confidentiality.TOP_SECRET)
    with pytest.raises(SecretFileRefused):
        outgoing_transition(
            actor=province.leader, document=document, action=A.SIGN, file=stored_pdf()
        )
    outgoing_transition(actor=province.leader, document=document, action=A.RETURN, reason="x")
    with pytest.raises(SecretFileRefused):
        outgoing_add_version(actor=province.specialist, document=document, file=stored_pdf())
    for _status, action, who in HAPPY_PATH[:3]:
        _step(province, document, action, who)
    for _status, action, who in HAPPY_PATH[3:]:
        _step(province, document, action, who)
    assert document.status == S.ISSUED
    assert document.versions.count() == 0
    assert document.register == "mat"
    incoming = document.recipients.get(kind=RecipientKind.INTERNAL).incoming
    assert incoming is not None and incoming.file is None and incoming.is_secret


def test_drafting_is_refused_outside_ones_units(province: Province):
    kind = document_type(None, "to-trinh")
    assert kind is not None
    with pytest.raises(TransitionRefused, match="không có quyền soạn thảo"):
        outgoing_create(
            actor=province.outsider,
            agency=province.agency,
            drafting_unit=province.vx,
            document_type=kind,
            subject="Tờ trình",
        )
    with pytest.raises(TransitionRefused, match="phải thuộc cơ quan ban hành"):
        outgoing_create(
            actor=province.outsider,
            agency=province.agency,
            drafting_unit=province.other,
            document_type=kind,
            subject="Tờ trình",
        )


def test_registration_needs_agency_settings_and_a_unit_for_cong_van(province: Province):
    document = _bring_to(province, S.SIGNED)
    document.unit_abbreviation = None
    document.save(update_fields=["unit_abbreviation"])
    with pytest.raises(TransitionRefused, match="Công văn cần chữ viết tắt"):
        outgoing_transition(actor=province.clerk, document=document, action=A.REGISTER)
    province.settings.valid_until = dt.date(2000, 1, 2)
    province.settings.valid_from = dt.date(2000, 1, 1)
    province.settings.save()
    with pytest.raises(TransitionRefused, match="chưa khai báo chữ viết tắt"):
        outgoing_transition(actor=province.clerk, document=document, action=A.REGISTER)
    assert document.events.filter(action="register").count() == 0


def test_bad_draft_input_is_refused_with_a_message(province: Province):
    kind = document_type(None, "bao-cao")
    assert kind is not None
    twice = [RecipientInput(unit=province.other), RecipientInput(unit=province.other)]
    cases: list[tuple[dict[str, object], str]] = [
        ({"urgency": "bogus"}, "Độ khẩn không hợp lệ."),
        ({"confidentiality": "bogus"}, "Độ mật không hợp lệ."),
        ({"page_amount": -3}, "Số trang không hợp lệ."),
        ({"subject": "T" * 501}, "“Trích yếu” dài quá 500 ký tự."),
        (
            {"recipients": twice},
            "Nơi nhận “Sở Nội vụ tỉnh Thử” được nhập hai lần.",
        ),
        ({"recipients": [RecipientInput()]}, "Mỗi nơi nhận cần một đơn vị hoặc một tên."),
        (
            {"recipients": [RecipientInput(name="Báo", organ_id="000.00.00.G221")]},
            "“Mã định danh nơi nhận” dài quá 13 ký tự.",
        ),
    ]
    for changes, message in cases:
        values: dict[str, object] = {"subject": "Báo cáo", **changes}
        with pytest.raises(TransitionRefused) as refused:
            outgoing_create(
                actor=province.specialist,
                agency=province.agency,
                drafting_unit=province.vx,
                document_type=kind,
                signer=province.leader,
                **values,  # type: ignore[arg-type]
            )
        assert str(refused.value) == message
    assert not OutgoingDocument.objects.exists()
