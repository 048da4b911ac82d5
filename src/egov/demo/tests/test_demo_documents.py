"""The demo's official documents: every outgoing and incoming state, real signatures from the
development PKI (the session's, through `signing_settings`), loaded once; the PKI `make run`
prepares."""

from __future__ import annotations

import http.client
from collections import Counter
from pathlib import Path

import pytest
from django.apps import apps
from django.utils import timezone

from egov.core.models import StoredFile
from egov.core.tests.pdf_fonts import not_embedded
from egov.core.uploads import open_private
from egov.demo.documents import HEADLINE_SUBJECT, load_demo_documents
from egov.devserver import prepare_dev_pki, start_trust_services
from egov.documents.catalogue import AgencySettings, UnitAbbreviation
from egov.documents.models import (
    Assignment,
    ElectronicCopy,
    IncomingDocument,
    OutgoingDocument,
    OutgoingEvent,
    VersionKind,
)
from egov.documents.selectors import due_soon_assignments, overdue_assignments
from egov.signing.verification import Verdict, verify_pdf

pytestmark = pytest.mark.django_db


def _documents_rows() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in {"documents", "core", "audit"}
    }


def _pdf(document: OutgoingDocument, kind: str) -> bytes:
    version = document.versions.filter(kind=kind).select_related("file").get()
    with open_private(version.file.key) as handle:
        data: bytes = handle.read()
    return data


def test_demo_documents_in_every_state_signed_and_loaded_once(quang_ninh, signing_settings):
    number = load_demo_documents()

    assert number == "01/QĐ-UBND"
    outgoing = Counter(OutgoingDocument.objects.values_list("status", flat=True))
    assert outgoing == {
        "draft": 2,
        "unit_review": 1,
        "format_check": 1,
        "approval": 1,
        "signed": 1,
        "registered": 2,
        "agency_signed": 1,
        "issued": 2,
    }
    incoming = Counter(IncomingDocument.objects.values_list("status", flat=True))
    assert incoming == {
        "received": 1,
        "registered": 2,
        "distributed": 3,
        "completed": 1,
        "returned": 1,
    }
    # Every step is an event row written by the services.
    for document in OutgoingDocument.objects.all():
        actions = list(document.events.order_by("sequence").values_list("action", flat=True))
        assert actions[0] == "create"
        assert OutgoingEvent.objects.filter(document=document).count() == len(actions)
    returned = OutgoingDocument.objects.get(subject__startswith="Mời dự Hội nghị")
    assert list(returned.events.order_by("sequence").values_list("action", flat=True)) == [
        "create",
        "submit",
        "return",
    ]

    # The issued quyết định: both signatures valid (the leader's and the agency's).
    headline = OutgoingDocument.objects.get(subject=HEADLINE_SUBJECT)
    assert headline.status == "issued" and headline.number_text == "01/QĐ-UBND"
    assert headline.delegation == "KT." and headline.signer.username == "tinh.lanhdaoubnd"
    result = verify_pdf(_pdf(headline, VersionKind.AGENCY_SIGNED))
    assert result.verdict == Verdict.VALID
    assert [(s.verdict, s.signer_name) for s in result.signatures] == [
        (Verdict.VALID, "Nguyễn Văn Dũng"),
        (Verdict.VALID, "UBND tỉnh Quảng Ninh"),
    ]
    signed_only = OutgoingDocument.objects.get(status="signed")
    personal = verify_pdf(_pdf(signed_only, VersionKind.PERSONAL_SIGNED))
    assert personal.verdict == Verdict.VALID and len(personal.signatures) == 1
    # It reached Sở Tư pháp as an incoming document with the signed file.
    delivered = IncomingDocument.objects.get(source_outgoing=headline)
    assert delivered.status == "received" and delivered.agency.key == "qn.so-tu-phap"
    assert delivered.file_id is not None

    # The văn thư's electronic sao y of it: its own number, three valid signatures.
    (copy,) = ElectronicCopy.objects.all()
    assert (copy.number_text, copy.outgoing, copy.made_by.username) == (
        "01/SY-UBND",
        headline,
        "tinh.vanthu",
    )
    with open_private(copy.file.key) as handle:
        copied = verify_pdf(handle.read())
    assert copied.verdict == Verdict.VALID
    assert [s.signer_name for s in copied.signatures] == [
        "Nguyễn Văn Dũng",
        "UBND tỉnh Quảng Ninh",
        "UBND tỉnh Quảng Ninh",
    ]

    # Secret documents: metadata only.
    secret_out = OutgoingDocument.objects.get(confidentiality="secret")
    assert secret_out.status == "registered" and not secret_out.versions.exists()
    secret_in = IncomingDocument.objects.get(confidentiality="secret")
    assert secret_in.status == "registered" and secret_in.file_id is None

    # Distributed: one overdue, two due within the day, of which the "hỏa tốc" one in progress.
    leads = Assignment.objects.filter(role="lead", document__status="distributed")
    now = timezone.now()
    assert [a.document.code_number for a in overdue_assignments(leads, now)] == ["1150"]
    soon = sorted(a.document.code_number for a in due_soon_assignments(leads, now))
    assert soon == ["1166", "1199"]
    urgent = IncomingDocument.objects.get(urgency="flash")
    assert urgent.status == "distributed"
    assert urgent.assignments.get(role="lead").status == "in_progress"
    # Completed, with Sở Tư pháp's issued công văn as its reply.
    completed = IncomingDocument.objects.get(status="completed")
    assert completed.reply is not None and completed.reply.status == "issued"
    assert completed.reply.number_text == "01/STP-HCTP"
    assert completed.agency.key == completed.reply.agency.key == "qn.so-tu-phap"
    reply = verify_pdf(_pdf(completed.reply, VersionKind.AGENCY_SIGNED))
    assert reply.verdict == Verdict.VALID and len(reply.signatures) == 2

    rows = _documents_rows()
    # Every font of every stored PDF (drafts, signed, copies) is embedded (issue 13 point 15).
    missing = {}
    for stored in StoredFile.objects.filter(content_type="application/pdf"):
        with open_private(stored.key) as handle:
            named = not_embedded(handle.read())
        if named:
            missing[stored.name] = named
    assert missing == {}
    assert load_demo_documents() == number
    assert _documents_rows() == rows


def test_document_catalogues_are_part_of_the_demo(quang_ninh):
    settings = {s.agency.key: s.abbreviation for s in AgencySettings.objects.all()}
    assert settings == {"qn.ubnd": "UBND", "qn.so-tu-phap": "STP"}
    abbreviations = {(u.agency.key, u.abbreviation) for u in UnitAbbreviation.objects.all()}
    assert abbreviations == {("qn.ubnd", "VP"), ("qn.so-tu-phap", "HCTP")}


def test_readme_names_the_issued_demo_document():
    readme = (Path(__file__).resolve().parents[4] / "README.md").read_text(encoding="utf-8")
    assert "01/QĐ-UBND" in readme and "/xac-thuc-van-ban/" in readme


def test_make_run_prepares_the_development_pki_once(settings, tmp_path):
    settings.EGOV_PKI_DIR = str(tmp_path / "pki")
    pki = prepare_dev_pki()
    names = {path.name for path in pki.directory.iterdir()}
    assert {"pki.json", "root.pem", "intermediate.pem", "leader.p12", "agency.p12"} <= names
    stamps = {path.name: path.stat().st_mtime_ns for path in pki.directory.iterdir()}
    again = prepare_dev_pki()
    assert again.base_url == pki.base_url
    assert {path.name: path.stat().st_mtime_ns for path in again.directory.iterdir()} == stamps
    services = start_trust_services(pki)
    assert services is not None
    try:
        host, port = pki.base_url.removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        connection.request("GET", "/crl/intermediate.crl")
        answer = connection.getresponse()
        assert answer.status == 200
        assert answer.getheader("Content-Type") == "application/pkix-crl"
        assert answer.read()[:1] == b"\x30"  # a DER SEQUENCE
        connection.close()
        # A second server on the same port (another `make run`) is refused, not fatal.
        assert start_trust_services(pki) is None
    finally:
        services.stop()
