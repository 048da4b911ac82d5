"""Every error code the API answers with, its HTTP status, and whether sending the same request
again may succeed (``retryable``). Published at ``GET /api/v1/errors`` and in
docs/api-conventions.md; a test checks that every code raised in the code base is listed here.

Retryable means: the same request, unchanged, may succeed later (after ``Retry-After`` for
429; after a while for 500). A 409 ``revision_conflict`` is not retryable as it is: read the
object again and decide again with its new ``revision``."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ErrorCode:
    status: int
    retryable: bool
    description: str | Promise


def _c(status: int, description: str | Promise, *, retryable: bool = False) -> ErrorCode:
    return ErrorCode(status, retryable, description)


ERROR_CODES: dict[str, ErrorCode] = {
    # Any operation: the envelope (core.middleware.ApiErrorEnvelopeMiddleware, api.errors).
    "bad_request": _c(400, _("Yêu cầu không đọc được.")),
    "unauthenticated": _c(401, _("Thiếu khóa API hoặc khóa không hợp lệ, đã thu hồi.")),
    "forbidden": _c(403, _("Vai trò của tài khoản không cho phép thao tác này.")),
    "insufficient_scope": _c(403, _("Khóa API không có phạm vi quyền cần cho thao tác.")),
    "not_found": _c(404, _("Không có địa chỉ hoặc đối tượng này.")),
    "method_not_allowed": _c(405, _("Địa chỉ không nhận phương thức này (xem header Allow).")),
    "length_required": _c(
        411, _("Thiếu độ dài nội dung (Content-Length); không nhận nội dung gửi từng khúc.")
    ),
    "payload_too_large": _c(413, _("Nội dung gửi lên quá lớn.")),
    "invalid_input": _c(
        422,
        _("Dữ liệu gửi lên không hợp lệ; details nêu từng trường (field) và mã lỗi (code)."),
    ),
    "rate_limited": _c(429, _("Quá nhiều yêu cầu; gửi lại sau Retry-After giây."), retryable=True),
    "server_error": _c(500, _("Lỗi hệ thống; yêu cầu chưa được thực hiện."), retryable=True),
    # Writes.
    "revision_conflict": _c(
        409, _("Đối tượng vừa thay đổi (revision khác); tải lại rồi quyết định lại.")
    ),
    "state_conflict": _c(
        409, _("Trạng thái hiện tại của hồ sơ hoặc văn bản không cho phép thao tác này.")
    ),
    "idempotency_key_reused": _c(422, _("Idempotency-Key đã dùng cho một yêu cầu khác.")),
    "invalid_idempotency_key": _c(422, _("Idempotency-Key sai dạng.")),
    "invalid_cursor": _c(422, _("Con trỏ trang (cursor) không hợp lệ hoặc đã hết hạn.")),
    # Dossiers.
    "dossier_not_found": _c(404, _("Không tìm thấy hồ sơ trong phạm vi được xem.")),
    "not_a_receptionist": _c(403, _("Không có vai trò tiếp nhận tại đơn vị này.")),
    "invalid_dossier": _c(422, _("Hồ sơ tiếp nhận chưa hợp lệ (details nêu từng trường).")),
    "receipt_not_issued": _c(404, _("Hồ sơ chưa được tiếp nhận nên chưa có giấy tiếp nhận.")),
    "notice_not_found": _c(404, _("Không có phiếu này.")),
    "apology_refused": _c(422, _("Không xin lỗi, hẹn lại được (một lần, trước hạn 01 ngày).")),
    "no_apology": _c(404, _("Hồ sơ chưa có văn bản xin lỗi và hẹn lại.")),
    "extension_refused": _c(422, _("Không gia hạn được.")),
    "no_refusal": _c(404, _("Hồ sơ không bị từ chối hoặc dừng giải quyết.")),
    "payment_refused": _c(422, _("Khoản thu chưa hợp lệ.")),
    "component_not_found": _c(404, _("Không có thành phần hồ sơ này.")),
    "scan_not_found": _c(404, _("Thành phần chưa có bản số hóa.")),
    "store_document_not_found": _c(404, _("Hồ sơ không có bản số hóa (kết quả số hóa) mã này.")),
    "digitisation_refused": _c(
        422, _("Không đối chiếu, ký số được kết quả số hóa (thông tin giấy tờ chưa hợp lệ).")
    ),
    "invalid_file": _c(422, _("Tệp không nhận được (loại, kích thước, nội dung).")),
    "invalid_notice": _c(422, _("Phiếu chưa hợp lệ.")),
    "invalid_period": _c(400, _("Khoảng thời gian không hợp lệ (YYYY-MM-DD, tối đa một năm).")),
    # Reports.
    "invalid_report_period": _c(
        422, _("Kỳ báo cáo không hợp lệ (ngày kết thúc trước ngày bắt đầu, hoặc dài quá hai năm).")
    ),
    "unit_required": _c(
        422, _("Cần chọn đơn vị: tài khoản chỉ xem được báo cáo của một số đơn vị.")
    ),
    # Catalog, units, calendar, signatures.
    "procedure_not_found": _c(404, _("Không có thủ tục này (hoặc không còn hiệu lực).")),
    "channel_not_offered": _c(422, _("Thủ tục không tiếp nhận qua hình thức này.")),
    "invalid_fee_input": _c(422, _("Dữ liệu tính phí không hợp lệ.")),
    "invalid_quantity": _c(422, _("Số trang, số bản không hợp lệ.")),
    "invalid_query": _c(422, _("Từ khóa tìm kiếm không hợp lệ.")),
    "unit_not_found": _c(404, _("Không có đơn vị này.")),
    "invalid_limit": _c(422, _("Giới hạn số kết quả không hợp lệ.")),
    "calendar_error": _c(422, _("Không tính được hạn theo lịch làm việc.")),
    "invalid_days": _c(422, _("Số ngày làm việc không hợp lệ.")),
    "invalid_start": _c(422, _("Thời điểm bắt đầu không hợp lệ.")),
    "invalid_year": _c(422, _("Năm không hợp lệ.")),
    "invalid_code": _c(422, _("Mã không hợp lệ.")),
    # Documents (văn bản).
    "document_not_found": _c(404, _("Không tìm thấy văn bản trong phạm vi được xem.")),
    "copy_not_found": _c(404, _("Không tìm thấy bản sao điện tử.")),
    "file_not_found": _c(404, _("Không có tệp này.")),
    "version_not_found": _c(404, _("Không có phiên bản này của văn bản.")),
    "assignment_not_found": _c(404, _("Không có phân công xử lý này.")),
    "remote_signing_not_found": _c(404, _("Không có yêu cầu ký số từ xa này.")),
    "not_a_clerk": _c(403, _("Không có vai trò văn thư.")),
    "not_a_drafter": _c(403, _("Không có quyền soạn thảo văn bản tại đơn vị này.")),
    "possible_duplicate": _c(409, _("Có thể trùng văn bản đã có; gửi lại với override_reason.")),
    "signing_failed": _c(422, _("Ký số không thành công.")),
    "secret_file_refused": _c(422, _("Không nhận tệp của văn bản mật qua hệ thống này.")),
    "copy_refused": _c(422, _("Không lập được bản sao điện tử.")),
    "copy_not_signed": _c(422, _("Bản sao đã cấp số nhưng chưa ký số.")),
    # Event subscriptions (egov.webhooks.api).
    "subscription_not_found": _c(404, _("Không có đăng ký nhận sự kiện này của ứng dụng.")),
    "delivery_not_found": _c(404, _("Không tìm thấy sự kiện đã gửi.")),
    "not_dead": _c(409, _("Chỉ gửi lại được sự kiện trong danh sách không gửi được.")),
    "unit_forbidden": _c(403, _("Đơn vị ngoài phạm vi của ứng dụng.")),
    # Reports (egov.reports).
    "invalid_quarter": _c(422, _("Quý không hợp lệ (YYYY-Qn) hoặc chưa bắt đầu.")),
    "plan_not_found": _c(404, _("Chưa nạp chỉ tiêu đề án.")),
    "invalid_index_period": _c(
        422, _("Kỳ không hợp lệ: YYYY-MM (tháng), YYYY-Qn (quý) hoặc YYYY (năm), từ năm 2022.")
    ),
}
