"""The NinjaAPI instance. Each domain app defines its routers and schemas (``<app>/api.py``,
``dossiers/staff_api*.py``); this module mounts them explicitly — no endpoint is registered by
the side effect of an import, and no domain app imports this one."""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI

from egov.accounts.idempotency import HEADER, IDEMPOTENT_OPERATIONS, MAX_KEY_LENGTH
from egov.api.error_docs import codes_in_code, describe_error_codes, framework_codes
from egov.api.errors import install_error_handlers
from egov.api.openapi_tidy import drop_unused_schemas, inline_single_enum_parameters
from egov.api.routers import system_router
from egov.catalog.api import router as catalog_router
from egov.core.api_render import ApiRenderer
from egov.documents.api_copies import copies_router
from egov.documents.api_incoming import incoming_router
from egov.documents.staff_api_outgoing import outgoing_router
from egov.documents.staff_api_remote_signing import remote_signing_router
from egov.dossiers.api import public_router
from egov.dossiers.staff_api import staff_router
from egov.dossiers.staff_api_desk import desk_router
from egov.dossiers.staff_api_digitise import digitise_router
from egov.dossiers.staff_api_store import store_router
from egov.helpdesk.api import router as faq_router
from egov.org.api import router as org_router
from egov.reports.api import reports_router
from egov.reports.api_digitisation import digitisation_router
from egov.reports.api_feedback import feedback_report_router
from egov.reports.api_queue import queue_report_router
from egov.reports.api_service_index import service_index_router
from egov.reports.api_targets import plan_targets_router
from egov.signing.api import router as signing_router
from egov.webhooks.api import webhooks_router
from egov.workdays.api import router as calendar_router

# Answers of core.request_size.RequestSizeMiddleware, which refuses a body before any
# operation sees it: every operation that takes a body can get them.
BODY_REFUSALS = {
    400: "Độ dài nội dung (Content-Length) không hợp lệ",
    411: "Thiếu độ dài nội dung (Content-Length); không nhận nội dung gửi từng khúc",
    413: "Nội dung gửi lên quá lớn",
}


IDEMPOTENCY_KEY = {
    "in": "header",
    "name": HEADER,
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH},
    "description": (
        "Khóa do ứng dụng tự sinh cho mỗi yêu cầu ghi (ví dụ một UUID) để gửi lại an toàn: "
        "gửi lại cùng khóa, cùng nội dung thì nhận lại đúng câu trả lời đầu tiên (mã trạng "
        "thái và nội dung, kèm header Idempotent-Replayed: true) và không có gì được ghi "
        "thêm. Khóa có hiệu lực EGOV_IDEMPOTENCY_KEY_HOURS giờ (mặc định 24) cho mỗi ứng "
        "dụng kết nối. Cùng khóa cho một yêu cầu khác: 422 idempotency_key_reused; khóa sai "
        "dạng: 422 invalid_idempotency_key. Câu trả lời lỗi không được giữ: gửi lại thì yêu "
        "cầu được thực hiện lại."
    ),
}


# Every operation behind an API key may be refused for the key's scope or rate limit
# (egov.accounts.api_auth).
KEY_REFUSALS = {
    403: "Khóa không có phạm vi quyền cần cho thao tác (insufficient_scope) hoặc vai trò không"
    " cho phép",
    429: "Khóa đã dùng hết số yêu cầu mỗi phút (rate_limited); xem Retry-After",
}


# Operation ids are the functions' names — stable when code moves between modules, unlike
# ninja's default (module path + name) — except where a name alone does not say what it acts on.
OPERATION_IDS = {
    "receive": "receive_dossier",
    "transition": "transition_dossier",
    "receipt": "dossier_receipt_pdf",
    "control_sheet": "dossier_control_sheet_pdf",
    "supplement_request": "supplement_request_pdf",
    "extend": "extend_dossier",
    "apologise": "apologise_dossier",
    "tracking_book": "tracking_book_pdf",
    "download_file": "download_incoming_file",
    "handling_sheet": "handling_sheet_pdf",
    "deadline": "calendar_deadline",
    "holidays": "calendar_holidays",
    "plan_targets": "get_plan_targets",
}
# Writes that take no Idempotency-Key, and why a retry is still safe (or what to do instead).
# Multipart uploads cannot take one: the key covers the request's bytes, which Django has
# already consumed as files. A test checks that every write is in one list or the other.
RETRY_NOTES = {
    "upload_scan": (
        "Gửi lại an toàn: gửi lại cùng tệp chỉ thay bản số hóa bằng chính nội dung đó."
    ),
    "digitisation_verify": (
        "Gửi lại an toàn: giấy tờ đã ký số kết quả số hóa trả 409 state_conflict, không ký "
        "hai lần; gửi lại danh sách rỗng chỉ ký những giấy tờ còn chờ."
    ),
    "digitisation_reject": (
        "Gửi lại an toàn: giấy tờ đã ghi nhận không khớp trả 409 state_conflict."
    ),
    "receive_incoming_multipart": (
        "Không nhận Idempotency-Key (multipart). Gửi lại có thể vào thêm một văn bản đến: "
        "hệ thống cảnh báo trùng (409 possible_duplicate) trước khi nhận bản thứ hai."
    ),
    "create_paper_copy": (
        "Không nhận Idempotency-Key (multipart). Gửi lại tạo thêm một bản sao; dùng "
        "POST /staff/document-copies (JSON) với Idempotency-Key khi cần gửi lại an toàn."
    ),
    "create_outgoing": (
        "Không nhận Idempotency-Key (multipart). Gửi lại tạo thêm một dự thảo: đọc danh sách "
        "văn bản đi trước khi gửi lại."
    ),
    "sign_batch": (
        "Gửi lại an toàn khi gửi kèm revision của từng văn bản: văn bản đã ký được báo lỗi "
        "riêng, không ký hai lần."
    ),
    "start_remote_signing": (
        "Gửi lại an toàn: khi đã có yêu cầu đang chờ cho các văn bản này, trả 200 với yêu cầu "
        "đó và không gửi thêm."
    ),
    "verify_uploaded_file": "Chỉ kiểm tra, không ghi gì: gửi lại an toàn.",
    # Event subscriptions: answers with a secret are never kept for a replay.
    "create_webhook_subscription": (
        "Không nhận Idempotency-Key: câu trả lời chứa khóa bí mật, không được lưu để trả lại. "
        "Gửi lại có thể tạo thêm một đăng ký: đọc danh sách đăng ký trước khi gửi lại."
    ),
    "rotate_webhook_secret": (
        "Không nhận Idempotency-Key (câu trả lời chứa khóa bí mật). Gửi lại thì đổi khóa thêm "
        "lần nữa; dùng khóa của câu trả lời cuối cùng (khóa trước vẫn ký kèm trong thời gian "
        "chuyển đổi)."
    ),
    "update_webhook_subscription": "Gửi lại an toàn: cùng nội dung cho cùng kết quả.",
    "delete_webhook_subscription": (
        "Gửi lại an toàn: lần sau trả 404 subscription_not_found, không xóa gì thêm."
    ),
    "pause_webhook_subscription": "Gửi lại an toàn: đăng ký đã tạm dừng thì giữ nguyên.",
    "resume_webhook_subscription": "Gửi lại an toàn: đăng ký đang hoạt động thì giữ nguyên.",
    "replay_webhook_delivery": (
        "Gửi lại an toàn: lần sau trả 409 not_dead, sự kiện không được gửi hai lần."
    ),
    "replay_webhook_deliveries": (
        "Gửi lại an toàn: chỉ sự kiện còn trong danh sách không gửi được mới được gửi lại."
    ),
    "signatures_verify": "Chỉ kiểm tra, không ghi gì: gửi lại an toàn.",
}
# File answers: generated forms and signed documents are PDFs; scans and incoming files are
# given back as they were stored (PDF or image).
PDF_OPERATIONS = {"download_copy", "download_version"}
BINARY = {"schema": {"type": "string", "format": "binary"}}
SERVERS = [{"url": "/", "description": "Máy chủ egov phục vụ tài liệu này"}]
LICENSE = {"name": "AGPL-3.0-or-later", "identifier": "AGPL-3.0-or-later"}
# The installation's operator answers for its API; the project itself names no address here.
CONTACT = {"name": "Đơn vị vận hành egov của tỉnh"}


UNAUTHENTICATED = "unauthenticated: thiếu khóa API, khóa sai, đã thu hồi hoặc đã hết hạn."
DESCRIPTION = """API của nền tảng chính quyền điện tử egov (Quảng Ninh).

Quy ước chung (docs/api-conventions.md):

- Lỗi: mọi câu trả lời lỗi có dạng {"error": {"code", "message", "details"}}; danh sách mã
  lỗi, mã trạng thái HTTP và mã nào có thể gửi lại: GET /api/v1/errors.
- Ngôn ngữ: thông báo theo Accept-Language (vi mặc định; en).
- Thời điểm: RFC 3339, luôn theo giờ Việt Nam với độ lệch +07:00 khi trả về; khi gửi lên
  phải có độ lệch (Z hoặc ±hh:mm), thiếu độ lệch bị từ chối 422.
- Phân trang: tham số cursor và limit; trả về {"items", "next_cursor"}; next_cursor null ở
  trang cuối.
- Gửi lại an toàn: header Idempotency-Key cho các thao tác ghi có ghi chú; thao tác trên hồ
  sơ chỉ an toàn khi gửi kèm revision.
"""


class EgovApi(NinjaAPI):
    def get_openapi_operation_id(self, operation: Any) -> str:
        name: str = operation.view_func.__name__
        return OPERATION_IDS.get(name, name)

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        schema["servers"] = SERVERS
        schema["info"]["license"] = LICENSE
        schema["info"]["contact"] = CONTACT
        error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}}
        idempotent = {OPERATION_IDS.get(name, name) for name in IDEMPOTENT_OPERATIONS}
        for path, operations in schema.get("paths", {}).items():
            for operation in operations.values():
                if not isinstance(operation, dict):
                    continue
                # Open to anyone: said explicitly, so that a global default cannot apply.
                operation.setdefault("security", [])
                responses = operation.setdefault("responses", {})
                if operation["security"]:
                    # Every operation behind a key can answer 401 (missing, wrong, revoked or
                    # expired key), whether or not its function says so.
                    responses.setdefault(401, {"content": error})["description"] = UNAUTHENTICATED
                ok = operation.get("responses", {}).get(200)
                if isinstance(ok, dict) and "content" not in ok:
                    is_pdf = path.endswith(".pdf") or operation["operationId"] in PDF_OPERATIONS
                    media = "application/pdf" if is_pdf else "application/octet-stream"
                    ok["content"] = {media: BINARY}
                if operation["security"]:  # a key is needed: its scope and its rate limit
                    responses = operation.setdefault("responses", {})
                    for status, description in KEY_REFUSALS.items():
                        responses.setdefault(status, {"description": description, "content": error})
                if operation.get("operationId") in idempotent:
                    operation.setdefault("parameters", []).append(IDEMPOTENCY_KEY)
                note = RETRY_NOTES.get(operation.get("operationId", ""))
                if note:
                    described = operation.get("description", "")
                    operation["description"] = f"{described}\n\n{note}".strip()
                if "requestBody" in operation:
                    for status, description in BODY_REFUSALS.items():
                        responses.setdefault(status, {"description": description, "content": error})
        self._name_error_codes(schema, error)
        return drop_unused_schemas(inline_single_enum_parameters(schema))

    def _name_error_codes(self, schema: dict[str, Any], error: dict[str, Any]) -> None:
        """Each error response says which codes it can carry (egov.api.error_docs)."""
        functions: dict[str, Any] = {}
        for _prefix, router in self._routers:
            for path_view in router.path_operations.values():
                for operation in path_view.operations:
                    name = operation.operation_id or self.get_openapi_operation_id(operation)
                    functions[name] = operation.view_func
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                if not isinstance(operation, dict):
                    continue
                function = functions.get(operation.get("operationId", ""))
                found = codes_in_code(function) if function else set()
                describe_error_codes(operation, found | framework_codes(operation), error)


api = EgovApi(
    title="egov API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    renderer=ApiRenderer(),
)
install_error_handlers(api)
api.add_router("/", system_router)
api.add_router("/units", org_router)
api.add_router("/calendar", calendar_router)
api.add_router("/", catalog_router)
api.add_router("/public", public_router)
api.add_router("/staff", staff_router)
api.add_router("/staff", desk_router)
api.add_router("/staff", digitise_router)
api.add_router("/staff", incoming_router)
api.add_router("/", signing_router)
api.add_router("/staff", outgoing_router)
api.add_router("/staff", copies_router)
api.add_router("/staff", remote_signing_router)
api.add_router("/", webhooks_router)
api.add_router("/", reports_router)
api.add_router("/", plan_targets_router)
api.add_router("/", service_index_router)
api.add_router("/datastore", store_router)
api.add_router("/", digitisation_router)
api.add_router("/", feedback_report_router)
api.add_router("/", queue_report_router)
api.add_router("/", faq_router)
