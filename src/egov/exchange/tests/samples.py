"""Messages of the golden files: every element filled, Vietnamese text with diacritics."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from pathlib import Path

from egov.exchange.codes import BusinessDocType, Priority, StatusKind, SteeringType
from egov.exchange.edxml import (
    Attachment,
    Business,
    Code,
    DocumentMessage,
    DocumentType,
    MessageHeader,
    Organ,
    OtherInfo,
    PromulgationInfo,
    ResponseFor,
    SignerInfo,
    StaffInfo,
    TraceHeader,
)
from egov.exchange.status import StatusMessage
from egov.exchange.wire import VIETNAM_TZ

GOLDEN = Path(__file__).resolve().parent / "golden"
SUBJECT = "Về việc triển khai Kế hoạch chuyển đổi số năm 2027 — “ưu tiên” hồ sơ đất đai & xây dựng"

QUANG_NINH = Organ(
    organ_id="000.00.00.H49",
    organ_name="Ủy ban nhân dân tỉnh Quảng Ninh",
    organization_in_charge="Ủy ban nhân dân tỉnh Quảng Ninh",
    organ_add="Số 1 đường Hồng Hà, phường Hồng Hà, tỉnh Quảng Ninh",
    email="vanthu@quangninh.gov.vn",
    telephone="0203 3835 555",
    fax="0203 3835 556",
    website="quangninh.gov.vn",
)
VPCP = Organ(organ_id="000.00.00.G22", organ_name="Văn phòng Chính phủ")
BNV = Organ(organ_id="000.00.00.G12", organ_name="Bộ Nội vụ", email="vanthu@moha.gov.vn")
DOCUMENT_ID = "000.00.00.H49,2026/11/30,05/KH-UBND"
EARLIER_ID = "000.00.00.H49,2026/11/02,01/KH-UBND"
CLERK = StaffInfo(
    department="Văn thư Văn phòng UBND tỉnh",
    staff="Trần Thu Hà",
    email="ha.tt@quangninh.gov.vn",
    mobile="0912000001",
)
PDF = b"%PDF-1.7\n% K\xe1\xba\xbf ho\xe1\xba\xa1ch\n" + bytes(range(256)) + b"\n%%EOF\n"


def document_message(doc_type: BusinessDocType = BusinessDocType.NEW) -> DocumentMessage:
    business = Business(document_id=DOCUMENT_ID, staff=CLERK)
    if doc_type is BusinessDocType.RECALL:
        business = Business(
            document_id=EARLIER_ID,
            doc_type=doc_type,
            reason="Thu hồi do sai sót về nội dung",
            staff=CLERK,
        )
    elif doc_type is BusinessDocType.UPDATE:
        business = Business(
            document_id=EARLIER_ID,
            doc_type=doc_type,
            reason="Cập nhật phụ lục kèm theo",
            staff=CLERK,
        )
    elif doc_type is BusinessDocType.REPLACE:
        business = Business(
            document_id=DOCUMENT_ID,
            doc_type=doc_type,
            reason="Thay thế Kế hoạch số 01/KH-UBND",
            paper=True,
            staff=CLERK,
            replaced_document_ids=(EARLIER_ID,),
        )
    return DocumentMessage(
        header=MessageHeader(
            from_organ=QUANG_NINH,
            to_organs=(VPCP, BNV),
            document_id=DOCUMENT_ID,
            code=Code(number="05", notation="KH-UBND"),
            promulgation=PromulgationInfo(place="Quảng Ninh", date=dt.date(2026, 11, 30)),
            document_type=DocumentType(type_code="1", type_name="Kế hoạch", type_detail="ke-hoach"),
            subject=SUBJECT,
            content="Triển khai các nhiệm vụ trọng tâm; báo cáo trước ngày 15/01/2027.",
            signer=SignerInfo(
                competence="KT. CHỦ TỊCH", position="PHÓ CHỦ TỊCH", full_name="Nguyễn Văn Dũng"
            ),
            due_date=dt.date(2027, 1, 15),
            other_info=OtherInfo(
                priority=Priority.URGENT,
                sphere_of_promulgation="Liên thông văn bản quốc gia",
                typer_notation="THA",
                promulgation_amount=12,
                page_amount=3,
                direction=True,
                appendixes=("Phụ lục I: Danh mục nhiệm vụ", "Phụ lục II: Phân công"),
            ),
            steering_type=SteeringType.STEERING,
            to_places=("Như trên;", "Các sở, ban, ngành;", "Lưu: VT, VX."),
            response_for=(
                ResponseFor(
                    organ_id="000.00.00.G22",
                    code="7816/VPCP-KSTT",
                    promulgation_date=dt.date(2026, 10, 20),
                    document_id="000.00.00.G22,2026/10/20,7816/VPCP-KSTT",
                ),
            ),
        ),
        traces=(
            TraceHeader(
                organ_id="000.00.00.H49",
                timestamp=dt.datetime(2026, 11, 30, 16, 5, 9, tzinfo=VIETNAM_TZ),
            ),
        ),
        business=business,
        attachments=(
            Attachment(
                content_id="cid:1",
                name="05-KH-UBND.pdf",
                content_type="application/pdf",
                content=PDF,
                description="Kế hoạch đã ký số",
            ),
            Attachment(
                content_id="cid:2",
                name="Phụ lục danh mục.xlsx",
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                content=b"PK\x03\x04 bang tinh",
            ),
        ),
    )


def status_message(kind: StatusKind) -> StatusMessage:
    reasons = {
        StatusKind.REJECTED: "Gửi nhầm cơ quan nhận",
        StatusKind.RECALL_REFUSED: "Văn bản đã được phân công xử lý",
    }
    return StatusMessage(
        response_for=ResponseFor(
            organ_id="000.00.00.H49",
            code="05/KH-UBND",
            promulgation_date=dt.date(2026, 11, 30),
            document_id=DOCUMENT_ID,
        ),
        from_organ=BNV,
        to_organ=dataclasses.replace(QUANG_NINH, organization_in_charge=""),
        status=kind,
        timestamp=dt.datetime(2026, 12, 1, 8, 30, 0, tzinfo=VIETNAM_TZ),
        staff=StaffInfo(department="Văn phòng Bộ", staff="Lê Văn Tâm"),
        description=reasons.get(kind, ""),
    )


def check_golden(name: str, data: bytes) -> bytes:
    """The golden file's bytes; ``EGOV_UPDATE_GOLDEN=1`` writes ``data`` there first."""
    path = GOLDEN / name
    if os.environ.get("EGOV_UPDATE_GOLDEN") == "1":
        path.write_bytes(data)
    return path.read_bytes()
