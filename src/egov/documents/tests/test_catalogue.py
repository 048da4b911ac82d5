"""The catalogues as data: the seeded national list of types, agency overrides, versions."""

from __future__ import annotations

import datetime as dt

from egov.documents.catalogue import DocumentType, TypeKind
from egov.documents.selectors import agency_settings_on, document_type, document_types_for
from egov.documents.services.catalogue import document_types_load_national
from egov.documents.tests.conftest import Province


def test_the_national_list_is_loaded_once(db: None):
    DocumentType.objects.filter(agency=None).delete()
    assert document_types_load_national(actor=None) == 32
    assert document_types_load_national(actor=None) == 0
    national = DocumentType.objects.filter(agency=None)
    administrative = national.filter(kind=TypeKind.ADMINISTRATIVE)
    assert administrative.count() == 29  # NĐ 30/2020, Điều 7
    assert dict(national.filter(kind=TypeKind.COPY).values_list("name", "abbreviation")) == {
        "Bản sao y": "SY",
        "Bản sao lục": "SL",
        "Bản trích sao": "TrS",
    }
    abbreviations = dict(administrative.values_list("key", "abbreviation"))
    # Công văn and thư công have no abbreviation (Phụ lục III); "CV" is never used.
    assert abbreviations["cong-van"] == "" and abbreviations["thu-cong"] == ""
    assert "CV" not in abbreviations.values()
    assert (abbreviations["quyet-dinh"], abbreviations["quy-dinh"]) == ("QĐ", "QyĐ")
    assert (abbreviations["chi-thi"], abbreviations["chuong-trinh"]) == ("CT", "CTr")
    assert abbreviations["to-trinh"] == "TTr"
    with_abbreviation = [a for a in abbreviations.values() if a]
    assert len(with_abbreviation) == len(set(with_abbreviation)) == 27


def test_an_agency_overrides_a_type_for_a_period(province: Province):
    assert [t.key for t in document_types_for(province.agency)][:3] == [
        "nghi-quyet",
        "quyet-dinh",
        "chi-thi",
    ]
    own = DocumentType.objects.create(
        agency=province.agency,
        key="giay-moi",
        name="Giấy mời họp",
        abbreviation="GM",
        order=23,
        valid_from=dt.date(2027, 1, 1),
    )
    before = document_type(province.agency, "giay-moi", dt.date(2026, 12, 31))
    after = document_type(province.agency, "giay-moi", dt.date(2027, 1, 1))
    assert before is not None and before.agency is None
    assert after == own
    # Other agencies keep the national row.
    other = document_type(province.other, "giay-moi", dt.date(2027, 1, 1))
    assert other is not None and other.agency is None
    assert len(document_types_for(province.agency, dt.date(2027, 1, 1))) == 32


def test_agency_settings_are_versioned(province: Province):
    province.settings.valid_until = dt.date(2027, 1, 1)
    province.settings.save()
    later = province.settings.__class__.objects.create(
        agency=province.agency,
        abbreviation="UBND",
        place_name="Quảng Ninh",
        valid_from=dt.date(2027, 1, 1),
    )
    assert agency_settings_on(province.agency, dt.date(2026, 12, 31)) == province.settings
    assert agency_settings_on(province.agency, dt.date(2027, 1, 1)) == later


def test_the_migrations_seed_writes_the_same_rows_as_the_loader(db: None):
    """Migration 0001's RunPython seeds the national list from the same data file."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module(
        "egov.documents.migrations.0001_documents_catalogues_incoming_outgoing"
    )
    fields = ("key", "name", "abbreviation", "kind", "order", "legal_basis")
    DocumentType.objects.filter(agency=None).delete()
    migration.seed_national_types(apps, None)
    seeded = list(DocumentType.objects.filter(agency=None).order_by("order").values(*fields))
    migration.seed_national_types(apps, None)  # idempotent
    assert DocumentType.objects.filter(agency=None).count() == 32
    DocumentType.objects.filter(agency=None).delete()
    document_types_load_national(actor=None)
    loaded = list(DocumentType.objects.filter(agency=None).order_by("order").values(*fields))
    assert seeded == loaded
