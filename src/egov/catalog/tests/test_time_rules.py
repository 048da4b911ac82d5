"""Time rules of procedure versions: the dated versions that enter the law's times, supplement
rules and lawful extensions, and how a catalog file closes the version they replace."""

import copy
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from egov.catalog.models import ProcedureVersion, SupplementClock, TimeKind
from egov.catalog.selectors import version_by_code
from egov.catalog.services import CatalogImportError, catalog_import
from egov.catalog.time_rules import lawful_extensions, supplement_rule
from egov.catalog.transfer import dumps, export_catalog

pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parents[1] / "data" / "quang-ninh-seed.json"
BEFORE, FROM = dt.date(2026, 11, 30), dt.date(2026, 12, 1)


def _version(key, on):
    return (
        ProcedureVersion.objects.valid_on(on)
        .filter(procedure__key=key, status__in=["published", "superseded"])
        .get()
    )


@pytest.mark.parametrize(
    ("key", "kind", "amount"),
    [
        ("qn-dang-ky-giam-ho", TimeKind.WORKING_DAYS, Decimal(3)),  # Luật Hộ tịch Điều 20.2
        ("qn-dang-ky-cham-dut-giam-ho", TimeKind.WORKING_DAYS, Decimal(2)),  # Điều 22.2
        ("qn-dang-ky-nhan-cha-me-con", TimeKind.WORKING_DAYS, Decimal(3)),  # Điều 25.2
        ("qn-chung-thuc-hop-dong-dong-san", TimeKind.WORKING_DAYS, Decimal(2)),  # NĐ 23 Điều 37
        ("qn-cap-ban-sao-tu-so-goc", TimeKind.WITHIN_DAY, None),  # NĐ 23 Điều 7, 17.4
    ],
)
def test_times_fixed_by_law_apply_from_the_new_version(catalog, key, kind, amount):
    old, new = _version(key, BEFORE), _version(key, FROM)
    assert old.channels.get(kind="counter").time_kind == TimeKind.UNKNOWN
    assert (old.status, old.valid_until) == ("superseded", FROM)
    channel = new.channels.get(kind="counter")
    # Published, or (hộ tịch) superseded from 01/03/2027 by the Luật Hộ tịch 2026 version.
    assert (new.number, new.valid_from) == (old.number + 1, FROM)
    assert new.status in ("published", "superseded")
    assert (channel.time_kind, channel.time_amount) == (kind, amount)


def test_every_procedure_version_in_force_has_a_time_or_says_why_not(catalog):
    """15 of the 19 "chưa xác định" get a time; the 4 left have none the law fixes that could
    be checked, and say so (reception of them is refused, dossiers.services.deadlines)."""
    unknown = sorted(
        v.procedure.key
        for v in ProcedureVersion.objects.valid_on(FROM).filter(status="published")
        if any(c.time_kind == TimeKind.UNKNOWN for c in v.channels.all())
    )
    assert unknown == [
        "qn-chuyen-muc-dich-su-dung-dat",
        "qn-cong-nhan-ho-ngheo",
        "qn-dang-ky-dat-dai-lan-dau",
        "qn-xac-dinh-muc-do-khuyet-tat",
    ]
    for key in unknown:
        assert "cách thức thực hiện và thời hạn" in _version(key, FROM).unconfirmed


def test_time_taken_from_memory_is_marked_unconfirmed(catalog):
    version = _version("qn-tach-ho", FROM)
    assert version.channels.get(kind="counter").time_amount == Decimal(5)
    assert "thời hạn 05 ngày làm việc (Luật Cư trú 2020 Điều 25)" in version.unconfirmed


def test_cutoff_where_the_law_has_it_with_its_basis(catalog):
    birth = version_by_code("1.001193", FROM).channels.get(kind="counter")
    assert (birth.time_kind, birth.cutoff) == (TimeKind.IMMEDIATE, dt.time(15, 0))
    assert birth.cutoff_basis == "Luật Hộ tịch 60/2014/QH13 Điều 5 khoản 3"
    copy_ = version_by_code("2.000815", FROM).channels.get(kind="counter")
    assert copy_.cutoff_basis == "NĐ 23/2015/NĐ-CP Điều 7"
    # The version in force before keeps its data: khai sinh without a cut-off.
    assert version_by_code("1.001193", BEFORE).channels.get(kind="counter").cutoff is None


def test_supplement_rule_general_and_sector_override(catalog):
    general = supplement_rule(version_by_code("1.001612", FROM))
    assert (general.clock, general.request_days, general.applicant_days) == ("restart", 3, None)
    assert general.basis == "NĐ 61/2018/NĐ-CP Điều 19 khoản 4" and general.general
    # Versions entered before the rule was checked ("unknown") follow the general rule.
    old = version_by_code("1.004837", BEFORE)
    assert old.supplement_clock == SupplementClock.UNKNOWN
    assert supplement_rule(old).clock == "restart"
    permit = supplement_rule(_version("qn-cap-gpxd-nha-o-rieng-le", dt.date(2026, 7, 1)))
    assert (permit.request_days, permit.applicant_days) == (3, 2)
    assert permit.basis == "NĐ 217/2026/NĐ-CP Điều 54 khoản 2 điểm a, b" and not permit.general
    before_permit = _version("qn-cap-gpxd-nha-o-rieng-le", dt.date(2026, 6, 30))
    assert supplement_rule(before_permit).applicant_days is None


def test_lawful_extensions_are_version_data(catalog):
    (copy_extension,) = lawful_extensions(version_by_code("2.000815", FROM))
    assert (copy_extension.mode, copy_extension.amount) == ("add", 2)
    assert copy_extension.basis == "NĐ 23/2015/NĐ-CP Điều 21" and copy_extension.confirmed
    assert copy_extension.label == "kéo dài thêm không quá 2 ngày làm việc"
    (marriage,) = lawful_extensions(version_by_code("1.000894", FROM))
    assert (marriage.mode, marriage.time_kind, marriage.amount) == ("total", "working_days", 5)
    (record,) = lawful_extensions(_version("qn-cap-phieu-ly-lich-tu-phap", FROM))
    assert (record.time_kind, record.amount, record.confirmed) == ("calendar_days", 15, False)
    assert lawful_extensions(version_by_code("2.000815", BEFORE)) == []


def test_seed_imported_again_over_the_old_catalog_closes_the_old_versions(catalog):
    """A database that has the first catalog (every v1 open-ended) takes the new seed: the v1
    in force ends the day its successor starts, its content untouched; again: no change."""
    seed = json.loads(SEED.read_text(encoding="utf-8"))
    first = copy.deepcopy(seed)
    for procedure in first["procedures"]:
        procedure["versions"] = [
            dict(v, status="published", valid_until=None)
            for v in procedure["versions"]
            if v["number"] == 1
        ]
    ProcedureVersion.objects.all().delete()
    catalog_import(actor=None, data=first)
    v1 = version_by_code("1.004837", FROM)
    assert (v1.number, v1.valid_until) == (1, dt.date(9999, 12, 31))
    result = catalog_import(actor=None, data=seed)
    assert result.updated == len(seed["procedures"])  # each v1 is closed by its successor
    assert result.created == sum(len(p["versions"]) - 1 for p in seed["procedures"])
    v1.refresh_from_db()
    # Closed when the first law-dated version starts (NĐ 224/2026, from 01/07/2026).
    assert (v1.status, v1.valid_until) == ("superseded", dt.date(2026, 7, 1))
    assert version_by_code("1.004837", FROM).number == 3
    again = catalog_import(actor=None, data=json.loads(dumps(export_catalog())))
    assert (again.created, again.updated) == (0, 0)


def test_closing_may_not_change_the_content_of_a_published_version(catalog):
    data = export_catalog()
    procedure = next(p for p in data["procedures"] if p["key"] == "qn-dang-ky-giam-ho")
    latest = procedure["versions"][-1]
    procedure["versions"][-1] = dict(
        latest, status="superseded", valid_until="2028-01-01", name="Tên khác"
    )
    with pytest.raises(CatalogImportError, match="không ghi đè phiên bản đã công bố"):
        catalog_import(actor=None, data=json.loads(dumps(data)))


def test_bad_extension_rejected_with_its_problems(catalog):
    data = export_catalog()
    version = data["procedures"][0]["versions"][-1]
    version["number"] = 99
    version["status"] = "draft"
    version["lawful_extensions"] = [
        {"key": "X", "name": "", "mode": "later", "time_kind": "hours", "amount": 0}
    ]
    with pytest.raises(CatalogImportError) as caught:
        catalog_import(actor=None, data=json.loads(dumps(data)))
    text = "\n".join(caught.value.errors)
    for part in ("key:", "name:", "mode:", "time_kind:", "amount:"):
        assert part in text


def test_procedure_page_and_api_show_the_rules_in_force(catalog, client):
    import time_machine

    from egov.workdays.engine import VIETNAM_TZ

    with time_machine.travel(dt.datetime(2026, 12, 2, 9, 0, tzinfo=VIETNAM_TZ), tick=False):
        page = client.get("/thu-tuc/2.000815/").content.decode()
        detail = client.get("/api/v1/procedures/2.000815").json()
    assert "nhận sau 15:00 trả vào ngày làm việc tiếp theo; NĐ 23/2015/NĐ-CP Điều 7" in page
    assert (
        "thời hạn giải quyết được tính lại từ đầu khi nhận đủ hồ sơ" in page
        and "Cơ quan giải quyết thông báo bổ sung trong 3 ngày làm việc kể từ ngày tiếp nhận."
        in page
    )
    assert "kéo dài thêm không quá 2 ngày làm việc" in page
    assert detail["channels"][0]["cutoff_basis"] == "NĐ 23/2015/NĐ-CP Điều 7"
    assert detail["supplement"] == {
        "clock": "restart",
        "request_days": 3,
        "applicant_days": None,
        "basis": "NĐ 61/2018/NĐ-CP Điều 19 khoản 4",
    }
    assert detail["lawful_extensions"][0]["basis"] == "NĐ 23/2015/NĐ-CP Điều 21"
    record = client.get("/thu-tuc/qn-cap-phieu-ly-lich-tu-phap/").content.decode()
    assert "Luật Lý lịch tư pháp 28/2009/QH12 Điều 48 khoản 2; chưa đối chiếu" in record
