"""“Xác thực văn bản”: anyone uploads a PDF and reads who signed it and whether the signatures
hold (the same check as ``POST /api/v1/signatures/verify``). The file is not stored."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from egov.signing.public import (
    BadUpload,
    revocation_message,
    summary,
    too_many_message,
    verification_allowed,
    verify_upload,
)


@require_http_methods(["GET", "POST"])
def verify_document(request: HttpRequest) -> HttpResponse:
    context: dict[str, object] = {"max_mb": settings.EGOV_UPLOAD_MAX_MB}
    status = 200
    if request.method == "POST":
        if not verification_allowed(request):
            return render(
                request, "request_refused.html", {"message": too_many_message()}, status=429
            )
        upload = request.FILES.get("file")
        try:
            verification = verify_upload(upload)
        except BadUpload as exc:
            context["error"] = exc.message
            status = 400
        else:
            context["verification"] = verification
            context["summary"] = summary(verification)
            context["file_name"] = (upload.name or "")[:255] if upload is not None else ""
            context["signatures"] = [
                (report, revocation_message(report.revocation))
                for report in verification.signatures
            ]
    return render(request, "portal/verify_document.html", context, status=status)
