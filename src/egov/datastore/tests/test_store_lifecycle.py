"""The store document lifecycle, the kinds of paper and what may be reused."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError

from egov.accounts.actors import SYSTEM
from egov.catalog.document_kinds import add_months, kind_for_name, load_document_kinds
from egov.catalog.models import Component, DocumentKind
from egov.core.uploads import store_private
from egov.datastore.models import OwnerKind, StoreDocumentEvent, StoreSource, StoreState
from egov.datastore.selectors import reusable_documents
from egov.datastore.services import (
    Owner,
    Paper,
    store_document_issue,
    store_document_reject,
    store_document_revoke,
    store_document_store,
    store_document_verify,
)
from egov.datastore.state import IllegalTransition, StoreAction, move

pytestmark = pytest.mark.django_db

PERSON = Owner(kind=OwnerKind.PERSON, identifier="022090001234", name="Nguyễn Văn An")


def _pdf() -> io.BytesIO:
    return io.BytesIO(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")


def _file(receptionist):
    return store_private(_pdf(), original_name="cccd.pdf", prefix="store", uploaded_by=receptionist)


def test_kinds_are_loaded_and_components_matched(quang_ninh):
    card = DocumentKind.objects.get(code="the-can-cuoc")
    assert card.validity == "until_expiry"
    assert card.confirmed is True
    birth = DocumentKind.objects.get(code="giay-khai-sinh")
    kinds = list(DocumentKind.objects.all())
    assert kind_for_name("Bản sao Giấy khai sinh của trẻ", kinds) == birth
    assert kind_for_name("Thẻ Căn cước công dân (bản chính để đối chiếu)", kinds) == card
    assert kind_for_name("Tờ khai đăng ký kết hôn", kinds) is None
    # A form asking for a paper is not that paper.
    assert kind_for_name("Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp", kinds) is None
    assert kind_for_name("Đơn đề nghị cấp bản sao Giấy khai sinh", kinds) is None
    assert kind_for_name("Phiếu lý lịch tư pháp số 1", kinds).code == "phieu-ly-lich-tu-phap"
    matched = Component.objects.filter(document_kind=card).count()
    assert matched == Component.objects.filter(name__icontains="căn cước").count()
    assert load_document_kinds().matched == 0  # a second load changes nothing


def test_months_rule_counts_calendar_months():
    assert add_months(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2026, 12, 1), 6) == dt.date(2027, 6, 1)


def test_scan_waits_for_the_check_then_is_reusable(receptionist_binh):
    card = DocumentKind.objects.get(code="the-can-cuoc")
    scan = _file(receptionist_binh)
    document = store_document_store(
        actor=receptionist_binh,
        code="TEST-SH1",
        owner=PERSON,
        paper=Paper(title="Thẻ căn cước", kind=card),
        source=StoreSource.SCAN,
        file=scan,
        unit=None,
    )
    assert document.state == StoreState.PENDING
    lookup = {"owner_kind": OwnerKind.PERSON, "owner_identifier": PERSON.identifier, "kind": card}
    assert list(reusable_documents(**lookup)) == []
    verified = store_document_verify(
        actor=receptionist_binh,
        document=document,
        signed_file=scan,
        signature_verdict="valid",
        signature_signer="Lê Thị Bình",
        paper=Paper(title="Thẻ căn cước", kind=card, expires_on=dt.date(2030, 5, 1)),
    )
    assert verified.state == StoreState.VALID
    assert verified.valid_until == dt.date(2030, 5, 1)
    assert verified.digitised_by == receptionist_binh
    assert list(reusable_documents(**lookup, on=dt.date(2030, 5, 1))) == [verified]
    assert list(reusable_documents(**lookup, on=dt.date(2030, 5, 2))) == []
    actions = list(
        StoreDocumentEvent.objects.filter(document=document).values_list(
            "sequence", "action", "from_state", "to_state"
        )
    )
    assert actions == [(1, "store", "", "pending"), (2, "verify", "pending", "valid")]
    with pytest.raises(ValidationError):
        store_document_verify(
            actor=receptionist_binh,
            document=verified,
            signed_file=scan,
            signature_verdict="valid",
            signature_signer="x",
        )
    store_document_revoke(actor=receptionist_binh, document=verified, reason="Cấp nhầm chủ sở hữu")
    assert list(reusable_documents(**lookup, on=dt.date(2027, 1, 1))) == []


def test_a_power_of_attorney_is_never_reused(receptionist_binh):
    power = DocumentKind.objects.get(code="van-ban-uy-quyen")
    store_document_issue(
        actor=receptionist_binh,
        code="TEST-KQ1",
        owner=PERSON,
        paper=Paper(title="Giấy ủy quyền", kind=power),
        source=StoreSource.RESULT,
        file=_file(receptionist_binh),
        unit=None,
        signature_verdict="valid",
        signature_signer="UBND phường Hồng Gai",
    )
    assert (
        list(
            reusable_documents(
                owner_kind=OwnerKind.PERSON, owner_identifier=PERSON.identifier, kind=power
            )
        )
        == []
    )


def test_rejection_needs_a_reason_and_ends_the_document(receptionist_binh):
    document = store_document_store(
        actor=receptionist_binh,
        code="TEST-SH2",
        owner=PERSON,
        paper=Paper(title="Giấy khai sinh"),
        source=StoreSource.UPLOAD,
        file=_file(receptionist_binh),
        unit=None,
    )
    with pytest.raises(ValidationError, match="lý do"):
        store_document_reject(actor=receptionist_binh, document=document, reason=" ")
    rejected = store_document_reject(
        actor=receptionist_binh, document=document, reason="Bản quét thiếu trang 2"
    )
    assert rejected.state == StoreState.REJECTED
    with pytest.raises(IllegalTransition):
        move(rejected, StoreAction.VERIFY, to_state=StoreState.VALID, actor=SYSTEM)


@pytest.mark.parametrize(
    ("kind", "identifier", "message"),
    [
        (OwnerKind.PERSON, "12345", "12 chữ số"),
        (OwnerKind.ORGANISATION, "57011", "Mã số thuế"),
    ],
)
def test_owner_identifiers_are_checked(receptionist_binh, kind, identifier, message):
    with pytest.raises(ValidationError, match=message):
        store_document_store(
            actor=receptionist_binh,
            code="TEST-SH3",
            owner=Owner(kind=kind, identifier=identifier, name="X"),
            paper=Paper(title="Giấy tờ"),
            source=StoreSource.SCAN,
            file=_file(receptionist_binh),
            unit=None,
        )
