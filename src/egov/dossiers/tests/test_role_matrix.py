"""Role × action matrix: each demo persona may take exactly the actions of its role."""

import pytest

from egov.dossiers.models import Dossier, DossierStatus
from egov.dossiers.permissions import allowed_actions
from egov.dossiers.services.reception import dossier_receive
from egov.dossiers.state import TRANSITIONS
from egov.dossiers.tests.helpers import reception, user
from egov.org.models import Unit

pytestmark = pytest.mark.django_db

S = DossierStatus
SPECIALIST_WORK = {"request_supplement", "request_payment", "submit_for_approval", "transfer_out"}

# Who may do what on a judicial-record dossier received at the provincial centre and handled
# by the competent unit (Sở Tư pháp), sent for liên thông to UBND phường Hồng Gai, by status.
EXPECTED = {
    ("tinh.tiepnhan", S.RECEIVED): {"hand_off", "withdraw"},
    ("tinh.tiepnhan", S.PROCESSING): {"request_supplement", "withdraw"},
    ("tinh.tiepnhan", S.INTERAGENCY): {"withdraw"},
    ("tinh.tiepnhan", S.RESULT_READY): {"return_result", "send_by_post"},
    ("tinh.tiepnhan", S.RESULT_IN_TRANSIT): {"postal_delivered", "postal_failed"},
    ("tinh.buudien", S.PROCESSING): set(),
    ("tinh.buudien", S.RESULT_READY): {"send_by_post"},
    ("tinh.buudien", S.RESULT_IN_TRANSIT): {"postal_delivered", "postal_failed"},
    ("tinh.chuyenvien", S.RECEIVED): set(),
    ("tinh.chuyenvien", S.PROCESSING): SPECIALIST_WORK,
    ("tinh.chuyenvien", S.INTERAGENCY): set(),
    ("tinh.lanhdaophong", S.PROCESSING): {"approve", "stop", "assign", "transfer_out"},
    ("tinh.lanhdaophong", S.RESULT_READY): set(),
    ("tinh.vanthu", S.PROCESSING): set(),
    ("tinh.giamsat", S.PROCESSING): set(),
    ("honggai.tiepnhan", S.RECEIVED): set(),  # another unit's receptionist
    ("honggai.tiepnhan", S.INTERAGENCY): set(),  # partner scope is the partner unit itself
    ("honggai.lanhdao", S.PROCESSING): set(),
    ("honggai.lanhdao", S.INTERAGENCY): {"transfer_back"},
    ("honggai.chuyenvien", S.INTERAGENCY): {"transfer_back"},
    ("honggai.buudien", S.RESULT_READY): set(),  # postal staff of another desk
}


@pytest.fixture
def dossier(quang_ninh):
    received = dossier_receive(
        actor=user("tinh.tiepnhan"), reception=reception("qn-cap-phieu-ly-lich-tu-phap")
    )
    Dossier.objects.filter(pk=received.pk).update(
        handling_unit=received.procedure_version.competent_unit,
        partner_unit=Unit.objects.get(key="qn.x.hong-gai.ubnd"),
    )
    return received


@pytest.mark.parametrize(("username", "status"), sorted(EXPECTED))
def test_role_action_matrix(dossier, username, status):
    Dossier.objects.filter(pk=dossier.pk).update(status=status)
    dossier.refresh_from_db()
    assert set(allowed_actions(user(username), dossier)) == EXPECTED[(username, status)]


def test_assigned_dossier_binds_specialists_but_not_the_leader(dossier):
    Dossier.objects.filter(pk=dossier.pk).update(
        status=S.PROCESSING, assignee=user("tinh.chuyenvien2")
    )
    dossier.refresh_from_db()
    assert set(allowed_actions(user("tinh.chuyenvien2"), dossier)) == SPECIALIST_WORK
    # Another specialist of the same unit no longer acts on it; the leader and desk still do.
    assert set(allowed_actions(user("tinh.chuyenvien"), dossier)) == set()
    assert "transfer_out" in allowed_actions(user("tinh.lanhdaophong"), dossier)
    assert "request_supplement" in allowed_actions(user("tinh.tiepnhan"), dossier)


def test_every_action_is_reachable_by_some_role():
    roles = set().union(*(t.roles for t in TRANSITIONS.values()))
    assert roles <= {"receptionist", "specialist", "department_leader", "postal", "applicant"}
    assert all(t.sources for t in TRANSITIONS.values())
    reachable = {
        action for (username, status) in EXPECTED for action in EXPECTED[(username, status)]
    }
    online = {"accept_online", "refuse", "supplemented", "paid", "resubmit_online"}
    assert reachable | online == set(TRANSITIONS)
