"""Demo official documents for `make run`: outgoing documents of UBND tỉnh Quảng Ninh in every
step of their lifecycle (and an issued reply of Sở Tư pháp) and incoming documents of Sở Tư
pháp in every incoming state, all through the documents services, so the event rows are real.

Two parts:

- ``load_document_catalogues`` (cheap, part of ``load_demo`` and so of every test database):
  the national document types, the văn thư settings of the two demo agencies and their unit
  abbreviations.
- ``load_demo_documents`` (``load_demo --with-dossiers``, i.e. `make run`; tests call it
  explicitly): the documents themselves and an electronic sao y of the issued quyết định.
  Drafts are composed with the NĐ 30 composer and the signed ones are really signed with the
  development PKI (about 0.1 s a signature), which is why this part is not loaded into every
  test database.

Number and date: the leader signs before the văn thư numbers the document (NĐ 30/2020/NĐ-CP,
Điều 15.2), so the printed "Số:" and date line of the demo PDFs stay blank; the number lives in
the register and the metadata. Filling them into the PDF before the agency's signature belongs
to the documents pages' signing step and is not repeated here.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from egov.accounts.models import User
from egov.core.models import StoredFile
from egov.core.printing.official import (
    Delegation,
    DocumentKind,
    OfficialDocument,
    RenderedDocument,
    Signer,
    render,
)
from egov.core.printing.official import Urgency as PrintedUrgency
from egov.core.uploads import store_private
from egov.documents.actions import OutgoingAction
from egov.documents.catalogue import (
    AgencySettings,
    Confidentiality,
    DocumentType,
    UnitAbbreviation,
    Urgency,
)
from egov.documents.models import (
    Assignment,
    CopyForm,
    IncomingDocument,
    IncomingSource,
    OutgoingDocument,
    OutgoingStatus,
)
from egov.documents.notation import build_notation
from egov.documents.services.catalogue import document_types_load_national
from egov.documents.services.copies import make_copy
from egov.documents.services.incoming import (
    AssigneeInput,
    assignment_complete,
    assignment_start,
    incoming_distribute,
    incoming_link_reply,
    incoming_receive,
    incoming_register,
    incoming_return_to_sender,
)
from egov.documents.services.outgoing import RecipientInput, outgoing_create, outgoing_transition
from egov.documents.services.outgoing_signing import outgoing_agency_seal, outgoing_sign
from egov.org.models import Unit
from egov.signing.services import Box

PROVINCE = "qn.ubnd"
OFFICE = "qn.vp-ubnd"
DEPARTMENT = "qn.so-tu-phap"
PLACE = "Hạ Long"  # where UBND tỉnh Quảng Ninh sits (the date line's địa danh)


@dataclass(frozen=True)
class Desk:
    """Who does what for one issuing agency's outgoing documents, and its printed heading."""

    drafting_unit: str
    drafter: str
    reviewer: str  # the drafting unit's leader
    clerk: str  # the agency's văn thư
    signer: str
    issuer: str
    parent_agency: str
    printed_signer: Signer
    delegation: str
    position: str
    unit_abbreviation: str


DESKS = {
    PROVINCE: Desk(
        drafting_unit=OFFICE,
        drafter="tinh.chuyenvienvp",
        reviewer="tinh.chanhvanphong",
        clerk="tinh.vanthu",
        signer="tinh.lanhdaoubnd",
        issuer="ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH",
        parent_agency="",
        printed_signer=Signer(
            position="PHÓ CHỦ TỊCH",
            full_name="Nguyễn Văn Dũng",
            delegation=Delegation.DEPUTY,
            on_behalf_of="CHỦ TỊCH",
        ),
        delegation="KT.",
        position="Phó Chủ tịch",
        unit_abbreviation="VP",
    ),
    DEPARTMENT: Desk(
        drafting_unit=DEPARTMENT,
        drafter="tinh.chuyenvien",
        reviewer="tinh.lanhdaophong",
        clerk="tinh.vanthuso",
        signer="tinh.lanhdaophong",
        issuer="SỞ TƯ PHÁP",
        parent_agency="UBND TỈNH QUẢNG NINH",
        printed_signer=Signer(position="GIÁM ĐỐC", full_name="Phạm Văn Dũng"),
        delegation="",
        position="Giám đốc",
        unit_abbreviation="HCTP",
    ),
}
# The one issued demo document named in the README: the first quyết định of the year of UBND
# tỉnh, so its số/ký hiệu is "01/QĐ-UBND" in a fresh demo database.
# The demo's văn thư settings start with the two-level local government (Luật Tổ chức chính
# quyền địa phương 2025, from 01/07/2025), like the demo's 2025 units.
SETTINGS_FROM = dt.date(2025, 7, 1)
HEADLINE_SUBJECT = "Về việc công bố danh mục thủ tục hành chính được ký số kết quả điện tử"
# Sở Tư pháp's answer to Bộ Tư pháp, linked as the reply of a completed incoming document.
REPLY_SUBJECT = "V/v báo cáo kết quả triển khai Luật Giao dịch điện tử năm 2023"


@dataclass(frozen=True)
class OutgoingPlan:
    type_key: str
    kind: DocumentKind
    subject: str
    body: tuple[str, ...]
    target: str
    recipients: tuple[str, ...] = ()
    urgency: str = Urgency.NORMAL
    confidentiality: str = Confidentiality.NORMAL
    returned: str = ""  # comments of a return to the draft on the way
    agency: str = PROVINCE


OUTGOING: tuple[OutgoingPlan, ...] = (
    OutgoingPlan(
        "quyet-dinh",
        DocumentKind.QUYET_DINH,
        HEADLINE_SUBJECT,
        (
            "Công bố kèm theo Quyết định này danh mục thủ tục hành chính có kết quả điện tử "
            "được ký số bằng chứng thư số của cơ quan có thẩm quyền.",
            "Quyết định này có hiệu lực kể từ ngày ký.",
        ),
        OutgoingStatus.ISSUED,
        recipients=(DEPARTMENT,),
    ),
    OutgoingPlan(
        "cong-van",
        DocumentKind.CONG_VAN,
        "V/v báo cáo tình hình ứng dụng chữ ký số năm 2026",
        ("Đề nghị các sở, ban, ngành báo cáo tình hình ứng dụng chữ ký số trong năm 2026.",),
        OutgoingStatus.DRAFT,
    ),
    OutgoingPlan(
        "giay-moi",
        DocumentKind.GIAY_MOI,
        "Mời dự Hội nghị tập huấn ký số văn bản điện tử",
        ("Trân trọng kính mời đại diện lãnh đạo các sở, ngành dự hội nghị tập huấn.",),
        OutgoingStatus.DRAFT,
        returned="Bổ sung thời gian, địa điểm và thành phần dự hội nghị.",
    ),
    OutgoingPlan(
        "ke-hoach",
        DocumentKind.KE_HOACH,
        "Chuyển đổi số trong cơ quan hành chính nhà nước năm 2027",
        ("Kế hoạch triển khai quản lý văn bản và hồ sơ công việc trên môi trường điện tử.",),
        OutgoingStatus.UNIT_REVIEW,
    ),
    OutgoingPlan(
        "thong-bao",
        DocumentKind.THONG_BAO,
        "Lịch tiếp công dân định kỳ của lãnh đạo UBND tỉnh tháng 12",
        ("Lãnh đạo UBND tỉnh tiếp công dân định kỳ vào ngày 15 hằng tháng.",),
        OutgoingStatus.FORMAT_CHECK,
    ),
    OutgoingPlan(
        "to-trinh",
        DocumentKind.TO_TRINH,
        "Đề nghị phê duyệt danh mục dịch vụ công trực tuyến toàn trình",
        ("UBND tỉnh kính trình danh mục dịch vụ công trực tuyến toàn trình năm 2027.",),
        OutgoingStatus.APPROVAL,
    ),
    OutgoingPlan(
        "bao-cao",
        DocumentKind.BAO_CAO,
        "Kết quả cải cách hành chính quý IV năm 2026",
        ("Tỷ lệ hồ sơ giải quyết đúng hạn đạt 98,5%; 100% kết quả điện tử được ký số.",),
        OutgoingStatus.SIGNED,
    ),
    OutgoingPlan(
        "cong-van",
        DocumentKind.CONG_VAN,
        "V/v đôn đốc số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
        ("Đề nghị các đơn vị hoàn thành số hóa kết quả giải quyết thủ tục hành chính.",),
        OutgoingStatus.REGISTERED,
    ),
    OutgoingPlan(
        "quyet-dinh",
        DocumentKind.QUYET_DINH,
        "Về việc thành lập Tổ công tác triển khai chữ ký số chuyên dùng",
        ("Thành lập Tổ công tác triển khai chữ ký số chuyên dùng của tỉnh.",),
        OutgoingStatus.AGENCY_SIGNED,
        recipients=(DEPARTMENT,),
    ),
    OutgoingPlan(
        "cong-van",
        DocumentKind.CONG_VAN,
        REPLY_SUBJECT,
        ("Sở Tư pháp báo cáo kết quả triển khai Luật Giao dịch điện tử năm 2023 tại tỉnh.",),
        OutgoingStatus.ISSUED,
        agency=DEPARTMENT,
    ),
    OutgoingPlan(
        "quyet-dinh",
        DocumentKind.QUYET_DINH,
        "Về việc phê duyệt phương án bảo vệ bí mật nhà nước năm 2027",
        (),
        OutgoingStatus.REGISTERED,
        confidentiality=Confidentiality.SECRET,
    ),
)

# The actions that bring a draft to each status, in order.
_PATH = [
    (OutgoingStatus.UNIT_REVIEW, OutgoingAction.SUBMIT),
    (OutgoingStatus.FORMAT_CHECK, OutgoingAction.APPROVE_CONTENT),
    (OutgoingStatus.APPROVAL, OutgoingAction.APPROVE_FORMAT),
    (OutgoingStatus.SIGNED, OutgoingAction.SIGN),
    (OutgoingStatus.REGISTERED, OutgoingAction.REGISTER),
    (OutgoingStatus.AGENCY_SIGNED, OutgoingAction.AGENCY_SIGN),
    (OutgoingStatus.ISSUED, OutgoingAction.ISSUE),
]


def _actor(desk: Desk, action: str) -> str:
    if action == OutgoingAction.SUBMIT:
        return desk.drafter
    if action == OutgoingAction.APPROVE_CONTENT:
        return desk.reviewer
    if action == OutgoingAction.SIGN:
        return desk.signer
    return desk.clerk  # format check, number, agency signature, issue


def _unit(key: str) -> Unit:
    return Unit.objects.get(key=key)


@transaction.atomic
def load_document_catalogues() -> None:
    """National document types (they come back after a test flushes them), the văn thư
    settings of UBND tỉnh ("UBND") and Sở Tư pháp ("STP"), and unit abbreviations for công
    văn ("UBND-VP", "STP-HCTP"). Idempotent."""
    document_types_load_national(actor=None)
    province, department = _unit(PROVINCE), _unit(DEPARTMENT)
    for agency, abbreviation in ((province, "UBND"), (department, "STP")):
        if not AgencySettings.objects.filter(agency=agency).exists():
            AgencySettings.objects.create(
                agency=agency, abbreviation=abbreviation, place_name=PLACE, valid_from=SETTINGS_FROM
            )
    abbreviations = (
        (province, _unit(OFFICE), "Văn phòng UBND tỉnh", "VP"),
        (department, None, "Hành chính tư pháp", "HCTP"),
    )
    for agency, unit, name, abbreviation in abbreviations:
        if not UnitAbbreviation.objects.filter(agency=agency, abbreviation=abbreviation).exists():
            UnitAbbreviation.objects.create(
                agency=agency,
                unit=unit,
                name=name,
                abbreviation=abbreviation,
                valid_from=SETTINGS_FROM,
            )


def demo_documents_present() -> bool:
    return OutgoingDocument.objects.filter(
        agency__key=PROVINCE, subject=HEADLINE_SUBJECT, status=OutgoingStatus.ISSUED
    ).exists()


def _box(rendered: RenderedDocument) -> Box:
    box = rendered.personal_signature  # pages from 0 in the composer, from 1 in signing
    return Box(page=box.page + 1, x=box.x, y=box.y, width=box.w, height=box.h)


def _layout(rendered: RenderedDocument, desk: Desk) -> dict[str, object]:
    """What outgoing_compose records with a composed draft: ô 7c, the printed delegation."""
    box = _box(rendered)
    return {
        "personal": [box.page, box.x, box.y, box.width, box.height],
        "delegation": desk.delegation,
        "position": desk.position,
    }


def _store(pdf: bytes, name: str, user: User) -> StoredFile:
    return store_private(io.BytesIO(pdf), original_name=name, prefix="documents", uploaded_by=user)


def _compose(plan: OutgoingPlan, desk: Desk, symbol: str) -> RenderedDocument:
    quyet_dinh = plan.kind == DocumentKind.QUYET_DINH
    return render(
        OfficialDocument(
            kind=plan.kind,
            issuer=desk.issuer,
            parent_agency=desk.parent_agency,
            symbol=symbol,
            place=PLACE,
            summary=plan.subject,
            signer=desk.printed_signer,
            body=() if quyet_dinh else plan.body,
            authority="CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH" if quyet_dinh else "",
            grounds=(
                (
                    "Căn cứ Luật Tổ chức chính quyền địa phương năm 2025;",
                    "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ "
                    "về công tác văn thư;",
                    "Theo đề nghị của Chánh Văn phòng UBND tỉnh.",
                )
                if quyet_dinh
                else ()
            ),
            articles=(
                *plan.body,
                "Chánh Văn phòng UBND tỉnh, Giám đốc Sở Tư pháp chịu trách "
                "nhiệm thi hành Quyết định này.",
            )
            if quyet_dinh
            else (),
            addressees=("Các sở, ban, ngành tỉnh",) if plan.kind == DocumentKind.CONG_VAN else (),
            recipients=("Như trên;", "Chủ tịch, các PCT UBND tỉnh;"),
            archive_units=desk.unit_abbreviation,
            urgency=PrintedUrgency.URGENT if plan.urgency == Urgency.URGENT else None,
        )
    )


def _outgoing(plan: OutgoingPlan, users: dict[str, User]) -> OutgoingDocument:
    agency, desk = _unit(plan.agency), DESKS[plan.agency]
    drafter = users[desk.drafter]
    document_type = DocumentType.objects.get(agency=None, key=plan.type_key)
    abbreviation = (
        UnitAbbreviation.objects.get(agency=agency, abbreviation=desk.unit_abbreviation)
        if not document_type.abbreviation
        else None
    )
    settings_row = AgencySettings.objects.get(agency=agency)
    symbol = build_notation(
        type_abbreviation=document_type.abbreviation,
        issuer=settings_row.abbreviation,
        unit=abbreviation.abbreviation if abbreviation else "",
    )
    secret = plan.confidentiality != Confidentiality.NORMAL
    rendered = None if secret else _compose(plan, desk, symbol)
    document = outgoing_create(
        actor=drafter,
        agency=agency,
        drafting_unit=_unit(desk.drafting_unit),
        document_type=document_type,
        subject=plan.subject,
        urgency=plan.urgency,
        confidentiality=plan.confidentiality,
        signer=users[desk.signer],
        unit_abbreviation=abbreviation,
        page_amount=rendered.page_count if rendered else 1,
        file=_store(rendered.pdf, "du-thao.pdf", drafter) if rendered else None,
        layout=_layout(rendered, desk) if rendered else None,
        recipients=[RecipientInput(unit=_unit(key)) for key in plan.recipients]
        or [RecipientInput(name="Bộ Tư pháp", email="vanthu@moj.example.gov.vn")],
    )
    if plan.returned:
        document = outgoing_transition(
            actor=drafter, document=document, action=OutgoingAction.SUBMIT
        )
        document = outgoing_transition(
            actor=users[desk.reviewer],
            document=document,
            action=OutgoingAction.RETURN,
            reason=plan.returned,
        )
    for status, action in _PATH:
        if document.status == plan.target:
            break
        actor = users[_actor(desk, action)]
        # The signing steps go through the same services as the pages: the signer's own
        # development certificate (personal_signer_for), the number and date written into the
        # signed PDF's fields, then the agency's seal.
        if action == OutgoingAction.SIGN:
            document = outgoing_sign(actor=actor, document=document, signer_position=desk.position)
        elif action == OutgoingAction.AGENCY_SIGN:
            document = outgoing_agency_seal(actor=actor, document=document)
        else:
            document = outgoing_transition(actor=actor, document=document, action=action)
        assert document.status == status
    return document


def _incoming(users: dict[str, User], reply: OutgoingDocument, now: dt.datetime) -> None:
    department = _unit(DEPARTMENT)
    clerk, leader = users["tinh.vanthuso"], users["tinh.lanhdaophong"]
    year = timezone.localdate().year

    def receive(
        subject: str,
        number: str,
        *,
        notation: str = "BTP-HCTP",
        urgency: str = Urgency.NORMAL,
        confidentiality: str = Confidentiality.NORMAL,
    ) -> IncomingDocument:
        return incoming_receive(
            actor=clerk,
            agency=department,
            source=IncomingSource.PAPER,
            organ_name="Bộ Tư pháp",
            organ_id="000.00.00.G12",
            code_number=number,
            code_notation=notation,
            issued_date=timezone.localdate() - dt.timedelta(days=3),
            document_type=DocumentType.objects.get(agency=None, key="cong-van"),
            signer_position="Thứ trưởng",
            signer_full_name="Trần Văn Bình",
            subject=subject,
            urgency=urgency,
            confidentiality=confidentiality,
        )

    # received (the issued quyết định reaches Sở Tư pháp by itself) and returned
    misaddressed = receive("V/v góp ý dự thảo quy chế phối hợp của tỉnh Hải Dương", "1203")
    incoming_return_to_sender(
        actor=clerk, document=misaddressed, reason="Gửi nhầm địa chỉ: không phải Sở Tư pháp."
    )
    # registered, waiting for the leader
    incoming_register(
        actor=clerk,
        document=receive("V/v hướng dẫn chứng thực bản sao điện tử từ bản chính", "1187"),
    )
    # registered, secret: metadata only
    incoming_register(
        actor=clerk,
        document=receive(
            "Về công tác bảo vệ bí mật nhà nước trong lĩnh vực tư pháp",
            "45",
            notation="BTP-VP",
            confidentiality=Confidentiality.SECRET,
        ),
    )
    # distributed: overdue, due soon, and urgent ("hỏa tốc")
    plans = [
        ("V/v báo cáo công tác hộ tịch năm " + str(year), "1150", Urgency.NORMAL, "overdue"),
        ("V/v rà soát văn bản quy phạm pháp luật của tỉnh", "1166", Urgency.NORMAL, "soon"),
        ("V/v cung cấp số liệu phục vụ họp Chính phủ", "1199", Urgency.FLASH, "urgent"),
    ]
    for subject, number, urgency, kind in plans:
        document = incoming_register(
            actor=clerk, document=receive(subject, number, urgency=urgency)
        )
        rows = incoming_distribute(
            actor=leader,
            document=document,
            lead=AssigneeInput(
                person=users["tinh.chuyenvien"],
                instructions="Đồng chí Chi chủ trì, tham mưu văn bản trả lời.",
                working_days=1 if kind == "urgent" else 5,
            ),
            cooperating=[AssigneeInput(person=users["tinh.chuyenvien2"], working_days=5)],
        )
        if kind == "urgent":
            assignment_start(actor=users["tinh.chuyenvien"], assignment=rows[0])
        # Demo data only: set the lead's deadline so the inbox shows one overdue document and
        # two due within the day (the "hỏa tốc" one in hours), whatever day `make run` starts.
        due = {
            "overdue": now - dt.timedelta(days=2),
            "soon": now + dt.timedelta(hours=20),
            "urgent": now + dt.timedelta(hours=4),
        }[kind]
        Assignment.objects.filter(pk=rows[0].pk).update(due_at=due)
        IncomingDocument.objects.filter(pk=document.pk).update(due_date=timezone.localdate(due))
    # completed, with Sở Tư pháp's issued công văn linked as its reply
    request = incoming_register(
        actor=clerk,
        document=receive("V/v báo cáo kết quả triển khai Luật Giao dịch điện tử năm 2023", "1102"),
    )
    (lead,) = incoming_distribute(
        actor=leader,
        document=request,
        lead=AssigneeInput(
            person=users["tinh.chuyenvien2"],
            instructions="Đồng chí Xuân tham mưu báo cáo trả lời Bộ Tư pháp.",
            working_days=5,
        ),
    )
    handler = users["tinh.chuyenvien2"]
    assignment_start(actor=handler, assignment=lead)
    assignment_complete(actor=handler, assignment=lead, note="Đã có văn bản trả lời.")
    request.refresh_from_db()  # the assignment steps moved its revision on
    incoming_link_reply(actor=handler, document=request, reply=reply)


def load_demo_documents() -> str:
    """Create the demo documents once (a second call changes nothing); the số/ký hiệu of the
    issued quyết định to try at /xac-thuc-van-ban/."""
    with transaction.atomic():
        if not demo_documents_present():
            _load()
    headline = OutgoingDocument.objects.get(
        agency__key=PROVINCE, subject=HEADLINE_SUBJECT, status=OutgoingStatus.ISSUED
    )
    return headline.number_text


def _load() -> None:
    load_document_catalogues()
    users = {user.username: user for user in User.objects.filter(username__startswith="tinh.")}
    documents = [_outgoing(plan, users) for plan in OUTGOING]
    reply = next(d for d in documents if d.subject == REPLY_SUBJECT)
    _incoming(users, reply, timezone.now())
    # An electronic sao y of the issued quyết định by the province's văn thư (NĐ 30/2020,
    # Điều 25): its own number 01/SY-UBND, the agency's text stamp over both signatures.
    headline = next(d for d in documents if d.subject == HEADLINE_SUBJECT)
    make_copy(
        actor=users["tinh.vanthu"],
        outgoing=headline,
        form=CopyForm.SAO_Y,
        purpose="Gửi các sở, ngành để triển khai",
        recipients="Các sở, ban, ngành tỉnh",
    )
