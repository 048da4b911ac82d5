"""Where a person drafts: the units the pages offer (``drafting_places``) and the units the
service accepts (``may_draft_in``) follow one rule — any drafting role at its own unit, a
leader's role also at the units below within the same agency, nothing in another agency."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from egov.accounts.models import Role, RoleAssignment, User
from egov.documents.catalogue import AgencySettings
from egov.documents.errors import TransitionRefused
from egov.documents.models import OutgoingDocument
from egov.documents.permissions import (
    DraftingPlace,
    drafting_places,
    may_draft_in,
    may_draft_somewhere,
)
from egov.documents.selectors import document_type
from egov.documents.services.outgoing import outgoing_create
from egov.documents.tests.conftest import Province
from egov.org.models import Unit, UnitKind


@pytest.fixture
def tree(province: Province) -> dict[str, Unit]:
    """Below the division VX a team; below the committee a board with văn thư settings of its
    own (another agency) and its division; a team of VX dissolved last year."""
    team = Unit.objects.create(
        key="t.ubnd.vx.to", name="Tổ Gia đình", kind=UnitKind.OTHER, parent=province.vx
    )
    board = Unit.objects.create(
        key="t.bql",
        code="000.00.00.T03",
        name="Ban Quản lý khu kinh tế",
        kind=UnitKind.DEPARTMENT,
        parent=province.agency,
    )
    AgencySettings.objects.create(agency=board, abbreviation="BQLKKT", place_name="Hạ Long")
    board_division = Unit.objects.create(
        key="t.bql.kh", name="Phòng Kế hoạch", kind=UnitKind.DIVISION, parent=board
    )
    dissolved = Unit.objects.create(
        key="t.ubnd.vx.cu",
        name="Tổ Thể thao (đã giải thể)",
        kind=UnitKind.OTHER,
        parent=province.vx,
        valid_until=dt.date(2025, 7, 1),
    )
    return {
        "agency": province.agency,
        "office": province.office,
        "vx": province.vx,
        "team": team,
        "dissolved": dissolved,
        "board": board,
        "board_division": board_division,
        "other": province.other,
    }


def _places(user: User) -> set[tuple[str, str]]:
    return {(p.unit.key, p.agency.key) for p in drafting_places(user)}


def test_a_specialist_drafts_only_for_their_own_unit(province: Province, tree: dict[str, Unit]):
    assert _places(province.specialist) == {("t.ubnd.vx", "t.ubnd")}
    assert may_draft_in(province.specialist, province.vx, agency=province.agency)
    assert not may_draft_in(province.specialist, tree["team"], agency=province.agency)
    assert not may_draft_in(province.specialist, province.agency, agency=province.agency)


def test_a_clerk_drafts_only_for_their_own_unit(province: Province, tree: dict[str, Unit]):
    assert _places(province.clerk) == {("t.ubnd", "t.ubnd")}
    assert not may_draft_in(province.clerk, province.vx, agency=province.agency)


def test_a_leader_drafts_for_the_units_below_within_the_agency(
    province: Province, tree: dict[str, Unit]
):
    assert _places(province.vx_leader) == {("t.ubnd.vx", "t.ubnd"), ("t.ubnd.vx.to", "t.ubnd")}
    # The committee's leader: the committee and its units, not the board (an agency of its
    # own) nor the board's division, nor a dissolved unit.
    assert _places(province.leader) == {
        ("t.ubnd", "t.ubnd"),
        ("t.ubnd.vp", "t.ubnd"),
        ("t.ubnd.vx", "t.ubnd"),
        ("t.ubnd.vx.to", "t.ubnd"),
    }
    assert not may_draft_in(province.leader, tree["board"], agency=tree["board"])
    assert not may_draft_in(province.leader, tree["board_division"], agency=tree["board"])
    assert not may_draft_in(province.vx_leader, tree["dissolved"], agency=province.agency)
    # A unit is drafted for its own agency only, not for an agency above it.
    assert not may_draft_in(province.vx_leader, province.vx, agency=province.other)


def test_offered_and_accepted_agree_for_everyone_everywhere(
    province: Province, tree: dict[str, Unit]
):
    board_leader = User.objects.create_user(username="t.bql.ld", full_name="Lê Ban")
    RoleAssignment.objects.create(
        user=board_leader, unit=tree["board"], role=Role.DEPARTMENT_LEADER
    )
    people = [
        province.clerk,
        province.leader,
        province.vx_leader,
        province.specialist,
        province.outsider,
        province.other_clerk,
        board_leader,
    ]
    agencies = [province.agency, tree["board"], province.other]
    for user in people:
        offered = {(p.unit.pk, p.agency.pk) for p in drafting_places(user)}
        accepted = {
            (unit.pk, agency.pk)
            for unit in tree.values()
            for agency in agencies
            if may_draft_in(user, unit, agency=agency)
        }
        assert offered == accepted, user.username
        assert may_draft_somewhere(user) == bool(offered), user.username
    assert _places(board_leader) == {("t.bql", "t.bql"), ("t.bql.kh", "t.bql")}


def test_the_service_follows_the_rule(province: Province, tree: dict[str, Unit]):
    kind = document_type(None, "bao-cao")
    assert kind is not None
    created = outgoing_create(
        actor=province.vx_leader,
        agency=province.agency,
        drafting_unit=tree["team"],
        document_type=kind,
        subject="Báo cáo của Tổ Gia đình",
    )
    assert (created.drafting_unit, created.agency) == (tree["team"], province.agency)
    with pytest.raises(TransitionRefused) as refused:
        outgoing_create(
            actor=province.specialist,
            agency=province.agency,
            drafting_unit=tree["team"],
            document_type=kind,
            subject="Báo cáo",
        )
    assert str(refused.value) == "Bạn không có quyền soạn thảo văn bản tại đơn vị này."


def test_the_compose_page_offers_exactly_the_drafting_places(
    province: Province, tree: dict[str, Unit], client: Client, settings
):
    settings.EGOV_REQUIRE_STAFF_MFA = False
    client.force_login(province.vx_leader)
    page = client.get("/staff/van-ban-di/soan-thao/")
    offered = set(page.context["form"].fields["drafting_unit"].queryset)
    assert offered == {p.unit for p in drafting_places(province.vx_leader)}
    assert offered == {province.vx, tree["team"]}
    assert drafting_places(province.vx_leader)[0] == DraftingPlace(
        unit=province.vx, agency=province.agency
    )
    kind = document_type(None, "bao-cao")
    assert kind is not None
    response = client.post(
        "/staff/van-ban-di/soan-thao/",
        {
            "drafting_unit": tree["team"].pk,
            "document_type": kind.pk,
            "subject": "Báo cáo kết quả tổ chức Ngày Gia đình Việt Nam",
            "signer": province.leader.pk,
            "urgency": "normal",
            "confidentiality": "normal",
            "body": "Đoạn thứ nhất.",
            "signer_position": "Chủ tịch",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    document = OutgoingDocument.objects.get()
    assert (document.drafting_unit, document.agency) == (tree["team"], province.agency)
