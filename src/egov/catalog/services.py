"""Writes to the procedure catalog: drafts, copy-on-write edits, publication, import.

Every change is audited. A published version is never modified: editing it makes a new
draft (the next version number); publishing a draft closes the version in force.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.models import User
from egov.audit.services import audit_record
from egov.catalog.models import (
    ChannelKind,
    Procedure,
    ProcedureField,
    ProcedureVersion,
    TimeKind,
    VersionStatus,
)
from egov.catalog.search import index_version
from egov.catalog.transfer import (
    CatalogImportError,
    ImportResult,
    apply_version_content,
    import_catalog,
    version_to_dict,
)
from egov.core.validity import OPEN_END


def process_problems(version: ProcedureVersion) -> list[str]:
    """The internal process must add up to the legal time of the counter channel (or the
    first channel): each step's allowance is in that channel's unit (days or hours)."""
    steps = list(version.process_steps.all())
    if not steps:
        return []
    channels = sorted(version.channels.all(), key=lambda c: list(ChannelKind.values).index(c.kind))
    reference = next(
        (c for c in channels if c.kind == ChannelKind.COUNTER), channels[0] if channels else None
    )
    if reference is None:
        return [_("Quy trình nội bộ cần ít nhất một cách thức thực hiện để đối chiếu thời hạn.")]
    if (
        reference.time_kind not in (TimeKind.WORKING_DAYS, TimeKind.WORKING_HOURS)
        or not reference.time_amount
    ):
        return []
    total = sum((step.allowance for step in steps), Decimal(0))
    if total != reference.time_amount:
        return [
            _(
                "Tổng thời gian các bước quy trình nội bộ (%(total)s) phải bằng "
                "thời hạn giải quyết "
                "(%(legal)s %(unit)s)."
            )
            % {
                "total": total.normalize(),
                "legal": reference.time_amount.normalize(),
                "unit": reference.get_time_kind_display().lower(),
            }
        ]
    return []


def publication_problems(version: ProcedureVersion) -> list[str]:
    problems = process_problems(version)
    if not version.channels.exists():
        problems.append(
            _("Thủ tục cần ít nhất một cách thức thực hiện (trực tiếp, bưu chính, trực tuyến).")
        )
    return problems


@transaction.atomic
def procedure_create(
    *, actor: User | None, key: str, national_code: str | None, content: dict[str, Any]
) -> ProcedureVersion:
    procedure = Procedure.objects.create(key=key, national_code=national_code)
    version = ProcedureVersion(procedure=procedure, number=1, status=VersionStatus.DRAFT)
    apply_version_content(version, content)
    index_version(version)
    audit_record(actor=actor, action="catalog.procedure_created", target=version)
    return version


@transaction.atomic
def procedure_field_ensure(*, actor: User | None, code: str, name: str) -> ProcedureField:
    """The field (lĩnh vực) with this code, created with ``name`` when it does not exist yet
    (e.g. a field first seen in the national catalog); an existing field is left as it is."""
    field, created = ProcedureField.objects.get_or_create(code=code, defaults={"name": name})
    if created:
        audit_record(actor=actor, action="catalog.field_created", target=field)
    return field


@transaction.atomic
def procedure_version_edit(
    *, actor: User | None, version: ProcedureVersion, changes: dict[str, Any]
) -> ProcedureVersion:
    """Edit a draft in place; editing a published (or superseded) version creates a new
    draft with the changes and leaves that version untouched."""
    locked: ProcedureVersion = ProcedureVersion.objects.select_for_update().get(pk=version.pk)
    content = version_to_dict(locked)
    content.update(changes)
    if locked.status == VersionStatus.DRAFT:
        target = locked
        action = "catalog.draft_edited"
    else:
        if ProcedureVersion.objects.filter(
            procedure=locked.procedure, status=VersionStatus.DRAFT
        ).exists():
            raise ValidationError(_("Thủ tục này đã có một bản nháp; hãy sửa bản nháp đó."))
        number = (
            ProcedureVersion.objects.filter(procedure=locked.procedure).aggregate(n=Max("number"))[
                "n"
            ]
            or 0
        ) + 1
        target = ProcedureVersion(
            procedure=locked.procedure, number=number, status=VersionStatus.DRAFT
        )
        action = "catalog.draft_created"
    apply_version_content(target, content)
    index_version(target)
    audit_record(
        actor=actor,
        action=action,
        target=target,
        details={"from_version": locked.number, "changed": sorted(changes)},
    )
    return target


@transaction.atomic
def procedure_version_publish(
    *, actor: User | None, version: ProcedureVersion, valid_from: dt.date | None = None
) -> ProcedureVersion:
    locked: ProcedureVersion = ProcedureVersion.objects.select_for_update().get(pk=version.pk)
    if locked.status != VersionStatus.DRAFT:
        raise ValidationError(_("Chỉ bản nháp mới được công bố."))
    problems = publication_problems(locked)
    if problems:
        raise ValidationError(problems)
    start = valid_from or timezone.localdate()
    current = (
        ProcedureVersion.objects.select_for_update()
        .filter(procedure=locked.procedure, status=VersionStatus.PUBLISHED)
        .first()
    )
    if current is not None:
        if start <= current.valid_from:
            raise ValidationError(
                _("Ngày hiệu lực phải sau ngày hiệu lực của phiên bản đang áp dụng.")
            )
        current.status = VersionStatus.SUPERSEDED
        current.valid_until = start
        current.save(update_fields=["status", "valid_until"])
        index_version(current)
    locked.status = VersionStatus.PUBLISHED
    locked.valid_from = start
    locked.valid_until = OPEN_END
    locked.published_at = timezone.now()
    locked.save(update_fields=["status", "valid_from", "valid_until", "published_at"])
    index_version(locked)
    audit_record(
        actor=actor,
        action="catalog.version_published",
        target=locked,
        details={
            "valid_from": start.isoformat(),
            "superseded": current.number if current else None,
        },
    )
    return locked


@transaction.atomic
def catalog_import(*, actor: User | None, data: Any, source_name: str = "") -> ImportResult:
    """Import a catalog file whole or not at all (``CatalogImportError`` lists every error)."""
    result = import_catalog(data)
    for version in ProcedureVersion.objects.filter(pk__in=result.touched_versions).select_related(
        "procedure", "field"
    ):
        index_version(version)
    if result.created or result.updated:
        audit_record(
            actor=actor,
            action="catalog.imported",
            object_type="catalog.import",
            object_repr=source_name[:255],
            details={
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
            },
        )
    return result


__all__ = [
    "CatalogImportError",
    "catalog_import",
    "procedure_create",
    "procedure_field_ensure",
    "procedure_version_edit",
    "procedure_version_publish",
    "process_problems",
    "publication_problems",
]
