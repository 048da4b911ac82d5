"""The organisation since 01/07/2025 (issue 12, point 13): 54 commune-level service centres,
unit codes that nest as QCVN 102:2016 requires and are marked as placeholders, the statistics
office's commune codes, and the official codes loadable from the province's decision."""

import datetime as dt
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from egov.accounts.models import RoleAssignment
from egov.dossiers.services.reception import dossier_receive
from egov.dossiers.tests.helpers import reception, user
from egov.org.models import AdministrativeArea, AreaLevel, Unit, UnitKind, parent_code
from egov.org.selectors import area_by_gso_code, units_valid_on
from egov.org.services import DatasetError, org_load_dataset

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 1)
DATA = Path(__file__).resolve().parents[1] / "data" / "02-quang-ninh-2025.json"
GSO_SOURCE = "Công văn 1027/CTK-CSCL ngày 25/06/2025 của Cục Thống kê"


def test_parent_code_follows_the_four_levels():
    assert parent_code("001.02.89.H49") == "000.02.89.H49"
    assert parent_code("000.02.89.H49") == "000.00.89.H49"
    assert parent_code("000.00.89.H49") == "000.00.00.H49"
    assert parent_code("000.00.00.H49") is None


def test_every_code_nests_in_its_parents_code(quang_ninh):
    units = list(Unit.objects.exclude(code=None).select_related("parent"))
    codes = {u.code for u in units}
    placeholders = [u for u in units if u.code_placeholder and u.is_valid_on(TODAY)]
    assert len(placeholders) == 1 + 2 + 54 + 54  # provincial centre, 2 sở, UBND xã, centres
    for unit in placeholders:
        assert parent_code(unit.code) in codes, unit.key
        assert not unit.code_confirmed
    for unit in units:
        if unit.parent is not None and unit.parent.code:
            assert parent_code(unit.code) == unit.parent.code, unit.key
    hong_gai = Unit.objects.get(key="qn.x.hong-gai.ttpvhcc")
    assert (hong_gai.code, hong_gai.parent.code) == ("000.02.89.H49", "000.00.89.H49")
    ward = Unit.objects.get(key="qn.x.hong-gai.ubnd")
    assert (ward.code, ward.parent.code) == ("000.00.36.H49", "000.00.00.H49")


def test_commune_centres_are_centres_with_their_commune(quang_ninh):
    centre = Unit.objects.get(key="qn.x.hong-gai.ttpvhcc")
    assert (centre.name, centre.kind, centre.parent.key, centre.area.key) == (
        "Trung tâm Phục vụ hành chính công phường Hồng Gai",
        UnitKind.COMMUNE_SERVICE_CENTRE,
        "qn.ttpvhcc",
        "qn.x.hong-gai",
    )
    assert Unit.objects.get(key="qn.x.co-to-dk.ttpvhcc").name == (
        "Trung tâm Phục vụ hành chính công đặc khu Cô Tô"
    )
    assert Unit.objects.get(key="qn.x.cai-chien.ttpvhcc").name == (
        "Trung tâm Phục vụ hành chính công xã Cái Chiên"
    )
    assert not units_valid_on(TODAY).filter(name__startswith="Điểm tiếp nhận").exists()


def test_gso_codes_are_stored_for_every_commune(quang_ninh):
    communes = AdministrativeArea.objects.valid_on(TODAY).filter(level=AreaLevel.COMMUNE)
    codes = [a.gso_code for a in communes]
    assert len(codes) == 54 and len(set(codes)) == 54
    assert all(code and len(code) == 5 and code.isdigit() for code in codes)
    # The codes the legal review quotes (§7).
    quoted = {"06688": "Hạ Long", "06685": "Hồng Gai", "06967": "Cái Chiên"}
    quoted |= {"06994": "Vân Đồn", "07192": "Cô Tô"}
    assert {code: area_by_gso_code(code, TODAY).name for code in quoted} == quoted
    assert area_by_gso_code("06685", dt.date(2025, 6, 30)) is None  # not yet in force


def test_the_38_names_are_confirmed_with_the_gso_list(quang_ninh):
    communes = AdministrativeArea.objects.valid_on(TODAY).filter(level=AreaLevel.COMMUNE)
    assert not communes.filter(confirmed=False).exists()
    assert communes.filter(source__contains=GSO_SOURCE).count() == 54
    newly = communes.exclude(source__contains="soha.vn")
    assert newly.count() == 38
    for area in newly:
        assert area.source.startswith("NQ 1679/NQ-UBTVQH15"), area.key
        assert f"mã thống kê {area.gso_code}" in area.source, area.key
    out = StringIO()
    call_command("load_org", stdout=out)
    assert "Đơn vị hành chính cấp xã từ 01/07/2025: 54/54 — đủ\n" in out.getvalue()


def test_placeholder_codes_are_marked_in_the_api_admin_and_workspace(quang_ninh, client, settings):
    settings.EGOV_REQUIRE_STAFF_MFA = False
    answer = client.get("/api/v1/units/qn.x.hong-gai.ttpvhcc").json()
    assert (answer["code"], answer["code_placeholder"], answer["code_confirmed"]) == (
        "000.02.89.H49",
        True,
        False,
    )
    assert client.get("/api/v1/units/000.00.00.H49").json()["code_placeholder"] is False

    client.force_login(user("tinh.quantri"))
    page = client.get("/admin/org/unit/", {"q": "Hồng Gai"})
    assert page.status_code == 200
    page = page.content.decode()
    assert "000.02.89.H49 (mã tạm)" in page

    client.force_login(user("honggai.tiepnhan"))
    home = client.get("/staff/")
    assert home.status_code == 200
    home = home.content.decode()
    assert "000.02.89.H49; <span" in home and "mã tạm, chưa đối chiếu" in home


def test_an_old_reception_point_row_becomes_the_centre_with_its_dossiers(quang_ninh):
    """A database loaded before the change has "qn.x.hong-gai.diem": loading the data renames
    that row (previous_keys), so its dossiers, roles and counters follow the centre."""
    centre = Unit.objects.get(key="qn.x.hong-gai.ttpvhcc")
    request = reception()
    request.unit = centre
    dossier = dossier_receive(actor=user("honggai.tiepnhan"), reception=request)
    Unit.objects.filter(pk=centre.pk).update(
        key="qn.x.hong-gai.diem",
        name="Điểm tiếp nhận phường Hồng Gai",
        kind=UnitKind.RECEPTION_POINT,
        code_placeholder=False,
    )
    call_command("load_org", stdout=StringIO())
    dossier.refresh_from_db()
    assert dossier.receiving_unit.pk == centre.pk
    assert (dossier.receiving_unit.key, dossier.receiving_unit.name) == (
        "qn.x.hong-gai.ttpvhcc",
        "Trung tâm Phục vụ hành chính công phường Hồng Gai",
    )
    assert dossier.code.startswith("000.02.89.H49-")
    assert RoleAssignment.objects.filter(unit=centre, user=user("honggai.tiepnhan")).exists()
    assert not Unit.objects.filter(key="qn.x.hong-gai.diem").exists()


def test_old_and_new_key_both_present_is_an_error(quang_ninh):
    Unit.objects.create(key="t.old", name="Cũ", kind=UnitKind.OTHER)
    Unit.objects.create(key="t.new", name="Mới", kind=UnitKind.OTHER)
    data = {"units": [{"key": "t.new", "name": "Mới", "kind": "khac", "previous_keys": ["t.old"]}]}
    with pytest.raises(DatasetError) as error:
        org_load_dataset(data=data, actor=None)
    assert error.value.errors == [
        "units (t.new): nhiều đơn vị cùng ứng với khóa mới và khóa cũ: t.new, t.old"
    ]


def test_a_code_outside_its_parents_code_is_refused(quang_ninh):
    data = {
        "units": [
            {"key": "t.centre", "name": "TT", "kind": "ttpvhcc_xa", "code": "000.01.90.H49"},
            {
                "key": "t.point",
                "name": "Điểm",
                "kind": "diem_tiep_nhan",
                "code": "001.02.90.H49",
                "parent": "t.centre",
                "code_placeholder": True,
                "code_confirmed": True,
            },
        ]
    }
    with pytest.raises(DatasetError) as error:
        org_load_dataset(data=data, actor=None)
    assert error.value.errors == [
        "units[1] (t.point): mã tạm (code_placeholder) không thể là mã đã xác nhận",
        "units (t.point): mã định danh 001.02.90.H49 thuộc mã cấp trên 000.02.90.H49, không "
        "khớp mã 000.01.90.H49 của đơn vị cấp trên “t.centre” (QCVN 102:2016: mã cấp dưới "
        "lồng trong mã cấp trên)",
    ]


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "02-quang-ninh-2025.json"
    target.write_text(DATA.read_text(encoding="utf-8"), encoding="utf-8")
    return target


def test_official_codes_are_imported_from_the_decision(quang_ninh, tmp_path):
    dataset = _copy(tmp_path)
    table = tmp_path / "ma-dinh-danh.csv"
    table.write_text("name,code\nỦy ban nhân dân phường Hồng Gai,000.00.91.H49\n", encoding="utf-8")
    out = StringIO()
    call_command(
        "import_unit_codes",
        str(table),
        str(dataset),
        decision="QĐ 9999/QĐ-UBND ngày 01/12/2026 (thử)",
        load=True,
        stdout=out,
    )
    assert out.getvalue() == "02-quang-ninh-2025.json: 1 mã định danh được ghi\n"
    row = next(
        u for u in json.loads(dataset.read_text())["units"] if u["key"] == "qn.x.hong-gai.ubnd"
    )
    assert (row["code"], row["code_confirmed"], row["code_placeholder"]) == (
        "000.00.91.H49",
        True,
        False,
    )
    assert row["source"].startswith("Mã định danh theo QĐ 9999/QĐ-UBND ngày 01/12/2026 (thử); ")
    ward = Unit.objects.get(key="qn.x.hong-gai.ubnd")
    assert (ward.code, ward.code_confirmed, ward.code_placeholder) == ("000.00.91.H49", True, False)
    out = StringIO()
    call_command("load_org", str(dataset), stdout=out)
    assert "0 mới, 0 cập nhật" in out.getvalue()


def test_a_bad_code_table_writes_nothing(quang_ninh, tmp_path):
    dataset = _copy(tmp_path)
    before = dataset.read_text(encoding="utf-8")
    table = tmp_path / "ma-dinh-danh.csv"
    table.write_text(
        "key,code\n"
        "qn.x.hong-gai.ttpvhcc,000.02.77.H49\n"
        "qn.khong-co,000.00.92.H49\n"
        "qn.x.ha-long.ubnd,H49\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as error:
        call_command("import_unit_codes", str(table), str(dataset), decision="QĐ 1/QĐ-UBND")
    assert str(error.value).splitlines()[1:] == [
        "dòng 3: không có đơn vị khóa “qn.khong-co” trong tệp dữ liệu",
        "dòng 4: mã định danh “H49” sai cấu trúc QCVN 102:2016",
        "qn.x.hong-gai.ttpvhcc: mã 000.02.77.H49 không lồng trong mã 000.00.89.H49 của đơn vị "
        "cấp trên “qn.ttpvhcc” (QCVN 102:2016)",
    ]
    assert dataset.read_text(encoding="utf-8") == before
