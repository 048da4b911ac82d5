"""The permission module: the work queue lists exactly the dossiers the dossier page opens, and
every desk is picked one way (issue 10, point 3)."""

import pytest
from django.utils import timezone

from egov.accounts.models import ApiClient, Role, RoleAssignment, User
from egov.catalog.selectors import version_by_code
from egov.dossiers.permissions import get_dossier_for_actor, reception_desk, visible_dossiers
from egov.dossiers.selectors import QueueFilters, work_queue
from egov.dossiers.services.reception import dossier_receive
from egov.dossiers.services.transitions import dossier_transition
from egov.dossiers.tests.helpers import reception, user
from egov.dossiers.tests.test_staff_api import make_key, post
from egov.org.models import Unit

pytestmark = pytest.mark.django_db


def _chain_below(top: Unit, depth: int) -> list[Unit]:
    """``depth`` new units, each the child of the one before, the first below ``top``."""
    units, parent = [], top
    for level in range(1, depth + 1):
        parent = Unit.objects.create(
            key=f"{top.key}.muc-{level}",
            name=f"Tổ thử nghiệm cấp {level}",
            kind="phong",
            parent=parent,
        )
        units.append(parent)
    return units


def test_a_dossier_three_levels_below_the_officers_unit_is_in_the_queue_and_opens(quang_ninh):
    """Before: the queue looked two levels below the officer's unit, the page at every unit
    above the dossier's — a dossier handled three levels below was openable but never listed.
    A role counts for every unit below (as for the actions, ``roles_at``), so both list it."""
    top, _middle, _lower, deepest = _chain_below(Unit.objects.get(key="qn.so-tu-phap"), 4)
    officer = User.objects.create_user(username="to.truong", password="x", full_name="Tổ trưởng")
    RoleAssignment.objects.create(user=officer, unit=top, role=Role.DEPARTMENT_LEADER)
    dossier = dossier_receive(
        actor=user("tinh.tiepnhan"), reception=reception("qn-cap-phieu-ly-lich-tu-phap")
    )
    dossier = dossier_transition(
        actor=user("tinh.tiepnhan"), dossier=dossier, action="hand_off", handling_unit=deepest
    )

    assert [row.dossier.pk for row in work_queue(officer)] == [dossier.pk]
    opened = get_dossier_for_actor(officer, dossier.code)
    assert opened is not None and opened.pk == dossier.pk
    # Someone at a sibling branch sees neither.
    outsider = User.objects.create_user(username="to.khac", password="x")
    sibling = Unit.objects.create(
        key="qn.so-tu-phap.khac", name="Tổ khác", kind="phong", parent=top.parent
    )
    RoleAssignment.objects.create(user=outsider, unit=sibling, role=Role.DEPARTMENT_LEADER)
    assert work_queue(outsider) == []
    assert get_dossier_for_actor(outsider, dossier.code) is None


def test_an_assignee_whose_role_ended_no_longer_lists_the_dossier_as_theirs(quang_ninh):
    """Before: "assigned to me" listed every open dossier with the officer as assignee, even
    after their role ended — a row the dossier page then refused (404)."""
    specialist = user("tinh.chuyenvien")
    dossier = dossier_receive(
        actor=user("tinh.tiepnhan"), reception=reception("qn-cap-phieu-ly-lich-tu-phap")
    )
    dossier = dossier_transition(actor=user("tinh.tiepnhan"), dossier=dossier, action="hand_off")
    dossier_transition(
        actor=user("tinh.lanhdaophong"),
        dossier=dossier,
        action="assign",
        data={"assignee": "tinh.chuyenvien"},
    )
    mine = QueueFilters(mine=True)
    assert [row.dossier.pk for row in work_queue(specialist, filters=mine)] == [dossier.pk]

    RoleAssignment.objects.filter(user=specialist).update(valid_until=timezone.localdate())

    assert work_queue(specialist, filters=mine) == []
    assert get_dossier_for_actor(specialist, dossier.code) is None
    assert not visible_dossiers(specialist).exists()


def test_the_workspace_and_the_api_pick_the_same_reception_desk(quang_ninh, client, settings):
    """Before: the workspace took the first desk by unit name, the API the first by id."""
    settings.EGOV_REQUIRE_STAFF_MFA = False
    key = make_key(unit="qn.ttpvhcc", role="receptionist")
    desk_user = ApiClient.objects.get(name="kiosk-1").user
    own = Unit.objects.get(key="qn.ttpvhcc")
    # A second desk whose name sorts first but whose id is larger.
    second = Unit.objects.create(
        key="qn.a-diem", code="000.99.99.H49", name="A — điểm tiếp nhận", kind="khac"
    )
    assert second.name < own.name and second.pk > own.pk
    RoleAssignment.objects.create(user=desk_user, unit=second, role=Role.RECEPTIONIST)

    assert reception_desk(desk_user) == second
    assert reception_desk(desk_user, own.key) == own
    assert reception_desk(desk_user, "qn.so-tu-phap") is None
    client.force_login(desk_user)
    page = client.get("/staff/tiep-nhan/", {"thu-tuc": "1.001612"})
    assert page.status_code == 200 and page.context["desk"] == second

    version = version_by_code("1.001612")
    body = {
        "procedure": "1.001612",
        "applicant": {"name": "Nguyễn Văn An", "personal_id": "022084000123"},
        "components": [
            {"component_id": c.pk, "originals": 1} for c in version.components.filter(required=True)
        ],
    }
    answer = post(client, "/api/v1/staff/dossiers", key, body)
    assert answer.status_code == 201, answer.content
    # Units leave as their code (mã định danh) when they have one, as requests name them.
    assert answer.json()["receiving_unit"] == second.code == "000.99.99.H49"
