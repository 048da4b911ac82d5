"""Citizen pages: pay a dossier's obligation by its code (as on the national payment
platform, anyone holding the code may pay), the gateway's IPN and the return page."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from egov.audit.services import client_ip
from egov.core.downloads import pdf_response
from egov.core.inputs import CONTROL_RE
from egov.core.ratelimit import hit
from egov.dossiers.permissions import payable_dossier
from egov.dossiers.selectors import DOSSIER_CODE_RE
from egov.payments.models import OnlinePayment, PaymentStatus
from egov.payments.printing import payment_receipt_filename, render_payment_receipt
from egov.payments.services import PaymentError, amount_due, ipn_handle, payment_start, return_read

# vnp_ResponseCode → what the citizen reads (integration.md §1.2.4).
RESPONSE_TEXTS = {
    "00": "Giao dịch thành công.",
    "07": "Tiền đã bị trừ nhưng giao dịch bị nghi ngờ; ngân hàng sẽ kiểm tra.",
    "09": "Thẻ/tài khoản chưa đăng ký dịch vụ Internet Banking.",
    "10": "Xác thực thông tin thẻ/tài khoản không đúng quá 3 lần.",
    "11": "Đã hết hạn chờ thanh toán.",
    "24": "Bạn đã hủy giao dịch.",
    "51": "Tài khoản không đủ số dư.",
    "65": "Tài khoản đã vượt hạn mức giao dịch trong ngày.",
    "75": "Ngân hàng thanh toán đang bảo trì.",
}


def _gateway_params(request: HttpRequest) -> dict[str, str]:
    """The gateway's query parameters as received, less control characters: the gateway
    never sends them (its signature then fails, as for any forged call), and the log of
    gateway messages could not store them (PostgreSQL refuses NUL in JSON)."""
    return {
        CONTROL_RE.sub("", key)[:100]: CONTROL_RE.sub("", value)[:1000]
        for key, value in request.GET.dict().items()
    }


def pay(request: HttpRequest, code: str) -> HttpResponse:
    # The page tells whether a code exists (and its procedure and amount): it shares the
    # public lookup's per-IP budget, counted before the database is asked.
    if not hit(request, "lookup", limit=settings.EGOV_LOOKUP_RATE_PER_MINUTE, window_seconds=60):
        return render(request, "payments/too_many_requests.html", status=429)
    dossier = payable_dossier(code) if DOSSIER_CODE_RE.fullmatch(code) else None
    if dossier is None:
        raise Http404(_("Không tìm thấy hồ sơ."))
    due = amount_due(dossier)
    error = ""
    if request.method == "POST":
        if not hit(request, "payment", limit=10, window_seconds=60):
            error = _("Bạn thao tác quá nhiều lần. Vui lòng thử lại sau ít phút.")
        else:
            try:
                started = payment_start(
                    dossier=dossier,
                    client_ip=client_ip(request) or "",
                    return_url=request.build_absolute_uri(reverse("payments:vnpay_return")),
                )
            except PaymentError as exc:
                error = str(exc)
            else:
                return redirect(started.url)
    return render(
        request,
        "payments/pay.html",
        {"dossier": dossier, "due": due, "error": error},
        status=200 if due or request.method == "POST" else 409,
    )


@csrf_exempt  # server-to-server from the gateway; authenticated by its HMAC signature
@require_GET
def vnpay_ipn(request: HttpRequest) -> JsonResponse:
    code, message = ipn_handle(_gateway_params(request))
    return JsonResponse({"RspCode": code, "Message": message})


@require_GET
def vnpay_return(request: HttpRequest) -> HttpResponse:
    result = return_read(_gateway_params(request))
    payment = result.payment
    return render(
        request,
        "payments/result.html",
        {
            "valid": result.valid,
            "payment": payment,
            "paid": payment is not None and payment.status == PaymentStatus.PAID,
            "message": RESPONSE_TEXTS.get(result.response_code, _("Giao dịch không thành công.")),
        },
        status=200 if result.valid else 400,
    )


def receipt(request: HttpRequest, txn_ref: str) -> HttpResponse:
    """The citizen's electronic receipt of a successful payment (the reference is random)."""
    payment = (
        OnlinePayment.objects.select_related(
            "dossier__receiving_unit", "dossier__procedure_version"
        )
        .filter(txn_ref=CONTROL_RE.sub("", txn_ref)[:34], status=PaymentStatus.PAID)
        .first()
    )
    if payment is None:
        raise Http404(_("Không tìm thấy giao dịch đã thanh toán."))
    return pdf_response(render_payment_receipt(payment), payment_receipt_filename(payment))
