"""Staff pages of work files, registers and document search: the happy paths, bad input
answered with a message, and people of another agency kept out."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from egov.audit.models import AuditEntry
from egov.documents.models import WorkFile
from egov.documents.tests import conftest as documents_conftest
from egov.documents.tests.conftest import Province
from egov.documents.tests.helpers import received, text_pdf

pytestmark = pytest.mark.django_db
province = documents_conftest.province  # the documents tests' small province (fixture)


@pytest.fixture(autouse=True)
def _no_mfa(settings: Any) -> None:
    settings.EGOV_REQUIRE_STAFF_MFA = False


def _as(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def test_work_file_pages_from_planning_to_export(client: Client, province: Province) -> None:
    _as(client, province.specialist)
    url = reverse("workspace:work_files")
    response = client.post(
        f"{url}?nam=2026",
        {
            "don_vi": province.vx.pk,
            "ky_hieu": "01.VX",
            "tieu_de": "Hồ sơ tổ chức Tết",
            "bao_quan": "10",
        },
    )
    assert response.status_code == 302
    file = WorkFile.objects.get()
    assert file.file_code == "000.00.00.T01.2026.01.VX"
    listing = client.get(f"{url}?nam=2026")
    assert "Hồ sơ tổ chức Tết" in listing.content.decode()
    detail = reverse("workspace:work_file", kwargs={"pk": file.pk})
    action = reverse("workspace:work_file_action", kwargs={"pk": file.pk})
    assert client.post(action, {"action": "open"}).status_code == 302
    document = received(province, subject="Về việc chuẩn bị Tết", file=text_pdf("Nội dung"))
    found = client.get(f"{detail}?q=chuan bi tet").content.decode()
    assert "Về việc chuẩn bị Tết" in found
    add = reverse("workspace:work_file_add", kwargs={"pk": file.pk})
    assert client.post(add, {"loai": "den", "van_ban": document.pk}).status_code == 302
    assert file.links.get().incoming == document
    # Export only once closed.
    pdf_url = reverse("workspace:work_file_pdf", kwargs={"pk": file.pk})
    assert client.get(pdf_url).status_code == 302
    client.post(action, {"action": "close"})
    response = client.get(pdf_url)
    assert response.status_code == 200
    content = response.content
    assert len(PdfReader(io.BytesIO(content)).pages) == 3  # cover, index, the document
    assert AuditEntry.objects.filter(action="document.in.download").count() == 1
    xml = client.get(reverse("workspace:work_file_xml", kwargs={"pk": file.pk}))
    assert xml.status_code == 200 and xml["Content-Type"] == "application/xml"
    # Reopening needs the leader and a reason.
    client.post(action, {"action": "reopen", "reason": "Bổ sung"})
    file.refresh_from_db()
    assert file.status == "closed"
    _as(client, province.vx_leader)
    client.post(action, {"action": "reopen", "reason": "Bổ sung"})
    file.refresh_from_db()
    assert file.status == "open"


def test_bad_input_and_outsiders(client: Client, province: Province) -> None:
    _as(client, province.specialist)
    url = reverse("workspace:work_files")
    assert client.get(f"{url}?nam=abc").status_code == 400
    response = client.post(
        f"{url}?nam=2026", {"don_vi": province.vx.pk, "ky_hieu": "01 VX", "tieu_de": "X"}
    )
    assert response.status_code == 400
    assert "không có khoảng trắng" in response.content.decode()
    response = client.post(
        f"{url}?nam=2026", {"don_vi": province.other.pk, "ky_hieu": "01.X", "tieu_de": "X"}
    )
    assert response.status_code == 400  # not the specialist's unit
    client.post(
        f"{url}?nam=2026",
        {"don_vi": province.vx.pk, "ky_hieu": "01.VX", "tieu_de": "X"},
        follow=True,  # as a browser does: the success message is shown (and used up) there
    )
    file = WorkFile.objects.get()
    _as(client, province.outsider)
    for name in ("work_file", "work_file_pdf", "work_file_xml"):
        assert client.get(reverse(f"workspace:{name}", kwargs={"pk": file.pk})).status_code == 404
    for name in ("work_file_action", "work_file_add"):
        response = client.post(
            reverse(f"workspace:{name}", kwargs={"pk": file.pk}), {"action": "open"}
        )
        assert response.status_code == 404
    assert "01.VX" not in client.get(f"{url}?nam=2026").content.decode()


def test_register_downloads(client: Client, province: Province) -> None:
    received(province, subject="Về việc báo cáo", file=text_pdf("x"))
    today = timezone.localdate()
    query: dict[str, str | int] = {
        "co_quan": province.agency.pk,
        "so": "den",
        "tu": today.replace(day=1).isoformat(),
        "den": today.isoformat(),
    }
    url = reverse("workspace:document_registers")
    _as(client, province.clerk)
    assert province.agency.name in client.get(url).content.decode()
    response = client.get(url, {**query, "dinh_dang": "xlsx"})
    assert response.status_code == 200
    content = response.content
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet.cell(row=6, column=6).value == "Công văn: Về việc báo cáo"
    response = client.get(url, {**query, "dinh_dang": "pdf"})
    assert response.status_code == 200
    assert client.get(url, {**query, "dinh_dang": "pdf", "tu": "x"}).status_code == 400
    assert client.get(url, {**query, "dinh_dang": "pdf", "so": "x"}).status_code == 400
    # The other agency's clerk may not print this agency's registers.
    _as(client, province.other_clerk)
    assert client.get(url, {**query, "dinh_dang": "pdf"}).status_code == 403
    _as(client, province.specialist)
    assert client.get(url, {**query, "dinh_dang": "xlsx"}).status_code == 403


def test_search_page(client: Client, province: Province) -> None:
    received(province, subject="Về việc học tập Nghị quyết của Đảng", file=text_pdf("x"))
    url = reverse("workspace:document_search")
    _as(client, province.leader)
    page = client.get(url, {"q": "nghi quyet dang"}).content.decode()
    assert "Về việc học tập Nghị quyết của Đảng" in page
    assert client.get(url, {"q": "x", "sau": "rác"}).status_code == 200
    _as(client, province.outsider)
    assert "Nghị quyết" not in client.get(url, {"q": "nghi quyet dang"}).content.decode()
