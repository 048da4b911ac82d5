"""Printable form layouts as versioned data.

The labels of Mẫu 01–06 come from TT 01/2018/TT-VPCP (Phụ lục); TT 03/2025/TT-VPCP is reported
to renumber and change them [unconfirmed], so each layout has a validity start and a dossier
prints with the layout in force when it was received.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class ReceiptLayout:
    key: str
    valid_from: dt.date
    legal_basis: str
    form_number: str
    title: str
    received_from: str
    address: str
    phone: str
    email: str
    request: str
    components: str
    sets: str
    legal_time: str
    received_at: str
    due_at: str
    delivery: str
    fee: str
    applicant_signature: str
    receiver_signature: str
    sign_hint: str
    copies_note: str
    lookup_hint: str


RECEIPT_LAYOUTS = [
    ReceiptLayout(
        key="tt01-2018-mau-01",
        valid_from=dt.date(2019, 1, 6),  # TT 01/2018/TT-VPCP took effect 06/01/2019
        legal_basis="Mẫu số 01, TT 01/2018/TT-VPCP",
        form_number="Mẫu số 01",
        title="GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        received_from="{unit} tiếp nhận hồ sơ của:",
        address="Địa chỉ",
        phone="Số điện thoại",
        email="Thư điện tử",
        request="Nội dung yêu cầu giải quyết",
        components="1. Thành phần hồ sơ nộp gồm:",
        sets="2. Số lượng hồ sơ: {sets} (bộ)",
        legal_time="3. Thời gian giải quyết hồ sơ theo quy định: {rule}",
        received_at="4. Thời gian nhận hồ sơ: {moment}",
        due_at="5. Thời gian trả kết quả giải quyết hồ sơ: {moment}",
        delivery="6. Đăng ký nhận kết quả tại: {delivery}",
        fee="Phí, lệ phí (dự tính): {fee}",
        applicant_signature="NGƯỜI NỘP HỒ SƠ",
        receiver_signature="NGƯỜI TIẾP NHẬN HỒ SƠ",
        sign_hint="(Ký và ghi rõ họ tên)",
        copies_note=(
            "Giấy tiếp nhận được lập thành 02 liên: 01 liên giao người nộp, "
            "01 liên chuyển kèm Phiếu kiểm soát."
        ),
        lookup_hint="Quét mã QR hoặc tra cứu mã hồ sơ tại {url}",
    )
]


def receipt_layout(received_on: dt.date) -> ReceiptLayout:
    in_force = [layout for layout in RECEIPT_LAYOUTS if layout.valid_from <= received_on]
    return max(in_force, key=lambda layout: layout.valid_from) if in_force else RECEIPT_LAYOUTS[0]


@dataclass(frozen=True)
class FormHeading:
    """The heading of one printed form as in force from ``valid_from``: its number in the
    circular's appendix, the circular, and the title. A new circular adds a row; dossiers
    received before it keep printing with the heading of their day."""

    form: str  # our stable key: "02" … "06" as numbered by TT 01/2018/TT-VPCP
    valid_from: dt.date
    form_number: str
    legal_basis: str
    title: str

    @property
    def reference(self) -> str:
        return f"{self.form_number}, {self.legal_basis}"


_TT01 = dt.date(2019, 1, 6)  # TT 01/2018/TT-VPCP took effect 06/01/2019
FORM_HEADINGS = [
    FormHeading(
        "02", _TT01, "Mẫu số 02", "TT 01/2018/TT-VPCP", "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"
    ),
    FormHeading(
        "03", _TT01, "Mẫu số 03", "TT 01/2018/TT-VPCP", "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ"
    ),
    FormHeading(
        "04", _TT01, "Mẫu số 04", "TT 01/2018/TT-VPCP", "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"
    ),
    FormHeading(
        "05",
        _TT01,
        "Mẫu số 05",
        "TT 01/2018/TT-VPCP",
        "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
    ),
    FormHeading("06", _TT01, "Mẫu số 06", "TT 01/2018/TT-VPCP", "SỔ THEO DÕI HỒ SƠ"),
    # TT 03/2025/TT-VPCP is reported to renumber these (04 → 05 "Thông báo dừng…" added,
    # control sheet 06, book 07) [unconfirmed]: add its rows here once the text is checked.
]


def form_heading(form: str, on: dt.date) -> FormHeading:
    """The heading of ``form`` in force on ``on`` (the earliest one before any in force)."""
    rows = sorted((h for h in FORM_HEADINGS if h.form == form), key=lambda h: h.valid_from)
    if not rows:
        raise KeyError(form)
    in_force = [h for h in rows if h.valid_from <= on]
    return in_force[-1] if in_force else rows[0]


def received_on(dossier: object) -> dt.date:
    """The day (Việt Nam time) a dossier was received: its forms use the layouts of that day."""
    from django.utils import timezone

    from egov.workdays.engine import VIETNAM_TZ

    moment = getattr(dossier, "received_at", None) or timezone.now()
    return moment.astimezone(VIETNAM_TZ).date()
