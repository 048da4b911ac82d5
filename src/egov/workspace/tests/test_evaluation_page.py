"""The leaders' page of the official evaluation (TT 01/2018/TT-VPCP Điều 15): scores and grades
of the officers and units in the leader's scope, and the unit-level indices recorded from an
inspection; who may see it; bad input answered with a clear message."""

import pytest

from egov.dossiers.tests.helpers import user
from egov.ratings.models import UnitAssessment
from egov.ratings.tests.helpers import build_march

pytestmark = pytest.mark.django_db
PAGE = "/staff/danh-gia/"


@pytest.fixture
def leader(quang_ninh, client, settings):
    settings.EGOV_REQUIRE_STAFF_MFA = False
    build_march()
    client.force_login(user("tinh.lanhdaotrungtam"))
    return client


def test_the_centre_leader_sees_the_scores_of_the_centre(leader):
    page = leader.get(f"{PAGE}?tu=2026-03-01&den=2026-03-31")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Trung tâm Phục vụ hành chính công" in text
    assert "Hoàn thành từ 70% đến dưới 100% nhiệm vụ" in text  # the receptionist: 4.7
    assert "Hoàn thành 100% nhiệm vụ" in text  # the leader and the specialist: 5.0
    assert "2 phiếu đánh giá theo chỉ số; 1 phiếu theo thang cũ" in text
    assert "TT 01/2018/TT-VPCP Điều 13 khoản 9" in text
    assert 'data-testid="unconfirmed"' in text
    # The Sở Tư pháp handled the dossiers but is outside the centre leader's units.
    assert "Sở Tư pháp" not in text.split('data-testid="unit-scores"')[1].split("</table>")[0]


def test_the_leader_records_an_assessed_index(leader):
    centre = user("tinh.lanhdaotrungtam").role_assignments.get().unit
    response = leader.post(
        "/staff/danh-gia/chi-so-don-vi/",
        {
            "unit": centre.pk,
            "index": "5",
            "tu": "2026-01-01",
            "den": "2026-03-31",
            "level": "tinh",
            "full_handling_pct": "25",
            "at_desk_pct": "100",
            "basis": "Báo cáo quý I/2026",
        },
        follow=True,
    )
    assert "Đã ghi điểm chỉ số 5" in response.content.decode()
    assessment = UnitAssessment.objects.get()
    assert (assessment.index, assessment.score, assessment.unit) == (5, 2, centre)
    assert assessment.facts == {
        "level": "tinh",
        "full_handling_share": "0.25",
        "at_desk_share": "1.0",
    }


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"index": "3"}, "Chỉ số 3 không được chấm theo kết quả kiểm tra."),
        ({"full_handling_pct": "150"}, "Tỷ lệ (%) phải từ 0 đến 100."),
        ({"basis": ""}, "Cần ghi căn cứ"),
        ({"tu": "2026-04-01"}, "ngày kết thúc không trước ngày bắt đầu"),
    ],
)
def test_bad_assessments_are_refused_with_a_message(leader, data, message):
    centre = user("tinh.lanhdaotrungtam").role_assignments.get().unit
    form = {
        "unit": centre.pk,
        "index": "5",
        "tu": "2026-01-01",
        "den": "2026-03-31",
        "level": "tinh",
        "full_handling_pct": "25",
        "at_desk_pct": "100",
        "basis": "Báo cáo quý I/2026",
        **data,
    }
    response = leader.post("/staff/danh-gia/chi-so-don-vi/", form, follow=True)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not UnitAssessment.objects.exists()


def test_a_unit_outside_the_scope_is_refused(leader):
    outside = user("honggai.lanhdao").role_assignments.get().unit
    response = leader.post(
        "/staff/danh-gia/chi-so-don-vi/",
        {"unit": outside.pk, "index": "6", "tu": "2026-01-01", "den": "2026-03-31", "basis": "x"},
        follow=True,
    )
    assert "Đơn vị không thuộc phạm vi của bạn." in response.content.decode()
    assert not UnitAssessment.objects.exists()


def test_only_leaders_see_the_page(quang_ninh, client, settings):
    settings.EGOV_REQUIRE_STAFF_MFA = False
    client.force_login(user("tinh.tiepnhan"))
    assert client.get(PAGE).status_code == 403
    client.force_login(user("tinh.lanhdaophong"))
    assert client.get(PAGE).status_code == 200


def test_a_bad_period_is_a_clear_error(leader):
    page = leader.get(f"{PAGE}?tu=2026-03-31&den=2026-03-01")
    assert page.status_code == 400
    assert "ngày kết thúc không trước ngày bắt đầu" in page.content.decode()
