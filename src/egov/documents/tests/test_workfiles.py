"""Work files: the yearly list, the lifecycle with its events, file codes, documents linked
without copies with their DocOrdinal, the PDF and XML export, the nộp lưu due dates."""

from __future__ import annotations

import datetime as dt
import io
from xml.etree import ElementTree as ET

import pytest
import time_machine
from pypdf import PdfReader

from egov.audit.models import AuditEntry
from egov.core.models import StoredFile
from egov.documents.errors import TransitionRefused
from egov.documents.models import FileCatalogue, WorkFile, WorkFileDocument
from egov.documents.permissions import get_work_file_for_actor
from egov.documents.services.workfiles import (
    work_file_add_document,
    work_file_allowed_actions,
    work_file_plan,
    work_file_transition,
)
from egov.documents.tests.conftest import Province
from egov.documents.tests.helpers import issued, received, text_pdf
from egov.documents.workfile_export import work_file_pdf, work_file_xml
from egov.documents.workfile_selectors import file_documents, files_due_for_archive
from egov.documents.workfiles import WorkFileStatus, add_months

pytestmark = pytest.mark.django_db


def _plan(province: Province, notation: str = "01.VX", **extra: object) -> WorkFile:
    values: dict[str, object] = {
        "title": "Hồ sơ tổ chức Tết Nguyên đán 2026",
        "maintenance_years": 10,
    }
    values.update(extra)
    return work_file_plan(
        actor=province.specialist,
        unit=province.vx,
        year=2026,
        notation=notation,
        **values,  # type: ignore[arg-type]
    )


def test_plan_creates_the_yearly_list_and_the_file_code(province: Province) -> None:
    file = _plan(province)
    assert FileCatalogue.objects.filter(unit=province.vx, year=2026).count() == 1
    # The division has no code: the agency's mã định danh is used.
    assert file.organ_id == "000.00.00.T01"
    assert file.file_code == "000.00.00.T01.2026.01.VX"
    assert (file.status, file.maintenance, file.owner) == (
        WorkFileStatus.PLANNED,
        "10 năm",
        province.specialist,
    )
    second = _plan(province, "02.VX", maintenance_years=None)
    assert second.catalogue_id == file.catalogue_id
    assert second.maintenance == "Vĩnh viễn"
    assert [e.action for e in file.events.all()] == ["plan"]


@pytest.mark.parametrize("notation", ["", "01 VX", "x" * 21])
def test_bad_notation_is_refused(province: Province, notation: str) -> None:
    with pytest.raises(TransitionRefused):
        _plan(province, notation)


def test_same_notation_twice_in_a_year_is_refused(province: Province) -> None:
    _plan(province)
    with pytest.raises(TransitionRefused, match="đã có trong danh mục"):
        _plan(province)


def test_outsider_cannot_plan_nor_see(province: Province) -> None:
    with pytest.raises(TransitionRefused):
        work_file_plan(
            actor=province.outsider,
            unit=province.vx,
            year=2026,
            notation="09.VX",
            title="X",
            maintenance_years=5,
        )
    file = _plan(province)
    assert get_work_file_for_actor(province.outsider, file.pk) is None
    assert get_work_file_for_actor(province.vx_leader, file.pk) == file
    assert get_work_file_for_actor(province.leader, file.pk) == file  # agency above


def test_lifecycle_open_close_reopen_with_events(province: Province) -> None:
    file = _plan(province)
    assert work_file_allowed_actions(province.specialist, file) == ["open"]
    file = work_file_transition(
        actor=province.specialist, file=file, action="open", on=dt.date(2026, 1, 5)
    )
    assert (file.status, file.start_date) == (WorkFileStatus.OPEN, dt.date(2026, 1, 5))
    with pytest.raises(TransitionRefused):  # close before it started
        work_file_transition(
            actor=province.specialist, file=file, action="close", on=dt.date(2026, 1, 4)
        )
    file = work_file_transition(
        actor=province.specialist, file=file, action="close", on=dt.date(2026, 3, 2)
    )
    assert (file.status, file.end_date) == (WorkFileStatus.CLOSED, dt.date(2026, 3, 2))
    # Reopening: only the unit's leader, only with a reason.
    assert work_file_allowed_actions(province.specialist, file) == []
    with pytest.raises(TransitionRefused, match="không có quyền"):
        work_file_transition(actor=province.specialist, file=file, action="reopen", reason="x")
    with pytest.raises(TransitionRefused, match="lý do"):
        work_file_transition(actor=province.vx_leader, file=file, action="reopen")
    file = work_file_transition(
        actor=province.vx_leader, file=file, action="reopen", reason="Bổ sung báo cáo"
    )
    assert (file.status, file.end_date) == (WorkFileStatus.OPEN, None)
    events = list(file.events.values_list("sequence", "action", "from_status", "to_status"))
    assert events == [
        (1, "plan", "", "planned"),
        (2, "open", "planned", "open"),
        (3, "close", "open", "closed"),
        (4, "reopen", "closed", "open"),
    ]
    assert file.events.get(sequence=4).reason == "Bổ sung báo cáo"
    assert AuditEntry.objects.filter(action="work_file.reopen").count() == 1
    with pytest.raises(TransitionRefused):
        work_file_transition(actor=province.outsider, file=file, action="close")


def test_one_document_in_several_files_without_copy(province: Province) -> None:
    first = work_file_transition(actor=province.specialist, file=_plan(province), action="open")
    second = work_file_plan(
        actor=province.vx_leader,
        unit=province.vx,
        year=2026,
        notation="02.VX",
        title="Hồ sơ theo dõi thi đua",
        maintenance_years=None,
    )
    second = work_file_transition(actor=province.vx_leader, file=second, action="open")
    incoming = received(province, subject="Về việc tổ chức Tết", file=text_pdf("Công văn"))
    outgoing = issued(province, subject="Kế hoạch tổ chức Tết")
    files_before = StoredFile.objects.count()
    a = work_file_add_document(actor=province.specialist, file=first, document=incoming)
    b = work_file_add_document(actor=province.specialist, file=first, document=outgoing)
    c = work_file_add_document(actor=province.vx_leader, file=second, document=incoming)
    assert (a.doc_ordinal, b.doc_ordinal, c.doc_ordinal) == (1, 2, 1)
    assert (a.incoming, c.incoming) == (incoming, incoming)  # the same row, twice linked
    assert StoredFile.objects.count() == files_before  # nothing copied
    with pytest.raises(TransitionRefused, match="đã có"):
        work_file_add_document(actor=province.specialist, file=first, document=incoming)
    # The other agency's specialist may not add into (nor see) the file.
    with pytest.raises(TransitionRefused):
        work_file_add_document(actor=province.outsider, file=first, document=incoming)
    closed = work_file_transition(actor=province.specialist, file=first, action="close")
    with pytest.raises(TransitionRefused, match="đang mở"):
        work_file_add_document(actor=province.specialist, file=closed, document=outgoing)
    assert WorkFileDocument.objects.count() == 3


def test_document_the_actor_cannot_see_is_refused(province: Province) -> None:
    file = work_file_plan(
        actor=province.outsider,
        unit=province.other,
        year=2026,
        notation="01.SNV",
        title="Hồ sơ của Sở",
        maintenance_years=5,
    )
    file = work_file_transition(actor=province.outsider, file=file, action="open")
    incoming = received(province, subject="Của UBND tỉnh", file=text_pdf("x"))
    with pytest.raises(TransitionRefused, match="văn bản này"):
        work_file_add_document(actor=province.outsider, file=file, document=incoming)


def _filled(province: Province) -> WorkFile:
    file = work_file_transition(
        actor=province.specialist, file=_plan(province), action="open", on=dt.date(2026, 1, 5)
    )
    late = received(
        province,
        subject="Về việc báo cáo kết quả",
        issued_date=dt.date(2026, 2, 10),
        file=text_pdf("Trang một", "Trang hai"),
        code_number="30",
    )
    early = received(
        province,
        subject="Về việc chuẩn bị Tết",
        issued_date=dt.date(2026, 1, 8),
        file=text_pdf("Một trang"),
        code_number="05",
        organ_name="Sở Văn hóa",
    )
    paper = received(
        province,
        subject="Giấy mời họp",
        issued_date=dt.date(2026, 1, 20),
        page_amount=2,
        code_number="07",
    )
    for document in (late, early, paper):
        work_file_add_document(actor=province.specialist, file=file, document=document)
    return work_file_transition(
        actor=province.specialist, file=file, action="close", on=dt.date(2026, 3, 2)
    )


def test_documents_of_a_file_in_chronological_order(province: Province) -> None:
    file = _filled(province)
    order = [(f.number, f.link.doc_ordinal) for f in file_documents(file)]
    assert order == [("05/BNV-VP", 2), ("07/BNV-VP", 3), ("30/BNV-VP", 1)]


def test_export_pdf_is_cover_index_then_documents(province: Province) -> None:
    file = _filled(province)
    reader = PdfReader(io.BytesIO(work_file_pdf(file)))
    texts = [page.extract_text() for page in reader.pages]
    # Cover, index, then 1 page (05, 8 January) and 2 pages (30, 10 February); the paper
    # document has no file.
    assert len(texts) == 5
    assert "HỒ SƠ" in texts[0] and "000.00.00.T01.2026.01.VX" in texts[0]
    assert "Số lượng văn bản: 3" in texts[0] and "Số lượng tờ: 5" in texts[0]
    assert "MỤC LỤC VĂN BẢN" in texts[1]
    for needle in ("05/BNV-VP", "07/BNV-VP", "30/BNV-VP", "Không có tệp", "08/01/2026"):
        assert needle in texts[1]
    assert [t.strip() for t in texts[2:]] == ["Một trang", "Trang một", "Trang hai"]


def test_export_xml_has_the_phu_luc_vi_fields(province: Province) -> None:
    file = _filled(province)
    root = ET.fromstring(work_file_xml(file))  # noqa: S314 — our own output
    assert root.tag == "File"
    assert [(c.tag, c.text) for c in root.find("FileCode")] == [  # type: ignore[union-attr]
        ("OrganId", "000.00.00.T01"),
        ("FileCatalog", "2026"),
        ("FileNotation", "01.VX"),
    ]
    values = {child.tag: child.text or "" for child in root if len(child) == 0}
    assert values == {
        "Title": "Hồ sơ tổ chức Tết Nguyên đán 2026",
        "Maintenance": "10 năm",
        "Rights": "",
        "Creator": "Ngô Minh Chi",
        "Language": "Tiếng Việt",
        "StartDate": "2026-01-05",
        "EndDate": "2026-03-02",
        "DocTotal": "3",
        "PageTotal": "5",
        "Description": "",
    }
    documents = root.findall("Documents/Document")
    assert [d.findtext("CodeNumber") for d in documents] == ["05", "07", "30"]
    first = documents[0]
    assert first.get("direction") == "incoming"
    assert {
        tag: first.findtext(tag) or ""
        for tag in (
            "FileCode/FileNotation",
            "DocOrdinal",
            "TypeName",
            "CodeNotation",
            "IssuedDate",
            "OrganName",
            "Subject",
            "PageAmount",
            "Priority",
            "SignerInfo/FullName",
        )
    } == {
        "FileCode/FileNotation": "01.VX",
        "DocOrdinal": "2",
        "TypeName": "Công văn",
        "CodeNotation": "BNV-VP",
        "IssuedDate": "2026-01-08",
        "OrganName": "Sở Văn hóa",
        "Subject": "Về việc chuẩn bị Tết",
        "PageAmount": "1",
        "Priority": "0",
        "SignerInfo/FullName": "",
    }
    assert documents[1].findtext("PageAmount") == "2"  # paper: the page count entered


def test_outgoing_document_in_the_xml(province: Province) -> None:
    file = work_file_transition(actor=province.specialist, file=_plan(province), action="open")
    outgoing = issued(province, subject="Quyết định khen thưởng", issued_date=dt.date(2026, 1, 9))
    work_file_add_document(actor=province.specialist, file=file, document=outgoing)
    root = ET.fromstring(work_file_xml(file))  # noqa: S314 — our own output
    document = root.find("Documents/Document")
    assert document is not None
    assert document.get("direction") == "outgoing"
    assert document.findtext("CodeNumber") == "01"
    assert document.findtext("CodeNotation") == "QĐ-UBND"
    assert document.findtext("SignerInfo/Position") == "PHÓ CHỦ TỊCH"
    assert [t.findtext("OrganName") for t in document.findall("To")] == [
        "Sở Nội vụ tỉnh Thử",
        "Báo Quảng Ninh",
    ]


def test_archive_due_one_year_after_closing_with_a_30_day_warning(province: Province) -> None:
    file = _filled(province)  # closed on 2 March 2026, kept 10 years
    assert file.archive_due == dt.date(2027, 3, 2)
    assert file.archive_warning == dt.date(2027, 1, 31)
    assert files_due_for_archive(province.specialist, on=dt.date(2027, 1, 30)) == []
    assert files_due_for_archive(province.specialist, on=dt.date(2027, 1, 31)) == [
        (file, dt.date(2027, 3, 2))
    ]
    with time_machine.travel(dt.datetime(2027, 3, 5, 9, tzinfo=dt.UTC), tick=False):
        assert files_due_for_archive(province.vx_leader) == [(file, dt.date(2027, 3, 2))]
    assert files_due_for_archive(province.outsider, on=dt.date(2027, 3, 5)) == []


def test_construction_file_is_due_after_3_months_and_short_files_never(
    province: Province,
) -> None:
    building = _plan(province, "03.VX", construction=True)
    short = _plan(province, "04.VX", maintenance_years=2)
    for file in (building, short):
        file = work_file_transition(
            actor=province.specialist, file=file, action="open", on=dt.date(2026, 1, 5)
        )
        work_file_transition(
            actor=province.specialist, file=file, action="close", on=dt.date(2026, 11, 30)
        )
    building.refresh_from_db()
    short.refresh_from_db()
    assert building.archive_due == dt.date(2027, 2, 28)  # 30 November + 3 months
    assert short.archive_due is None  # kept under 5 years: stays with the unit
    assert files_due_for_archive(province.specialist, on=dt.date(2027, 1, 29)) == [
        (building, dt.date(2027, 2, 28))
    ]


def test_add_months() -> None:
    assert add_months(dt.date(2024, 2, 29), 12) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 2, 15), -3) == dt.date(2025, 11, 15)
