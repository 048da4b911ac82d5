"""The online application and the data store (NĐ 45/2020 Điều 16): a component asking for a
kind of paper the applicant's store holds, valid, shows it pre-selected and needs no upload;
the citizen may upload a new one instead; only documents the account may see are offered."""

import datetime as dt

import pytest
import time_machine

from egov.audit.models import AuditEntry
from egov.catalog.models import DocumentKind
from egov.catalog.selectors import version_by_code
from egov.dossiers.models import Dossier, DossierFile
from egov.dossiers.tests.store_samples import stored_document
from egov.org.models import Unit
from egov.portal.models import ApplicationDraft
from egov.portal.tests.test_online_application import PROCEDURE, citizen, pdf
from egov.workdays.engine import VIETNAM_TZ

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 12, 2, 10, 0, tzinfo=VIETNAM_TZ)
READY = "Đã có trong kho dữ liệu — không cần tải lên lại"


@pytest.fixture
def card_component(quang_ninh):
    """The household business's "legal paper of the person" asks for a căn cước card here."""
    version = version_by_code(PROCEDURE)
    component = version.components.get(name__startswith="Bản sao giấy tờ pháp lý")
    component.document_kind = DocumentKind.objects.get(code="the-can-cuoc")
    component.save(update_fields=["document_kind"])
    return component


def _draft(client, account):
    client.force_login(account)
    client.post(f"/thu-tuc/{PROCEDURE}/nop-truc-tuyen/")
    draft = ApplicationDraft.objects.get(owner=account, dossier=None)
    centre = Unit.objects.get(key="qn.ttpvhcc")
    values = dict(draft.applicant, receiving_unit=centre.pk, result_delivery="online")
    assert client.post(f"/ho-so-nhap/{draft.pk}/", values).status_code == 302
    return draft


def _others(component):
    return version_by_code(PROCEDURE).components.filter(required=True).exclude(pk=component.pk)


@time_machine.travel(NOON, tick=False)
def test_stored_card_is_pre_selected_and_the_dossier_records_its_reuse(
    client, card_component, receptionist_binh
):
    an = citizen()
    document = stored_document(receptionist_binh, code="SH-AN-1", account=an)
    draft = _draft(client, an)
    page = client.get(f"/ho-so-nhap/{draft.pk}/giay-to/").content.decode()
    assert READY in page
    assert f'name="store-{card_component.pk}" value="SH-AN-1" checked' in page
    assert "Thẻ căn cước — số 022084000123, Bộ Công an," in page
    assert "có giá trị đến 01/05/2030" in page
    for other in _others(card_component):
        client.post(f"/ho-so-nhap/{draft.pk}/giay-to/", {f"files-{other.pk}": [pdf()]})
    # No upload for the card: going on is allowed.
    response = client.post(
        f"/ho-so-nhap/{draft.pk}/giay-to/",
        {"continue": "1", f"store-{card_component.pk}": "SH-AN-1"},
    )
    assert response["Location"] == f"/ho-so-nhap/{draft.pk}/xem-lai/"
    review = client.get(f"/ho-so-nhap/{draft.pk}/xem-lai/").content.decode()
    assert "dùng giấy tờ trong kho dữ liệu (SH-AN-1)" in review
    client.post(f"/ho-so-nhap/{draft.pk}/xem-lai/")
    dossier = Dossier.objects.get(owner=an)
    row = dossier.components.get(component=card_component)
    assert (row.store_document, row.reused) == (document, True)
    assert row.reuse_rule == (
        "Cùng loại giấy tờ “Thẻ căn cước / Thẻ căn cước công dân”, còn giá trị đến "
        "01/05/2030 (NĐ 45/2020 Điều 16)"
    )
    file = dossier.files.get(component=card_component)
    assert (file.source, file.code, file.file_id) == ("reused", "SH-AN-1", document.signed_file_id)
    assert list(dossier.events.values_list("action", "to_status")) == [
        ("submit_online", "awaiting_online_reception"),
        ("reuse_store_document", "awaiting_online_reception"),
    ]
    assert AuditEntry.objects.filter(action="datastore.reuse", object_id=str(document.pk)).exists()


@time_machine.travel(NOON, tick=False)
def test_the_citizen_may_upload_a_new_one_instead(client, card_component, receptionist_binh):
    an = citizen()
    stored_document(receptionist_binh, code="SH-AN-1", account=an)
    draft = _draft(client, an)
    url = f"/ho-so-nhap/{draft.pk}/giay-to/"
    for other in _others(card_component):
        client.post(url, {f"files-{other.pk}": [pdf()]})
    # "Không dùng": now the card needs an upload like any other required component.
    response = client.post(url, {"continue": "1", f"store-{card_component.pk}": ""})
    assert response.status_code == 400
    assert "Thành phần bắt buộc này chưa có tệp." in response.content.decode()
    client.post(url, {f"files-{card_component.pk}": [pdf("the-can-cuoc.pdf")]})
    client.post(f"/ho-so-nhap/{draft.pk}/xem-lai/")
    dossier = Dossier.objects.get(owner=an)
    row = dossier.components.get(component=card_component)
    assert (row.store_document, row.reused) == (None, False)
    assert list(
        dossier.files.filter(component=card_component).values_list("source", flat=True)
    ) == ["upload"]
    assert "reuse_store_document" not in dossier.events.values_list("action", flat=True)


@time_machine.travel(NOON, tick=False)
def test_an_upload_replaces_the_stored_choice(client, card_component, receptionist_binh):
    an = citizen()
    stored_document(receptionist_binh, code="SH-AN-1", account=an)
    draft = _draft(client, an)
    url = f"/ho-so-nhap/{draft.pk}/giay-to/"
    # With JavaScript one component is sent; the file chosen wins over the stored card.
    client.post(
        f"{url}?component={card_component.pk}",
        {f"files-{card_component.pk}": [pdf("moi.pdf")], f"store-{card_component.pk}": "SH-AN-1"},
        headers={"HX-Request": "true"},
    )
    block = client.get(url).content.decode()
    assert READY not in block
    assert f'name="store-{card_component.pk}" value="" checked' in block


@time_machine.travel(NOON, tick=False)
def test_only_documents_the_account_may_see_are_offered(client, card_component, receptionist_binh):
    an = citizen()
    # Kept under An's personal ID from a dossier of another account (or none), and An's
    # number is not verified by VNeID: not An's to see, so not offered.
    stored_document(receptionist_binh, code="SH-AN-DESK", account=None)
    draft = _draft(client, an)
    page = client.get(f"/ho-so-nhap/{draft.pk}/giay-to/").content.decode()
    assert "SH-AN-DESK" not in page and READY not in page
    for other in _others(card_component):
        client.post(f"/ho-so-nhap/{draft.pk}/giay-to/", {f"files-{other.pk}": [pdf()]})
    # Forcing the code is refused quietly: the card still needs a file.
    response = client.post(
        f"/ho-so-nhap/{draft.pk}/giay-to/",
        {"continue": "1", f"store-{card_component.pk}": "SH-AN-DESK"},
    )
    assert response.status_code == 400
    draft.refresh_from_db()
    assert draft.store_choices == {}


@time_machine.travel(NOON, tick=False)
def test_an_e_result_in_the_store_is_not_offered_twice(client, card_component, receptionist_binh):
    an = citizen()
    document = stored_document(receptionist_binh, code="SH-AN-1", account=an)
    earlier = _draft(client, an)
    for component in version_by_code(PROCEDURE).components.filter(required=True):
        client.post(f"/ho-so-nhap/{earlier.pk}/giay-to/", {f"files-{component.pk}": [pdf()]})
    client.post(f"/ho-so-nhap/{earlier.pk}/xem-lai/")
    first = Dossier.objects.get(owner=an)
    result = DossierFile.objects.create(
        dossier=first,
        source="result",
        code=f"{first.code}-KQ1",
        file=document.signed_file,
        added_at=NOON,
    )
    draft = _draft(client, an)
    page = client.get(f"/ho-so-nhap/{draft.pk}/giay-to/").content.decode()
    card_block = page.split(f'id="component-block-{card_component.pk}"')[1].split("</section>")[0]
    assert f'name="reuse-{card_component.pk}" value="{result.pk}"' not in card_block
    assert 'value="SH-AN-1"' in card_block
    other = _others(card_component).first()
    assert f'name="reuse-{other.pk}" value="{result.pk}"' in page
