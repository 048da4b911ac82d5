"""Who may act: handling assignments, distributing, signing and acting for an agency — the
holes a review found (secrecy ignored when handling, roles outside document work seeing
documents, assignees and signers from anywhere, roles above an agency acting for it)."""

from __future__ import annotations

import datetime as dt

import pytest

from egov.accounts.models import Role, RoleAssignment, User
from egov.documents.errors import TransitionRefused
from egov.documents.models import IncomingDocument, IncomingStatus, OutgoingDocument
from egov.documents.permissions import (
    get_assignment_for_actor,
    get_incoming_for_actor,
    may_distribute,
    may_draft_in,
    may_register_incoming,
    outgoing_refusal,
    visible_incoming,
    visible_outgoing,
)
from egov.documents.selectors import document_type
from egov.documents.services.incoming import (
    AssigneeInput,
    assignment_complete,
    assignment_start,
    incoming_distribute,
    incoming_receive,
    incoming_register,
)
from egov.documents.services.outgoing import outgoing_create, outgoing_transition
from egov.documents.tests.conftest import Province, stored_pdf
from egov.documents.tests.helpers import draft, received
from egov.org.models import Unit, UnitKind


def _person(username: str, unit: Unit, role: str) -> User:
    user = User.objects.create_user(username=username, full_name=username.title())
    RoleAssignment.objects.create(user=user, unit=unit, role=role)
    return user


def _registered(
    province: Province, confidentiality: str = "normal", number: str = "5"
) -> IncomingDocument:
    return received(
        province,
        subject="Về việc rà soát",
        code_number=number,
        issued_date=dt.date(2026, 11, 2),
        confidentiality=confidentiality,
        distribute=False,
    )


# --- 1. handling an assignment ---------------------------------------------------------


def test_a_specialist_cannot_complete_a_secret_assignment_of_her_unit(province: Province):
    document = _registered(province, "top_secret")
    [lead] = incoming_distribute(
        actor=province.leader, document=document, lead=AssigneeInput(unit=province.vx)
    )
    assert get_incoming_for_actor(province.specialist, document.pk) is None
    with pytest.raises(TransitionRefused, match="không được giao cho bạn"):
        assignment_complete(actor=province.specialist, assignment=lead, note="x")
    document.refresh_from_db()
    assert document.status == IncomingStatus.DISTRIBUTED
    # The division's leader may.
    assignment_complete(actor=province.vx_leader, assignment=lead, note="Xong")
    document.refresh_from_db()
    assert document.status == IncomingStatus.COMPLETED


def test_roles_outside_document_work_or_above_the_unit_do_not_handle(province: Province):
    document = _registered(province)
    [lead] = incoming_distribute(
        actor=province.leader, document=document, lead=AssigneeInput(unit=province.vx)
    )
    postal = _person("t.postal", province.agency, Role.POSTAL)
    receptionist = _person("t.desk", province.vx, Role.RECEPTIONIST)
    for actor in (postal, receptionist, province.clerk, province.leader, province.outsider):
        with pytest.raises(TransitionRefused, match="không được giao cho bạn"):
            assignment_start(actor=actor, assignment=lead)
    assignment_start(actor=province.specialist, assignment=lead)
    assert get_assignment_for_actor(province.specialist, lead.pk) == lead
    assert get_assignment_for_actor(province.outsider, lead.pk) is None
    assert get_assignment_for_actor(postal, lead.pk) is None


# --- 2. only the staff roles of document work see documents ----------------------------


@pytest.mark.parametrize(
    "role", [Role.POSTAL, Role.RECEPTIONIST, Role.SUPERVISOR, Role.SYSTEM_ADMIN, Role.CENTRE_LEADER]
)
def test_roles_outside_document_work_see_no_document(province: Province, role: str):
    incoming = _registered(province)
    outgoing = draft(province)
    user = _person("t.other-role", province.agency, role)
    assert not visible_incoming(user).filter(pk=incoming.pk).exists()
    assert not visible_outgoing(user).filter(pk=outgoing.pk).exists()


# --- 3. assignees of a distribution ----------------------------------------------------


def test_assignees_belong_to_the_agency_and_appear_once(province: Province):
    # An open document: who may be given a secret one is in test_secret_assignees.
    document = _registered(province)
    citizen = User.objects.create_user(username="t.citizen", full_name="Công dân")
    refusals = [
        (AssigneeInput(person=province.outsider), [], "không phải cán bộ của cơ quan"),
        (AssigneeInput(person=citizen), [], "không phải cán bộ của cơ quan"),
        (AssigneeInput(unit=province.other), [], "không thuộc cơ quan nhận"),
        (AssigneeInput(unit=province.vx), [AssigneeInput(unit=province.vx)], "một lần"),
        (
            AssigneeInput(person=province.specialist),
            [AssigneeInput(person=province.specialist)],
            "một lần",
        ),
        (AssigneeInput(), [], "một đơn vị hoặc"),
        # A unit with the official who handles it: the official works in that unit.
        (
            AssigneeInput(unit=province.office, person=province.specialist),
            [],
            "không phải cán bộ của cơ quan",
        ),
    ]
    for lead, cooperating, message in refusals:
        with pytest.raises(TransitionRefused, match=message):
            incoming_distribute(
                actor=province.leader, document=document, lead=lead, cooperating=cooperating
            )
    assert not visible_incoming(province.outsider).filter(pk=document.pk).exists()
    assert document.assignments.count() == 0
    rows = incoming_distribute(
        actor=province.leader,
        document=document,
        lead=AssigneeInput(unit=province.vx),
        cooperating=[
            AssigneeInput(person=province.specialist),
            AssigneeInput(unit=province.office),
        ],
    )
    assert [(r.unit_id, r.person_id) for r in rows] == [
        (province.vx.pk, None),
        (None, province.specialist.pk),
        (province.office.pk, None),
    ]


# --- 4. the named signer -----------------------------------------------------------------


def test_the_signer_is_a_leader_of_the_agency_or_of_the_drafting_unit(province: Province):
    for signer in (province.specialist, province.outsider, province.clerk):
        with pytest.raises(TransitionRefused, match="Người ký phải là lãnh đạo"):
            draft(province, signer=signer)
    assert not OutgoingDocument.objects.exists()
    assert draft(province, signer=province.vx_leader).signer == province.vx_leader
    other_leader = _person("t.snv-leader", province.other, Role.DEPARTMENT_LEADER)
    with pytest.raises(TransitionRefused, match="Người ký phải là lãnh đạo"):
        draft(province, signer=other_leader)


def test_the_signer_is_checked_again_when_signing(province: Province):
    document = draft(province)
    for action, who in [
        ("submit", province.specialist),
        ("approve_content", province.vx_leader),
        ("approve_format", province.clerk),
    ]:
        document = outgoing_transition(actor=who, document=document, action=action)
    # The leader's role ended before the signature.
    RoleAssignment.objects.filter(user=province.leader).update(
        valid_until=dt.date(2020, 1, 1), valid_from=dt.date(2019, 1, 1)
    )
    assert outgoing_refusal(province.leader, document, "sign") == (
        "Người ký được chỉ định không còn giữ chức vụ lãnh đạo của cơ quan."
    )
    with pytest.raises(TransitionRefused, match="không còn giữ chức vụ"):
        outgoing_transition(
            actor=province.leader, document=document, action="sign", file=stored_pdf()
        )


# --- 5. roles held above an agency -------------------------------------------------------


def test_roles_above_an_agency_do_not_act_for_it(province: Province):
    ward = Unit.objects.create(
        key="t.ubnd.phuong",
        name="UBND phường Một",
        kind=UnitKind.PEOPLES_COMMITTEE,
        parent=province.agency,
    )
    ward_clerk = _person("t.ward-clerk", ward, Role.CLERK)
    # The committee's clerk and leader hold their roles above the ward.
    assert not may_register_incoming(province.clerk, ward)
    assert may_register_incoming(ward_clerk, ward)
    secret = incoming_receive(
        actor=ward_clerk,
        agency=ward,
        source="paper",
        organ_name="Sở Nội vụ",
        subject="Mật",
        confidentiality="secret",
    )
    normal = incoming_receive(
        actor=ward_clerk, agency=ward, source="paper", organ_name="Sở Nội vụ", subject="Thường"
    )
    secret = incoming_register(actor=ward_clerk, document=secret)
    assert not may_distribute(province.leader, secret)
    with pytest.raises(TransitionRefused, match="Chỉ văn thư của cơ quan"):
        incoming_register(actor=province.clerk, document=normal)
    # A leader above sees the ward's ordinary documents, not its secret ones.
    assert set(visible_incoming(province.leader).filter(agency=ward)) == {normal}
    assert set(visible_incoming(ward_clerk)) == {normal, secret}


def test_a_leader_above_the_agency_does_not_review_its_drafts(province: Province):
    region = Unit.objects.create(key="t.vung", name="Vùng Thử", kind=UnitKind.OTHER)
    province.agency.parent = region
    province.agency.save(update_fields=["parent"])
    above = _person("t.region-leader", region, Role.DEPARTMENT_LEADER)
    document = draft(province)
    outgoing_transition(actor=province.specialist, document=document, action="submit")
    assert outgoing_refusal(above, document, "approve_content") == (
        "Bạn không có quyền “Duyệt nội dung, chuyển kiểm tra thể thức” với văn bản này."
    )
    # The agency's own leader is above the division within the agency: he may.
    assert outgoing_refusal(province.leader, document, "approve_content") is None


def test_a_role_above_the_agency_does_not_draft_for_it(province: Province):
    region = Unit.objects.create(key="t.vung", name="Vùng Thử", kind=UnitKind.OTHER)
    province.agency.parent = region
    province.agency.save(update_fields=["parent"])
    above = _person("t.region-specialist", region, Role.SPECIALIST)
    kind = document_type(None, "bao-cao")
    assert kind is not None
    with pytest.raises(TransitionRefused, match="không có quyền soạn thảo"):
        outgoing_create(
            actor=above,
            agency=province.agency,
            drafting_unit=province.vx,
            document_type=kind,
            subject="Báo cáo",
        )
    assert not may_draft_in(above, province.vx, agency=province.agency)
    assert may_draft_in(province.specialist, province.vx, agency=province.agency)
