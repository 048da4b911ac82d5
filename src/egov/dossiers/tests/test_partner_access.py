"""Liên thông: the partner agency reads the dossier only while it holds it (issue 9, point 20)."""

import pytest

from egov.dossiers.models import DossierStatus
from egov.dossiers.permissions import get_dossier_for_actor
from egov.dossiers.services.reception import dossier_receive
from egov.dossiers.services.transitions import dossier_transition
from egov.dossiers.tests.helpers import reception, user

pytestmark = pytest.mark.django_db

PARTNER_STAFF = [
    "honggai.chuyenvien",
    "honggai.lanhdao",
    "honggai.vanthu",
    "honggai.quantri",
]


def act(username, dossier, action, reason="", **data):
    return dossier_transition(
        actor=user(username), dossier=dossier, action=action, reason=reason, data=data
    )


@pytest.fixture
def sent_back(quang_ninh, client, settings):
    settings.EGOV_REQUIRE_STAFF_MFA = False
    dossier = dossier_receive(
        actor=user("tinh.tiepnhan"), reception=reception("qn-cap-phieu-ly-lich-tu-phap")
    )
    dossier = act("tinh.tiepnhan", dossier, "hand_off")
    dossier = act(
        "tinh.chuyenvien", dossier, "transfer_out", "Xác minh", partner_unit="qn.x.hong-gai.ubnd"
    )
    assert dossier.status == DossierStatus.INTERAGENCY
    for name in PARTNER_STAFF:
        assert get_dossier_for_actor(user(name), dossier.code) is not None, name
    client.force_login(user("honggai.lanhdao"))
    assert client.get(f"/staff/ho-so/{dossier.code}/").status_code == 200
    return act("honggai.chuyenvien", dossier, "transfer_back", "Đã xác minh")


@pytest.mark.parametrize("username", PARTNER_STAFF)
def test_partner_loses_access_once_it_sent_the_dossier_back(sent_back, username):
    assert sent_back.status == DossierStatus.PROCESSING
    assert sent_back.partner_unit.key == "qn.x.hong-gai.ubnd"  # still recorded
    assert get_dossier_for_actor(user(username), sent_back.code) is None


def test_partner_pages_answer_404_after_transfer_back(sent_back, client):
    client.force_login(user("honggai.lanhdao"))
    # The dossier page sends a former partner to its own part of the history.
    page = client.get(f"/staff/ho-so/{sent_back.code}/")
    assert page.status_code == 302
    assert page["Location"] == f"/staff/lien-thong/{sent_back.code}/"
    for path in ("phieu-kiem-soat.pdf", "giay-tiep-nhan.pdf"):
        response = client.get(f"/staff/ho-so/{sent_back.code}/{path}")
        assert response.status_code == 404, path
    action = client.post(f"/staff/ho-so/{sent_back.code}/thao-tac/", {"action": "approve"})
    assert action.status_code == 404
    # The handling unit keeps reading it.
    client.force_login(user("tinh.chuyenvien"))
    assert client.get(f"/staff/ho-so/{sent_back.code}/").status_code == 200


def test_partner_keeps_its_own_part_of_the_history_read_only(sent_back, client):
    client.force_login(user("honggai.chuyenvien"))
    url = f"/staff/lien-thong/{sent_back.code}/"
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    timeline = page.split('data-testid="timeline"', 1)[1].split("</ol>", 1)[0]
    assert timeline.count("<li>") == 2
    assert "Xác minh" in timeline and "Đã xác minh" in timeline
    assert sent_back.applicant_name not in page  # nothing else of the dossier
    assert "Tiếp nhận hồ sơ" not in timeline
    assert client.post(url).status_code == 405
    # Those who may read the whole dossier go to it; others were never partners: 404.
    client.force_login(user("tinh.chuyenvien"))
    assert client.get(url)["Location"] == f"/staff/ho-so/{sent_back.code}/"
    client.force_login(user("tinh.vanthu"))
    assert client.get(url).status_code == 404
    assert client.get("/staff/lien-thong/khong-co/").status_code == 404


def test_partner_history_while_it_holds_the_dossier_redirects_to_it(quang_ninh, client, settings):
    settings.EGOV_REQUIRE_STAFF_MFA = False
    dossier = dossier_receive(
        actor=user("tinh.tiepnhan"), reception=reception("qn-cap-phieu-ly-lich-tu-phap")
    )
    dossier = act("tinh.tiepnhan", dossier, "hand_off")
    act("tinh.chuyenvien", dossier, "transfer_out", "Xác minh", partner_unit="qn.x.hong-gai.ubnd")
    client.force_login(user("honggai.lanhdao"))
    response = client.get(f"/staff/lien-thong/{dossier.code}/")
    assert response["Location"] == f"/staff/ho-so/{dossier.code}/"
