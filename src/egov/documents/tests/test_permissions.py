"""Who sees which document: agency, unit, assignment and confidentiality (the matrix)."""

from __future__ import annotations

import datetime as dt

import pytest

from egov.accounts.actors import SYSTEM
from egov.documents.models import (
    Confidentiality,
    ElectronicCopy,
    IncomingDocument,
    OutgoingDocument,
)
from egov.documents.permissions import (
    get_copy_for_actor,
    get_incoming_for_actor,
    get_outgoing_for_actor,
    may_make_copies,
    visible_copies,
    visible_incoming,
    visible_outgoing,
)
from egov.documents.services.incoming import (
    AssigneeInput,
    incoming_distribute,
    incoming_receive,
)
from egov.documents.tests.conftest import Province, stored_pdf
from egov.documents.tests.helpers import draft, received

PEOPLE = ["clerk", "leader", "vx_leader", "specialist", "outsider", "other_clerk"]


def _incoming(province: Province, confidentiality: str = "normal") -> IncomingDocument:
    return received(
        province,
        subject="Về việc rà soát",
        code_number=str(IncomingDocument.objects.count() + 1),
        issued_date=dt.date(2026, 11, 2),
        confidentiality=confidentiality,
        file=None if confidentiality != "normal" else stored_pdf(),
        distribute=False,
    )


def _outgoing(province: Province, confidentiality: str = "normal") -> OutgoingDocument:
    return draft(province, confidentiality=confidentiality)


def _who_sees(province: Province, queryset_for, document) -> set[str]:
    return {p for p in PEOPLE if queryset_for(getattr(province, p)).filter(pk=document.pk).exists()}


def test_incoming_matrix(province: Province):
    document = _incoming(province)
    # Registered, not distributed: the agency's own people.
    assert _who_sees(province, visible_incoming, document) == {"clerk", "leader"}
    incoming_distribute(
        actor=province.leader,
        document=document,
        lead=AssigneeInput(unit=province.vx),
        cooperating=[AssigneeInput(unit=province.office)],
    )
    assert _who_sees(province, visible_incoming, document) == {
        "clerk",
        "leader",
        "vx_leader",
        "specialist",
    }


def test_secret_incoming_is_seen_by_clerks_leaders_and_named_people_only(province: Province):
    document = _incoming(province, Confidentiality.TOP_SECRET)
    assert _who_sees(province, visible_incoming, document) == {"clerk", "leader"}
    # Named personally (a leader: a specialist is not given a secret document,
    # test_secret_assignees), the division's leader opens it; the division's staff do not.
    incoming_distribute(
        actor=province.leader, document=document, lead=AssigneeInput(person=province.vx_leader)
    )
    assert _who_sees(province, visible_incoming, document) == {"clerk", "leader", "vx_leader"}
    other = _incoming(province, Confidentiality.SECRET)
    incoming_distribute(actor=province.leader, document=other, lead=AssigneeInput(unit=province.vx))
    assert _who_sees(province, visible_incoming, other) == {"clerk", "leader", "vx_leader"}


def test_outgoing_matrix(province: Province):
    document = _outgoing(province)
    assert _who_sees(province, visible_outgoing, document) == {
        "clerk",
        "leader",
        "vx_leader",
        "specialist",
    }
    secret = _outgoing(province, Confidentiality.SECRET)
    # The drafter, the signer, the drafting division's leader, the agency's clerks.
    assert _who_sees(province, visible_outgoing, secret) == {
        "clerk",
        "leader",
        "vx_leader",
        "specialist",
    }
    secret.created_by = province.vx_leader
    secret.save(update_fields=["created_by"])
    assert _who_sees(province, visible_outgoing, secret) == {"clerk", "leader", "vx_leader"}


@pytest.mark.parametrize("who", PEOPLE)
def test_one_document_loads_exactly_when_it_is_listed(province: Province, who: str):
    incoming, outgoing = _incoming(province), _outgoing(province)
    actor = getattr(province, who)
    listed_in = visible_incoming(actor).filter(pk=incoming.pk).exists()
    listed_out = visible_outgoing(actor).filter(pk=outgoing.pk).exists()
    assert (get_incoming_for_actor(actor, incoming.pk) is not None) == listed_in
    assert (get_outgoing_for_actor(actor, outgoing.pk) is not None) == listed_out


def test_nobody_without_a_person_sees_anything(province: Province):
    _incoming(province)
    _outgoing(province)
    assert not visible_incoming(SYSTEM).exists()
    assert not visible_outgoing(SYSTEM).exists()


def test_the_clerk_at_the_agencys_office_is_its_van_thu(quang_ninh: None):
    """The demo's provincial văn thư holds the clerk's role at Văn phòng UBND tỉnh: she
    receives, registers and sees the documents of UBND tỉnh; its leaders do not gain the
    clerk's powers from the office, and the office's clerk none at other agencies."""
    from egov.accounts.models import User
    from egov.documents.permissions import agency_roles, may_register_incoming
    from egov.org.models import Unit

    clerk = User.objects.get(username="tinh.vanthu")
    committee, office = Unit.objects.get(key="qn.ubnd"), Unit.objects.get(key="qn.vp-ubnd")
    justice = Unit.objects.get(key="qn.so-tu-phap")
    assert may_register_incoming(clerk, committee)
    assert not may_register_incoming(clerk, justice)
    assert agency_roles(clerk, committee) == {"clerk"}
    document = incoming_receive(
        actor=clerk,
        agency=committee,
        source="paper",
        organ_name="Bộ Nội vụ",
        subject="Về việc rà soát",
    )
    assert get_incoming_for_actor(clerk, document.pk) == document
    leader = User.objects.get(username="tinh.lanhdaophong")
    assert get_incoming_for_actor(leader, document.pk) is None
    assert office.parent == committee


# --- electronic copies: seen like their source, plus the agency's văn thư ------------------


def _copies_world(province: Province) -> dict[str, ElectronicCopy]:
    from egov.documents.services.copies import PaperScan, make_copy
    from egov.documents.tests.helpers import issued, pdf_bytes, received, text_pdf

    letter = received(
        province, subject="Về việc rà soát", file=text_pdf("Trang 1", "Trang 2"), distribute=False
    )
    sao_y = make_copy(actor=province.clerk, incoming=letter, form="sao_y")
    outgoing = issued(province, subject="Quyết định")
    return {
        "incoming": sao_y,
        "sao_luc": make_copy(actor=province.clerk, copy_of=sao_y, form="sao_luc"),
        "outgoing": make_copy(actor=province.clerk, outgoing=outgoing, form="sao_y"),
        "paper": make_copy(
            actor=province.clerk,
            paper=PaperScan(
                agency=province.agency,
                data=pdf_bytes("Giấy").replace(b"%PDF-1.3", b"%PDF-1.4", 1),
                name="giay.pdf",
                description="Công văn giấy số 5/SNV-VP",
            ),
            form="sao_y",
        ),
    }


@pytest.mark.usefixtures("signing_settings")
def test_copy_matrix(province: Province):
    copies = _copies_world(province)
    incoming = copies["incoming"].incoming
    assert incoming is not None
    # Registered, not distributed: seen by the agency's clerk and leader, like the letter.
    assert _who_sees(province, visible_copies, copies["incoming"]) == {"clerk", "leader"}
    assert _who_sees(province, visible_copies, copies["sao_luc"]) == {"clerk", "leader"}
    incoming_distribute(
        actor=province.leader, document=incoming, lead=AssigneeInput(unit=province.vx)
    )
    seen_with_the_letter = _who_sees(province, visible_incoming, incoming)
    assert seen_with_the_letter == {"clerk", "leader", "vx_leader", "specialist"}
    # A copy, and a copy of that copy, follow the letter.
    assert _who_sees(province, visible_copies, copies["incoming"]) == seen_with_the_letter
    assert _who_sees(province, visible_copies, copies["sao_luc"]) == seen_with_the_letter
    outgoing = copies["outgoing"].outgoing
    assert _who_sees(province, visible_copies, copies["outgoing"]) == _who_sees(
        province, visible_outgoing, outgoing
    )
    # A digitised paper has no document here: the văn thư who made the copy only.
    assert _who_sees(province, visible_copies, copies["paper"]) == {"clerk"}
    assert not visible_copies(SYSTEM).exists()


@pytest.mark.usefixtures("signing_settings")
@pytest.mark.parametrize("who", PEOPLE)
def test_one_copy_loads_exactly_when_it_is_listed(province: Province, who: str):
    actor = getattr(province, who)
    for copy in _copies_world(province).values():
        listed = visible_copies(actor).filter(pk=copy.pk).exists()
        assert (get_copy_for_actor(actor, copy.pk) is not None) == listed
    assert may_make_copies(actor, province.agency) == (who == "clerk")
    assert may_make_copies(actor, province.other) == (who == "other_clerk")


def test_access_words_say_exactly_who_sees_each_document(province: Province):
    """The search index decides who finds a document by its access words
    (``incoming_access`` / ``outgoing_access`` against the actor's ``scope_access``): for
    every persona and kind of document they agree with ``visible_incoming`` /
    ``visible_outgoing`` (including the văn thư at the agency's office)."""
    from egov.accounts.models import Role, RoleAssignment, User
    from egov.documents.permissions import (
        document_scope,
        incoming_access,
        outgoing_access,
        scope_access,
    )

    office_clerk = User.objects.create_user(username="t.vp", full_name="Văn thư VP")
    RoleAssignment.objects.create(user=office_clerk, unit=province.office, role=Role.CLERK)
    incoming: list[IncomingDocument] = []
    for level in ("normal", Confidentiality.SECRET):
        incoming.append(_incoming(province, level))
        to_unit = _incoming(province, level)
        incoming_distribute(
            actor=province.leader, document=to_unit, lead=AssigneeInput(unit=province.vx)
        )
        to_person = _incoming(province, level)
        # A secret document goes only to leaders (``assignee_refusal``): to a unit with a
        # leader of its own and to a leader by name.
        secret = level == Confidentiality.SECRET
        incoming_distribute(
            actor=province.leader,
            document=to_person,
            lead=AssigneeInput(unit=province.vx if secret else province.office),
            cooperating=[
                AssigneeInput(person=province.vx_leader if secret else province.specialist)
            ],
        )
        incoming += [to_unit, to_person]
    outgoing = [_outgoing(province), _outgoing(province, Confidentiality.SECRET)]
    drafted_by_leader = _outgoing(province, Confidentiality.TOP_SECRET)
    drafted_by_leader.created_by = province.vx_leader
    drafted_by_leader.save(update_fields=["created_by"])
    outgoing.append(drafted_by_leader)
    actors = [*(getattr(province, p) for p in PEOPLE), office_clerk, SYSTEM]
    for actor in actors:
        words = set(scope_access(document_scope(actor)))
        for arrived in incoming:
            sees = visible_incoming(actor).filter(pk=arrived.pk).exists()
            assert bool(words & set(incoming_access(arrived))) == sees, (actor, arrived)
        for drafted in outgoing:
            sees = visible_outgoing(actor).filter(pk=drafted.pk).exists()
            assert bool(words & set(outgoing_access(drafted))) == sees, (actor, drafted)
