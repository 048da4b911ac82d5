"""Notices at the counter when a dossier is not received (Mẫu 02 guidance, Mẫu 03 refusal).

NĐ 61/2018/NĐ-CP (Điều 19) and TT 01/2018/TT-VPCP: an incomplete dossier is not simply handed
back — the officer gives guidance **once, in writing**, listing every item to complete; a
dossier that is not eligible is refused in writing with the reasons.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.actors import Actor, person
from egov.audit.services import audit_record
from egov.catalog.models import ProcedureVersion
from egov.core.identity import clean_phone
from egov.core.inputs import column_length, text_problem
from egov.core.numbering import Series, take_number, yearly
from egov.dossiers.models import CounterNotice, NoticeKind
from egov.dossiers.permissions import can_receive_at
from egov.org.models import Unit
from egov.workdays.engine import VIETNAM_TZ


def counter_notice_series(unit: Unit, kind: str, day: dt.date) -> Series:
    """Notices are numbered per unit, kind and year (from 1 on 1 January)."""
    return yearly("counter-notice", "unit", unit.pk, kind, on=day)


@transaction.atomic
def counter_notice_issue(
    *,
    actor: Actor,
    unit: Unit,
    version: ProcedureVersion,
    kind: str,
    applicant_name: str,
    applicant_phone: str = "",
    applicant_address: str = "",
    applicant_email: str = "",
    items: list[str] | None = None,
    reason: str = "",
) -> CounterNotice:
    officer = person(actor)
    if officer is None or not can_receive_at(officer, unit):
        raise ValidationError(_("Bạn không có vai trò tiếp nhận hồ sơ tại đơn vị này."))
    errors: dict[str, list[str]] = {}
    if kind not in NoticeKind.values:
        errors["kind"] = [_("Loại phiếu không hợp lệ.")]
    for name, value, column in (
        ("applicant_name", applicant_name, "applicant_name"),
        ("applicant_address", applicant_address, "applicant_address"),
    ):
        problem = text_problem(value.strip(), max_length=column_length(CounterNotice, column))
        if problem:
            errors[name] = [problem]
    if not applicant_name.strip() and "applicant_name" not in errors:
        errors["applicant_name"] = [_("Cần nhập họ tên người nộp.")]
    reason_problem = text_problem(reason.strip(), max_length=4000)
    if reason_problem:
        errors["reason"] = [reason_problem]
    cleaned_items = []
    for item in items or []:
        text = item.strip()
        problem = text_problem(text, max_length=500)
        if problem:
            errors["items"] = [problem]
        elif text and text not in cleaned_items:
            cleaned_items.append(text)
    if kind == NoticeKind.GUIDANCE and not cleaned_items:
        errors["items"] = [
            _("Phiếu hướng dẫn phải liệt kê đầy đủ các nội dung cần bổ sung, hoàn thiện.")
        ]
    if kind == NoticeKind.REFUSAL and not reason.strip():
        errors["reason"] = [_("Phiếu từ chối phải ghi rõ lý do.")]
    email = applicant_email.strip()
    if email:
        problem = text_problem(email, max_length=column_length(CounterNotice, "applicant_email"))
        try:
            if problem:
                raise ValidationError(problem)
            validate_email(email)
        except ValidationError:
            errors["applicant_email"] = [
                problem or _("Địa chỉ thư điện tử không hợp lệ (vd. ten@example.vn).")
            ]
    phone = ""
    if applicant_phone.strip():
        try:
            phone = clean_phone(applicant_phone)
        except ValidationError as exc:
            errors["applicant_phone"] = exc.messages
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    day = now.astimezone(VIETNAM_TZ).date()
    notice = CounterNotice.objects.create(
        kind=kind,
        number=take_number(counter_notice_series(unit, kind, day)),
        year=day.year,
        unit=unit,
        procedure_version=version,
        applicant_name=applicant_name.strip(),
        applicant_phone=phone,
        applicant_address=applicant_address.strip(),
        applicant_email=email,
        items=cleaned_items,
        reason=reason.strip(),
        created_by=officer,
        created_at=now,
    )
    audit_record(actor=actor, action=f"dossier.counter_{kind}", target=notice)
    return notice
