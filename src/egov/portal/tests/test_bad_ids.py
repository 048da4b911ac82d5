"""Issue 9 point 17 (same class of bug): ids posted by the citizen's forms are parsed with
bounds; a value that is not an id is a 404, never a 500."""

from urllib.parse import urlencode

import pytest

from egov.portal.models import ApplicationDraft
from egov.portal.tests.test_online_application import PROCEDURE, citizen

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "data",
    [
        {"remove": "abc"},
        {"remove": "9" * 40},
        {"reuse_component": "1\x00"},
        {"upload": "x"},
    ],
)
def test_files_step_with_an_id_that_is_not_one_is_not_found(quang_ninh, client, data):
    account = citizen()
    client.force_login(account)
    client.post(f"/thu-tuc/{PROCEDURE}/nop-truc-tuyen/")
    draft = ApplicationDraft.objects.get(owner=account, dossier=None)
    assert client.post(f"/ho-so-nhap/{draft.pk}/giay-to/", data).status_code == 404


@pytest.mark.parametrize("component", ["-", "1\x00", "9" * 40, "0"])
def test_files_step_names_a_component_that_is_not_one_is_not_found(quang_ninh, client, component):
    account = citizen()
    client.force_login(account)
    client.post(f"/thu-tuc/{PROCEDURE}/nop-truc-tuyen/")
    draft = ApplicationDraft.objects.get(owner=account, dossier=None)
    url = f"/ho-so-nhap/{draft.pk}/giay-to/"
    answer = client.post(
        f"{url}?{urlencode({'component': component})}", headers={"HX-Request": "true"}
    )
    assert answer.status_code == 404
