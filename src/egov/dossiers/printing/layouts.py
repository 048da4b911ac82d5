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
