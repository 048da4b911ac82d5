"""Reads of dossiers: the public status lookup (no personal data beyond a masked name)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from egov.dossiers.models import Dossier, DossierStatus
from egov.dossiers.state import TRANSITIONS

DOSSIER_CODE_RE = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}-\d{6}-\d{4,6}$")

ACTION_LABELS = {
    "receive": "Tiếp nhận hồ sơ",
    "apologise": "Xin lỗi và hẹn lại ngày trả kết quả",
    **{name: t.label for name, t in TRANSITIONS.items()},
}


def mask_name(name: str) -> str:
    """ "Nguyễn Văn An" → "N***** V** A*": enough to recognise one's own dossier."""
    return " ".join(word[0] + "*" * (len(word) - 1) for word in name.split())


@dataclass(frozen=True)
class PublicStep:
    label: str
    at: dt.datetime


@dataclass(frozen=True)
class PublicStatus:
    code: str
    procedure: str
    applicant: str
    status: str
    status_label: str
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    result_ready: bool
    steps: list[PublicStep]


def public_status(code: str) -> PublicStatus | None:
    code = code.strip()
    if not DOSSIER_CODE_RE.fullmatch(code):
        return None
    dossier = (
        Dossier.objects.select_related("procedure_version")
        .prefetch_related("events")
        .filter(code=code)
        .first()
    )
    if dossier is None:
        return None
    return PublicStatus(
        code=dossier.code,
        procedure=dossier.procedure_version.name,
        applicant=mask_name(dossier.applicant_name),
        status=dossier.status,
        status_label=str(DossierStatus(dossier.status).label),
        received_at=dossier.received_at,
        due_at=dossier.due_at,
        result_ready=dossier.status in (DossierStatus.RESULT_READY, DossierStatus.RETURNED),
        steps=[
            PublicStep(ACTION_LABELS.get(e.action, e.action), e.at) for e in dossier.events.all()
        ],
    )
