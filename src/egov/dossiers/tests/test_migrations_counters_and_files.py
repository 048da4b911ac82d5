"""Data migrations of issue 10: counters into core.numbering, file columns into core.StoredFile."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from egov.catalog.selectors import version_by_code
from egov.core.models import NumberCounter, StoredFile
from egov.dossiers.models import DossierComponent, DossierFile
from egov.dossiers.services.notices import counter_notice_issue
from egov.dossiers.services.reception import dossier_receive
from egov.dossiers.tests.helpers import reception, user
from egov.org.models import Unit
from egov.portal.models import DraftFile
from egov.workdays.engine import VIETNAM_TZ

MORNING = dt.datetime(2026, 4, 24, 10, 0, tzinfo=VIETNAM_TZ)


COUNTERS_BEFORE = [("dossiers", "0008_backfill_completion_and_obligations")]


@pytest.mark.django_db(transaction=True)
def test_counters_continue_where_they_stood_after_the_migration(quang_ninh):
    unit = Unit.objects.get(key="qn.ttpvhcc")
    other = Unit.objects.get(key="qn.x.hong-gai.ttpvhcc")
    receptionist = user("tinh.tiepnhan")
    version = version_by_code("1.001612")
    executor = MigrationExecutor(connection)
    executor.migrate(COUNTERS_BEFORE)
    old = executor.loader.project_state(COUNTERS_BEFORE).apps
    old.get_model("dossiers", "DossierCodeCounter").objects.bulk_create(
        [
            old.get_model("dossiers", "DossierCodeCounter")(
                unit_id=unit.pk, day=dt.date(2026, 4, 24), last=41
            ),
            old.get_model("dossiers", "DossierCodeCounter")(
                unit_id=other.pk, day=dt.date(2026, 4, 23), last=7
            ),
        ]
    )
    notice = old.get_model("dossiers", "CounterNotice")
    for kind, year, number in (
        ("guidance", 2026, 1),
        ("guidance", 2026, 3),
        ("refusal", 2026, 2),
        ("guidance", 2025, 12),
    ):
        notice.objects.create(
            kind=kind,
            number=number,
            year=year,
            unit_id=unit.pk,
            procedure_version_id=version.pk,
            applicant_name="An",
            created_by_id=receptionist.pk,
            created_at=MORNING,
        )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert set(NumberCounter.objects.values_list("series", "scope", "period", "last")) == {
        ("counter-notice", f"unit/{unit.pk}/guidance", "2025", 12),
        ("counter-notice", f"unit/{unit.pk}/guidance", "2026", 3),
        ("counter-notice", f"unit/{unit.pk}/refusal", "2026", 2),
        ("dossier-code", f"unit/{other.pk}", "2026-04-23", 7),
        ("dossier-code", f"unit/{unit.pk}", "2026-04-24", 41),
    }
    with time_machine.travel(MORNING, tick=False):
        dossier = dossier_receive(actor=receptionist, reception=reception())
        guidance = counter_notice_issue(
            actor=receptionist,
            unit=unit,
            version=version,
            kind="guidance",
            applicant_name="An",
            items=["Tờ khai"],
        )
    assert dossier.code == f"{unit.code}-260424-0042"
    assert (guidance.year, guidance.number) == (2026, 4)


FILES_BEFORE = [
    ("dossiers", "0009_code_and_notice_counters_to_numbering"),
    ("portal", "0001_application_drafts"),
]
SHA = {name: name[0] * 64 for name in ("scan", "result", "upload", "draft")}


@pytest.mark.django_db(transaction=True)
def test_file_columns_become_one_stored_file_per_storage_key(quang_ninh):
    receptionist, citizen = user("tinh.tiepnhan"), user("honggai.tiepnhan")
    with time_machine.travel(MORNING, tick=False):
        first = dossier_receive(actor=receptionist, reception=reception())
        second = dossier_receive(actor=receptionist, reception=reception())
    version = version_by_code("1.001612")
    executor = MigrationExecutor(connection)
    executor.migrate(FILES_BEFORE)
    old = executor.loader.project_state(FILES_BEFORE).apps
    old.get_model("dossiers", "Dossier").objects.filter(pk=second.pk).update(owner=citizen.pk)
    component = old.get_model("dossiers", "DossierComponent").objects.filter(dossier=first.pk)[0]
    component.scan = "dossiers/2026/04/quet.pdf"
    component.scan_name = "tờ khai.pdf"
    component.scan_content_type = "application/pdf"
    component.scan_size = 1234
    component.scan_sha256 = SHA["scan"]
    component.save()
    old_file = old.get_model("dossiers", "DossierFile")
    later = MORNING + dt.timedelta(days=3)
    columns = {"content_type": "application/pdf", "size": 10}
    rows = {
        # The reuse is listed before the result it reuses: the result still gives the moment.
        "reused": old_file.objects.create(
            dossier_id=second.pk,
            source="reused",
            code=f"{first.code}-KQ1",
            path="results/2026/04/kq.pdf",
            name="kq.pdf",
            sha256=SHA["result"],
            added_at=later,
            **columns,
        ),
        "result": old_file.objects.create(
            dossier_id=first.pk,
            source="result",
            code=f"{first.code}-KQ1",
            path="results/2026/04/kq.pdf",
            name="kq.pdf",
            sha256=SHA["result"],
            added_at=MORNING,
            **columns,
        ),
        "upload": old_file.objects.create(
            dossier_id=second.pk,
            source="upload",
            path="applications/2026/04/cccd.png",
            name="cccd.png",
            sha256=SHA["upload"],
            added_at=later,
            content_type="image/png",
            size=20,
        ),
    }
    draft = old.get_model("portal", "ApplicationDraft").objects.create(
        owner_id=citizen.pk, version_id=version.pk, dossier_id=second.pk
    )
    open_draft = old.get_model("portal", "ApplicationDraft").objects.create(
        owner_id=citizen.pk, version_id=version.pk
    )
    component_id = component.component_id
    old_draft_file = old.get_model("portal", "DraftFile")
    submitted = old_draft_file.objects.create(
        draft=draft,
        component_id=component_id,
        path="applications/2026/04/cccd.png",
        name="cccd.png",
        content_type="image/png",
        size=20,
        sha256=SHA["upload"],
    )
    pending = old_draft_file.objects.create(
        draft=open_draft,
        component_id=component_id,
        path="applications/2026/04/nhap.pdf",
        name="nháp.pdf",
        content_type="application/pdf",
        size=30,
        sha256=SHA["draft"],
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    stored = {f.key: f for f in StoredFile.objects.all()}
    assert {
        key: (f.name, f.content_type, f.size, f.sha256, f.uploaded_by_id, f.uploaded_at)
        for key, f in stored.items()
    } == {
        "dossiers/2026/04/quet.pdf": (
            "tờ khai.pdf",
            "application/pdf",
            1234,
            SHA["scan"],
            None,
            first.received_at,
        ),
        "results/2026/04/kq.pdf": ("kq.pdf", "application/pdf", 10, SHA["result"], None, MORNING),
        "applications/2026/04/cccd.png": (
            "cccd.png",
            "image/png",
            20,
            SHA["upload"],
            citizen.pk,
            later,
        ),
        "applications/2026/04/nhap.pdf": (
            "nháp.pdf",
            "application/pdf",
            30,
            SHA["draft"],
            citizen.pk,
            pending.added_at,
        ),
    }
    assert DossierComponent.objects.get(pk=component.pk).scan == stored["dossiers/2026/04/quet.pdf"]
    files = {name: DossierFile.objects.get(pk=row.pk).file for name, row in rows.items()}
    assert files == {
        "reused": stored["results/2026/04/kq.pdf"],
        "result": stored["results/2026/04/kq.pdf"],
        "upload": stored["applications/2026/04/cccd.png"],
    }
    assert DraftFile.objects.get(pk=submitted.pk).file == stored["applications/2026/04/cccd.png"]
    assert DraftFile.objects.get(pk=pending.pk).file == stored["applications/2026/04/nhap.pdf"]
