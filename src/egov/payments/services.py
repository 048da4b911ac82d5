"""Paying a dossier's financial obligation online through VNPAY (2.1.0).

The citizen starts a payment (a signed URL to the gateway); the gateway's IPN is the only
message that changes anything: it is checked in VNPAY's documented order and answered with
exactly one of its codes — 97 bad signature, 01 unknown order, 04 wrong amount, 02 already
confirmed, 00 recorded (also for a failed payment: 00 means "we recorded your notification").
A successful IPN records the amount paid and moves the dossier on ("paid") in the same
transaction; a repeated IPN changes nothing.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.actors import SYSTEM
from egov.audit.services import audit_record
from egov.contrib.vnpay import protocol
from egov.dossiers.actions import DossierAction
from egov.dossiers.errors import TransitionError
from egov.dossiers.models import Dossier, DossierStatus
from egov.dossiers.services.transitions import dossier_transition
from egov.payments.models import GatewayMessage, OnlinePayment, PaymentStatus


class PaymentError(Exception):
    """The payment cannot start; the message is for the citizen."""


FEE_PAYABLE = (
    DossierStatus.AWAITING_ONLINE_RECEPTION,
    DossierStatus.RECEIVED,
    DossierStatus.PROCESSING,
    DossierStatus.INTERAGENCY,
    DossierStatus.SUPPLEMENT_REQUESTED,
    DossierStatus.RESULT_READY,
)


def fee_outstanding(dossier: Dossier) -> int:
    """What is left to pay of the procedure's fee (catalog fee rules, quoted at submission)
    for an online dossier; fees of counter dossiers are collected at the desk."""
    from egov.dossiers.models import PaymentPurpose

    if dossier.channel != "online" or not dossier.fee_quoted:
        return 0
    paid = sum(dossier.payments.filter(purpose=PaymentPurpose.FEE).values_list("amount", flat=True))
    return max(int(dossier.fee_quoted) - paid, 0)


def amount_due(dossier: Dossier) -> tuple[int, str, str] | None:
    """What the applicant can pay online now: a requested financial obligation, else the
    outstanding fee of an online dossier — (amount, description, purpose)."""
    if dossier.status == DossierStatus.AWAITING_PAYMENT:
        if dossier.obligation_amount is None:
            return None
        event = (
            dossier.events.filter(action=DossierAction.REQUEST_PAYMENT)
            .order_by("-sequence")
            .first()
        )
        description = str(event.data.get("description", "")) if event else ""
        return dossier.obligation_amount, description, "obligation"
    if dossier.status in FEE_PAYABLE:
        outstanding = fee_outstanding(dossier)
        if outstanding:
            return outstanding, _("Phí, lệ phí của thủ tục"), "fee"
    return None


@dataclass(frozen=True)
class Started:
    payment: OnlinePayment
    url: str


def payment_start(*, dossier: Dossier, client_ip: str, return_url: str) -> Started:
    """Record a payment attempt and sign the URL that sends the citizen to the gateway."""
    due = amount_due(dossier)
    if due is None:
        raise PaymentError(_("Hồ sơ này hiện không có khoản nào cần thanh toán."))
    if not (settings.EGOV_VNPAY_TMN_CODE and settings.EGOV_VNPAY_HASH_SECRET):
        raise PaymentError(_("Thanh toán trực tuyến chưa được cấu hình; vui lòng nộp tại quầy."))
    amount, description, purpose = due
    now = timezone.now()
    payment = OnlinePayment.objects.create(
        txn_ref=secrets.token_hex(10).upper(),
        dossier=dossier,
        purpose=purpose,
        amount=amount,
        description=protocol.order_info(f"Thanh toan ho so {dossier.code} {description}"),
        client_ip=client_ip or None,
        created_at=now,
        expires_at=now + dt.timedelta(minutes=settings.EGOV_VNPAY_EXPIRE_MINUTES),
    )
    params = {
        "vnp_Version": protocol.VERSION,
        "vnp_Command": "pay",
        "vnp_TmnCode": settings.EGOV_VNPAY_TMN_CODE,
        "vnp_Amount": str(amount * 100),
        "vnp_CurrCode": "VND",
        "vnp_TxnRef": payment.txn_ref,
        "vnp_OrderInfo": payment.description,
        "vnp_OrderType": "other",
        "vnp_Locale": "vn",
        "vnp_ReturnUrl": return_url,
        "vnp_IpAddr": client_ip or "127.0.0.1",
        "vnp_CreateDate": protocol.vnpay_time(now),
        "vnp_ExpireDate": protocol.vnpay_time(payment.expires_at),
    }
    url = protocol.payment_url(settings.EGOV_VNPAY_PAY_URL, params, settings.EGOV_VNPAY_HASH_SECRET)
    return Started(payment, url)


def _log(kind: str, params: Mapping[str, str], answer: str, payment: OnlinePayment | None) -> None:
    GatewayMessage.objects.create(
        payment=payment,
        kind=kind,
        params=dict(params),
        answer=answer,
        received_at=timezone.now(),
    )


def ipn_handle(params: Mapping[str, str]) -> tuple[str, str]:
    """Process one IPN; returns (RspCode, Message) to answer the gateway."""
    try:
        return _ipn(params)
    except Exception:  # VNPAY expects 99 for anything unexpected, never an HTTP error
        _log("ipn", params, protocol.IPN_UNKNOWN_ERROR[0], None)
        return protocol.IPN_UNKNOWN_ERROR


@transaction.atomic
def _ipn(params: Mapping[str, str]) -> tuple[str, str]:
    if not protocol.verify(params, settings.EGOV_VNPAY_HASH_SECRET):
        _log("ipn", params, protocol.IPN_BAD_SIGNATURE[0], None)
        return protocol.IPN_BAD_SIGNATURE
    payment = (
        OnlinePayment.objects.select_for_update()
        .select_related("dossier")
        .filter(txn_ref=str(params.get("vnp_TxnRef", "")))
        .first()
    )
    if payment is None:
        _log("ipn", params, protocol.IPN_ORDER_NOT_FOUND[0], None)
        return protocol.IPN_ORDER_NOT_FOUND
    if str(params.get("vnp_Amount", "")) != str(payment.amount * 100):
        _log("ipn", params, protocol.IPN_INVALID_AMOUNT[0], payment)
        return protocol.IPN_INVALID_AMOUNT
    if payment.status != PaymentStatus.PENDING:
        _log("ipn", params, protocol.IPN_ALREADY_CONFIRMED[0], payment)
        return protocol.IPN_ALREADY_CONFIRMED
    succeeded = (
        params.get("vnp_ResponseCode") == "00" and params.get("vnp_TransactionStatus") == "00"
    )
    _settle(payment, succeeded, params)
    _log("ipn", params, protocol.IPN_OK[0], payment)
    audit_record(
        actor=None,
        action="payment.ipn",
        target=payment.dossier,
        details={"txn_ref": payment.txn_ref, "status": payment.status},
    )
    return protocol.IPN_OK


def _settle(payment: OnlinePayment, succeeded: bool, params: Mapping[str, str]) -> None:
    """Record the gateway's outcome for a pending payment (from the IPN or a querydr)."""
    payment.status = PaymentStatus.PAID if succeeded else PaymentStatus.FAILED
    payment.transaction_no = str(params.get("vnp_TransactionNo", ""))[:30]
    payment.bank_code = str(params.get("vnp_BankCode", ""))[:20]
    payment.response_code = str(params.get("vnp_ResponseCode", ""))[:4]
    payment.paid_at = protocol.parse_vnpay_time(str(params.get("vnp_PayDate", ""))) or (
        timezone.now() if succeeded else None
    )
    payment.save()
    if succeeded:
        _confirm_on_dossier(payment)


def _confirm_on_dossier(payment: OnlinePayment) -> None:
    """The money is received whatever the dossier's state: the payment is recorded; the
    dossier moves on only if it is still waiting for it (else staff see the payment)."""
    from egov.dossiers.models import PaymentMethod, PaymentPurpose
    from egov.dossiers.services.payments import payment_record

    dossier = Dossier.objects.get(pk=payment.dossier_id)
    data: dict[str, Any] = {
        "amount": payment.amount,
        "method": "online",
        "reference": f"VNPAY {payment.transaction_no} / {payment.txn_ref}",
    }
    if payment.purpose == "fee":
        payment_record(
            actor=SYSTEM,
            dossier=dossier,
            purpose=PaymentPurpose.FEE,
            amount=payment.amount,
            method=PaymentMethod.ONLINE,
            reference=data["reference"],
            paid_at=payment.paid_at,
        )
        return
    try:
        dossier_transition(actor=SYSTEM, dossier=dossier, action=DossierAction.PAID, data=data)
    except TransitionError:
        payment_record(
            actor=SYSTEM,
            dossier=dossier,
            purpose=PaymentPurpose.OBLIGATION,
            amount=payment.amount,
            method=PaymentMethod.ONLINE,
            reference=data["reference"],
            note="Thanh toán trực tuyến khi hồ sơ không còn chờ nộp tiền",
            paid_at=payment.paid_at,
        )


@dataclass(frozen=True)
class ReturnResult:
    valid: bool
    payment: OnlinePayment | None
    response_code: str


def return_read(params: Mapping[str, str]) -> ReturnResult:
    """The browser's return from the gateway: checked and shown, never acted upon (only the
    IPN changes state)."""
    valid = protocol.verify(params, settings.EGOV_VNPAY_HASH_SECRET)
    payment = (
        OnlinePayment.objects.select_related("dossier")
        .filter(txn_ref=str(params.get("vnp_TxnRef", "")))
        .first()
        if valid
        else None
    )
    _log("return", params, "00" if valid else "97", payment)
    return ReturnResult(valid, payment, str(params.get("vnp_ResponseCode", "")))


@dataclass(frozen=True)
class ReconcileRun:
    paid: int = 0
    failed: int = 0
    unknown: int = 0


GRACE = dt.timedelta(minutes=5)


def reconcile_pending(*, now: dt.datetime | None = None) -> ReconcileRun:
    """Ask the gateway (querydr) about payments still pending after their expiry: a payment
    whose IPN was lost is recorded as paid; one the gateway never completed is closed."""
    from egov.contrib.vnpay.client import Merchant, VnpayError, querydr

    now = now or timezone.now()
    merchant = Merchant(
        api_url=settings.EGOV_VNPAY_API_URL,
        tmn_code=settings.EGOV_VNPAY_TMN_CODE,
        secret=settings.EGOV_VNPAY_HASH_SECRET,
    )
    paid = failed = unknown = 0
    pending = OnlinePayment.objects.filter(
        status=PaymentStatus.PENDING, expires_at__lt=now - GRACE
    ).order_by("created_at")
    for candidate in list(pending[:200]):
        try:
            answer = querydr(
                merchant,
                txn_ref=candidate.txn_ref,
                order_info=protocol.order_info(f"Truy van {candidate.txn_ref}"),
                transaction_date=protocol.vnpay_time(candidate.created_at),
            )
        except VnpayError:
            unknown += 1
            continue
        with transaction.atomic():
            payment = OnlinePayment.objects.select_for_update().get(pk=candidate.pk)
            _log("querydr", answer, answer.get("vnp_ResponseCode", ""), payment)
            if payment.status != PaymentStatus.PENDING:
                continue
            code = answer.get("vnp_ResponseCode")
            if code == "00" and answer.get("vnp_Amount") == str(payment.amount * 100):
                succeeded = answer.get("vnp_TransactionStatus") == "00"
                _settle(payment, succeeded, answer)
                paid, failed = paid + succeeded, failed + (not succeeded)
            elif code == "91":  # the gateway never saw it: the citizen did not pay
                payment.status = PaymentStatus.FAILED
                payment.response_code = "91"
                payment.save()
                failed += 1
            else:
                unknown += 1
    return ReconcileRun(paid, failed, unknown)
