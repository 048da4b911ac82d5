"""Demo dossiers for `make run`: a few hundred, over units, procedures and every state
(some overdue, some with supplement requests and apologies), received over the last weeks."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from egov.accounts.models import User
from egov.catalog.fees import quote
from egov.catalog.models import ChannelKind, ProcedureVersion, TimeKind
from egov.catalog.selectors import current_versions
from egov.demo.citizens import load_demo_citizen, return_demo_e_result
from egov.demo.showcase import load_showcase
from egov.dossiers.actions import DossierAction
from egov.dossiers.models import Dossier, DossierStatus
from egov.dossiers.services.apology import apology_problem, dossier_apologise
from egov.dossiers.services.reception import Applicant, Reception, dossier_receive
from egov.dossiers.services.transitions import dossier_transition
from egov.org.models import Unit
from egov.workdays.engine import VIETNAM_TZ
from egov.workdays.selectors import calendar_for_unit

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Minh", "Đức", "Thu", "Quốc", "Ngọc", "Hải", "Thanh", "Hồng"]
GIVEN = [
    "An",
    "Bình",
    "Chi",
    "Dũng",
    "Giang",
    "Hà",
    "Hùng",
    "Lan",
    "Linh",
    "Nam",
    "Phúc",
    "Quỳnh",
    "Sơn",
    "Tâm",
    "Trang",
    "Tuấn",
    "Vy",
    "Yến",
]
# Final state and the share of demo dossiers left in it.
PLAN = [
    (DossierStatus.RECEIVED, 12),
    (DossierStatus.PROCESSING, 30),
    (DossierStatus.INTERAGENCY, 4),
    ("apology", 6),
    (DossierStatus.SUPPLEMENT_REQUESTED, 10),
    (DossierStatus.AWAITING_PAYMENT, 5),
    (DossierStatus.RESULT_READY, 10),
    (DossierStatus.RESULT_IN_TRANSIT, 3),
    (DossierStatus.RETURNED, 20),
    (DossierStatus.WITHDRAWN, 4),
    (DossierStatus.STOPPED, 3),
]

# Who handles a dossier at its handling unit: (specialist, leader who assigns and approves).
# A commune-level procedure is handled by the ward's UBND; lý lịch tư pháp by Công an tỉnh from
# 01/07/2026 (Luật 107/2025/QH15, NĐ 216/2026/NĐ-CP), by Sở Tư pháp before.
HANDLING_STAFF = {
    "qn.so-tu-phap": ("tinh.chuyenvien", "tinh.lanhdaophong"),
    "qn.cong-an-tinh": ("congan.chuyenvien", "congan.lanhdao"),
    "qn.x.hong-gai.ubnd": ("honggai.chuyenvien", "honggai.lanhdao"),
}


def _applicant(rng: random.Random, index: int) -> Applicant:
    female = rng.random() < 0.5
    year = rng.randint(1950, 2004)
    century_gender = (0 if year < 2000 else 2) + (1 if female else 0)
    personal_id = f"022{century_gender}{year % 100:02d}{rng.randint(0, 999999):06d}"
    name = f"{rng.choice(FAMILY)} {'Thị' if female else rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
    phone = f"09{rng.choice('1468')}{rng.randint(0, 9999999):07d}"
    return Applicant(
        kind="citizen",
        name=name,
        personal_id=personal_id,
        phone=phone,
        address=f"Tổ {index % 40 + 1}, phường Hồng Gai, tỉnh Quảng Ninh",
    )


def _dated(version: ProcedureVersion, received: dt.datetime) -> ProcedureVersion:
    """The version in force on the day of reception (the dossier keeps it), when it gives an
    appointment at the counter; else the current one."""
    day = received.astimezone(VIETNAM_TZ).date()
    dated = (
        current_versions(day)
        .filter(procedure_id=version.procedure_id)
        .prefetch_related("channels", "components")
        .first()
    )
    if dated is None or not any(
        c.kind == ChannelKind.COUNTER and c.time_kind != TimeKind.UNKNOWN
        for c in dated.channels.all()
    ):
        return version
    return dated


def load_demo_dossiers(count: int = 240, seed: int = 2459) -> list[str]:
    """Create the demo dossiers once; returns a few codes to try in the public lookup. The
    demo citizen's e-result is approved last, in a transaction of its own (``dossier_approve``
    is durable: its result is signed there)."""
    codes = _load_dossiers(count, seed)
    return_demo_e_result()
    return codes


@transaction.atomic
def _load_dossiers(count: int, seed: int) -> list[str]:
    if Dossier.objects.exists():
        return list(Dossier.objects.order_by("id").values_list("code", flat=True)[:5])
    rng = random.Random(seed)
    users = {u.username: u for u in User.objects.filter(username__contains=".")}
    centre = Unit.objects.get(key="qn.ttpvhcc")
    point = Unit.objects.get(key="qn.x.hong-gai.ttpvhcc")
    ward = Unit.objects.get(key="qn.x.hong-gai.ubnd")
    versions = [
        v
        for v in current_versions().prefetch_related("channels", "components")
        if any(
            c.kind == ChannelKind.COUNTER and c.time_kind != TimeKind.UNKNOWN
            for c in v.channels.all()
        )
    ]
    calendar = calendar_for_unit(centre)
    now = timezone.now()
    fees = {
        v.pk: quote(c.fees.all()).total or 0
        for v in versions
        for c in v.channels.all()
        if c.kind == ChannelKind.COUNTER
    }
    plan = [status for status, share in PLAN for _ in range(share)]
    codes: list[str] = load_showcase(users)
    load_demo_citizen(users)
    for index in range(count):
        target = plan[index % len(plan)]
        version = rng.choice(versions)
        local = version.competent_unit is None and rng.random() < 0.5
        unit, desk = (point, "honggai") if local else (centre, "tinh")
        received = calendar.next_working_moment(
            now - dt.timedelta(days=rng.randint(0, 40), minutes=rng.randint(0, 600))
        )
        if target == "apology":  # recent, so that the due date is still ahead
            received = now - dt.timedelta(hours=rng.randint(1, 6))
        if received > now:
            received = now - dt.timedelta(hours=1)
        dated = _dated(version, received)
        reception = Reception(
            unit=unit,
            version=dated,
            channel=ChannelKind.COUNTER,
            applicant=_applicant(rng, index),
            components={c.pk: (1, 0) for c in dated.components.all() if c.required},
            fee_paid=fees.get(version.pk, 0) if index % 3 else 0,
        )
        dossier = dossier_receive(
            actor=users[f"{desk}.tiepnhan"], reception=reception, received_at=received
        )
        codes.append(dossier.code)
        handling = version.competent_unit or ward
        specialist, leader = HANDLING_STAFF[handling.key]
        partner = Unit.objects.get(key="qn.so-tu-phap") if handling == ward else ward
        steps: list[tuple[str, str, str, dict[str, object]]] = []
        if target != DossierStatus.RECEIVED:
            steps.append(
                (f"{desk}.tiepnhan", DossierAction.HAND_OFF, "", {"handling_unit": handling})
            )
            if index % 2 == 0:  # half of the dossiers in work are assigned to a person
                steps.append((leader, DossierAction.ASSIGN, "", {"assignee": specialist}))
        if target == DossierStatus.INTERAGENCY:
            steps.append(
                (
                    specialist,
                    DossierAction.TRANSFER_OUT,
                    "Xác minh thông tin cư trú",
                    {"partner_unit": partner},
                )
            )
        if target == DossierStatus.SUPPLEMENT_REQUESTED:
            items = ["Bản sao giấy tờ tùy thân", "Tờ khai có đủ chữ ký"]
            steps.append((specialist, DossierAction.REQUEST_SUPPLEMENT, "", {"items": items}))
        if target == DossierStatus.AWAITING_PAYMENT:
            steps.append(
                (
                    specialist,
                    DossierAction.REQUEST_PAYMENT,
                    "",
                    {"amount": 500_000, "description": "Lệ phí trước bạ"},
                )
            )
        if target in (
            DossierStatus.RESULT_READY,
            DossierStatus.RETURNED,
            DossierStatus.RESULT_IN_TRANSIT,
        ):
            steps.append((leader, DossierAction.APPROVE, "", {}))
        if target == DossierStatus.RETURNED:
            steps.append(
                (
                    f"{desk}.tiepnhan",
                    DossierAction.RETURN_RESULT,
                    "",
                    {"received_by": dossier.applicant_name, "delivery": "counter"},
                )
            )
        if target == DossierStatus.RESULT_IN_TRANSIT:
            steps.append((f"{desk}.tiepnhan", DossierAction.SEND_BY_POST, "", {}))
        if target == DossierStatus.WITHDRAWN:
            steps.append(
                (f"{desk}.tiepnhan", DossierAction.WITHDRAW, "Người nộp đề nghị rút hồ sơ", {})
            )
        if target == DossierStatus.STOPPED:
            steps.append((leader, DossierAction.STOP, "Không đủ điều kiện theo quy định", {}))
        for username, action, reason, data in steps:
            dossier = dossier_transition(
                actor=users[username],
                dossier=dossier,
                action=action,
                reason=reason,
                data=data,
            )
        if target == "apology" and dossier.due_at is not None:
            new_due = calendar.add_working_days(dossier.due_at, 3)
            if apology_problem(dossier, now, new_due) is None:
                dossier_apologise(
                    actor=users[leader],  # the competent agency's head signs (NĐ 61 Điều 19.9)
                    dossier=dossier,
                    new_due=new_due,
                    reason="Cần xác minh thêm thông tin",
                )
    # The same answer as a second run: the first codes (the showcase ones first).
    return list(Dossier.objects.order_by("id").values_list("code", flat=True)[:5])
