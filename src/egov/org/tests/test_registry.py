import datetime as dt
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from egov.audit.models import AuditEntry
from egov.org.models import AdministrativeArea, AreaLevel, Unit, UnitKind
from egov.org.selectors import areas_valid_on, service_centres_valid_on, units_valid_on
from egov.org.services import DatasetError, org_load_dataset

pytestmark = pytest.mark.django_db
PLAN_DAY = dt.date(2012, 6, 1)
TODAY = dt.date(2026, 11, 27)


def test_both_structures_exist_as_data(quang_ninh):
    assert areas_valid_on(PLAN_DAY, level=AreaLevel.DISTRICT).count() == 14
    assert areas_valid_on(TODAY, level=AreaLevel.DISTRICT).count() == 0
    assert areas_valid_on(TODAY, level=AreaLevel.COMMUNE).count() == 54
    centres_2012 = {u.name for u in service_centres_valid_on(PLAN_DAY)}
    assert len(centres_2012) == 6
    assert any("Vân Đồn" in name for name in centres_2012)
    centres = service_centres_valid_on(TODAY)
    assert centres.filter(kind=UnitKind.SERVICE_CENTRE).get().key == "qn.ttpvhcc"
    # Since 07/2025: 54 commune-level centres under the provincial one, one per commune.
    commune_centres = centres.filter(kind=UnitKind.COMMUNE_SERVICE_CENTRE)
    assert commune_centres.count() == 54
    assert {c.parent.key for c in commune_centres.select_related("parent")} == {"qn.ttpvhcc"}
    assert commune_centres.values("area").distinct().count() == 54
    # The island reception points are not named by any source: none is invented.
    assert not units_valid_on(TODAY).filter(kind=UnitKind.RECEPTION_POINT).exists()
    province = Unit.objects.get(code="000.00.00.H49")
    assert (
        province.code_confirmed and province.is_valid_on(PLAN_DAY) and province.is_valid_on(TODAY)
    )


def test_loading_twice_changes_nothing(quang_ninh):
    before = (AdministrativeArea.objects.count(), Unit.objects.count(), AuditEntry.objects.count())
    out = StringIO()
    call_command("load_org", stdout=out)
    assert "0 mới, 0 cập nhật" in out.getvalue()
    after = (AdministrativeArea.objects.count(), Unit.objects.count(), AuditEntry.objects.count())
    assert before == after


def test_bad_file_is_rejected_whole_with_every_error(db):
    before = (AdministrativeArea.objects.count(), Unit.objects.count())
    data = {
        "areas": [
            {"key": "x", "name": "X", "kind": "tinh", "level": "province"},
            {"key": "Bad Key", "name": "", "kind": "planet", "level": "province"},
        ],
        "units": [
            {"key": "u1", "name": "U1", "kind": "so", "code": "H49", "parent": "nope"},
            {
                "key": "u2",
                "name": "U2",
                "kind": "so",
                "valid_from": "2025-07-01",
                "valid_until": "2025-01-01",
            },
        ],
    }
    with pytest.raises(DatasetError) as error:
        org_load_dataset(data=data, actor=None)
    text = "\n".join(error.value.errors)
    for fragment in ["Bad Key", "“name”", "planet", "H49", "nope", "hết hiệu lực"]:
        assert fragment in text
    assert (AdministrativeArea.objects.count(), Unit.objects.count()) == before
    assert not AdministrativeArea.objects.filter(key="x").exists()


def test_command_reports_errors_without_loading(tmp_path: Path, db):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"areas": [{"key": "a"}], "units": []}), encoding="utf-8")
    with pytest.raises(CommandError, match="không nạp gì"):
        call_command("load_org", str(bad), stdout=StringIO())
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(CommandError, match="JSON"):
        call_command("load_org", str(broken), stdout=StringIO())


def test_valid_on_query_uses_the_validity_index(quang_ninh, django_assert_max_num_queries):
    from django.db import connection

    sql, params = Unit.objects.valid_on(TODAY).query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " ".join(str(row) for row in cursor.fetchall())
            assert "unit_validity_idx" in plan
    with django_assert_max_num_queries(1):
        assert len(list(units_valid_on(TODAY))) > 100
