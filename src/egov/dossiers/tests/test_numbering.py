"""Dossier codes and counter notices through core.numbering: no gap after a rollback, the
four-digit daily limit, notice numbers under concurrency."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection, transaction
from django.utils import translation

from egov.catalog.selectors import version_by_code
from egov.core.models import NumberCounter
from egov.core.numbering import last_number
from egov.core.tests.test_numbering import run_at_once
from egov.dossiers.codes import DailyCodeLimitReached, dossier_code_series
from egov.dossiers.models import CounterNotice, Dossier
from egov.dossiers.services.notices import counter_notice_issue, counter_notice_series
from egov.dossiers.services.reception import dossier_receive
from egov.dossiers.tests.helpers import reception, user
from egov.org.models import Unit
from egov.workdays.engine import VIETNAM_TZ

MORNING = dt.datetime(2026, 4, 24, 10, 0, tzinfo=VIETNAM_TZ)


class _Undone(Exception):
    pass


@pytest.mark.django_db
@time_machine.travel(MORNING, tick=False)
def test_a_reception_that_rolls_back_leaves_no_gap(quang_ninh):
    receptionist = user("tinh.tiepnhan")
    first = dossier_receive(actor=receptionist, reception=reception())
    with pytest.raises(_Undone), transaction.atomic():
        undone = dossier_receive(actor=receptionist, reception=reception())
        assert undone.code.endswith("-260424-0002")
        raise _Undone
    again = dossier_receive(actor=receptionist, reception=reception())
    assert [first.code[-4:], again.code[-4:]] == ["0001", "0002"]
    assert list(Dossier.objects.values_list("code", flat=True).order_by("code")) == [
        first.code,
        again.code,
    ]


@pytest.mark.django_db
@time_machine.travel(MORNING, tick=False)
def test_the_ten_thousandth_dossier_of_a_day_is_refused_with_a_clear_message(quang_ninh):
    unit = Unit.objects.get(key="qn.ttpvhcc")
    receptionist = user("tinh.tiepnhan")
    NumberCounter.objects.create(
        series="dossier-code", scope=f"unit/{unit.pk}", period="2026-04-24", last=9998
    )
    last = dossier_receive(actor=receptionist, reception=reception())
    assert last.code == f"{unit.code}-260424-9999"
    message = (
        f"Đơn vị {unit.code} đã cấp đủ 9.999 mã hồ sơ trong ngày 24/04/2026 (số thứ tự trong "
        "mã hồ sơ có 4 chữ số); hồ sơ chưa được tạo. Vui lòng liên hệ quản trị hệ thống."
    )
    with pytest.raises(DailyCodeLimitReached) as refused:
        dossier_receive(actor=receptionist, reception=reception())
    assert refused.value.messages == [message]
    assert refused.value.code == "dossier_code_limit"
    with translation.override("en"), pytest.raises(DailyCodeLimitReached) as in_english:
        dossier_receive(actor=receptionist, reception=reception())
    assert in_english.value.messages == [
        f"Unit {unit.code} has issued all 9,999 dossier codes of 24/04/2026 (the sequence in "
        "a dossier code has 4 digits); the dossier was not created. Please contact the "
        "system administrator."
    ]
    assert Dossier.objects.count() == 1
    assert last_number(dossier_code_series(unit, dt.date(2026, 4, 24))) == 9999
    with time_machine.travel(MORNING + dt.timedelta(days=1), tick=False):
        next_day = dossier_receive(actor=receptionist, reception=reception())
    assert next_day.code == f"{unit.code}-260425-0001"


@pytest.mark.django_db
@time_machine.travel(MORNING, tick=False)
def test_the_limit_is_a_form_error_at_the_desk_and_a_422_in_the_api(quang_ninh, client, settings):
    from egov.dossiers.tests.test_staff_api import make_key, post

    unit = Unit.objects.get(key="qn.ttpvhcc")
    NumberCounter.objects.create(
        series="dossier-code", scope=f"unit/{unit.pk}", period="2026-04-24", last=9999
    )
    message = (
        f"Đơn vị {unit.code} đã cấp đủ 9.999 mã hồ sơ trong ngày 24/04/2026 (số thứ tự trong "
        "mã hồ sơ có 4 chữ số); hồ sơ chưa được tạo. Vui lòng liên hệ quản trị hệ thống."
    )
    version = version_by_code("1.001612")
    body = {
        "procedure": "1.001612",
        "applicant": {"name": "Nguyễn Văn An", "personal_id": "022084000123"},
        "components": [
            {"component_id": c.pk, "originals": 1} for c in version.components.filter(required=True)
        ],
    }
    response = post(client, "/api/v1/staff/dossiers", make_key(), body)
    assert response.status_code == 422
    assert response.json()["error"]["details"] == [
        {"field": "", "message": message, "code": "dossier_code_limit"}
    ]
    settings.EGOV_REQUIRE_STAFF_MFA = False
    client.force_login(user("tinh.tiepnhan"))
    form = {
        "channel": "counter",
        "applicant_kind": "citizen",
        "applicant_name": "Nguyễn Văn An",
        "applicant_personal_id": "022084000123",
        "sets": "1",
        "result_delivery": "counter",
        **{f"originals_{c.pk}": "1" for c in version.components.filter(required=True)},
    }
    page = client.post("/staff/tiep-nhan/?thu-tuc=1.001612", form)
    assert page.status_code == 200
    assert page.context["form"].non_field_errors() == [message]
    assert not Dossier.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_counter_notices_issued_at_once_get_consecutive_numbers(quang_ninh):
    workers = 20 if connection.vendor == "postgresql" else 8
    unit = Unit.objects.get(key="qn.ttpvhcc")
    version = version_by_code("1.001612")
    receptionist = user("tinh.tiepnhan")

    def issue(i: int) -> None:
        counter_notice_issue(
            actor=receptionist,
            unit=unit,
            version=version,
            kind="refusal" if i % 2 else "guidance",
            applicant_name=f"Người nộp {i}",
            items=["Bản sao CCCD"],
            reason="Không thuộc thẩm quyền",
        )

    assert run_at_once(workers, issue) == []
    for kind in ("guidance", "refusal"):
        numbers = CounterNotice.objects.filter(kind=kind).values_list("number", flat=True)
        assert sorted(numbers) == list(range(1, workers // 2 + 1))
        year = CounterNotice.objects.filter(kind=kind).values_list("year", flat=True).first()
        assert year is not None
        series = counter_notice_series(unit, kind, dt.date(year, 1, 1))
        assert last_number(series) == workers // 2
