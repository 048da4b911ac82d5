"""Phiếu lý lịch tư pháp since 01/07/2026: Công an tỉnh is the competent unit (Luật 107/2025/QH15,
NĐ 216/2026/NĐ-CP), so a dossier received today goes there and its staff process it; one received
under the version in force until 30/06/2026 stays with Sở Tư pháp."""

import pytest

from egov.catalog.selectors import version_by_code
from egov.dossiers.errors import TransitionError
from egov.dossiers.permissions import get_dossier_for_actor
from egov.dossiers.services.reception import Reception, dossier_receive
from egov.dossiers.services.transitions import dossier_transition
from egov.dossiers.tests.helpers import AN, PROVINCIAL, reception, user
from egov.org.models import Unit

pytestmark = pytest.mark.django_db


def act(username, dossier, action, **data):
    return dossier_transition(actor=user(username), dossier=dossier, action=action, data=data)


def received_today():
    version = version_by_code(PROVINCIAL)
    return dossier_receive(
        actor=user("tinh.tiepnhan"),
        reception=Reception(
            unit=Unit.objects.get(key="qn.ttpvhcc"),
            version=version,
            channel="counter",
            applicant=AN,
            components={c.pk: (1, 0) for c in version.components.filter(required=True)},
        ),
    )


def test_a_dossier_received_today_is_handled_by_the_provincial_police(quang_ninh):
    dossier = act("tinh.tiepnhan", received_today(), "hand_off")
    assert dossier.procedure_version.competent_authority == (
        "Cơ quan có thẩm quyền cấp Phiếu lý lịch tư pháp thuộc Bộ Công an"
    )
    assert dossier.handling_unit.key == "qn.cong-an-tinh"
    with pytest.raises(TransitionError, match="quyền"):
        act("tinh.lanhdaophong", dossier, "assign", assignee="tinh.chuyenvien")
    assert get_dossier_for_actor(user("tinh.chuyenvien"), dossier.code) is None
    dossier = act("congan.lanhdao", dossier, "assign", assignee="congan.chuyenvien")
    dossier = act("congan.chuyenvien", dossier, "submit_for_approval")
    dossier = act("congan.lanhdao", dossier, "approve")
    assert dossier.status == "result_ready"
    assert [e.actor.username for e in dossier.events.order_by("sequence")][-3:] == [
        "congan.lanhdao",
        "congan.chuyenvien",
        "congan.lanhdao",
    ]


def test_a_dossier_received_before_july_2026_stays_with_the_justice_department(quang_ninh):
    dossier = act(
        "tinh.tiepnhan",
        dossier_receive(actor=user("tinh.tiepnhan"), reception=reception(PROVINCIAL)),
        "hand_off",
    )
    assert dossier.handling_unit.key == "qn.so-tu-phap"
    assert get_dossier_for_actor(user("congan.chuyenvien"), dossier.code) is None
