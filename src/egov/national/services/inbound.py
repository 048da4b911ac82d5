"""Dossiers submitted on the national portal, brought in as online dossiers.

Each pending dossier (``LayDanhSachHoSoChoTiepNhan``, unconfirmed name) becomes a dossier
"chờ tiếp nhận trực tuyến" through the same service as an application on our own portal
(``dossiers.services.online.dossier_submit_online``), so it gets its code, its 8-working-hour
reception clock (from its submission on the national portal) and the applicant's message
exactly as ours do. It is acknowledged to the portal (``XacNhanDaNhanHoSo``) only after our
transaction committed; the national id is unique here, so a dossier pulled twice (an
acknowledgement lost) is created once and acknowledged again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from egov.accounts.actors import SYSTEM
from egov.catalog.selectors import version_by_code
from egov.contrib.dvcqg.client import (
    DvcqgClient,
    DvcqgRefused,
    DvcqgUnavailable,
    parse_national_time,
)
from egov.core.identity import ApplicantKind
from egov.dossiers.services.online import OnlineSubmission, dossier_submit_online
from egov.dossiers.services.reception import Applicant
from egov.national.gateway import national_client
from egov.national.models import NationalSubmission
from egov.org.models import Unit

logger = logging.getLogger(__name__)
HELD_BY = "Cổng Dịch vụ công quốc gia"


@dataclass(frozen=True)
class InboundRun:
    received: int = 0
    skipped: int = 0
    acknowledged: int = 0


def _unit(code: str) -> Unit | None:
    unit = Unit.objects.filter(code=code).first() if code else None
    if unit is None and settings.EGOV_NATIONAL_DEFAULT_UNIT:
        unit = Unit.objects.filter(key=settings.EGOV_NATIONAL_DEFAULT_UNIT).first()
    return unit


def _applicant(record: dict[str, Any]) -> Applicant:
    organisation = str(record.get("LoaiDoiTuong", "1")) == "2"
    return Applicant(
        kind=ApplicantKind.ORGANISATION if organisation else ApplicantKind.CITIZEN,
        name=str(record.get("ChuHoSo", "")),
        personal_id="" if organisation else str(record.get("SoDinhDanh", "")),
        tax_code=str(record.get("MaSoThue", "")) if organisation else "",
        phone=str(record.get("SoDienThoai", "")),
        email=str(record.get("Email", "")),
        address=str(record.get("DiaChi", "")),
    )


# Durable: its own transaction, committed when it returns — the acknowledgement follows it.
@transaction.atomic(durable=True)
def national_submission_receive(*, record: dict[str, Any]) -> NationalSubmission:
    """Create the online dossier of one national record (once per ``MaHoSoQG``). Raises
    ValidationError when it cannot be taken (unknown procedure or unit, bad applicant)."""
    national_id = str(record.get("MaHoSoQG", "")).strip()[:60]
    if not national_id:
        raise ValidationError("MaHoSoQG missing")
    existing = NationalSubmission.objects.filter(national_id=national_id).first()
    if existing is not None:
        return existing
    version = version_by_code(str(record.get("MaTTHC", "")))
    unit = _unit(str(record.get("MaDonVi", "")))
    if version is None or unit is None:
        raise ValidationError("unknown procedure or unit")
    try:
        submitted_at = parse_national_time(str(record.get("NgayNop", "")))
    except ValueError:
        submitted_at = timezone.now()
    dossier = dossier_submit_online(
        actor=SYSTEM,
        submission=OnlineSubmission(
            owner=None,
            unit=unit,
            version=version,
            applicant=_applicant(record),
            files_held_by=HELD_BY,
            submitted_at=submitted_at,
        ),
    )
    return NationalSubmission.objects.create(
        national_id=national_id, dossier=dossier, received_at=timezone.now()
    )


def _acknowledge(portal: DvcqgClient, ids: list[str]) -> int:
    """Tell the portal these were received; a failure leaves them to the next pull."""
    if not ids:
        return 0
    try:
        portal.call("integration", "XacNhanDaNhanHoSo", data=ids)
    except (DvcqgUnavailable, DvcqgRefused) as exc:
        logger.warning("national acknowledgement failed, retried next pull: %s", exc)
        return 0
    NationalSubmission.objects.filter(national_id__in=ids).update(acknowledged_at=timezone.now())
    return len(ids)


def national_dossiers_pull(*, client: DvcqgClient | None = None) -> InboundRun:
    own = client is None
    portal = client or national_client()
    received = skipped = 0
    to_acknowledge: list[str] = []
    try:
        for record in portal.call("share", "LayDanhSachHoSoChoTiepNhan"):
            if not isinstance(record, dict):
                continue
            try:
                existed = NationalSubmission.objects.filter(
                    national_id=str(record.get("MaHoSoQG", "")).strip()
                ).exists()
                submission = national_submission_receive(record=record)
            except ValidationError:
                # Not acknowledged: it stays pending on the portal (no personal data logged).
                logger.warning("national dossier %s not taken", str(record.get("MaHoSoQG"))[:60])
                skipped += 1
                continue
            received += not existed
            # Committed (the receive is its own transaction): now it may be acknowledged.
            to_acknowledge.append(submission.national_id)
        acknowledged = _acknowledge(portal, to_acknowledge)
    finally:
        if own:
            portal.close()
    return InboundRun(received=received, skipped=skipped, acknowledged=acknowledged)
