"""A procedure code with no version in force gets the same 404 everywhere (issue 10, point 6):
``catalog.selectors.version_in_force``."""

import pytest

from egov.dossiers.tests.test_staff_api import make_key, post

pytestmark = pytest.mark.django_db

MESSAGE = (
    "Không có thủ tục đang áp dụng với mã “9.999999” (vd. 1.001193 hoặc 1.001193.000.00.00.H49)."
)


def test_every_api_operation_answers_an_unknown_procedure_alike(quang_ninh, client):
    key = make_key()
    answers = [
        client.get("/api/v1/procedures/9.999999"),
        post(
            client,
            "/api/v1/staff/dossiers",
            key,
            {"procedure": "9.999999", "applicant": {"name": "An"}, "components": []},
        ),
        post(
            client,
            "/api/v1/staff/notices",
            key,
            {"kind": "guidance", "procedure": "9.999999", "applicant_name": "An"},
        ),
    ]
    assert [(a.status_code, a.json()["error"]) for a in answers] == [
        (404, {"code": "procedure_not_found", "message": MESSAGE, "details": []})
    ] * 3


def test_the_online_application_of_an_unknown_procedure_is_a_404(quang_ninh, client):
    from egov.accounts.models import User

    client.force_login(User.objects.create_user(username="an.nguyen", password="x"))
    assert client.post("/thu-tuc/9.999999/nop-truc-tuyen/").status_code == 404
