"""What each lifecycle action needs besides its reason: its inputs checked against the
dossier, the dossier fields it changes, the data recorded on its event row, and rows written
with it (same transaction).

The state machine (``state.py``) says who may act and from which status; ``inputs.py`` gives
the shape of each action's inputs; this module says what a valid request for the action looks
like. Messages are Vietnamese, for the person acting.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.actors import Actor, person
from egov.accounts.models import Role
from egov.catalog.time_rules import supplement_rule
from egov.core.formatting import thousands
from egov.core.identity import clean_phone
from egov.dossiers.actions import DossierAction as A
from egov.dossiers.codes import book_entry, result_code
from egov.dossiers.errors import StateConflict, TransitionRefused
from egov.dossiers.inputs import (
    ActionInput,
    AssignInput,
    HandOffInput,
    PaidInput,
    PostalDeliveredInput,
    RequestPaymentInput,
    RequestSupplementInput,
    ReturnResultInput,
    SendByPostInput,
    TransferOutInput,
)
from egov.dossiers.models import (
    Dossier,
    DossierPayment,
    DossierStatus,
    PaymentMethod,
    PaymentPurpose,
    ResultShipment,
    ShipmentStatus,
    WarningKind,
)
from egov.dossiers.permissions import postal_only, roles_at
from egov.dossiers.services.deadlines import (
    appointment_problem,
    due_moment,
    hand_off_limit,
    is_late,
    reception_deadline,
    supplement_applicant_limit,
    supplement_request_limit,
    supplemented_due,
)
from egov.dossiers.services.digitisation import online_uploads_store
from egov.dossiers.services.warnings import late_act, late_act_record
from egov.dossiers.tasks import book_result_shipment
from egov.workdays.selectors import calendar_for_unit


@dataclass
class Prepared:
    changes: dict[str, Any] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)
    # Rows written after the transition succeeded, in the same transaction.
    after: Callable[[Dossier, Actor], None] | None = None


def _warned(prepared: Prepared, warning: dict[str, str] | None) -> Prepared:
    """``prepared`` with the warning of a late act on its event and its warning row."""
    if warning is None:
        return prepared
    prepared.data["warning"] = warning
    before = prepared.after

    def record(updated: Dossier, by: Actor) -> None:
        if before is not None:
            before(updated, by)
        late_act_record(updated, warning, timezone.now())

    prepared.after = record
    return prepared


def hand_off(dossier: Dossier, inputs: HandOffInput, reason: str, actor: Actor) -> Prepared:
    # Giao hồ sơ: to the unit chosen by the desk, else the procedure's competent unit.
    target = inputs.handling_unit or dossier.procedure_version.competent_unit
    if target is None:
        raise TransitionRefused(
            _("Cần chọn đơn vị giải quyết để chuyển hồ sơ."), field="handling_unit"
        )
    if not target.is_valid_on(timezone.localdate()):
        raise TransitionRefused(
            _("Đơn vị “%s” không còn hoạt động (đã giải thể, sáp nhập); hãy chọn đơn vị khác.")
            % target.name,
            field="handling_unit",
        )
    limit = hand_off_limit(dossier)
    warning = (
        late_act(WarningKind.HAND_OFF_LATE, limit, "NĐ 61/2018/NĐ-CP Điều 18 khoản 2")
        if limit is not None and is_late(limit)
        else None
    )
    prepared = Prepared({"handling_unit": target, "assignee": None}, {"to_unit": target.key})
    return _warned(prepared, warning)


def assign(dossier: Dossier, inputs: AssignInput, reason: str, actor: Actor) -> Prepared:
    """Phân công (or giao lại) the dossier to a specialist of the handling unit."""
    username = inputs.assignee
    if not username:
        raise TransitionRefused(_("Cần chọn chuyên viên được giao xử lý."), field="assignee")
    person = get_user_model().objects.filter(username=username, is_active=True).first()
    unit = dossier.handling_unit
    if person is None or unit is None or Role.SPECIALIST not in roles_at(person, unit):
        raise TransitionRefused(
            _("“%s” không phải chuyên viên thụ lý của đơn vị giải quyết.") % username[:60],
            field="assignee",
        )
    previous = dossier.assignee
    if previous is not None and previous.pk == person.pk:
        raise TransitionRefused(_("Hồ sơ đã được giao cho người này."), field="assignee")
    if previous is not None and not reason.strip():
        raise TransitionRefused(
            _("Giao lại hồ sơ cho người khác cần ghi rõ lý do."), field="reason"
        )
    return Prepared(
        {"assignee": person},
        {
            "assignee": person.get_username(),
            "assignee_name": getattr(person, "display_name", username),
            "previous": previous.get_username() if previous else None,
        },
    )


def transfer_out(dossier: Dossier, inputs: TransferOutInput, reason: str, actor: Actor) -> Prepared:
    """Liên thông: send the dossier to another agency (tax, police, land office…)."""
    partner = inputs.partner_unit
    if partner is None:
        raise TransitionRefused(_("Cần chọn cơ quan phối hợp (liên thông)."), field="partner_unit")
    if partner.pk in (dossier.handling_unit_id, dossier.receiving_unit_id):
        raise TransitionRefused(
            _("Cơ quan liên thông phải khác đơn vị đang giải quyết."), field="partner_unit"
        )
    if not partner.is_valid_on(timezone.localdate()):
        raise TransitionRefused(
            _("Đơn vị “%s” không còn hoạt động.") % partner.name, field="partner_unit"
        )
    return Prepared({"partner_unit": partner}, {"to_unit": partner.key})


def transfer_back(dossier: Dossier, inputs: ActionInput, reason: str, actor: Actor) -> Prepared:
    partner = dossier.partner_unit
    return Prepared({}, {"from_unit": partner.key if partner else None})


def request_supplement(
    dossier: Dossier, inputs: RequestSupplementInput, reason: str, actor: Actor
) -> Prepared:
    """NĐ 61/2018 Điều 16 (NĐ 118/2025): the applicant is told in writing, through the desk,
    everything to complete — once. How many requests a dossier may get is a setting
    (EGOV_SUPPLEMENT_REQUESTS_MAX, default 1) because local rules differ."""
    items = inputs.items
    if not items:
        raise TransitionRefused(
            _("Cần liệt kê đầy đủ các nội dung phải bổ sung, hoàn thiện."), field="items"
        )
    # Counted per phase: before an online dossier is accepted, and during processing.
    earlier = dossier.events.filter(action=A.REQUEST_SUPPLEMENT, from_status=dossier.status).count()
    if earlier >= settings.EGOV_SUPPLEMENT_REQUESTS_MAX:
        raise StateConflict(
            _(
                "Hồ sơ đã được yêu cầu bổ sung %d lần; theo quy định chỉ yêu cầu bổ sung một "
                "lần, liệt kê đầy đủ các nội dung. Nếu hồ sơ vẫn không đủ điều kiện, hãy dừng "
                "xử lý và nêu rõ lý do."
            )
            % earlier
        )
    number = dossier.events.filter(action=A.REQUEST_SUPPLEMENT).count() + 1
    data: dict[str, Any] = {"items": items, "number": number}
    if dossier.status != DossierStatus.PROCESSING:
        # Before an online dossier is received the desk's 8 working hours apply instead.
        return Prepared({}, data)
    rule = supplement_rule(dossier.procedure_version)
    now = timezone.now()
    applicant_limit = supplement_applicant_limit(dossier, now)
    if applicant_limit is not None:
        data["applicant_until"] = applicant_limit.isoformat()
    limit = supplement_request_limit(dossier)
    warning = (
        late_act(WarningKind.SUPPLEMENT_LATE, limit, rule.basis)
        if limit is not None and is_late(limit, now)
        else None
    )
    return _warned(Prepared({}, data), warning)


def request_payment(
    dossier: Dossier, inputs: RequestPaymentInput, reason: str, actor: Actor
) -> Prepared:
    amount = inputs.amount
    description = inputs.description or _("Nghĩa vụ tài chính")
    # The amount is a column too (``obligation_amount``): reports sum it without the JSON.
    return Prepared({"obligation_amount": amount}, {"amount": amount, "description": description})


def _amount_requested(dossier: Dossier) -> int | None:
    return dossier.obligation_amount


def paid(dossier: Dossier, inputs: PaidInput, reason: str, actor: Actor) -> Prepared:
    amount = inputs.amount
    method = inputs.method or PaymentMethod.OTHER_AGENCY
    if method not in PaymentMethod.values:
        raise TransitionRefused(_("Hình thức nộp tiền không hợp lệ."), field="method")
    requested = _amount_requested(dossier)
    if requested is not None and amount != requested:
        raise TransitionRefused(
            _("Số tiền đã nộp (%(paid)s đồng) khác số tiền phải nộp (%(due)s đồng).")
            % {"paid": thousands(amount), "due": thousands(requested)},
            field="amount",
        )
    reference = inputs.reference

    def record(updated: Dossier, by: Actor) -> None:
        DossierPayment.objects.create(
            dossier=updated,
            purpose=PaymentPurpose.OBLIGATION,
            amount=amount,
            method=method,
            reference=reference,
            recorded_by=person(by),
            paid_at=timezone.now(),
        )

    return Prepared({}, {"amount": amount, "method": method, "reference": reference}, record)


def return_result(
    dossier: Dossier, inputs: ReturnResultInput, reason: str, actor: Actor
) -> Prepared:
    received_by = inputs.received_by
    if not received_by:
        raise TransitionRefused(_("Cần ghi họ tên người nhận kết quả."), field="received_by")
    delivery = inputs.delivery or "counter"
    if delivery not in ("counter", "online"):
        raise TransitionRefused(
            _("Hình thức trả kết quả không hợp lệ (gửi qua bưu chính dùng thao tác riêng)."),
            field="delivery",
        )
    return Prepared({}, {"received_by": received_by, "delivery": delivery})


def send_by_post(dossier: Dossier, inputs: SendByPostInput, reason: str, actor: Actor) -> Prepared:
    recipient = inputs.recipient_name or dossier.applicant_name
    address = inputs.address or dossier.applicant_address
    if not address:
        raise TransitionRefused(_("Cần ghi địa chỉ nhận kết quả qua bưu chính."), field="address")
    raw_phone = inputs.recipient_phone
    try:
        phone = clean_phone(raw_phone) if raw_phone else dossier.applicant_phone
    except ValidationError as exc:
        raise TransitionRefused(" ".join(exc.messages), field="recipient_phone") from None

    def book(updated: Dossier, by: Actor) -> None:
        shipment = ResultShipment.objects.create(
            dossier=updated,
            recipient_name=recipient,
            recipient_phone=phone,
            address=address,
            requested_at=timezone.now(),
        )
        transaction.on_commit(lambda: book_result_shipment.enqueue(shipment.pk))

    return Prepared({}, {"recipient_name": recipient, "address": address}, book)


def _open_shipment(dossier: Dossier) -> ResultShipment | None:
    return (
        dossier.shipments.filter(status__in=[ShipmentStatus.REQUESTED, ShipmentStatus.BOOKED])
        .order_by("-requested_at", "-id")
        .first()
    )


def postal_delivered(
    dossier: Dossier, inputs: PostalDeliveredInput, reason: str, actor: Actor
) -> Prepared:
    received_by = inputs.received_by
    if not received_by:
        raise TransitionRefused(_("Cần ghi họ tên người đã nhận bưu gửi."), field="received_by")
    shipment = _open_shipment(dossier)
    tracking = inputs.tracking_number.upper()
    if postal_only(actor):
        # The postal service confirms only what it carries: a booked shipment, by its number.
        if shipment is None or shipment.status != ShipmentStatus.BOOKED:
            raise StateConflict(_("Hồ sơ chưa có bưu gửi được bưu chính nhận."))
        if not tracking:
            raise TransitionRefused(
                _("Cần số hiệu của bưu gửi đã được bưu chính nhận cho hồ sơ này."),
                field="tracking_number",
            )
    if shipment is not None and tracking and shipment.tracking_number not in ("", tracking):
        raise TransitionRefused(
            _("Số hiệu bưu gửi không khớp với hồ sơ này."), field="tracking_number"
        )

    def close(updated: Dossier, by: Actor) -> None:
        if shipment is not None:
            ResultShipment.objects.filter(pk=shipment.pk).update(
                status=ShipmentStatus.DELIVERED, closed_at=timezone.now()
            )

    return Prepared(
        {},
        {
            "received_by": received_by,
            "delivery": "post",
            "tracking_number": shipment.tracking_number if shipment else tracking,
        },
        close,
    )


def postal_failed(dossier: Dossier, inputs: ActionInput, reason: str, actor: Actor) -> Prepared:
    shipment = _open_shipment(dossier)
    if postal_only(actor) and (shipment is None or shipment.status != ShipmentStatus.BOOKED):
        raise StateConflict(_("Hồ sơ chưa có bưu gửi được bưu chính nhận."))

    def close(updated: Dossier, by: Actor) -> None:
        if shipment is not None:
            ResultShipment.objects.filter(pk=shipment.pk).update(
                status=ShipmentStatus.FAILED, closed_at=timezone.now()
            )

    return Prepared({}, {"tracking_number": shipment.tracking_number if shipment else ""}, close)


def supplemented(dossier: Dossier, inputs: ActionInput, reason: str, actor: Actor) -> Prepared:
    """The complete dossier is back: the legal time runs again by the version's supplement
    rule (restart unless sector law says otherwise, NĐ 61/2018 Điều 19 khoản 4)."""
    now = timezone.now()
    new_due, clock = supplemented_due(dossier, now)
    rule = supplement_rule(dossier.procedure_version)
    requested = dossier.events.filter(action=A.REQUEST_SUPPLEMENT).order_by("-sequence").first()
    limit = supplement_applicant_limit(dossier, requested.at) if requested is not None else None
    warning = (
        late_act(WarningKind.APPLICANT_LATE, limit, rule.basis)
        if limit is not None and is_late(limit, now)
        else None
    )
    prepared = Prepared(
        {"due_at": new_due},
        {
            "supplement_rule": clock,
            "supplement_basis": rule.basis,
            "due_at": new_due.isoformat() if new_due else None,
        },
    )
    return _warned(prepared, warning)


def next_result_code(dossier: Dossier) -> str:
    """The code the next approval gives its result: <dossier code>-KQ<n> (TT 01/2018/TT-VPCP
    Điều 19); n counts the results of this dossier, so an approval after a returned-and-reopened
    case gets the next number."""
    number = dossier.events.filter(action=A.APPROVE).count() + 1
    return result_code(dossier.code, number)


def approve(dossier: Dossier, inputs: ActionInput, reason: str, actor: Actor) -> Prepared:
    code = next_result_code(dossier)
    return Prepared({"result_code": code}, {"result_code": code})


def accept_online(dossier: Dossier, inputs: ActionInput, reason: str, actor: Actor) -> Prepared:
    """Accepting an online dossier: from now on it is received — it takes its entry in the
    unit's tracking book — and its legal time runs from this moment with the online
    channel's time (catalog) and the unit's calendar."""
    now = timezone.now()
    channel = dossier.procedure_version.channels.filter(kind=dossier.channel).first()
    if channel is None:
        raise TransitionRefused(_("Thủ tục không còn tiếp nhận qua hình thức này."))
    problem = appointment_problem(dossier.procedure_version, channel)
    if problem:
        raise TransitionRefused(problem)
    due, rule = due_moment(channel, now, calendar_for_unit(dossier.receiving_unit))
    # A dossier accepted again after an online supplement keeps its first entry in the book.
    book = book_entry(dossier.receiving_unit, now) if dossier.book_sequence is None else {}
    return Prepared(
        {"received_at": now, "due_at": due, "due_rule": rule, **book},
        {"due_at": due.isoformat() if due else None, "rule": rule},
        # The uploads become pending documents of the applicant's data store, for the desk to
        # check (TT 01/2023/TT-VPCP Điều 8; no scanning: TT 03/2025/TT-VPCP Điều 5 khoản 2).
        after=_uploads_to_store,
    )


def _uploads_to_store(dossier: Dossier, actor: Actor) -> None:
    online_uploads_store(actor=actor, dossier=dossier)


def resubmit_online(dossier: Dossier, inputs: ActionInput, reason: str, actor: Actor) -> Prepared:
    """The applicant completed an online dossier before its reception: the desk has again 8
    working hours to answer."""
    due = reception_deadline(dossier.receiving_unit, timezone.now())
    return Prepared({"reception_due_at": due, "due_at": due}, {"reception_due_at": due.isoformat()})


def _nothing(dossier: Dossier, inputs: ActionInput, reason: str, actor: Actor) -> Prepared:
    return Prepared()


# Each preparer takes the input model of its action (inputs.INPUT_MODELS).
PREPARERS: dict[str, Callable[[Dossier, Any, str, Actor], Prepared]] = {
    A.HAND_OFF: hand_off,
    A.ASSIGN: assign,
    A.TRANSFER_OUT: transfer_out,
    A.TRANSFER_BACK: transfer_back,
    A.REQUEST_SUPPLEMENT: request_supplement,
    A.SUPPLEMENTED: supplemented,
    A.REQUEST_PAYMENT: request_payment,
    A.PAID: paid,
    A.APPROVE: approve,
    A.ACCEPT_ONLINE: accept_online,
    A.RESUBMIT_ONLINE: resubmit_online,
    A.RETURN_RESULT: return_result,
    A.SEND_BY_POST: send_by_post,
    A.POSTAL_DELIVERED: postal_delivered,
    A.POSTAL_FAILED: postal_failed,
}


def prepare(
    action: A, dossier: Dossier, inputs: ActionInput, reason: str, actor: Actor
) -> Prepared:
    """What ``action`` changes and records, given its checked ``inputs``."""
    return PREPARERS.get(action, _nothing)(dossier, inputs, reason, actor)
