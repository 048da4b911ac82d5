"""The counter reception form: every problem in one pass, each on its own field; optional
components ("nếu có") counted only when given; the applicant comes first."""

import re

import pytest

from egov.catalog.selectors import version_by_code
from egov.dossiers.models import Dossier

pytestmark = pytest.mark.django_db

JUDICIAL_RECORD = "qn-cap-phieu-ly-lich-tu-phap"
URL = f"/staff/tiep-nhan/?thu-tuc={JUDICIAL_RECORD}"


@pytest.fixture
def desk(quang_ninh, client, settings):
    from egov.accounts.models import User

    settings.EGOV_REQUIRE_STAFF_MFA = False
    client.force_login(User.objects.get(username="tinh.tiepnhan"))
    return client


def _components():
    version = version_by_code(JUDICIAL_RECORD)
    form, authorisation = version.components.all()
    assert authorisation.name == "Văn bản ủy quyền" and not authorisation.required
    return form, authorisation


def _data(**changes):
    form, authorisation = _components()
    data = {
        "applicant_name": "Nguyễn Văn An",
        "applicant_kind": "citizen",
        "applicant_personal_id": "022084000123",
        "channel": "counter",
        "sets": "1",
        "result_delivery": "counter",
        f"originals_{form.pk}": "1",
        f"copies_{form.pk}": "0",
        f"originals_{authorisation.pk}": "0",
        f"copies_{authorisation.pk}": "0",
    }
    data.update(changes)
    return data


def _error(html, field_id):
    match = re.search(rf'<span class="field-error" id="{field_id}_error">([^<]*)</span>', html)
    return match.group(1) if match else None


def test_every_error_in_one_pass_each_on_its_own_field(desk):
    form, _ = _components()
    response = desk.post(
        URL,
        _data(
            applicant_personal_id="12345",
            applicant_phone="0123",
            applicant_email="khong-phai-thu",
            fee_paid="-5",
            sets="0",
            **{f"originals_{form.pk}": "0"},
        ),
    )
    html = response.content.decode()
    assert response.status_code == 200 and Dossier.objects.count() == 0
    # Field checks (fee, sets, e-mail) and the identity checks of the service (ID, phone) and
    # the missing required component, all at once.
    assert (
        _error(html, "id_applicant_personal_id") == "Số định danh cá nhân phải gồm đúng 12 chữ số."
    )
    assert _error(html, "id_applicant_phone").startswith("Số điện thoại “0123” không hợp lệ")
    assert _error(html, "id_applicant_email") == "Nhập địa chỉ thư điện tử hợp lệ."
    assert _error(html, "id_fee_paid") == "Đảm bảo giá trị này lớn hơn hoặc bằng với 0 ."
    assert _error(html, "id_sets") == "Đảm bảo giá trị này lớn hơn hoặc bằng với 1 ."
    assert _error(html, f"id_originals_{form.pk}") == (
        "Cần nhận bản chính hoặc bản sao của giấy tờ bắt buộc này: "
        "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp."
    )
    assert _error(html, "id_applicant_name") is None
    # Each input points at its error and says it is invalid.
    assert re.search(
        r'<input type="text" name="applicant_personal_id" value="12345" maxlength="20"'
        r' aria-invalid="true" aria-describedby="id_applicant_personal_id_error"',
        html,
    )
    # The summary on top lists the six problems, each linked to its field.
    assert "Có 6 mục cần sửa" in html
    assert html.count("data-focus-field") == 6
    assert '<a href="#id_applicant_phone" data-focus-field>Điện thoại: Số điện thoại' in html


def test_required_fields_are_marked(desk):
    html = desk.get(URL).content.decode()
    assert (
        '<label for="id_applicant_name">Họ tên / tên tổ chức<span class="required-mark"'
        ' aria-hidden="true"> *</span><span class="visually-hidden"> (bắt buộc)</span></label>'
    ) in html
    assert re.search(r'name="applicant_name"[^>]*aria-required="true"', html)
    assert '<label for="id_applicant_phone">Điện thoại</label>' in html
    assert "Mục có dấu * là bắt buộc." in html


def test_applicant_comes_first_and_optional_components_default_to_none(desk):
    html = desk.get(URL).content.decode()
    names = re.findall(r'<(?:input|select|textarea)[^>]* name="([^"]+)"', html)
    form_fields = [n for n in names if n not in {"csrfmiddlewaretoken", "language", "next"}]
    assert form_fields[0] == "applicant_name"
    assert form_fields.index("applicant_personal_id") < form_fields.index("channel")
    form, authorisation = _components()
    assert f'name="originals_{form.pk}" value="1"' in html
    assert f'name="originals_{authorisation.pk}" value="0"' in html
    assert f'name="copies_{authorisation.pk}" value="0"' in html
    assert "Văn bản ủy quyền <em>(nếu có)</em>" in html


def test_optional_component_is_on_the_receipt_only_when_given(desk):
    from egov.dossiers.printing.receipt import issued_receipt

    form, authorisation = _components()
    desk.post(URL, _data())
    without = Dossier.objects.get()
    assert list(without.components.values_list("component__name", flat=True)) == [form.name]
    desk.post(URL, _data(**{f"originals_{authorisation.pk}": "1"}))
    given = Dossier.objects.exclude(pk=without.pk).get()
    assert sorted(given.components.values_list("component__name", "originals")) == sorted(
        [(form.name, 1), ("Văn bản ủy quyền", 1)]
    )
    assert issued_receipt(without, lookup_base_url="http://testserver").startswith(b"%PDF")


def test_a_component_named_if_any_is_optional_even_if_flagged_required(desk):
    form, _authorisation = _components()
    form.name = "Tờ khai (nếu có)"
    form.save()
    response = desk.post(URL, _data(**{f"originals_{form.pk}": "0"}))
    assert response.status_code == 302 and Dossier.objects.count() == 1
