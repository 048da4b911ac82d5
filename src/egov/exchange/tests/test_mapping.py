"""From an issued outgoing document to an edXML message and back to incoming fields."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from egov.documents.catalogue import Confidentiality, Urgency
from egov.documents.models import OutgoingDocument, OutgoingStatus, VersionKind
from egov.documents.tests.conftest import province  # noqa: F401 (fixture)
from egov.documents.tests.helpers import issued
from egov.exchange.codes import BusinessDocType, Priority
from egov.exchange.edxml import (
    Organ,
    StaffInfo,
    build_document_package,
    parse_document_package,
)
from egov.exchange.errors import NotExchangeable
from egov.exchange.mapping import (
    axis_recipients,
    incoming_fields_from_message,
    message_from_outgoing,
)
from egov.exchange.wire import VIETNAM_TZ

pytestmark = pytest.mark.django_db
BNV = Organ(organ_id="000.00.00.G12", organ_name="Bộ Nội vụ")
SENT = dt.datetime(2026, 3, 10, 15, 30, 12, 345678, tzinfo=VIETNAM_TZ)


@pytest.fixture
def document(province, signing_settings) -> OutgoingDocument:  # noqa: F811
    document = issued(
        province, subject="Về việc tổ chức Hội nghị chuyển đổi số", issued_date=dt.date(2026, 3, 10)
    )
    OutgoingDocument.objects.filter(pk=document.pk).update(
        urgency=Urgency.VERY_URGENT, due_date=dt.date(2026, 3, 20), page_amount=2
    )
    document.refresh_from_db()
    return document


def test_message_from_an_issued_document(document, province):  # noqa: F811
    staff = StaffInfo(department="Văn thư", staff="Trần Thu Hà")
    message = message_from_outgoing(document, [BNV], staff=staff, sent_at=SENT)
    header = message.header
    number = f"{document.code_number:02d}"
    assert header.document_id == f"000.00.00.T01,2026/03/10,{number}/{document.code_notation}"
    assert header.from_organ == Organ(organ_id="000.00.00.T01", organ_name=province.agency.name)
    assert header.to_organs == (BNV,)
    assert (header.code.number, header.code.notation) == (number, "QĐ-UBND")
    assert (header.promulgation.place, header.promulgation.date) == (
        "Hạ Long",
        dt.date(2026, 3, 10),
    )
    assert header.document_type.type_detail == "quyet-dinh"
    assert header.document_type.type_name == "Quyết định (cá biệt)"
    assert header.subject == "Về việc tổ chức Hội nghị chuyển đổi số"
    assert (header.signer.competence, header.signer.position) == ("KT.", "PHÓ CHỦ TỊCH")
    assert header.signer.full_name == document.signer_full_name != ""
    assert header.due_date == dt.date(2026, 3, 20)
    assert header.other_info.priority is Priority.VERY_URGENT
    assert header.other_info.page_amount == 2
    assert header.to_places == ("Sở Nội vụ tỉnh Thử", "Báo Quảng Ninh")
    assert message.traces[0].organ_id == "000.00.00.T01"
    assert message.traces[0].timestamp == SENT.replace(microsecond=0)
    assert message.business.doc_type is BusinessDocType.NEW
    assert message.business.document_id == header.document_id
    assert message.business.staff == staff
    version = document.versions.filter(kind=VersionKind.AGENCY_SIGNED).latest("number")
    (attachment,) = message.attachments
    assert (attachment.content_id, attachment.name) == ("cid:1", version.file.name)
    assert attachment.content_type == "application/pdf"
    assert attachment.content.startswith(b"%PDF") and len(attachment.content) == version.file.size


def test_round_trip_to_incoming_fields(document, golden_signer, golden_trust):
    message = message_from_outgoing(document, [BNV], sent_at=SENT)
    parsed = parse_document_package(
        build_document_package(message, signer=golden_signer), trust=golden_trust
    )
    fields = incoming_fields_from_message(parsed)
    assert fields == {
        "organ_id": "000.00.00.T01",
        "organ_name": document.agency.name,
        "document_type": document.document_type,
        "type_name": "Quyết định (cá biệt)",
        "code_number": f"{document.code_number:02d}",
        "code_notation": "QĐ-UBND",
        "issued_date": dt.date(2026, 3, 10),
        "subject": "Về việc tổ chức Hội nghị chuyển đổi số",
        "page_amount": 2,
        "signer_position": "KT. PHÓ CHỦ TỊCH",
        "signer_full_name": document.signer_full_name,
        "urgency": Urgency.VERY_URGENT,
        "to_places": "Sở Nội vụ tỉnh Thử; Báo Quảng Ninh",
        "due_date": dt.date(2026, 3, 20),
    }


def test_axis_recipients_are_outside_recipients_with_a_code(document):
    assert axis_recipients(document) == ()
    document.recipients.create(kind="external", name="Bộ Nội vụ", organ_id="000.00.00.G12")
    assert axis_recipients(document) == (Organ(organ_id="000.00.00.G12", organ_name="Bộ Nội vụ"),)


def test_secret_and_unissued_documents_are_not_exchanged(document):
    OutgoingDocument.objects.filter(pk=document.pk).update(confidentiality=Confidentiality.SECRET)
    document.refresh_from_db()
    with pytest.raises(NotExchangeable) as caught:
        message_from_outgoing(document, [BNV])
    assert caught.value.message == "Văn bản mật không được gửi qua trục liên thông."
    OutgoingDocument.objects.filter(pk=document.pk).update(
        confidentiality=Confidentiality.NORMAL, status=OutgoingStatus.AGENCY_SIGNED
    )
    document.refresh_from_db()
    with pytest.raises(NotExchangeable) as caught:
        message_from_outgoing(document, [BNV])
    assert caught.value.message == "Chỉ gửi liên thông được văn bản đã phát hành."


def test_no_recipient_with_a_code(document):
    with pytest.raises(NotExchangeable) as caught:
        message_from_outgoing(document, [])
    assert caught.value.message == "Văn bản chưa có nơi nhận có mã định danh."


def test_package_and_verify_commands(document, tmp_path):
    """The demonstration path: an issued document out as a package signed by the development
    PKI's agency certificate, checked again against the configured trust store."""
    from django.core.management import CommandError, call_command

    path = tmp_path / "van-ban.edxml"
    out = io.StringIO()
    call_command(
        "edxml_package", str(document.pk), str(path), "--to", "000.00.00.G12=Bộ Nội vụ", stdout=out
    )
    document_id = f"000.00.00.T01,2026/03/10,{document.code_number:02d}/QĐ-UBND"
    assert out.getvalue() == f"{document_id} {path.stat().st_size} bytes → {path}\n"
    out = io.StringIO()
    call_command("edxml_verify", str(path), stdout=out)
    assert out.getvalue() == (
        f"document new {document_id} (1 tệp) — "
        "CN=UBND tỉnh Quảng Ninh,O=UBND tỉnh Quảng Ninh,ST=Quảng Ninh,C=VN\n"
    )
    path.write_bytes(path.read_bytes().replace("Hội nghị".encode(), "Hội nghi".encode()))
    with pytest.raises(CommandError) as caught:
        call_command("edxml_verify", str(path))
    assert str(caught.value) == (
        "signature_invalid: Chữ ký số của gói tin không hợp lệ: nội dung đã bị thay đổi sau khi ký."
    )
