"""Issue 9 point 4: every field of the staff API is validated (422, field named, Vietnamese)
and nothing invalid is stored; the rules are the service's, shared with the web form."""

import pytest
from django.core.exceptions import ValidationError

from egov.catalog.selectors import version_by_code
from egov.dossiers.models import Dossier, DossierPayment
from egov.dossiers.services.reception import MAX_SETS, dossier_receive
from egov.dossiers.tests.helpers import AN, reception, user
from egov.dossiers.tests.test_staff_api import make_key, post
from egov.workspace.forms import ReceptionForm

pytestmark = pytest.mark.django_db

URL = "/api/v1/staff/dossiers"
ENGLISH = ("String should", "Input should", "Field required", "Value error", "valid integer")


def valid_body():
    version = version_by_code("1.001612")
    return {
        "procedure": "1.001612",
        "applicant": {
            "name": "Nguyễn Văn An",
            "personal_id": "022084000123",
            "phone": "0912345678",
        },
        "components": [
            {"component_id": c.pk, "originals": 1} for c in version.components.filter(required=True)
        ],
    }


def refused(client, key, body):
    """The 422 answer's {field: message}; asserts that nothing was stored."""
    before = Dossier.objects.count()
    response = post(client, URL, key, body)
    assert response.status_code == 422, response.content
    assert Dossier.objects.count() == before
    details = response.json()["error"]["details"]
    for detail in details:
        assert not any(word in detail["message"] for word in ENGLISH), detail
    return {d["field"]: d["message"] for d in details}


def test_a_valid_body_is_received(quang_ninh, client):
    response = post(client, URL, make_key(), valid_body())
    assert response.status_code == 201, response.content


@pytest.mark.parametrize("field", ["name", "address", "representative_name"])
def test_over_long_applicant_text_is_refused_with_the_field_named(quang_ninh, client, field):
    body = valid_body()
    body["applicant"][field] = "A" * 300
    assert refused(client, make_key(), body) == {f"applicant.{field}": "Tối đa 255 ký tự."}


@pytest.mark.parametrize(
    "field", ["name", "address", "representative_name", "personal_id", "phone", "email"]
)
def test_nul_byte_in_any_applicant_field_is_refused(quang_ninh, client, field):
    body = valid_body()
    body["applicant"][field] = "An\x00"
    assert refused(client, make_key(), body) == {
        f"applicant.{field}": "Không được chứa ký tự điều khiển (ví dụ ký tự NUL)."
    }


def test_nul_byte_in_procedure_and_unit_is_refused(quang_ninh, client):
    key = make_key()
    assert set(refused(client, key, {**valid_body(), "procedure": "1.0016\x0012"})) == {"procedure"}
    assert set(refused(client, key, {**valid_body(), "unit": "qn\x00"})) == {"unit"}


def test_sets_and_copies_out_of_range_are_refused(quang_ninh, client):
    key = make_key()
    assert refused(client, key, {**valid_body(), "sets": 40000}) == {
        "sets": f"Phải nhỏ hơn hoặc bằng {MAX_SETS}."
    }
    body = valid_body()
    body["components"][0]["originals"] = -1
    assert refused(client, key, body) == {"components.0.originals": "Phải lớn hơn hoặc bằng 0."}


def test_unknown_component_and_component_of_another_procedure_are_refused(quang_ninh, client):
    key = make_key()
    body = valid_body()
    body["components"].append({"component_id": 999_999, "originals": 1})
    assert refused(client, key, body) == {
        "components": "Thành phần hồ sơ 999999 không thuộc thủ tục này."
    }
    other = version_by_code("qn-cap-phieu-ly-lich-tu-phap").components.first()
    body = valid_body()
    body["components"].append({"component_id": other.pk, "originals": 1})
    assert refused(client, key, body) == {
        "components": f"Thành phần hồ sơ {other.pk} không thuộc thủ tục này."
    }


def test_enums_and_email_are_checked(quang_ninh, client):
    key = make_key()
    fields = refused(client, key, {**valid_body(), "result_delivery": "xyz"})
    assert list(fields) == ["result_delivery"]
    assert fields["result_delivery"].startswith("Giá trị không hợp lệ; chọn một trong:")
    body = valid_body()
    body["applicant"]["email"] = "not-an-email"
    assert refused(client, key, body) == {
        "applicant.email": "Địa chỉ thư điện tử không hợp lệ (vd. ten@example.vn)."
    }
    assert list(refused(client, key, {**valid_body(), "channel": "fax"})) == ["channel"]
    body = valid_body()
    body["applicant"]["kind"] = "alien"
    assert list(refused(client, key, body)) == ["applicant.kind"]


def test_a_body_that_is_not_json_gets_422_in_vietnamese(quang_ninh, client):
    response = client.post(
        URL,
        data="{not json",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {make_key()}",
    )
    assert response.status_code == 422
    assert (
        response.json()["error"]["message"] == "Nội dung gửi lên không đọc được; cần JSON hợp lệ."
    )


def test_the_service_refuses_what_the_api_refuses_for_every_caller(quang_ninh):
    """The rules live in the service (dossier_receive): the web form and the API share them."""
    receptionist = user("tinh.tiepnhan")
    bad = reception()
    bad.result_delivery = "xyz"
    bad.sets = MAX_SETS + 1
    bad.components = {**bad.components, 999_999: (1, 0)}
    bad.applicant = type(AN)(**{**AN.__dict__, "email": "not-an-email", "address": "x" * 300})
    with pytest.raises(ValidationError) as caught:
        dossier_receive(actor=receptionist, reception=bad)
    assert set(caught.value.message_dict) == {
        "result_delivery",
        "sets",
        "components",
        "email",
        "address",
    }
    assert not Dossier.objects.exists()
    form = ReceptionForm(version=version_by_code("1.001612"))
    assert form.fields["sets"].max_value == MAX_SETS


def test_nul_bytes_in_transitions_fees_notices_and_the_list_are_refused(quang_ninh, client):
    key = make_key()
    code = post(client, URL, key, valid_body()).json()["code"]
    transition = post(
        client,
        f"{URL}/{code}/transitions",
        key,
        {"action": "hand_off", "reason": "a\x00b"},
    )
    assert transition.status_code == 422
    assert transition.json()["error"]["details"] == [
        {
            "field": "reason",
            "message": "Không được chứa ký tự điều khiển (ví dụ ký tự NUL).",
            "code": "control_characters",
        }
    ]
    assert Dossier.objects.get(code=code).status == "received"
    fee = post(client, f"{URL}/{code}/payments", key, {"amount": 1000, "reference": "\x00"})
    assert fee.status_code == 422 and fee.json()["error"]["details"][0]["field"] == "reference"
    assert not DossierPayment.objects.exists()
    notice = post(
        client,
        "/api/v1/staff/notices",
        key,
        {"kind": "guidance", "procedure": "1.001612", "applicant_name": "A\x00", "items": ["x"]},
    )
    assert notice.status_code == 422
    assert notice.json()["error"]["details"][0]["field"] == "applicant_name"
    listed = client.get(URL, {"q": "An\x00"}, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert listed.status_code == 422 and listed.json()["error"]["details"][0]["field"] == "q"


def test_receipt_of_every_stored_delivery_renders(quang_ninh, client):
    """result_delivery "xyz" used to be stored and made the receipt PDF answer 500."""
    key = make_key()
    for delivery in ("counter", "post", "online"):
        response = post(client, URL, key, {**valid_body(), "result_delivery": delivery})
        assert response.status_code == 201, response.content
        pdf = client.get(
            f"{URL}/{response.json()['code']}/receipt.pdf", HTTP_AUTHORIZATION=f"Bearer {key}"
        )
        assert pdf.status_code == 200
