"""A demo citizen with online dossiers in the states that matter online, for `make run`: one
waiting for the desk's answer, one waiting for payment (try the VNPAY simulator), one returned
with an e-result to download, check (/xac-thuc-van-ban/) and rate. Demo data only."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.utils import timezone
from reportlab.lib.pagesizes import A4

from egov.accounts.citizens import ProfileInput, citizen_profile_save
from egov.accounts.models import CitizenProfile, User
from egov.catalog.selectors import version_by_code
from egov.core.models import StoredFile
from egov.core.printing.pdf import finish, new_document, register_font
from egov.core.uploads import store_private
from egov.demo.accounts import DEMO_PASSWORD
from egov.demo.e_result import HouseholdBusiness, household_business_certificate
from egov.dossiers.actions import DossierAction
from egov.dossiers.models import Dossier, DossierStatus
from egov.dossiers.services.online import OnlineSubmission, dossier_submit_online
from egov.dossiers.services.reception import Applicant
from egov.dossiers.services.results import dossier_approve
from egov.dossiers.services.transitions import dossier_transition
from egov.org.models import Unit

CITIZEN_USERNAME = "congdan.an"
CITIZEN_EMAIL = "an.nguyen@congdan.example.vn"
CITIZEN_PHONE = "0912345678"
PROCEDURE = "1.001612"


def _pdf(title: str) -> io.BytesIO:
    """A stand-in for an applicant's scan: one page naming the component (embedded font)."""
    font = register_font()
    canvas, buffer = new_document(A4, title=title)
    canvas.setFont(font, 14)
    canvas.drawString(72, 760, title)
    canvas.setFont(font, 10)
    canvas.drawString(72, 740, "Tệp minh họa của bản demo egov")
    return _named(finish(canvas, buffer))


def _named(data: bytes) -> io.BytesIO:
    buffer = io.BytesIO(data)
    buffer.name = "demo.pdf"
    return buffer


def _certificate(dossier: Dossier, issued_on: dt.date) -> io.BytesIO:
    return _named(
        household_business_certificate(
            HouseholdBusiness(
                authority=("ỦY BAN NHÂN DÂN", "PHƯỜNG HỒNG GAI"),
                place="Hồng Gai",
                registration_number="22A8000001",
                name="HỘ KINH DOANH AN NGUYÊN",
                location="Tổ 3, khu 5, phường Hồng Gai, tỉnh Quảng Ninh",
                lines_of_business=(
                    "Bán lẻ lương thực, thực phẩm trong các cửa hàng chuyên doanh",
                    "Dịch vụ ăn uống",
                ),
                capital=100_000_000,
                owner="Nguyễn Văn An",
                owner_born=dt.date(1984, 5, 12),
                owner_id="022084000123",
                owner_address="Tổ 3, khu 5, phường Hồng Gai, tỉnh Quảng Ninh",
                dossier_code=dossier.code,
                issued_on=issued_on,
                signer_title="KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
                signer="Nguyễn Văn Nam",
            )
        )
    )


def load_demo_citizen(users: dict[str, Any]) -> User | None:
    """Create the demo citizen and its online dossiers once."""
    if User.objects.filter(username=CITIZEN_USERNAME).exists():
        return None
    version = version_by_code(PROCEDURE)
    if version is None:
        return None
    citizen = User.objects.create_user(
        CITIZEN_USERNAME, email=CITIZEN_EMAIL, password=DEMO_PASSWORD
    )
    citizen_profile_save(
        actor=citizen,
        user=citizen,
        data=ProfileInput(
            full_name="Nguyễn Văn An",
            personal_id="022084000123",
            phone=CITIZEN_PHONE,
            address="Tổ 3, khu 5, phường Hồng Gai, tỉnh Quảng Ninh",
        ),
    )
    # Demo data: the number counts as verified, so `make run` can show the phone sign-in.
    CitizenProfile.objects.filter(user=citizen).update(phone_verified_at=timezone.now())
    centre = Unit.objects.get(key="qn.ttpvhcc")
    required = list(version.components.filter(required=True))

    def submit() -> Dossier:
        files: dict[int, list[StoredFile]] = {
            c.pk: [
                store_private(
                    _pdf(c.name),
                    original_name=f"{c.pk}.pdf",
                    prefix="applications",
                    uploaded_by=citizen,
                )
            ]
            for c in required
        }
        return dossier_submit_online(
            actor=citizen,
            submission=OnlineSubmission(
                owner=citizen,
                unit=centre,
                version=version,
                applicant=Applicant(
                    kind="citizen",
                    name="Nguyễn Văn An",
                    personal_id="022084000123",
                    phone=CITIZEN_PHONE,
                    email=CITIZEN_EMAIL,
                    address="Tổ 3, khu 5, phường Hồng Gai, tỉnh Quảng Ninh",
                ),
                files=files,
            ),
        )

    def move(dossier: Dossier, username: str, action: str, **data: Any) -> Dossier:
        return dossier_transition(actor=users[username], dossier=dossier, action=action, data=data)

    submit()  # waits for the desk (8 working hours)
    paying = submit()
    paying = move(paying, "tinh.tiepnhan", DossierAction.ACCEPT_ONLINE)
    paying = move(
        paying, "tinh.tiepnhan", DossierAction.HAND_OFF, handling_unit="qn.x.hong-gai.ubnd"
    )
    move(
        paying,
        "honggai.chuyenvien",
        DossierAction.REQUEST_PAYMENT,
        amount=100000,
        description="Lệ phí",
    )
    done = submit()
    done = move(done, "tinh.tiepnhan", DossierAction.ACCEPT_ONLINE)
    move(done, "tinh.tiepnhan", DossierAction.HAND_OFF, handling_unit="qn.x.hong-gai.ubnd")
    return citizen


def return_demo_e_result() -> Dossier | None:
    """The demo citizen's third dossier: approved by the ward's leader through
    ``dossier_approve`` with its result file (the one place where an e-result gets the
    competent agency's signature) and returned online. Idempotent; call it outside any
    transaction (the approval is a durable one)."""
    citizen = User.objects.filter(username=CITIZEN_USERNAME).first()
    if citizen is None:
        return None
    dossier = Dossier.objects.filter(owner=citizen).order_by("id")[2:3].first()
    if dossier is None or dossier.status != DossierStatus.PROCESSING:
        return dossier
    leader = User.objects.get(username="honggai.lanhdao")
    approved = dossier_approve(
        actor=leader,
        dossier=dossier,
        result=_certificate(dossier, timezone.localdate()),
        result_name="giay-chung-nhan.pdf",
    )
    return dossier_transition(
        actor=User.objects.get(username="tinh.tiepnhan"),
        dossier=approved,
        action=DossierAction.RETURN_RESULT,
        data={"received_by": "Nguyễn Văn An", "delivery": "online"},
    )
