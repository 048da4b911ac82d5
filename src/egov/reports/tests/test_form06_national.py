"""Biểu 06 counts what egov syncs to the national portal (issue 15: the national index scores
the province on the difference). The records in the national outbox, read as the portal reads
them — the last record of each dossier, ``NgayTiepNhan`` in the period, ``KenhThucHien`` 2 for
online, ``NgayKetThucXuLy`` against ``NgayHenTra`` — give the report's columns 4, 5 and 7–10."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from egov.contrib.dvcqg.client import parse_national_time
from egov.national.models import NationalSync
from egov.org.models import Unit
from egov.reports.form06 import form06_report
from egov.reports.periods import period_between
from egov.reports.tests.test_form06_flows import HKD, _online, act, at, received, withdrawn

pytestmark = pytest.mark.django_db


def national_view(first: dt.date, last: dt.date) -> dict[str, int]:
    latest: dict[str, dict[str, Any]] = {}
    for payload in NationalSync.objects.order_by("id").values_list("payload", flat=True):
        code = str(payload["MaHoSo"])
        if code not in latest or int(payload["ThuTuCapNhat"]) > int(latest[code]["ThuTuCapNhat"]):
            latest[code] = payload

    def day(value: object) -> dt.date | None:
        return parse_national_time(str(value)).date() if value else None

    view = dict.fromkeys(("online", "counter_post", "early", "on_time", "late"), 0)
    for record in latest.values():
        received_on, ended_on = day(record["NgayTiepNhan"]), day(record["NgayKetThucXuLy"])
        if received_on and first <= received_on <= last:
            view["online" if record["KenhThucHien"] == 2 else "counter_post"] += 1
        if received_on and ended_on and first <= ended_on <= last:
            due = parse_national_time(str(record["NgayHenTra"]))
            ended = parse_national_time(str(record["NgayKetThucXuLy"]))
            kind = "late" if ended > due else "early" if ended.date() < due.date() else "on_time"
            view[kind] += 1
    return view


def test_the_report_counts_what_the_national_portal_receives(quang_ninh, settings):
    settings.EGOV_NATIONAL_SYNC_ENABLED = True  # the outbox is written; nothing is sent here
    refused = _online("congdan.an", at(2026, 3, 2, 9))
    act("tinh.tiepnhan", refused, "refuse", "Không thuộc thẩm quyền", moment=at(2026, 3, 2, 10))
    _online("congdan.binh", at(2026, 3, 3, 9))  # still waiting for the desk: not received
    accepted = _online("congdan.chi", at(2026, 3, 2, 9))
    accepted = act("tinh.tiepnhan", accepted, "accept_online", moment=at(2026, 3, 2, 10))
    withdrawn(accepted, at(2026, 3, 2, 11))  # received, then ended early
    at_the_counter = [received(HKD, at(2026, 3, 4, 9)) for _ in range(2)]
    withdrawn(at_the_counter[0], at(2026, 3, 10, 9))  # after its appointment: late
    first, last = dt.date(2026, 3, 1), dt.date(2026, 3, 14)
    report = form06_report(
        period=period_between(first, last), unit=Unit.objects.get(key="qn.ttpvhcc")
    ).total
    assert national_view(first, last) == {
        "online": report.online,
        "counter_post": report.counter_post,
        "early": report.early,
        "on_time": report.on_time,
        "late": report.late,
    }
    assert (report.online, report.counter_post, report.early, report.late) == (1, 2, 1, 1)
