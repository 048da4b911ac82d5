"""Who may be given a secret incoming document to handle: leaders only (the narrowest reading
kept in ``permissions``), never a specialist or a unit without a leader; nothing is saved
when one assignee is refused."""

from __future__ import annotations

import pytest

from egov.documents.errors import TransitionRefused
from egov.documents.models import (
    Assignment,
    Confidentiality,
    IncomingDocument,
    IncomingEvent,
    IncomingStatus,
)
from egov.documents.permissions import assignee_refusal, visible_incoming
from egov.documents.services.incoming import AssigneeInput, incoming_distribute
from egov.documents.tests.conftest import Province, stored_pdf
from egov.documents.tests.helpers import received

SPECIALIST_REFUSED = (
    "Không giao được văn bản mật cho “Ngô Minh Chi”: văn bản mật chỉ giao cho lãnh đạo của "
    "cơ quan hoặc của đơn vị xử lý."
)
SECRET_LEVELS = [Confidentiality.SECRET, Confidentiality.TOP_SECRET, Confidentiality.ULTRA_SECRET]


def _registered(province: Province, confidentiality: str) -> IncomingDocument:
    return received(
        province,
        subject="Về công tác bảo vệ bí mật nhà nước",
        code_number=str(IncomingDocument.objects.count() + 1),
        confidentiality=confidentiality,
        file=None if confidentiality in SECRET_LEVELS else stored_pdf(),
        distribute=False,
    )


def _assert_nothing_saved(document: IncomingDocument) -> None:
    document.refresh_from_db()
    assert document.status == IncomingStatus.REGISTERED
    assert not Assignment.objects.filter(document=document).exists()
    assert not IncomingEvent.objects.filter(document=document, action="distribute").exists()


@pytest.mark.parametrize("level", SECRET_LEVELS)
def test_a_specialist_is_not_given_a_secret_document(province: Province, level: str):
    document = _registered(province, level)
    for lead, cooperating in (
        (AssigneeInput(person=province.specialist), []),
        (AssigneeInput(unit=province.vx, person=province.specialist), []),
        (AssigneeInput(unit=province.vx), [AssigneeInput(person=province.specialist)]),
    ):
        with pytest.raises(TransitionRefused) as refused:
            incoming_distribute(
                actor=province.leader, document=document, lead=lead, cooperating=cooperating
            )
        assert str(refused.value) == SPECIALIST_REFUSED
        _assert_nothing_saved(document)
    # Not given it, the specialist does not see it.
    assert not visible_incoming(province.specialist).filter(pk=document.pk).exists()


def test_a_clerk_reads_secret_documents_but_is_not_given_one_to_handle(province: Province):
    document = _registered(province, Confidentiality.SECRET)
    assert visible_incoming(province.clerk).filter(pk=document.pk).exists()
    assert assignee_refusal(document, unit=None, user=province.clerk) == (
        "Không giao được văn bản mật cho “Trần Thu Hà”: văn bản mật chỉ giao cho lãnh đạo của "
        "cơ quan hoặc của đơn vị xử lý."
    )


def test_a_unit_without_a_leader_is_not_given_a_secret_document(province: Province):
    document = _registered(province, Confidentiality.TOP_SECRET)
    with pytest.raises(TransitionRefused) as refused:
        incoming_distribute(
            actor=province.leader,
            document=document,
            lead=AssigneeInput(unit=province.vx),
            cooperating=[AssigneeInput(unit=province.office)],
        )
    assert str(refused.value) == (
        "Không giao được văn bản mật cho “Văn phòng UBND tỉnh Thử”: đơn vị chưa có lãnh đạo "
        "để nhận văn bản mật."
    )
    _assert_nothing_saved(document)


def test_leaders_and_units_with_a_leader_are_given_a_secret_document(province: Province):
    document = _registered(province, Confidentiality.SECRET)
    lead, helper = incoming_distribute(
        actor=province.leader,
        document=document,
        lead=AssigneeInput(person=province.vx_leader),
        cooperating=[AssigneeInput(unit=province.vx)],
    )
    assert (lead.person, lead.unit, helper.person, helper.unit) == (
        province.vx_leader,
        None,
        None,
        province.vx,
    )
    document.refresh_from_db()
    assert document.status == IncomingStatus.DISTRIBUTED
    # The agency's own leader may be named too.
    other = _registered(province, Confidentiality.ULTRA_SECRET)
    assert assignee_refusal(other, unit=None, user=province.leader) is None
    assert assignee_refusal(other, unit=province.vx, user=province.vx_leader) is None


def test_an_open_document_goes_to_any_staff_of_the_agency(province: Province):
    document = _registered(province, Confidentiality.NORMAL)
    lead, helper, clerk = incoming_distribute(
        actor=province.leader,
        document=document,
        lead=AssigneeInput(person=province.specialist),
        cooperating=[AssigneeInput(unit=province.office), AssigneeInput(person=province.clerk)],
    )
    assert (lead.person, helper.unit, clerk.person) == (
        province.specialist,
        province.office,
        province.clerk,
    )
    # Someone of another agency is refused whatever the level.
    assert assignee_refusal(document, unit=None, user=province.outsider) == (
        "“Eve” không phải cán bộ của cơ quan nhận văn bản."
    )
