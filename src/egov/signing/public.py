"""Public verification of signed PDFs (the page ``/xac-thuc-van-ban/`` and
``POST /api/v1/signatures/verify``): the rate limit they share, reading what a visitor sends
(nothing is stored), and the verdict told in plain Vietnamese.

Luật Giao dịch điện tử 2023 (Điều 22-23): anyone relying on a digital signature checks it; the
page lets a citizen or another agency check an e-result or a document without an account.
"""

from __future__ import annotations

from typing import IO

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _

from egov.core.ratelimit import Window, take
from egov.core.uploads import max_upload_bytes, not_a_pdf_message
from egov.signing.verification import Revocation, Verdict, Verification, verify_pdf

# One budget for the page and the API: a client cannot double it by switching.
RATE_SCOPE = "signature_verify"


class BadUpload(Exception):
    """What a visitor sent cannot be verified; ``code`` is stable, ``message`` Vietnamese."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def too_many_message() -> str:
    return _("Bạn kiểm tra quá nhiều tệp trong một phút. Vui lòng thử lại sau ít phút.")


def verification_window(request: HttpRequest) -> Window:
    """Count one verification of this client (``egov.core.clientip``) in its window."""
    return take(
        request,
        RATE_SCOPE,
        limit=settings.EGOV_SIGNATURE_VERIFY_RATE_PER_MINUTE,
        window_seconds=60,
    )


def verification_allowed(request: HttpRequest) -> bool:
    """Count one verification of this client; False over the limit."""
    return verification_window(request).allowed


def read_pdf(upload: IO[bytes] | None) -> bytes:
    """The bytes of an uploaded file, within the upload size limit (``EGOV_UPLOAD_MAX_MB``).
    Raises ``BadUpload`` when there is no file, it is empty, too large or not a PDF."""
    if upload is None:
        raise BadUpload("missing_file", _("Chọn tệp PDF cần kiểm tra."))
    limit = max_upload_bytes()
    upload.seek(0)
    data = upload.read(limit + 1)
    if not data:
        raise BadUpload("empty_file", _("Tệp rỗng: hãy chọn tệp PDF cần kiểm tra."))
    if len(data) > limit:
        raise BadUpload(
            "file_too_large",
            _("Tệp lớn hơn %(mb)d MB, không kiểm tra được.") % {"mb": settings.EGOV_UPLOAD_MAX_MB},
        )
    if not data.startswith(b"%PDF-"):
        raise BadUpload("not_pdf", not_a_pdf_message())
    return data


def verify_upload(upload: IO[bytes] | None) -> Verification:
    """Read and verify; a file that starts like a PDF but cannot be read is ``not_pdf`` too."""
    verification = verify_pdf(read_pdf(upload))
    if verification.verdict == Verdict.NOT_PDF:
        raise BadUpload("not_pdf", not_a_pdf_message())
    return verification


def revocation_message(revocation: Revocation) -> str:
    return {
        Revocation.GOOD: _("Chưa bị thu hồi tại thời điểm ký"),
        Revocation.REVOKED: _("Đã bị thu hồi"),
        Revocation.UNKNOWN: _("Không kiểm tra được"),
    }[revocation]


def summary(verification: Verification) -> str:
    """The document's verdict in one plain sentence for a citizen."""
    count = len(verification.signatures)
    return {
        Verdict.VALID: _(
            "Tài liệu có %(count)d chữ ký số hợp lệ, do tổ chức tin cậy cấp chứng thư; "
            "nội dung không bị thay đổi sau khi ký."
        )
        % {"count": count},
        Verdict.INDETERMINATE: _(
            "Chưa kết luận được: chữ ký đúng với nội dung nhưng không kiểm tra được chứng thư số "
            "có bị thu hồi hay không."
        ),
        Verdict.MODIFIED: _(
            "Không nên tin tài liệu này: nó đã bị sửa đổi sau khi ký, nội dung đang xem không "
            "còn đúng như khi ký."
        ),
        Verdict.INVALID: _(
            "Không nên tin tài liệu này: nội dung đã ký bị thay đổi hoặc chữ ký bị hỏng."
        ),
        Verdict.REVOKED: _(
            "Chữ ký không có giá trị: chứng thư số của người ký đã bị thu hồi khi ký."
        ),
        Verdict.UNTRUSTED: _(
            "Không xác nhận được người ký: chứng thư số không do tổ chức cung cấp dịch vụ "
            "chứng thực chữ ký số được tin cậy cấp."
        ),
        Verdict.EXPIRED: _("Chữ ký không có giá trị: chứng thư số đã hết hạn khi ký."),
        Verdict.NO_SIGNATURE: _(
            "Tài liệu không có chữ ký số nên không xác định được ai đã ban hành nó."
        ),
        Verdict.NOT_PDF: not_a_pdf_message(),
    }[verification.verdict]
