"""Role × action matrix: each demo persona may take exactly the actions of its role."""

import pytest

from egov.dossiers.models import Dossier, DossierStatus
from egov.dossiers.services.reception import dossier_receive
from egov.dossiers.state import TRANSITIONS, allowed_actions
from egov.dossiers.tests.helpers import reception, user

pytestmark = pytest.mark.django_db

# Who may do what on a judicial-record dossier received at the provincial centre
# (competent unit: Sở Tư pháp), by status.
EXPECTED = {
    ("tinh.tiepnhan", DossierStatus.RECEIVED): {"hand_off", "withdraw"},
    ("tinh.tiepnhan", DossierStatus.PROCESSING): {"request_supplement", "withdraw"},
    ("tinh.tiepnhan", DossierStatus.RESULT_READY): {"return_result"},
    ("tinh.chuyenvien", DossierStatus.RECEIVED): set(),
    ("tinh.chuyenvien", DossierStatus.PROCESSING): {
        "request_supplement",
        "request_payment",
        "submit_for_approval",
    },
    ("tinh.lanhdaophong", DossierStatus.PROCESSING): {"approve", "stop"},
    ("tinh.lanhdaophong", DossierStatus.RESULT_READY): set(),
    ("tinh.vanthu", DossierStatus.PROCESSING): set(),
    ("tinh.giamsat", DossierStatus.PROCESSING): set(),
    ("honggai.tiepnhan", DossierStatus.RECEIVED): set(),  # another unit's receptionist
    ("honggai.lanhdao", DossierStatus.PROCESSING): set(),
}


@pytest.fixture
def dossier(quang_ninh):
    return dossier_receive(
        actor=user("tinh.tiepnhan"), reception=reception("qn-cap-phieu-ly-lich-tu-phap")
    )


@pytest.mark.parametrize(("username", "status"), sorted(EXPECTED))
def test_role_action_matrix(dossier, username, status):
    Dossier.objects.filter(pk=dossier.pk).update(status=status)
    dossier.refresh_from_db()
    assert set(allowed_actions(user(username), dossier)) == EXPECTED[(username, status)]


def test_every_action_is_reachable_by_some_role():
    roles = set().union(*(t.roles for t in TRANSITIONS.values()))
    assert roles <= {"receptionist", "specialist", "department_leader"}
    assert all(t.sources for t in TRANSITIONS.values())
