"""Loads the Quảng Ninh demo data; running it twice changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management import call_command
from django.db import transaction

from egov.accounts.models import Role, RoleAssignment, User
from egov.accounts.services import admin_access_grant, role_assign, user_create_staff
from egov.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from egov.demo.centre import load_demo_queue
from egov.demo.documents import load_document_catalogues
from egov.demo.helpdesk import load_demo_questions
from egov.org.models import Unit
from egov.workdays.models import WorkPeriod, WorkSchedule

DEFAULT_SCHEDULE_NAME = "Giờ làm việc hành chính (mặc định)"
SATURDAY_SCHEDULE_NAME = "Trung tâm PVHCC phường Hồng Gai — làm việc cả sáng thứ Bảy"
# The same schedule's name in demo databases loaded before the commune centres (12/2026).
FORMER_SATURDAY_SCHEDULE_NAME = "Điểm tiếp nhận phường Hồng Gai — làm việc cả sáng thứ Bảy"


def _ensure_schedule(*, name: str, unit: Unit | None, saturday_morning: bool) -> None:
    if WorkSchedule.objects.filter(name=name, unit=unit).exists():
        return
    schedule = WorkSchedule.objects.create(
        name=name,
        unit=unit,
        source=(
            "Giả định của hệ thống, chưa đối chiếu: 07:30–11:30 và 13:30–17:00 (7,5 giờ/ngày), "
            "giờ hành chính phổ biến; QĐ 188/1999/QĐ-TTg quy định tuần 40 giờ (8 giờ/ngày) và "
            "mỗi tỉnh tự quy định giờ làm việc — sửa theo quyết định của UBND tỉnh "
            "(docs/calendar.md)."
        ),
    )
    days = list(range(5))
    for weekday in days:
        WorkPeriod.objects.create(
            schedule=schedule, weekday=weekday, start=dt.time(7, 30), end=dt.time(11, 30)
        )
        WorkPeriod.objects.create(
            schedule=schedule, weekday=weekday, start=dt.time(13, 30), end=dt.time(17, 0)
        )
    if saturday_morning:
        WorkPeriod.objects.create(
            schedule=schedule, weekday=5, start=dt.time(7, 30), end=dt.time(11, 30)
        )


def load_demo(*, actor: User | None = None, stdout: Any = None) -> list[str]:
    """Org structure, calendar decisions, office hours, demo accounts and the document
    catalogues (types, the demo agencies' văn thư settings); the documents themselves are
    ``egov.demo.documents.load_demo_documents``."""
    call_command("load_org", stdout=stdout)
    call_command("load_calendar", stdout=stdout)
    # The kinds of paper first (a migration loads them; a flushed database has none), so the
    # catalog's components get theirs as they are imported.
    call_command("load_document_kinds", stdout=stdout)
    call_command("import_catalog", stdout=stdout)
    call_command("load_plan_targets", stdout=stdout)
    created: list[str] = []
    with transaction.atomic():
        _ensure_schedule(name=DEFAULT_SCHEDULE_NAME, unit=None, saturday_morning=False)
        hong_gai = Unit.objects.get(key="qn.x.hong-gai.ttpvhcc")
        WorkSchedule.objects.filter(name=FORMER_SATURDAY_SCHEDULE_NAME, unit=hong_gai).update(
            name=SATURDAY_SCHEDULE_NAME
        )
        _ensure_schedule(name=SATURDAY_SCHEDULE_NAME, unit=hong_gai, saturday_morning=True)
        for account in DEMO_ACCOUNTS:
            user = User.objects.filter(username=account.username).first()
            if user is None:
                user = user_create_staff(
                    actor=actor,
                    username=account.username,
                    full_name=account.full_name,
                    email=f"{account.username}@demo.egov.local",
                    password=DEMO_PASSWORD,
                )
                created.append(account.username)
            for key in (account.unit_key, *account.also_at):
                unit = Unit.objects.get(key=key)
                if not RoleAssignment.objects.filter(
                    user=user, unit=unit, role=account.role
                ).exists():
                    role_assign(actor=actor, user=user, unit=unit, role=account.role)
            if account.role == Role.SYSTEM_ADMIN and not user.is_staff:
                root = Unit.objects.get(key=account.unit_key).parent_id is None
                admin_access_grant(actor=actor, user=user, provincial=root)
    load_document_catalogues()
    load_demo_questions()
    load_demo_queue()
    return created
