"""Composer draft → personal signature → number and date filled → agency signature → issue,
with both signatures checked by our verification and by pdfsig, and the batch signing."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest
import time_machine

from egov.core.tests.uploaded_drafts import layout_text, qpdf_check, render_first_page
from egov.core.uploads import open_private
from egov.documents.actions import OutgoingAction as A
from egov.documents.errors import TransitionRefused
from egov.documents.models import (
    IncomingDocument,
    OutgoingDocument,
    OutgoingStatus,
    VersionKind,
)
from egov.documents.selectors import document_type
from egov.documents.services.outgoing import RecipientInput, outgoing_transition
from egov.documents.services.outgoing_drafts import Composition, outgoing_compose
from egov.documents.services.outgoing_signing import (
    latest_version_file,
    outgoing_agency_seal,
    outgoing_issue,
    outgoing_sign,
    outgoing_sign_many,
)
from egov.documents.tests.conftest import Province
from egov.notifications.models import Message
from egov.signing.fill import form_field_names
from egov.signing.tests.fixtures import pdfsig
from egov.signing.verification import Verdict, verify_pdf

pytestmark = pytest.mark.usefixtures("signing_settings")


def compose_draft(
    province: Province, *, subject: str = "Về việc tổ chức Tết Nguyên đán"
) -> OutgoingDocument:
    kind = document_type(None, "quyet-dinh")
    assert kind is not None
    return outgoing_compose(
        actor=province.specialist,
        agency=province.agency,
        drafting_unit=province.vx,
        composition=Composition(
            document_type=kind,
            subject=subject,
            signer=province.leader,
            signer_position="Phó Chủ tịch",
            delegation="KT.",
            on_behalf_of="Chủ tịch",
            authority="Chủ tịch Ủy ban nhân dân tỉnh Thử",
            grounds=("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",),
            articles=("Phê duyệt kế hoạch tổ chức Tết.", "Quyết định có hiệu lực từ ngày ký."),
            recipient_lines=("Như Điều 2;",),
            unit_abbreviation=province.vx_abbr,
            recipients=(
                RecipientInput(unit=province.other),
                RecipientInput(name="Công ty ABC", email="vanthu@abc.example.vn"),
            ),
        ),
    )


def to_approval(province: Province, document: OutgoingDocument) -> OutgoingDocument:
    for action, actor in (
        (A.SUBMIT, province.specialist),
        (A.APPROVE_CONTENT, province.vx_leader),
        (A.APPROVE_FORMAT, province.clerk),
    ):
        document = outgoing_transition(actor=actor, document=document, action=action)
    return document


def _bytes(document: OutgoingDocument, kind: str) -> bytes:
    file = latest_version_file(document, kind)
    assert file is not None
    with open_private(file.key) as stream:
        return stream.read()


def check_both_signatures(final: bytes, tmp_path: Path, nss_db: str) -> None:
    """The person's and the agency's signatures valid for us and for pdfsig, the file sound
    for qpdf, every font on the page embedded (the filled values' too)."""
    report = verify_pdf(final)
    assert [(s.field_name, s.verdict, s.modified_after) for s in report.signatures] == [
        ("SigNguoiKy", Verdict.VALID, False),
        ("SigCoQuan", Verdict.VALID, False),
    ]
    path = tmp_path / "final.pdf"
    path.write_bytes(final)
    out = pdfsig(path, nss_db)
    assert out.count("Signature Validation: Signature is Valid.") == 2, out
    check = qpdf_check(final, tmp_path)
    assert check.returncode == 0, check.stdout
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    assert " no " not in fonts.stdout


def test_composer_draft_has_empty_number_and_date_fields(province: Province) -> None:
    document = compose_draft(province)
    data = _bytes(document, VersionKind.DRAFT)
    assert sorted(form_field_names(data)) == ["nam", "ngay", "so", "thang"]


def test_full_signing_flow_keeps_both_signatures_valid(
    province: Province, nss_db: str, tmp_path: Path
) -> None:
    document = to_approval(province, compose_draft(province))
    document = outgoing_sign(actor=province.leader, document=document, delegation="KT.")
    assert document.status == OutgoingStatus.SIGNED
    assert document.delegation == "KT."
    assert document.signer_position == "Phó Chủ tịch"
    personal = verify_pdf(_bytes(document, VersionKind.PERSONAL_SIGNED))
    assert [s.verdict for s in personal.signatures] == [Verdict.VALID]
    assert personal.signatures[0].signer_name == "Lê Văn Dũng"

    # Registered (numbered and dated) on 5 February 2026 (NĐ 30, Điều 15.1: the day itself).
    # The seal comes later (today: the development certificates were issued yesterday).
    with time_machine.travel(dt.datetime(2026, 2, 5, 2, tzinfo=dt.UTC), tick=False):
        document = outgoing_transition(actor=province.clerk, document=document, action=A.REGISTER)
    document = outgoing_agency_seal(actor=province.clerk, document=document)
    assert document.status == OutgoingStatus.AGENCY_SIGNED
    assert (document.code_number, document.code_notation) == (1, "QĐ-UBND")
    final = _bytes(document, VersionKind.AGENCY_SIGNED)
    check_both_signatures(final, tmp_path, nss_db)
    # The filled fields are part of the page as printed (their appearance streams).
    printed = layout_text(final, tmp_path)
    assert "Số: 01 /QĐ-UBND Hạ Long, ngày 05 tháng 02 năm 2026" in printed, printed
    render_first_page(final, tmp_path)

    document = outgoing_issue(actor=province.clerk, document=document)
    assert document.status == OutgoingStatus.ISSUED
    incoming = IncomingDocument.objects.get(source_outgoing=document)
    assert incoming.agency == province.other
    mail = Message.objects.get(event="document_issued")
    assert mail.recipient == "vanthu@abc.example.vn"
    assert "01/QĐ-UBND" in mail.body


def test_batch_sign_reports_each_document(province: Province) -> None:
    first = to_approval(province, compose_draft(province, subject="Văn bản một"))
    second = to_approval(province, compose_draft(province, subject="Văn bản hai"))
    stale = to_approval(province, compose_draft(province, subject="Văn bản ba"))
    outcomes = outgoing_sign_many(
        actor=province.leader,
        documents=[(first, first.revision), (stale, stale.revision - 1), (second, None)],
        delegation="KT.",
    )
    assert [(o.document.subject, o.ok) for o in outcomes] == [
        ("Văn bản một", True),
        ("Văn bản ba", False),
        ("Văn bản hai", True),
    ]
    assert "vừa được người khác xử lý" in outcomes[1].message
    statuses = dict(
        OutgoingDocument.objects.filter(pk__in=[first.pk, second.pk, stale.pk]).values_list(
            "subject", "status"
        )
    )
    assert statuses == {
        "Văn bản một": OutgoingStatus.SIGNED,
        "Văn bản hai": OutgoingStatus.SIGNED,
        "Văn bản ba": OutgoingStatus.APPROVAL,
    }


def test_sign_with_another_delegation_than_printed_is_refused(province: Province) -> None:
    document = to_approval(province, compose_draft(province))
    with pytest.raises(TransitionRefused, match="thẩm quyền ký"):
        outgoing_sign(actor=province.leader, document=document, delegation="TM.")


def test_only_the_signer_signs(province: Province) -> None:
    document = to_approval(province, compose_draft(province))
    with pytest.raises(TransitionRefused):
        outgoing_sign(actor=province.vx_leader, document=document, delegation="KT.")
