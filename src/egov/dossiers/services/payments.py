"""Amounts actually paid for a dossier at the desk: the fee (phí, lệ phí) collected when the
dossier is received or the result returned (NĐ 61/2018 Điều 19 khoản 5; NĐ 118/2025), with the
receipt number. Financial obligations are confirmed by the "paid" transition instead.

Every payment row outside that transition is written by ``payment_record``, which appends a
``record_payment`` event to the dossier's history in the same transaction, so the event path
(audit, partner webhooks ``payment.recorded``, national sync) sees each amount once."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.actors import Actor, person
from egov.core.inputs import column_length, text_problem
from egov.dossiers.actions import DossierAction
from egov.dossiers.events import record_event
from egov.dossiers.models import (
    Dossier,
    DossierPayment,
    DossierStatus,
    PaymentMethod,
    PaymentPurpose,
)
from egov.dossiers.permissions import is_desk_of

CLOSED = (DossierStatus.REFUSED, DossierStatus.WITHDRAWN)


@transaction.atomic
def dossier_record_fee(
    *,
    actor: Actor,
    dossier: Dossier,
    amount: int,
    method: str,
    reference: str = "",
    note: str = "",
) -> DossierPayment:
    """Record a fee paid at the desk. A correction is a negative amount with a note; the
    total may not go below zero."""
    if not is_desk_of(actor, dossier):
        raise ValidationError(_("Chỉ bộ phận tiếp nhận hồ sơ mới được ghi nhận khoản thu."))
    if dossier.status in CLOSED:
        raise ValidationError(_("Hồ sơ đã kết thúc; không ghi nhận khoản thu."))
    if method not in PaymentMethod.values or method == PaymentMethod.ONLINE:
        raise ValidationError(_("Hình thức nộp tiền không hợp lệ."))
    if amount == 0 or abs(amount) > 10**13:
        raise ValidationError(_("Số tiền không hợp lệ."))
    for name, value in (("reference", reference), ("note", note)):
        problem = text_problem(value.strip(), max_length=column_length(DossierPayment, name))
        if problem:
            raise ValidationError({name: [problem]})
    if amount < 0 and not note.strip():
        raise ValidationError(_("Điều chỉnh giảm cần ghi rõ lý do."))
    paid = sum(dossier.payments.filter(purpose=PaymentPurpose.FEE).values_list("amount", flat=True))
    if paid + amount < 0:
        raise ValidationError(_("Tổng số đã thu không thể âm."))
    return payment_record(
        actor=actor,
        dossier=dossier,
        purpose=PaymentPurpose.FEE,
        amount=amount,
        method=method,
        reference=reference.strip(),
        note=note.strip(),
    )


@transaction.atomic(savepoint=False)
def payment_record(
    *,
    actor: Actor,
    dossier: Dossier,
    purpose: PaymentPurpose,
    amount: int,
    method: str,
    reference: str = "",
    note: str = "",
    paid_at: dt.datetime | None = None,
) -> DossierPayment:
    """Store one amount paid for ``dossier`` (already checked by the caller) and append its
    ``record_payment`` event; the status does not change."""
    payment = DossierPayment.objects.create(
        dossier=dossier,
        purpose=purpose,
        amount=amount,
        method=method,
        reference=reference[:100],
        note=note[:500],
        recorded_by=person(actor),
        paid_at=paid_at or timezone.now(),
    )
    record_event(
        dossier=dossier,
        action=DossierAction.RECORD_PAYMENT,
        from_status=dossier.status,
        to_status=dossier.status,
        actor=actor,
        at=payment.paid_at,
        data={"purpose": purpose.value, "amount": amount, "method": method},
    )
    return payment
