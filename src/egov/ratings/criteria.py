"""The three-level scale used before the official indices (ratings with ``criteria_version``
"2026-1"): eight criteria taken from a provincial portal (shared/domain/one-stop-regulation.md
§1.7), each answered Rất hài lòng / Hài lòng / Không hài lòng. New ratings use the indices of
TT 01/2018/TT-VPCP Điều 13 (``indices.py``); these labels are kept so that the older ratings
stay readable."""

from __future__ import annotations

LEGACY_CRITERIA_VERSION = "2026-1"
LEVELS = {
    3: "Rất hài lòng",
    2: "Hài lòng",
    1: "Không hài lòng",
}
CRITERIA: list[tuple[str, str]] = [
    ("overall", "Đánh giá tổng thể dịch vụ"),
    ("convenience", "Mức độ thuận tiện khi sử dụng dịch vụ"),
    ("on_time", "Mức độ đúng hạn trong xử lý, trả kết quả"),
    ("attitude", "Thái độ của cán bộ, công chức, viên chức"),
    ("contacts", "Số lần phải liên hệ với nơi tiếp nhận để hoàn thiện hồ sơ"),
    ("agencies", "Số lượng cơ quan, đơn vị, tổ chức phải liên hệ"),
    ("transparency", "Mức độ công khai các thủ tục hành chính"),
    ("online", "Tiến độ và chất lượng cung cấp dịch vụ công trực tuyến"),
]
