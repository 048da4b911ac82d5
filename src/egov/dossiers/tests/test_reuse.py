"""Not asking again (NĐ 45/2020 Điều 16): a component taken from the applicant's data store at
the counter and online — what is offered, what the dossier records, and what is refused."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from egov.audit.models import AuditEntry
from egov.catalog.models import DocumentKind
from egov.catalog.selectors import version_by_code
from egov.datastore.services import store_document_revoke
from egov.dossiers.models import DossierComponent, DossierFile
from egov.dossiers.printing.receipt import render_receipt
from egov.dossiers.reuse import StoreOwner, offers, reception_store_lookup, reuse_rule
from egov.dossiers.services.reception import dossier_receive
from egov.dossiers.tests.helpers import AN, reception, user
from egov.dossiers.tests.store_samples import stored_document
from egov.org.models import Unit
from egov.workdays.engine import VIETNAM_TZ

pytestmark = pytest.mark.django_db

# Chứng thực chữ ký: its first component asks for a căn cước card.
PROCEDURE = "2.000884"
AN_STORE = StoreOwner("person", AN.personal_id)
NOON = dt.datetime(2026, 12, 2, 10, 0, tzinfo=VIETNAM_TZ)


def card_component():
    return version_by_code(PROCEDURE).components.get(document_kind__code="the-can-cuoc")


@time_machine.travel(NOON, tick=False)
def test_only_valid_documents_of_the_same_kind_and_owner_are_offered(receptionist_binh):
    card = stored_document(receptionist_binh, code="SH-AN-1")
    stored_document(receptionist_binh, code="SH-AN-OLD", expires_on=dt.date(2026, 12, 1))
    revoked = stored_document(receptionist_binh, code="SH-AN-REVOKED")
    store_document_revoke(actor=receptionist_binh, document=revoked, reason="Cấp lại thẻ")
    stored_document(receptionist_binh, code="SH-AN-BIRTH", kind="giay-khai-sinh")
    stored_document(receptionist_binh, code="SH-EVE", personal_id="001190000999")
    components = list(version_by_code(PROCEDURE).components.select_related("document_kind"))
    found = offers(components=components, owner=AN_STORE)
    assert {pk: [d.code for d in documents] for pk, documents in found.items()} == {
        card_component().pk: ["SH-AN-1"]
    }
    assert reuse_rule(card) == (
        "Cùng loại giấy tờ “Thẻ căn cước / Thẻ căn cước công dân”, còn giá trị đến "
        "01/05/2030 (NĐ 45/2020 Điều 16)"
    )


@time_machine.travel(NOON, tick=False)
def test_a_power_of_attorney_is_never_offered(receptionist_binh):
    stored_document(receptionist_binh, code="SH-UQ", kind="van-ban-uy-quyen", expires_on=None)
    version = version_by_code("1.001612")
    proxy = version.components.get(document_kind__code="van-ban-uy-quyen")
    found = offers(components=[proxy], owner=AN_STORE)
    assert found == {}
    counter = reception("1.001612")
    counter.store_documents = {proxy.pk: "SH-UQ"}
    with pytest.raises(ValidationError) as refused:
        dossier_receive(actor=receptionist_binh, reception=counter)
    assert "SH-UQ" in refused.value.message_dict["store_documents"][0]


@time_machine.travel(NOON, tick=False)
def test_counter_takes_the_component_from_the_store_without_paper(receptionist_binh):
    document = stored_document(receptionist_binh, code="SH-AN-1")
    component = card_component()
    counter = reception(PROCEDURE)
    # No original, no copy of the card: the stored document stands for it.
    counter.components.pop(component.pk)
    with pytest.raises(ValidationError, match="chưa đủ thành phần bắt buộc"):
        dossier_receive(actor=receptionist_binh, reception=counter)
    counter.store_documents = {component.pk: "SH-AN-1"}
    dossier = dossier_receive(actor=receptionist_binh, reception=counter)
    row = DossierComponent.objects.get(dossier=dossier, component=component)
    rule = (
        "Cùng loại giấy tờ “Thẻ căn cước / Thẻ căn cước công dân”, còn giá trị đến 01/05/2030 "
        "(NĐ 45/2020 Điều 16)"
    )
    assert (row.store_document, row.reused, row.reuse_rule) == (document, True, rule)
    assert (row.originals, row.copies, row.scan) == (0, 0, None)
    file = DossierFile.objects.get(dossier=dossier, component=component)
    assert (file.source, file.code, file.file_id) == ("reused", "SH-AN-1", document.signed_file_id)
    events = list(dossier.events.values_list("action", "from_status", "to_status", "data"))
    assert events[1] == (
        "reuse_store_document",
        "received",
        "received",
        {
            "component": component.pk,
            "component_name": component.name,
            "store_document": "SH-AN-1",
            "rule": rule,
        },
    )
    # The receipt (Mẫu 01) says the card was taken from the store, not handed in.
    receipt = PdfReader(io.BytesIO(render_receipt(dossier, lookup_base_url="https://x.vn")))
    text = " ".join((p.extract_text() or "") for p in receipt.pages).replace("\n", " ")
    assert "lấy từ kho dữ liệu, không nộp lại" in text
    audits = AuditEntry.objects.filter(
        action__in=["dossier.reuse_store_document", "datastore.reuse"]
    )
    assert sorted(audits.values_list("action", "object_id")) == [
        ("datastore.reuse", str(document.pk)),
        ("dossier.reuse_store_document", str(dossier.pk)),
    ]


@time_machine.travel(NOON, tick=False)
def test_counter_refuses_another_persons_or_an_expired_document(receptionist_binh):
    stored_document(receptionist_binh, code="SH-EVE", personal_id="001190000999")
    stored_document(receptionist_binh, code="SH-AN-OLD", expires_on=dt.date(2026, 12, 1))
    component = card_component()
    for code in ("SH-EVE", "SH-AN-OLD", "KHONG-CO"):
        counter = reception(PROCEDURE)
        counter.store_documents = {component.pk: code}
        with pytest.raises(ValidationError) as refused:
            dossier_receive(actor=receptionist_binh, reception=counter)
        assert refused.value.message_dict["store_documents"] == [
            f"Giấy tờ “{code}” trong kho dữ liệu không dùng được cho thành phần “{component.name}”:"
            " không cùng loại, đã hết giá trị, đã bị thu hồi hoặc không thuộc người nộp."
        ]


@time_machine.travel(NOON, tick=False)
def test_desk_lookup_shows_only_that_persons_documents_and_is_recorded(receptionist_binh):
    stored_document(receptionist_binh, code="SH-AN-1")
    stored_document(receptionist_binh, code="SH-EVE", personal_id="001190000999")
    centre = Unit.objects.get(key="qn.ttpvhcc")
    version = version_by_code(PROCEDURE)
    found = reception_store_lookup(
        actor=receptionist_binh, unit=centre, version=version, owner=AN_STORE
    )
    assert {pk: [d.code for d in ds] for pk, ds in found.items()} == {
        card_component().pk: ["SH-AN-1"]
    }
    entry = AuditEntry.objects.filter(action="datastore.lookup").get()
    assert entry.details == {
        "unit": centre.code,
        "procedure": version.procedure.public_code,
        "owner_kind": "person",
        "found": ["SH-AN-1"],
    }
    assert AN.personal_id not in str(entry.details) + entry.object_repr + entry.object_id
    # Someone who does not receive dossiers there sees nothing, and nothing is looked up.
    specialist = user("tinh.chuyenvien")
    assert (
        reception_store_lookup(actor=specialist, unit=centre, version=version, owner=AN_STORE) == {}
    )
    assert AuditEntry.objects.filter(action="datastore.lookup").count() == 1


def test_kinds_never_reused_stay_so():
    assert DocumentKind.objects.get(code="van-ban-uy-quyen").validity == "not_reusable"


@time_machine.travel(NOON, tick=False)
def test_staff_api_takes_a_store_document_per_component(client, receptionist_binh):
    from egov.dossiers.tests.test_staff_api import make_key, post

    stored_document(receptionist_binh, code="SH-AN-1")
    stored_document(receptionist_binh, code="SH-EVE", personal_id="001190000999")
    key = make_key()
    component = card_component()
    others = version_by_code(PROCEDURE).components.filter(required=True).exclude(pk=component.pk)

    def body(code):
        return {
            "procedure": PROCEDURE,
            "applicant": {"name": "Nguyễn Văn An", "personal_id": AN.personal_id},
            "components": [
                {"component_id": component.pk, "store_document": code},
                *[{"component_id": c.pk, "originals": 1} for c in others],
            ],
        }

    refused = post(client, "/api/v1/staff/dossiers", key, body("SH-EVE"))
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "invalid_dossier"
    assert [d["field"] for d in refused.json()["error"]["details"]] == ["store_documents"]
    created = post(client, "/api/v1/staff/dossiers", key, body("SH-AN-1"))
    assert created.status_code == 201, created.content
    row = DossierComponent.objects.get(dossier__code=created.json()["code"], component=component)
    assert (row.store_document.code, row.reused, row.originals) == ("SH-AN-1", True, 0)


@time_machine.travel(NOON, tick=False)
def test_a_scan_added_later_replaces_the_reuse_and_leaves_the_stored_document_valid(
    receptionist_binh,
):
    from egov.datastore.models import StoreDocument, StoreState
    from egov.dossiers.services.attachments import dossier_attach_scan
    from egov.signing.tests.fixtures import make_pdf

    document = stored_document(receptionist_binh, code="SH-AN-1")
    component = card_component()
    counter = reception(PROCEDURE)
    counter.components.pop(component.pk)
    counter.store_documents = {component.pk: "SH-AN-1"}
    dossier = dossier_receive(actor=receptionist_binh, reception=counter)
    row = DossierComponent.objects.get(dossier=dossier, component=component)
    dossier_attach_scan(
        actor=receptionist_binh,
        dossier=dossier,
        component=row,
        upload=io.BytesIO(make_pdf()),
        original_name="the-can-cuoc.pdf",
    )
    row.refresh_from_db()
    assert (row.reused, row.reuse_rule) == (False, "")
    assert row.store_document.code == f"{dossier.code}-SH1"
    assert row.store_document.state == StoreState.PENDING
    # The citizen's earlier card is not withdrawn because this dossier scanned the paper.
    assert StoreDocument.objects.get(pk=document.pk).state == StoreState.VALID
    assert not DossierFile.objects.filter(dossier=dossier, source="reused").exists()
