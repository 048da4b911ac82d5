"""The counter form and the data store (NĐ 45/2020 Điều 16): once the personal ID is entered,
"Tra cứu kho dữ liệu" shows that person's valid documents beside the components (without
JavaScript: the whole form comes back as typed), and a ticked one stands for the paper."""

import datetime as dt

import pytest
import time_machine

from egov.audit.models import AuditEntry
from egov.catalog.selectors import version_by_code
from egov.dossiers.models import Dossier
from egov.dossiers.tests.store_samples import stored_document
from egov.workdays.engine import VIETNAM_TZ

pytestmark = pytest.mark.django_db

PROCEDURE = "2.000884"  # chứng thực chữ ký: the first component is the căn cước card
URL = f"/staff/tiep-nhan/?thu-tuc={PROCEDURE}"
NOON = dt.datetime(2026, 12, 2, 10, 0, tzinfo=VIETNAM_TZ)


@pytest.fixture
def desk(receptionist_binh, client, settings):
    settings.EGOV_REQUIRE_STAFF_MFA = False
    client.force_login(receptionist_binh)
    return client


def _components():
    version = version_by_code(PROCEDURE)
    card = version.components.get(document_kind__code="the-can-cuoc")
    paper = version.components.get(name__startswith="Giấy tờ, văn bản")
    return card, paper


def _data(**changes):
    card, paper = _components()
    data = {
        "applicant_name": "Nguyễn Văn An",
        "applicant_kind": "citizen",
        "applicant_personal_id": "022084000123",
        "channel": "counter",
        "sets": "1",
        "result_delivery": "counter",
        f"originals_{card.pk}": "1",
        f"copies_{card.pk}": "0",
        f"originals_{paper.pk}": "1",
        f"copies_{paper.pk}": "0",
    }
    data.update(changes)
    return data


@time_machine.travel(NOON, tick=False)
def test_lookup_without_javascript_shows_only_that_persons_documents(desk, receptionist_binh):
    stored_document(receptionist_binh, code="SH-AN-1")
    stored_document(receptionist_binh, code="SH-EVE", personal_id="001190000999")
    card, _ = _components()
    response = desk.post(URL, _data(lookup="1", applicant_phone="0912 345 678"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'name="store_{card.pk}" value="SH-AN-1"' in html
    assert "SH-EVE" not in html
    assert "Thẻ căn cước, số 022084000123, Bộ Công an, có giá trị đến 01/05/2030" in html
    assert "Có 1 giấy tờ còn giá trị trong kho dữ liệu của người nộp" in html
    # The form comes back as typed, without errors and without receiving anything.
    assert 'value="0912 345 678"' in html
    assert "field-error" not in html
    assert not Dossier.objects.filter(applicant_personal_id="022084000123").exists()
    entry = AuditEntry.objects.filter(action="datastore.lookup").get()
    assert entry.actor_id == receptionist_binh.pk
    assert "022084000123" not in str(entry.details) + entry.object_repr


@time_machine.travel(NOON, tick=False)
def test_lookup_of_a_bad_number_says_so(desk):
    response = desk.post(URL, _data(lookup="1", applicant_personal_id="12345"))
    assert "Số định danh cá nhân phải gồm đúng 12 chữ số." in response.content.decode()
    assert not AuditEntry.objects.filter(action="datastore.lookup").exists()


@time_machine.travel(NOON, tick=False)
def test_ticked_store_document_needs_no_paper_and_no_scan(desk, receptionist_binh):
    document = stored_document(receptionist_binh, code="SH-AN-1")
    card, paper = _components()
    response = desk.post(URL, _data(**{f"store_{card.pk}": "SH-AN-1", f"originals_{card.pk}": "0"}))
    assert response.status_code == 302, response.content.decode()[:2000]
    dossier = Dossier.objects.get(applicant_personal_id="022084000123")
    row = dossier.components.get(component=card)
    assert (row.store_document, row.reused, row.originals, row.copies) == (document, True, 0, 0)
    assert dossier.components.get(component=paper).reused is False
    assert list(dossier.events.values_list("action", flat=True)) == [
        "receive",
        "reuse_store_document",
    ]
    page = desk.get(f"/staff/ho-so/{dossier.code}/").content.decode()
    assert f'<span data-testid="reused-{card.pk}">Dùng lại từ kho dữ liệu: SH-AN-1</span>' in page
    assert "(NĐ 45/2020 Điều 16)" in page


@time_machine.travel(NOON, tick=False)
def test_without_the_tick_the_required_paper_is_still_asked_for(desk, receptionist_binh):
    stored_document(receptionist_binh, code="SH-AN-1")
    card, _ = _components()
    response = desk.post(URL, _data(**{f"originals_{card.pk}": "0"}))
    assert response.status_code == 200
    assert "Cần nhận bản chính hoặc bản sao của giấy tờ bắt buộc này" in response.content.decode()
    assert not Dossier.objects.filter(applicant_personal_id="022084000123").exists()


@time_machine.travel(NOON, tick=False)
def test_a_code_of_someone_else_is_refused(desk, receptionist_binh):
    stored_document(receptionist_binh, code="SH-AN-1")
    stored_document(receptionist_binh, code="SH-EVE", personal_id="001190000999")
    card, _ = _components()
    response = desk.post(URL, _data(**{f"store_{card.pk}": "SH-EVE"}))
    assert response.status_code == 200
    assert "hãy tra cứu lại" in response.content.decode()
    assert not Dossier.objects.filter(applicant_personal_id="022084000123").exists()
