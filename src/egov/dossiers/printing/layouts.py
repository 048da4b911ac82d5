"""Printable form layouts as versioned data.

The labels of Mẫu 01–06 come from TT 01/2018/TT-VPCP (Phụ lục; the annex itself was not
retrieved: the wording follows implementations of it, legal audit 2026-12 §3). TT 03/2025/TT-VPCP
is reported to renumber them (04 renamed "Văn bản xin lỗi và đề nghị gia hạn…", a new 05
"Thông báo dừng giải quyết hồ sơ", the control sheet 06, the book 07) [one secondary source,
chưa đối chiếu]; its day of effect is not known either. So each layout has a validity start,
a dossier prints with the layout in force when it was received, and the TT 03/2025 rows apply
only from the day the province sets (EGOV_FORMS_TT03_2025_FROM), marked "chưa đối chiếu" on
the form until the text is checked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from django.conf import settings

UNCONFIRMED = "chưa đối chiếu"


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
    # "Vào Sổ theo dõi hồ sơ, Quyển số … Số thứ tự …": the receiving unit's book of the year.
    book: str
    applicant_signature: str
    receiver_signature: str
    sign_hint: str
    notes_title: str
    copies_note: str
    post_note: str
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
        book="Vào Sổ theo dõi hồ sơ, Quyển số: {book} Số thứ tự: {sequence}",
        applicant_signature="NGƯỜI NỘP HỒ SƠ",
        receiver_signature="NGƯỜI TIẾP NHẬN HỒ SƠ",
        sign_hint="(Ký và ghi rõ họ tên)",
        notes_title="Ghi chú:",
        copies_note=(
            "- Giấy tiếp nhận và hẹn trả kết quả được lập thành 02 liên; một liên chuyển kèm "
            "theo Phiếu kiểm soát quá trình giải quyết hồ sơ và được lưu tại Bộ phận tiếp nhận "
            "và trả kết quả; một liên giao cho cá nhân, tổ chức nộp hồ sơ;"
        ),
        post_note=(
            "- Cá nhân, tổ chức có thể đăng ký nhận kết quả tại Bộ phận tiếp nhận và trả kết "
            "quả hoặc tại nhà (trụ sở tổ chức) qua dịch vụ bưu chính."
        ),
        lookup_hint="Quét mã QR hoặc tra cứu mã hồ sơ tại {url}",
    )
]

_TT03 = "TT 03/2025/TT-VPCP"


def tt03_2025_from() -> dt.date | None:
    """The day the province applies the TT 03/2025/TT-VPCP numbering from (None: never)."""
    value: dt.date | None = settings.EGOV_FORMS_TT03_2025_FROM
    return value


def _receipt_layouts() -> list[ReceiptLayout]:
    start = tt03_2025_from()
    if start is None:
        return list(RECEIPT_LAYOUTS)
    # Mẫu 01 keeps its number; its TT 03/2025 wording is not known: the same labels.
    tt03 = replace(
        RECEIPT_LAYOUTS[0],
        key="tt03-2025-mau-01",
        valid_from=start,
        legal_basis=f"Mẫu số 01, {_TT03} ({UNCONFIRMED})",
    )
    return [*RECEIPT_LAYOUTS, tt03]


def receipt_layout(received_on: dt.date) -> ReceiptLayout:
    layouts = _receipt_layouts()
    in_force = [layout for layout in layouts if layout.valid_from <= received_on]
    return max(in_force, key=lambda layout: layout.valid_from) if in_force else layouts[0]


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
    # False while the row rests on a secondary source: the reference says "chưa đối chiếu".
    confirmed: bool = True

    @property
    def reference(self) -> str:
        mark = "" if self.confirmed else f" ({UNCONFIRMED})"
        return f"{self.form_number}, {self.legal_basis}{mark}"


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
]

# TT 03/2025/TT-VPCP as reported (legal audit 2026-12 §0.1, one secondary source): the apology
# becomes a request for more time, a new Mẫu 05 "Thông báo dừng giải quyết hồ sơ" (not printed
# here yet) pushes the control sheet to 06 and the book to 07. Applied from
# EGOV_FORMS_TT03_2025_FROM only; the day below is a placeholder replaced by that setting.
TT03_2025_HEADINGS = [
    FormHeading("02", _TT01, "Mẫu số 02", _TT03, "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", False),
    FormHeading("03", _TT01, "Mẫu số 03", _TT03, "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", False),
    FormHeading(
        "04",
        _TT01,
        "Mẫu số 04",
        _TT03,
        "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
        False,
    ),
    FormHeading(
        "05", _TT01, "Mẫu số 06", _TT03, "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", False
    ),
    FormHeading("06", _TT01, "Mẫu số 07", _TT03, "SỔ THEO DÕI HỒ SƠ", False),
]


def _headings() -> list[FormHeading]:
    start = tt03_2025_from()
    if start is None:
        return list(FORM_HEADINGS)
    return [*FORM_HEADINGS, *(replace(h, valid_from=start) for h in TT03_2025_HEADINGS)]


def form_heading(form: str, on: dt.date) -> FormHeading:
    """The heading of ``form`` in force on ``on`` (the earliest one before any in force)."""
    rows = sorted((h for h in _headings() if h.form == form), key=lambda h: h.valid_from)
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
