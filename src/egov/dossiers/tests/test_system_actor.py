"""The system acts by itself only for the actions that allow it (SYSTEM_ACTIONS: a payment
confirmed by the gateway); every other action needs an officer."""

import pytest
from django.contrib.auth.models import AnonymousUser

from egov.accounts.actors import SYSTEM
from egov.dossiers.errors import TransitionError
from egov.dossiers.models import DossierStatus
from egov.dossiers.services.reception import dossier_receive
from egov.dossiers.services.transitions import dossier_transition
from egov.dossiers.state import TRANSITIONS
from egov.dossiers.tests.helpers import reception, user

pytestmark = pytest.mark.django_db
NEEDS_AN_OFFICER = "Thao tác này cần một cán bộ thực hiện."


@pytest.fixture
def processing(quang_ninh):
    dossier = dossier_receive(
        actor=user("tinh.tiepnhan"), reception=reception("qn-cap-phieu-ly-lich-tu-phap")
    )
    return dossier_transition(actor=user("tinh.tiepnhan"), dossier=dossier, action="hand_off")


@pytest.mark.parametrize("action", sorted(set(TRANSITIONS) - {"paid"}))
def test_the_system_may_not_take_an_officers_action(processing, action):
    revision = processing.revision
    with pytest.raises(TransitionError) as refused:
        dossier_transition(
            actor=SYSTEM,
            dossier=processing,
            action=action,
            reason="Hệ thống tự thực hiện",
        )
    assert str(refused.value) == NEEDS_AN_OFFICER
    processing.refresh_from_db()
    assert (processing.status, processing.revision) == (DossierStatus.PROCESSING, revision)


def test_the_system_records_a_confirmed_payment_without_an_actor(processing):
    requested = dossier_transition(
        actor=user("tinh.chuyenvien"),
        dossier=processing,
        action="request_payment",
        data={"amount": 50_000},
    )
    paid = dossier_transition(
        actor=SYSTEM, dossier=requested, action="paid", data={"amount": 50_000}
    )
    assert paid.status == DossierStatus.PROCESSING
    event = paid.events.order_by("-sequence").first()
    assert (event.action, event.actor_id, event.data["amount"]) == ("paid", None, 50_000)


def test_an_anonymous_actor_is_not_the_system(processing):
    requested = dossier_transition(
        actor=user("tinh.chuyenvien"),
        dossier=processing,
        action="request_payment",
        data={"amount": 50_000},
    )
    with pytest.raises(TransitionError) as refused:
        dossier_transition(
            actor=AnonymousUser(), dossier=requested, action="paid", data={"amount": 50_000}
        )
    assert (
        str(refused.value) == "Bạn không có quyền “Đã thực hiện nghĩa vụ tài chính” với hồ sơ này."
    )
