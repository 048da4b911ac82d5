import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from egov.audit.models import AuditEntry
from egov.catalog.models import Procedure, ProcedureVersion
from egov.catalog.services import CatalogImportError, catalog_import
from egov.catalog.transfer import dumps, export_catalog, loads_with_lines

pytestmark = pytest.mark.django_db


def _wipe_catalog():
    ProcedureVersion.objects.all().delete()
    Procedure.objects.all().delete()


def test_export_import_round_trip_is_lossless(catalog):
    first = dumps(export_catalog())
    _wipe_catalog()
    assert Procedure.objects.count() == 0
    catalog_import(actor=None, data=loads_with_lines(first))
    assert dumps(export_catalog()) == first


def test_round_trip_keeps_every_version(catalog):
    from egov.catalog.selectors import version_by_code
    from egov.catalog.services import procedure_version_edit

    procedure_version_edit(
        actor=None, version=version_by_code("2.000815"), changes={"name": "Nháp"}
    )
    first = dumps(export_catalog())
    _wipe_catalog()
    catalog_import(actor=None, data=json.loads(first))
    assert dumps(export_catalog()) == first
    assert ProcedureVersion.objects.filter(status="draft").count() == 1


def test_reimport_changes_nothing(catalog):
    data = export_catalog()
    audits = AuditEntry.objects.count()
    result = catalog_import(actor=None, data=json.loads(dumps(data)))
    assert (result.created, result.updated) == (0, 0) and result.unchanged >= 31
    assert AuditEntry.objects.count() == audits


def test_bad_file_rejected_whole_with_line_numbers(catalog):
    data = export_catalog()
    data["procedures"].append(
        {
            "key": "new-one",
            "national_code": "9.999999",
            "versions": [
                dict(data["procedures"][0]["versions"][0], name="Thủ tục mới hợp lệ", number=1)
            ],
        }
    )
    broken = data["procedures"][1]["versions"][0]
    broken["field"] = "khong-co"
    broken["channels"][0]["time_kind"] = "someday"
    data["procedures"][2]["versions"][0]["process"] = [
        {"order": 1, "name": "", "role": "boss", "allowance": "-1"}
    ]
    text = dumps(data)
    with pytest.raises(CatalogImportError) as error:
        catalog_import(actor=None, data=loads_with_lines(text))
    errors = error.value.errors
    assert len(errors) >= 5
    assert all(e.startswith("dòng ") for e in errors)
    field_error = next(e for e in errors if "khong-co" in e)
    line = int(field_error.split(":")[0].removeprefix("dòng "))
    assert (
        '"number": 1' in text.splitlines()[line - 1] or text.splitlines()[line - 1].strip() == "{"
    )
    assert not Procedure.objects.filter(key="new-one").exists()  # nothing half-imported


def test_command_reports_json_syntax_error_with_line(tmp_path, catalog):
    bad = tmp_path / "bad.json"
    bad.write_text('{\n "format": "egov-catalog",\n "fields": [,]\n}', encoding="utf-8")
    with pytest.raises(CommandError, match="dòng 3"):
        call_command("import_catalog", str(bad), stdout=StringIO())


def test_published_version_is_never_overwritten_by_import(catalog):
    data = export_catalog()
    data["procedures"][0]["versions"][0]["name"] = "Đổi tên trái phép"
    with pytest.raises(CatalogImportError, match="đã công bố với nội dung khác"):
        catalog_import(actor=None, data=data)
    assert not ProcedureVersion.objects.filter(name="Đổi tên trái phép").exists()


def test_export_command_writes_the_same_document(tmp_path, catalog):
    target = tmp_path / "catalog.json"
    call_command("export_catalog", "--output", str(target), stdout=StringIO())
    assert target.read_text(encoding="utf-8") == dumps(export_catalog())


def test_national_code_owned_by_another_procedure_is_an_error(catalog):
    data = export_catalog()
    data["procedures"][0]["national_code"] = data["procedures"][1]["national_code"] or "1.001193"
    data["procedures"] = data["procedures"][:1]
    with pytest.raises(CatalogImportError, match="đã thuộc thủ tục"):
        catalog_import(actor=None, data=data)
