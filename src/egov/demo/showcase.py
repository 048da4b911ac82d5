"""Three demo dossiers with fixed codes, listed in the README so a newcomer can look them up
(the other demo dossiers are received "recently" and their codes change with the date).

They are received on fixed days of October 2025 at the provincial service centre, so their
codes are always ``000.00.89.H49-25100x-0001``. The lifecycle runs through the real services;
afterwards the event times are spread over the following working hours (demo data only), so
the timeline reads as it would have happened.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from egov.catalog.selectors import version_by_code
from egov.dossiers.actions import DossierAction
from egov.dossiers.models import Dossier, DossierEvent
from egov.dossiers.services.postal import shipment_book
from egov.dossiers.services.reception import Applicant, Reception, dossier_receive
from egov.dossiers.services.transitions import dossier_transition
from egov.org.models import Unit
from egov.workdays.engine import VIETNAM_TZ
from egov.workdays.selectors import calendar_for_unit

SHOWCASE_CODES = (
    "000.00.89.H49-251006-0001",  # returned by post after liên thông
    "000.00.89.H49-251007-0001",  # waiting for a supplement (Mẫu 02)
    "000.00.89.H49-251008-0001",  # assigned to a specialist, overdue
)
PROCEDURE = "qn-cap-phieu-ly-lich-tu-phap"

Step = tuple[str, str, str, dict[str, Any]]


def _steps_returned_by_post() -> list[Step]:
    return [
        ("tinh.tiepnhan", DossierAction.HAND_OFF, "", {}),
        ("tinh.lanhdaophong", DossierAction.ASSIGN, "", {"assignee": "tinh.chuyenvien"}),
        (
            "tinh.chuyenvien",
            DossierAction.TRANSFER_OUT,
            "Xác minh nơi cư trú",
            {"partner_unit": "qn.x.hong-gai.ubnd"},
        ),
        (
            "honggai.chuyenvien",
            DossierAction.TRANSFER_BACK,
            "Đã xác minh: thông tin cư trú đúng",
            {},
        ),
        ("tinh.chuyenvien", DossierAction.SUBMIT_FOR_APPROVAL, "", {}),
        ("tinh.lanhdaophong", DossierAction.APPROVE, "", {}),
        ("tinh.tiepnhan", DossierAction.SEND_BY_POST, "", {}),
        ("tinh.buudien", DossierAction.POSTAL_DELIVERED, "", {"received_by": "Phạm Thị Hoa"}),
    ]


SHOWCASE: list[tuple[dt.datetime, Applicant, list[Step]]] = [
    (
        dt.datetime(2025, 10, 6, 8, 30, tzinfo=VIETNAM_TZ),
        Applicant(
            kind="citizen",
            name="Phạm Thị Hoa",
            personal_id="022185004512",
            phone="0912000111",
            address="Tổ 2, khu 3, phường Hồng Gai, tỉnh Quảng Ninh",
        ),
        _steps_returned_by_post(),
    ),
    (
        dt.datetime(2025, 10, 7, 9, 15, tzinfo=VIETNAM_TZ),
        Applicant(
            kind="citizen",
            name="Đoàn Văn Khải",
            personal_id="022079003377",
            phone="0987000222",
            address="Tổ 8, phường Bãi Cháy, tỉnh Quảng Ninh",
        ),
        [
            ("tinh.tiepnhan", DossierAction.HAND_OFF, "", {}),
            (
                "tinh.chuyenvien",
                DossierAction.REQUEST_SUPPLEMENT,
                "Tờ khai thiếu thông tin nơi cư trú trước đây",
                {"items": ["Tờ khai bổ sung nơi cư trú từ năm 14 tuổi", "Bản sao CCCD"]},
            ),
        ],
    ),
    (
        dt.datetime(2025, 10, 8, 14, 0, tzinfo=VIETNAM_TZ),
        Applicant(
            kind="citizen",
            name="Vương Thị Lụa",
            personal_id="022196001234",
            phone="0904000333",
            address="Thôn 1, xã Vân Đồn, tỉnh Quảng Ninh",
        ),
        [
            ("tinh.tiepnhan", DossierAction.HAND_OFF, "", {}),
            ("tinh.lanhdaophong", DossierAction.ASSIGN, "", {"assignee": "tinh.chuyenvien2"}),
        ],
    ),
]


def load_showcase(users: dict[str, Any]) -> list[str]:
    """Create the showcase dossiers (the caller loads demo data once)."""
    centre = Unit.objects.get(key="qn.ttpvhcc")
    calendar = calendar_for_unit(centre)
    if version_by_code(PROCEDURE) is None:
        return []
    codes = []
    for received, applicant, steps in SHOWCASE:
        # The version in force on the day of reception, which the dossier keeps.
        version = version_by_code(PROCEDURE, received.astimezone(VIETNAM_TZ).date())
        if version is None:
            continue
        dossier = dossier_receive(
            actor=users["tinh.tiepnhan"],
            reception=Reception(
                unit=centre,
                version=version,
                channel="counter",
                applicant=applicant,
                components={c.pk: (1, 0) for c in version.components.filter(required=True)},
                fee_paid=0,
            ),
            received_at=received,
        )
        for username, action, reason, data in steps:
            dossier = dossier_transition(
                actor=users[username], dossier=dossier, action=action, reason=reason, data=data
            )
            if action == DossierAction.SEND_BY_POST:
                for shipment in dossier.shipments.all():
                    shipment_book(shipment_id=shipment.pk)
        moment = received
        for event in dossier.events.exclude(action=DossierAction.RECEIVE).order_by("sequence"):
            moment = calendar.add_working_hours(moment, 3)
            DossierEvent.objects.filter(pk=event.pk).update(at=moment)
        dossier.shipments.update(requested_at=moment, booked_at=moment)
        codes.append(dossier.code)
    return codes


def showcase_present() -> bool:
    return Dossier.objects.filter(code__in=SHOWCASE_CODES).count() == len(SHOWCASE_CODES)
