"""The plan's targets on the Quảng Ninh demo data: the loader, the entry of a figure with
evidence (valid, invalid, wrong unit), the staff page, the progress report (PDF text, Excel)
and ``GET /api/v1/reports/plan-targets``."""

import datetime as dt
import io
import json
import subprocess
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from egov.accounts.models import RoleAssignment, User
from egov.accounts.services import api_client_create
from egov.audit.models import AuditEntry
from egov.org.models import Unit
from egov.reports.targets import Quarter, default_plan, plan_targets_for
from egov.reports.targets_models import PlanTarget, PlanTargetEntry
from egov.reports.targets_services import EntryInput, PlanDataError, plan_target_entry_record
from egov.workdays.engine import VIETNAM_TZ

DATA = (
    Path(__file__).resolve().parents[1] / "data" / "plan-targets" / "qd-2459-2012-quang-ninh.json"
)
TODAY = dt.datetime(2026, 12, 2, 10, 0, tzinfo=VIETNAM_TZ)
API_URL = "/api/v1/reports/plan-targets"


@pytest.fixture(autouse=True)
def _today(quang_ninh, settings):
    settings.EGOV_REPORT_PERIODS = "calendar"
    settings.EGOV_REQUIRE_STAFF_MFA = False
    with time_machine.travel(TODAY, tick=False):
        yield


def _staff(username, unit_key, role):
    user = User.objects.create_user(username=username, password="x", full_name=username.title())
    RoleAssignment.objects.create(user=user, unit=Unit.objects.get(key=unit_key), role=role)
    return user


@pytest.fixture
def science():
    """A specialist of Sở Khoa học và Công nghệ, responsible for 1.2.10 and 1.2.11."""
    return _staff("khcn.chuyenvien", "qn.so-khoa-hoc-va-cong-nghe", "specialist")


def _target(code):
    return PlanTarget.objects.valid_on(dt.date(2026, 12, 2)).get(code=code)


def test_demo_loads_the_targets_once_with_the_district_mapping():
    plan = default_plan()
    assert plan.key == "qd-2459-2012"
    assert PlanTarget.objects.count() == 13  # 11 targets, two of them in two versions
    before = AuditEntry.objects.count()
    out = StringIO()
    call_command("load_plan_targets", stdout=out)
    assert "0 phiên bản" in out.getvalue()
    assert AuditEntry.objects.count() == before
    district = PlanTarget.objects.filter(code="1.2.5").order_by("valid_from")
    assert (district[0].params["level"], district[0].valid_until) == (
        "huyen",
        dt.date(2025, 7, 1),
    )
    assert district[1].params == {"level": "xa"} and district[1].unconfirmed
    assert _target("1.2.10").target_value is None


def test_loader_refuses_a_broken_file(tmp_path):
    data = json.loads(DATA.read_text(encoding="utf-8"))
    data["targets"][0]["comparison"] = "≈"
    data["targets"][-1]["responsible_units"] = [{"unit": "qn.khong-co"}]
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(Exception, match="không hợp lệ") as caught:
        call_command("load_plan_targets", str(broken), stdout=StringIO())
    assert "qn.khong-co" in str(caught.value)
    with pytest.raises(PlanDataError):
        from egov.reports.targets_services import plan_targets_load

        plan_targets_load(actor=None, data={"plan": "", "title": ""})


def _pdf(name="minh-chung.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n%minh chung\n", content_type="application/pdf")


def test_the_responsible_unit_enters_a_figure_with_a_file(science):
    unit = Unit.objects.get(key="qn.so-khoa-hoc-va-cong-nghe")
    entry = plan_target_entry_record(
        actor=science,
        entry=EntryInput(
            target=_target("1.2.10"), unit=unit, year=2026, quarter=3, value=Decimal("82.5")
        ),
        upload=_pdf(),
        upload_name="minh-chung.pdf",
    )
    assert entry.evidence_file.name == "minh-chung.pdf"
    audit = AuditEntry.objects.filter(action="reports.plan_target_entered").get()
    assert audit.actor_id == science.pk and audit.details["value"] == "82.5"
    row = next(
        r for r in plan_targets_for(default_plan(), Quarter(2026, 3)) if r.target.code == "1.2.10"
    )
    assert (row.value, row.source, row.entry) == (Decimal("82.50"), "entered", entry)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"value": Decimal("120")}, "value", "không được lớn hơn 100"),
        ({"value": Decimal("-1")}, "value", "từ 0 đến 100000"),
        ({"quarter": 1, "year": 2027}, "quarter", "chưa bắt đầu"),
        ({"code": "1.2.1"}, "target", "không nhập tay"),
        ({"reference": ""}, "evidence_reference", "Cần có minh chứng"),
    ],
)
def test_invalid_entries_are_refused_with_a_clear_message(science, changes, field, message):
    unit = Unit.objects.get(key="qn.so-khoa-hoc-va-cong-nghe")
    entry = EntryInput(
        target=_target(changes.get("code", "1.2.11")),
        unit=unit,
        year=changes.get("year", 2026),
        quarter=changes.get("quarter", 3),
        value=changes.get("value", Decimal("50")),
        evidence_reference=changes.get("reference", "Báo cáo 12/BC-SKHCN"),
    )
    with pytest.raises(ValidationError) as caught:
        plan_target_entry_record(actor=science, entry=entry)
    assert any(message in text for text in caught.value.message_dict[field])
    assert not PlanTargetEntry.objects.exists()


def test_a_unit_not_responsible_is_refused():
    """Sở Nội vụ shares 1.2.10 (training) but not 1.2.11 (outreach); Sở Tư pháp neither."""
    home = _staff("snv.chuyenvien", "qn.so-noi-vu", "specialist")
    noi_vu = Unit.objects.get(key="qn.so-noi-vu")
    science = Unit.objects.get(key="qn.so-khoa-hoc-va-cong-nghe")
    for target, unit in (("1.2.11", noi_vu), ("1.2.11", science), ("1.2.10", science)):
        entry = EntryInput(
            target=_target(target),
            unit=unit,
            year=2026,
            quarter=3,
            value=Decimal(10),
            evidence_reference="Báo cáo 1/BC",
        )
        with pytest.raises(ValidationError, match="không thuộc đơn vị"):
            plan_target_entry_record(actor=home, entry=entry)
    entry = EntryInput(
        target=_target("1.2.10"),
        unit=noi_vu,
        year=2026,
        quarter=3,
        value=Decimal(10),
        evidence_reference="Báo cáo 1/BC",
    )
    assert plan_target_entry_record(actor=home, entry=entry).unit == noi_vu


def _form(target_code, unit_key, **extra):
    return {
        "target": _target(target_code).pk,
        "quarter": "2026-Q4",
        "unit": Unit.objects.get(key=unit_key).pk,
        "value": "64,5",
        "evidence_reference": "",
        "note": "",
        **extra,
    }


def test_entry_form(client, science):
    client.force_login(science)
    assert client.get(reverse("workspace:plan_target_entry")).status_code == 200
    url = reverse("workspace:plan_target_entry")
    response = client.post(url, _form("1.2.11", "qn.so-khoa-hoc-va-cong-nghe", value="abc"))
    assert response.status_code == 400
    assert "Giá trị phải là một số" in response.content.decode()
    response = client.post(url, _form("1.2.11", "qn.so-khoa-hoc-va-cong-nghe"))
    assert response.status_code == 400
    assert "Cần có minh chứng" in response.content.decode()
    response = client.post(url, _form("1.2.11", "qn.so-noi-vu", evidence_reference="BC 3"))
    assert response.status_code == 400
    assert "không thuộc đơn vị chịu trách nhiệm" in response.content.decode()
    bad_file = SimpleUploadedFile("a.txt", b"hello", content_type="text/plain")
    data = _form("1.2.11", "qn.so-khoa-hoc-va-cong-nghe", evidence_file=bad_file)
    response = client.post(url, data)
    assert response.status_code == 400
    assert "không đúng định dạng cho phép" in response.content.decode()
    assert not PlanTargetEntry.objects.exists()
    data = _form("1.2.11", "qn.so-khoa-hoc-va-cong-nghe", evidence_file=_pdf())
    response = client.post(url, data)
    assert response.status_code == 302
    entry = PlanTargetEntry.objects.get()
    assert (entry.value, entry.year, entry.quarter) == (Decimal("64.50"), 2026, 4)


def test_entry_form_is_refused_to_a_unit_with_no_target(client):
    client.force_login(User.objects.get(username="tinh.lanhdaophong"))
    assert client.get(reverse("workspace:plan_target_entry")).status_code == 403


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("tinh.quantri", 200),
        ("tinh.lanhdaotrungtam", 200),
        ("tinh.giamsat", 200),
        ("honggai.lanhdaotrungtam", 403),
        ("tinh.lanhdaophong", 403),
        ("tinh.tiepnhan", 403),
    ],
)
def test_page_is_for_the_provincial_level(client, username, status):
    client.force_login(User.objects.get(username=username))
    assert client.get(reverse("workspace:plan_targets")).status_code == status


def test_page_shows_every_target_with_its_source(client, science):
    unit = Unit.objects.get(key="qn.so-khoa-hoc-va-cong-nghe")
    plan_target_entry_record(
        actor=science,
        entry=EntryInput(
            target=_target("1.2.11"),
            unit=unit,
            year=2026,
            quarter=4,
            value=Decimal("40"),
            evidence_reference="Báo cáo 7/BC-SKHCN ngày 01/12/2026",
        ),
    )
    client.force_login(User.objects.get(username="tinh.giamsat"))
    html = client.get(reverse("workspace:plan_targets") + "?quy=2026-Q4").content.decode()
    for code in ("1.2.1", "1.2.5", "1.2.9", "1.2.10", "1.2.11"):
        assert f'data-code="{code}"' in html
    assert "Tính từ dữ liệu hệ thống" in html
    assert "Nhập có minh chứng — Sở Khoa học và Công nghệ tỉnh Quảng Ninh, Khcn.Chuyenvien" in html
    assert "Báo cáo 7/BC-SKHCN" in html
    assert "40,00 %" in html and "chưa xác định" in html
    assert "Quý 1/2026" in html  # the trend table, four quarters
    bad = client.get(reverse("workspace:plan_targets") + "?quy=2026-Q9")
    assert bad.status_code == 400 and "YYYY-Qn" in bad.content.decode()
    future = client.get(reverse("workspace:plan_targets") + "?quy=2027-Q2")
    assert future.status_code == 400 and "chưa bắt đầu" in future.content.decode()


def test_progress_report_opens_as_pdf_and_excel(client, tmp_path):
    client.force_login(User.objects.get(username="tinh.quantri"))
    url = reverse("workspace:plan_targets_report")
    response = client.get(url + "?quy=2026-Q3&dinh_dang=pdf")
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "BÁO CÁO TIẾN ĐỘ THỰC HIỆN CHỈ TIÊU ĐỀ ÁN — QUÝ 3/2026" in text
    assert "Sở Khoa học và Công nghệ tỉnh Quảng Ninh" in text
    assert "1.2.11" in text
    response = client.get(url + "?quy=2026-Q3&dinh_dang=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = rows.index(
        [
            "Mã",
            "Chỉ tiêu",
            "Chỉ tiêu đề ra",
            "Kết quả",
            "Đánh giá",
            "Các quý gần nhất",
            "Nguồn số liệu, minh chứng",
        ]
    )
    codes = [row[0] for row in rows[header + 1 :]]
    assert codes == [f"1.2.{n}" for n in range(1, 12)]
    api_rows = {r.target.code: r for r in plan_targets_for(default_plan(), Quarter(2026, 3))}
    for row in rows[header + 1 :]:
        expected = api_rows[row[0]].value
        assert row[3] == (float(expected) if expected is not None else "chưa có dữ liệu")
    assert client.get(url + "?quy=2026-Q3&dinh_dang=doc").status_code == 400


def _key(username):
    user = User.objects.get(username=username)
    role = RoleAssignment.objects.filter(user=user).first()
    _row, key = api_client_create(
        actor=None, name=f"t-{username}", unit=role.unit, role=role.role, scopes=["reports.read"]
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_api_returns_each_target(client, science):
    unit = Unit.objects.get(key="qn.so-khoa-hoc-va-cong-nghe")
    plan_target_entry_record(
        actor=science,
        entry=EntryInput(
            target=_target("1.2.10"),
            unit=unit,
            year=2026,
            quarter=3,
            value=Decimal("90"),
            evidence_reference="Báo cáo 5/BC-SKHCN",
        ),
        upload=_pdf(),
        upload_name="bc.pdf",
    )
    response = client.get(API_URL + "?quarter=2026-Q3", **_key("tinh.quantri"))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["quarter"] == "2026-Q3"
    assert body["reporting_unit"] == "qn.so-khoa-hoc-va-cong-nghe"
    targets = {t["code"]: t for t in body["targets"]}
    assert list(targets) == [f"1.2.{n}" for n in range(1, 12)]
    training = targets["1.2.10"]
    assert (training["value"], training["source"], training["target"], training["met"]) == (
        90.0,
        "entered",
        None,
        None,
    )
    assert training["evidence"]["reference"] == "Báo cáo 5/BC-SKHCN"
    assert training["evidence"]["file_name"] == "bc.pdf"
    signed = targets["1.2.7"]
    assert (signed["comparison"], signed["target"], signed["source"]) == ("gt", 60.0, "computed")
    assert signed["as_of"] == "2026-09-30" and signed["evidence"] is None
    # 1.2.3 in Q3 2026 is the commune-level version (districts abolished on 01/07/2025).
    assert "cấp xã" in targets["1.2.3"]["name"]
    assert len(targets["1.2.1"]["trend"]) == 4


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [("?quarter=2026-Q5", 422, "invalid_quarter"), ("?quarter=2030-Q1", 422, "invalid_quarter")],
)
def test_api_errors(client, query, status, code):
    response = client.get(API_URL + query, **_key("tinh.quantri"))
    assert response.status_code == status
    assert response.json()["error"]["code"] == code


def test_api_refuses_a_commune_role_and_a_missing_key(client):
    response = client.get(API_URL, **_key("honggai.lanhdaotrungtam"))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert client.get(API_URL).status_code == 401


def test_each_quarter_is_measured_by_the_target_version_then_in_force():
    plan = default_plan()
    before = {r.target.code: r.target for r in plan_targets_for(plan, Quarter(2025, 2))}
    after = {r.target.code: r.target for r in plan_targets_for(plan, Quarter(2025, 3))}
    assert before["1.2.3"].params == {"level": "huyen"}
    assert after["1.2.3"].params == {"level": "xa"}
    assert before["1.2.5"].valid_until == after["1.2.5"].valid_from == dt.date(2025, 7, 1)


@pytest.mark.parametrize(
    ("comparison", "value", "met"),
    [
        ("gt", "60", False),
        ("gt", "60.01", True),
        ("gte", "60", True),
        ("eq", "60", True),
        ("gte", "59.99", False),
        ("gte", None, None),
    ],
)
def test_met_follows_the_comparison(comparison, value, met):
    from egov.reports.targets import is_met

    target = PlanTarget(comparison=comparison, target_value=Decimal(60))
    assert is_met(target, None if value is None else Decimal(value)) is met
    assert is_met(PlanTarget(comparison="gte", target_value=None), Decimal(99)) is None


def test_the_reporting_department_sees_the_page_and_the_report(client):
    """Sở Khoa học và Công nghệ reports since 01/03/2025; a leader of another department does
    not see the page."""
    client.force_login(_staff("khcn.lanhdao", "qn.so-khoa-hoc-va-cong-nghe", "department_leader"))
    assert client.get(reverse("workspace:plan_targets")).status_code == 200
    report = client.get(reverse("workspace:plan_targets_report") + "?dinh_dang=xlsx")
    assert report.status_code == 200
    client.force_login(_staff("snv.lanhdao", "qn.so-noi-vu", "department_leader"))
    assert client.get(reverse("workspace:plan_targets")).status_code == 403
