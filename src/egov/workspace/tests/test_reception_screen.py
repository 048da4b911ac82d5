import pytest

from egov.dossiers.models import Dossier, DossierStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(quang_ninh, client, settings):
    from egov.accounts.models import User

    settings.EGOV_REQUIRE_STAFF_MFA = False
    client.force_login(User.objects.get(username="tinh.tiepnhan"))
    return client


def _form(version_code, client):
    from egov.catalog.selectors import version_by_code

    version = version_by_code(version_code)
    data = {
        "channel": "counter",
        "applicant_kind": "citizen",
        "applicant_name": "Nguyễn Văn An",
        "applicant_personal_id": "022084000123",
        "applicant_phone": "0912345678",
        "sets": "1",
        "result_delivery": "counter",
    }
    for component in version.components.all():
        data[f"originals_{component.pk}"] = "1" if component.required else "0"
        data[f"copies_{component.pk}"] = "0"
    return data


def test_pick_procedure_then_receive(desk):
    page = desk.get("/staff/tiep-nhan/", {"q": "dang ky ho kinh doanh"}).content.decode()
    assert "?thu-tuc=1.001612" in page
    form = desk.get("/staff/tiep-nhan/", {"thu-tuc": "1.001612"}).content.decode()
    assert "Giấy đề nghị đăng ký hộ kinh doanh" in form
    response = desk.post("/staff/tiep-nhan/?thu-tuc=1.001612", _form("1.001612", desk))
    dossier = Dossier.objects.get()
    assert response.status_code == 302
    # The dossier's page, asked to open the receipt for printing.
    assert response["Location"] == f"/staff/ho-so/{dossier.code}/?in=giay-tiep-nhan"
    detail = desk.get(response["Location"]).content.decode()
    assert "Đã tiếp nhận" in detail and "Tiếp nhận hồ sơ" in detail
    assert (
        f'<a href="/staff/ho-so/{dossier.code}/giay-tiep-nhan.pdf" target="_blank"'
        " data-open-on-load>Mở Giấy tiếp nhận để in (PDF)</a>"
    ) in detail
    assert "data-open-on-load" not in desk.get(f"/staff/ho-so/{dossier.code}/").content.decode()


def test_bad_input_keeps_what_was_typed_and_explains(desk):
    data = _form("1.001612", desk)
    data.update(applicant_personal_id="12345", applicant_phone="0123", applicant_name="Trần Thị Bé")
    response = desk.post("/staff/tiep-nhan/?thu-tuc=1.001612", data)
    html = response.content.decode()
    assert response.status_code == 200 and Dossier.objects.count() == 0
    assert "Số định danh cá nhân phải gồm đúng 12 chữ số." in html
    assert "Số điện thoại “0123” không hợp lệ" in html
    assert 'value="Trần Thị Bé"' in html


def test_action_buttons_and_stale_form(desk, client):
    desk.post(
        "/staff/tiep-nhan/?thu-tuc=qn-cap-phieu-ly-lich-tu-phap",
        _form("qn-cap-phieu-ly-lich-tu-phap", desk),
    )
    dossier = Dossier.objects.get()
    page = desk.get(f"/staff/ho-so/{dossier.code}/").content.decode()
    assert "Chuyển hồ sơ đến cơ quan giải quyết" in page and "Phê duyệt kết quả" not in page
    url = f"/staff/ho-so/{dossier.code}/thao-tac/"
    desk.post(url, {"action": "hand_off", "revision": dossier.revision})
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.PROCESSING
    assert dossier.handling_unit.key == "qn.cong-an-tinh"  # competent since 01/07/2026
    stale = desk.post(url, {"action": "withdraw", "revision": 0, "reason": "Rút"}, follow=True)
    assert "vừa được người khác xử lý" in stale.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.PROCESSING


def test_non_receptionist_cannot_open_reception(quang_ninh, client, settings):
    from egov.accounts.models import User

    settings.EGOV_REQUIRE_STAFF_MFA = False
    client.force_login(User.objects.get(username="tinh.chuyenvien"))
    assert client.get("/staff/tiep-nhan/").status_code == 403


def test_processing_forms_on_the_dossier_page(desk):
    from egov.accounts.models import User
    from egov.dossiers.services.reception import dossier_receive
    from egov.dossiers.services.transitions import dossier_transition
    from egov.dossiers.tests.helpers import reception

    receptionist = User.objects.get(username="tinh.tiepnhan")
    dossier = dossier_receive(
        actor=receptionist, reception=reception("qn-cap-phieu-ly-lich-tu-phap")
    )
    dossier = dossier_transition(actor=receptionist, dossier=dossier, action="hand_off")
    url = f"/staff/ho-so/{dossier.code}/"
    desk.force_login(User.objects.get(username="tinh.lanhdaophong"))
    page = desk.get(url).content.decode()
    assert "Phân công chuyên viên xử lý" in page and 'value="tinh.chuyenvien2"' in page
    assert "Chuyển liên thông đến cơ quan phối hợp" in page
    desk.post(
        url + "thao-tac/",
        {"action": "assign", "assignee": "tinh.chuyenvien", "revision": dossier.revision},
    )
    dossier.refresh_from_db()
    assert dossier.assignee.username == "tinh.chuyenvien"
    desk.force_login(User.objects.get(username="tinh.chuyenvien"))
    page = desk.get(url).content.decode()
    component = dossier.procedure_version.components.first()
    assert f'name="items" value="{component.name}"' in page
    desk.post(
        url + "thao-tac/",
        {
            "action": "request_supplement",
            "revision": dossier.revision,
            "items": [component.name],
            "other_items": "Ảnh 4x6\n\nẢnh 4x6",
        },
    )
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUPPLEMENT_REQUESTED
    assert dossier.events.last().data["items"] == [component.name, "Ảnh 4x6"]
    page = desk.get(url).content.decode()
    assert "Phiếu yêu cầu bổ sung lần 1 (Mẫu 02, PDF)" in page
