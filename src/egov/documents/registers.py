"""The registers of NĐ 30/2020/NĐ-CP, Phụ lục IV, as rows: sổ đăng ký văn bản đi, sổ đăng
ký văn bản đến and sổ theo dõi giải quyết văn bản đến, for one agency and a period, with the
columns of the Phụ lục exactly (Điều 16.2, 22.2: a register kept in the System is printed
and bound). ``register_export`` renders them as PDF and Excel."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from django.utils import timezone

from egov.documents.catalogue import Confidentiality, Urgency
from egov.documents.models import (
    AssignmentRole,
    AssignmentStatus,
    IncomingDocument,
    OutgoingDocument,
)
from egov.org.models import Unit
from egov.workdays.engine import VIETNAM_TZ


class RegisterKind(StrEnum):
    OUTGOING = "di"
    INCOMING = "den"
    TRACKING = "theo-doi"


TITLES = {
    RegisterKind.OUTGOING: "SỔ ĐĂNG KÝ VĂN BẢN ĐI",
    RegisterKind.INCOMING: "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN",
    RegisterKind.TRACKING: "SỔ THEO DÕI GIẢI QUYẾT VĂN BẢN ĐẾN",
}
# Phụ lục IV: the columns of each register, with their printed widths (mm, A4 landscape).
COLUMNS: dict[RegisterKind, list[tuple[str, int]]] = {
    RegisterKind.OUTGOING: [
        ("Số, ký hiệu văn bản", 28),
        ("Ngày tháng văn bản", 20),
        ("Tên loại và trích yếu nội dung văn bản", 62),
        ("Người ký", 26),
        ("Nơi nhận văn bản", 40),
        ("Đơn vị, người nhận bản lưu", 28),
        ("Số lượng bản", 13),
        ("Ngày chuyển", 20),
        ("Ký nhận", 17),
        ("Ghi chú", 23),
    ],
    RegisterKind.INCOMING: [
        ("Ngày đến", 19),
        ("Số đến", 13),
        ("Tác giả", 38),
        ("Số, ký hiệu", 27),
        ("Ngày tháng văn bản", 20),
        ("Tên loại và trích yếu nội dung", 62),
        ("Đơn vị hoặc người nhận", 36),
        ("Ngày chuyển", 20),
        ("Ký nhận", 17),
        ("Ghi chú", 25),
    ],
    RegisterKind.TRACKING: [
        ("Số đến", 14),
        ("Tên loại, số, ký hiệu, ngày tháng văn bản, cơ quan ban hành văn bản", 82),
        ("Đơn vị hoặc người nhận", 44),
        ("Thời hạn giải quyết", 24),
        ("Tiến độ giải quyết", 40),
        ("Số, ký hiệu văn bản trả lời", 32),
        ("Ghi chú", 41),
    ],
}


@dataclass(frozen=True)
class Register:
    kind: RegisterKind
    agency: Unit
    start: dt.date
    end: dt.date
    rows: list[list[str]]

    @property
    def title(self) -> str:
        return TITLES[self.kind]

    @property
    def columns(self) -> list[str]:
        return [name for name, _width in COLUMNS[self.kind]]

    @property
    def period(self) -> str:
        return f"Từ ngày {self.start:%d/%m/%Y} đến ngày {self.end:%d/%m/%Y}"


def _day(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.astimezone(VIETNAM_TZ).date()
    return f"{value:%d/%m/%Y}"


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    first = dt.datetime.combine(start, dt.time.min, tzinfo=VIETNAM_TZ)
    after = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=VIETNAM_TZ)
    return first, after


def _note(document: IncomingDocument | OutgoingDocument) -> str:
    marks = []
    if document.urgency != Urgency.NORMAL:
        marks.append(str(Urgency(document.urgency).label))
    if document.confidentiality != Confidentiality.NORMAL:
        marks.append(str(Confidentiality(document.confidentiality).label))
    if document.description:
        marks.append(document.description)
    return "; ".join(marks)


def _type_and_subject(type_name: str, subject: str) -> str:
    return f"{type_name}: {subject}" if type_name else subject


def outgoing_register(*, agency: Unit, start: dt.date, end: dt.date) -> Register:
    """Sổ đăng ký văn bản đi: documents numbered with a date in the period, by register and
    number."""
    documents = (
        OutgoingDocument.objects.filter(
            agency=agency, code_number__isnull=False, issued_date__range=(start, end)
        )
        .select_related("document_type", "drafting_unit", "unit_abbreviation")
        .prefetch_related("recipients")
        .order_by("year", "register", "code_number", "pk")
    )
    rows = []
    for document in documents:
        recipients = [r.name for r in document.recipients.all()]
        kept = ["VT"]
        if document.unit_abbreviation is not None:
            kept.append(document.unit_abbreviation.abbreviation)
        else:
            kept.append(document.drafting_unit.name)
        rows.append(
            [
                document.number_text,
                _day(document.issued_date),
                _type_and_subject(document.document_type.name, document.subject),
                document.signer_full_name,
                "; ".join(recipients),
                ", ".join(kept),
                str(document.issued_amount or len(recipients) or ""),
                _day(document.issued_at),
                "",
                _note(document),
            ]
        )
    return Register(RegisterKind.OUTGOING, agency, start, end, rows)


def _registered_incoming(agency: Unit, start: dt.date, end: dt.date) -> list[IncomingDocument]:
    first, after = _bounds(start, end)
    return list(
        IncomingDocument.objects.filter(
            agency=agency,
            arrival_number__isnull=False,
            registered_at__gte=first,
            registered_at__lt=after,
        )
        .select_related("reply")
        .prefetch_related("assignments__unit", "assignments__person")
        .order_by("arrival_year", "register", "arrival_number", "pk")
    )


def _receivers(document: IncomingDocument) -> str:
    names = []
    for assignment in sorted(
        document.assignments.all(), key=lambda a: (a.role != AssignmentRole.LEAD, a.pk)
    ):
        target = assignment.person.display_name if assignment.person else ""
        if assignment.unit is not None:
            target = f"{assignment.unit.name} ({target})" if target else assignment.unit.name
        names.append(f"{target} – {assignment.get_role_display()}")
    return "; ".join(names) or document.to_places


def _code(document: IncomingDocument) -> str:
    return f"{document.code_number}/{document.code_notation}" if document.code_number else ""


def incoming_register_rows(*, agency: Unit, start: dt.date, end: dt.date) -> Register:
    """Sổ đăng ký văn bản đến: documents registered in the period, by số đến."""
    rows = []
    for document in _registered_incoming(agency, start, end):
        assigned = [a.assigned_at for a in document.assignments.all()]
        rows.append(
            [
                _day(document.arrival_date),
                str(document.arrival_number),
                document.organ_name,
                _code(document),
                _day(document.issued_date),
                _type_and_subject(document.type_name, document.subject),
                _receivers(document),
                _day(min(assigned)) if assigned else "",
                "",
                _note(document),
            ]
        )
    return Register(RegisterKind.INCOMING, agency, start, end, rows)


def _progress(document: IncomingDocument, today: dt.date) -> str:
    assignments = list(document.assignments.all())
    if not assignments:
        return "Chưa phân phối"
    lead = next((a for a in assignments if a.role == AssignmentRole.LEAD), assignments[0])
    if lead.status == AssignmentStatus.DONE and lead.done_at is not None:
        return f"Hoàn thành ngày {_day(lead.done_at)}"
    due = lead.due_at.astimezone(VIETNAM_TZ).date() if lead.due_at else None
    label = str(lead.get_status_display())
    return f"{label}, quá hạn" if due is not None and due < today else label


def tracking_register(*, agency: Unit, start: dt.date, end: dt.date) -> Register:
    """Sổ theo dõi giải quyết văn bản đến: the same documents with their deadline, progress
    and reply (số, ký hiệu văn bản trả lời)."""
    today = timezone.localdate()
    rows = []
    for document in _registered_incoming(agency, start, end):
        leads = [a for a in document.assignments.all() if a.role == AssignmentRole.LEAD]
        due = document.due_date or (
            leads[0].due_at.astimezone(VIETNAM_TZ).date() if leads and leads[0].due_at else None
        )
        described = ", ".join(
            part
            for part in (
                document.type_name,
                f"số {_code(document)}" if _code(document) else "",
                f"ngày {_day(document.issued_date)}" if document.issued_date else "",
                document.organ_name,
            )
            if part
        )
        rows.append(
            [
                str(document.arrival_number),
                described,
                _receivers(document),
                _day(due),
                _progress(document, today),
                document.reply.number_text if document.reply else "",
                _note(document),
            ]
        )
    return Register(RegisterKind.TRACKING, agency, start, end, rows)


def register_for(kind: RegisterKind, *, agency: Unit, start: dt.date, end: dt.date) -> Register:
    builders = {
        RegisterKind.OUTGOING: outgoing_register,
        RegisterKind.INCOMING: incoming_register_rows,
        RegisterKind.TRACKING: tracking_register,
    }
    return builders[kind](agency=agency, start=start, end=end)
