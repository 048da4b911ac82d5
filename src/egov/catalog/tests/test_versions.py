import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from egov.audit.models import AuditEntry
from egov.catalog.models import ProcedureVersion, VersionStatus
from egov.catalog.selectors import version_by_code
from egov.catalog.services import procedure_version_edit, procedure_version_publish
from egov.catalog.transfer import version_to_dict

pytestmark = pytest.mark.django_db


def current(code="1.001612"):
    return version_by_code(code)


def test_editing_a_published_version_creates_a_draft_and_keeps_the_old_one(catalog):
    published = current()
    before = version_to_dict(published)
    draft = procedure_version_edit(
        actor=None, version=published, changes={"name": "Đăng ký hộ kinh doanh (sửa)"}
    )
    assert draft.pk != published.pk and draft.number == published.number + 1
    assert draft.status == VersionStatus.DRAFT
    published.refresh_from_db()
    assert version_to_dict(published) == before
    assert current().pk == published.pk  # the draft is not public
    assert AuditEntry.objects.filter(
        action="catalog.draft_created", object_id=str(draft.pk)
    ).exists()
    with pytest.raises(ValidationError):
        procedure_version_edit(actor=None, version=published, changes={})  # one draft at a time
    # Editing the draft edits it in place.
    again = procedure_version_edit(actor=None, version=draft, changes={"requirements": "Mới"})
    assert again.pk == draft.pk and again.requirements == "Mới"


def test_publishing_closes_the_previous_version(catalog):
    published = current()
    draft = procedure_version_edit(actor=None, version=published, changes={"name": "Tên mới"})
    start = published.valid_from + dt.timedelta(days=400)
    procedure_version_publish(actor=None, version=draft, valid_from=start)
    published.refresh_from_db()
    draft.refresh_from_db()
    assert published.status == VersionStatus.SUPERSEDED and published.valid_until == start
    assert draft.status == VersionStatus.PUBLISHED and draft.valid_from == start
    assert version_by_code("1.001612", day=start - dt.timedelta(days=1)).pk == published.pk
    assert version_by_code("1.001612", day=start).pk == draft.pk
    assert ProcedureVersion.objects.filter(procedure=published.procedure).count() == (
        published.number + 1
    )


def test_process_must_add_up_to_the_legal_time(catalog):
    published = current()
    process = version_to_dict(published)["process"]
    assert sum(Decimal(step["allowance"]) for step in process) == Decimal(3)
    process[1]["allowance"] = "1"
    draft = procedure_version_edit(actor=None, version=published, changes={"process": process})
    with pytest.raises(ValidationError) as error:
        procedure_version_publish(actor=None, version=draft, valid_from=dt.date(2030, 1, 1))
    assert "phải bằng thời hạn giải quyết" in " ".join(error.value.messages)
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


def test_publish_date_must_follow_the_current_version(catalog):
    published = current()
    draft = procedure_version_edit(actor=None, version=published, changes={})
    with pytest.raises(ValidationError):
        procedure_version_publish(actor=None, version=draft, valid_from=published.valid_from)
