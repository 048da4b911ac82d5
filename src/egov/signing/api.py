"""Public API: verify the digital signatures of a PDF (``POST /api/v1/signatures/verify``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import File, Router, Schema
from ninja.files import UploadedFile

from egov.core.api_errors import ApiError, ErrorResponse
from egov.signing.public import (
    BadUpload,
    revocation_message,
    summary,
    too_many_message,
    verification_window,
    verify_upload,
)
from egov.signing.verification import Revocation, SignatureReport, Verdict, Verification

router = Router(tags=["signatures"])


class TimestampOut(Schema):
    valid: bool
    time: dt.datetime | None
    authority: str


class SignatureOut(Schema):
    field_name: str
    signer_name: str
    signer_organisation: str
    verdict: Verdict
    message: str
    intact: bool
    trusted: bool
    revocation: Revocation
    revocation_message: str
    signing_time: dt.datetime | None
    timestamp: TimestampOut | None
    modified_after: bool


class VerificationOut(Schema):
    verdict: Verdict
    message: str
    summary: str
    signatures: list[SignatureOut]


DESCRIPTION = """Kiểm tra chữ ký số của một tệp PDF bất kỳ (văn bản, kết quả giải quyết thủ tục
hành chính điện tử). Không cần đăng nhập; tệp không được lưu lại.

Gửi tệp dạng `multipart/form-data`, trường `file` (tối đa EGOV_UPLOAD_MAX_MB MB, mặc định 10).

Với mỗi chữ ký: người ký, tổ chức, mã kết luận `verdict` và câu kết luận `message`, nội dung đã
ký còn nguyên vẹn (`intact`), chứng thư số chuỗi tới tổ chức tin cậy (`trusted`), tình trạng
thu hồi tại thời điểm ký (`revocation`: good, revoked, unknown), thời điểm ký (giờ Việt Nam;
là thời điểm của dấu thời gian hợp lệ nếu có), dấu thời gian và tài liệu có bị sửa đổi sau khi
ký không (`modified_after`). Kết luận của tài liệu là kết luận xấu nhất trong các chữ ký.

Mã kết luận: valid, indeterminate (không kiểm tra được thu hồi), modified, invalid, revoked,
untrusted, expired, no_signature.

Lỗi (dạng chung `{"error": {"code", "message", "details"}}`): 422 `missing_file`, `empty_file`,
`file_too_large`, `not_pdf`; 429 `rate_limited` khi một địa chỉ gửi quá
EGOV_SIGNATURE_VERIFY_RATE_PER_MINUTE tệp mỗi phút (mặc định 20, chung với trang
/xac-thuc-van-ban/)."""


def _local(moment: dt.datetime | None) -> dt.datetime | None:
    return timezone.localtime(moment) if moment is not None else None


def _signature(report: SignatureReport) -> dict[str, Any]:
    stamp = report.timestamp
    return {
        "field_name": report.field_name,
        "signer_name": report.signer_name,
        "signer_organisation": report.signer_organisation,
        "verdict": report.verdict,
        "message": report.message,
        "intact": report.intact,
        "trusted": report.trusted,
        "revocation": report.revocation,
        "revocation_message": revocation_message(report.revocation),
        "signing_time": _local(report.signing_time),
        "timestamp": (
            None
            if stamp is None
            else {"valid": stamp.valid, "time": _local(stamp.time), "authority": stamp.authority}
        ),
        "modified_after": report.modified_after,
    }


def verification_out(verification: Verification) -> dict[str, Any]:
    return {
        "verdict": verification.verdict,
        "message": verification.message,
        "summary": summary(verification),
        "signatures": [_signature(report) for report in verification.signatures],
    }


@router.post(
    "/signatures/verify",
    response={200: VerificationOut, 422: ErrorResponse, 429: ErrorResponse},
    summary="Kiểm tra chữ ký số của tệp PDF",
    description=DESCRIPTION,
    operation_id="signatures_verify",
)
def verify_signatures(
    request: HttpRequest, response: HttpResponse, file: File[UploadedFile | None] = None
) -> Any:
    window = verification_window(request)
    if not window.allowed:
        raise ApiError(429, "rate_limited", too_many_message(), headers=window.headers())
    for name, value in window.headers().items():
        response[name] = value
    try:
        verification = verify_upload(file)
    except BadUpload as exc:
        raise ApiError(
            422, exc.code, exc.message, [{"field": "file", "message": exc.message}]
        ) from None
    return verification_out(verification)
