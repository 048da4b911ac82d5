"""Which dossier events the applicant is told about, and what the message says.

A subscriber of ``events.record_event``: called right after the event row is written, in the
same transaction, so the message exists if and only if the change happened (the outbox of
notifications.services)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from egov.core.formatting import thousands
from egov.dossiers.actions import DossierAction as A
from egov.dossiers.models import DossierEvent, ResultDelivery
from egov.notifications.services import Recipient, notification_enqueue
from egov.workdays.engine import VIETNAM_TZ

# Action → the notification event (template name) the applicant gets.
ACTION_EVENTS: dict[str, str] = {
    A.RECEIVE: "received",
    A.SUBMIT_ONLINE: "submitted",
    A.ACCEPT_ONLINE: "received",
    A.REFUSE: "refused",
    A.REQUEST_SUPPLEMENT: "supplement_requested",
    A.APOLOGISE: "apology",
    A.EXTEND: "extended",
    A.REQUEST_PAYMENT: "awaiting_payment",
    A.PAID: "paid",
    A.APPROVE: "result_ready",
    A.RETURN_RESULT: "returned",
    A.POSTAL_DELIVERED: "returned",
}
HEADLINES = {
    "received": "Đã tiếp nhận hồ sơ",
    "submitted": "Đã nộp hồ sơ trực tuyến",
    "refused": "Hồ sơ không được tiếp nhận",
    "supplement_requested": "Cần bổ sung, hoàn thiện hồ sơ",
    "apology": "Xin lỗi, hẹn lại ngày trả kết quả",
    "extended": "Gia hạn giải quyết theo quy định",
    "awaiting_payment": "Đề nghị thực hiện nghĩa vụ tài chính",
    "paid": "Đã ghi nhận nghĩa vụ tài chính",
    "result_ready": "Hồ sơ đã có kết quả",
    "returned": "Đã trả kết quả",
}


def _moment(value: dt.datetime | None) -> str:
    return f"{value.astimezone(VIETNAM_TZ):%H:%M %d/%m/%Y}" if value else ""


def _amount(value: Any) -> str:
    try:
        return thousands(int(value))
    except (TypeError, ValueError):
        return ""


def notify_applicant(event: DossierEvent) -> None:
    """Write the applicant's messages about ``event`` to the outbox (none for events they
    are not told about, or when the dossier has neither e-mail nor phone)."""
    dossier = event.dossier
    name = ACTION_EVENTS.get(event.action)
    if name is None or not (dossier.applicant_email or dossier.applicant_phone):
        return
    data = event.data or {}
    date = data.get("new_due") if event.action in (A.APOLOGISE, A.EXTEND) else None
    context = {
        "code": dossier.code,
        "procedure": dossier.procedure_version.name,
        "applicant": dossier.applicant_name,
        # An apology is the competent agency's (NĐ 61/2018 Điều 19 khoản 9): its name.
        "unit": data.get("issuer_name") or dossier.receiving_unit.name,
        "basis": data.get("basis", ""),
        "unit_short": dossier.receiving_unit.short_name or dossier.receiving_unit.name,
        "headline": HEADLINES[name],
        "date": _moment(dt.datetime.fromisoformat(date)) if date else _moment(dossier.due_at),
        "items": data.get("items", []),
        "reason": event.reason,
        "amount": _amount(data.get("amount")),
        "description": data.get("description", ""),
        "result_code": dossier.result_code,
        "received_by": data.get("received_by", ""),
        "by_post": dossier.result_delivery == ResultDelivery.POST,
        # Online applicants get the receipt (Mẫu 01) in "Hồ sơ của tôi" once accepted.
        "receipt_path": f"/ho-so-cua-toi/{dossier.code}/giay-tiep-nhan.pdf"
        if dossier.owner_id
        else "",
    }
    notification_enqueue(
        event=name,
        reference=dossier.code,
        recipient=Recipient(email=dossier.applicant_email, phone=dossier.applicant_phone),
        context=context,
        unit=dossier.receiving_unit,
    )
