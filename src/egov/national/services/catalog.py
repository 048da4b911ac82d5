"""Pulling the published procedure catalog of the national portal (CSDL quốc gia về TTHC,
``LayDanhSachTTHC`` + ``LayThuTuc``, integration.md §2.3) into our catalog as **drafts**.

A new procedure becomes a draft version 1; a changed one becomes a new draft of its procedure
(``catalog.services.procedure_version_edit``: a published version is never modified, an open
draft is updated in place); nothing is ever published here — a catalog officer reviews the
draft, completes what the national record does not say (our internal process, local fees,
form templates) and publishes it with its effective date. An unchanged procedure (the same
national record as last pulled, by its SHA-256) is not touched, so a repeated pull does
nothing. Only the fields below are taken over; what the national record does not carry is
listed in the draft's ``unconfirmed``.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from egov.accounts.models import User
from egov.catalog.models import (
    ChannelKind,
    FeeKind,
    ImplementingLevel,
    OnlineService,
    Procedure,
    TimeKind,
)
from egov.catalog.services import procedure_create, procedure_field_ensure, procedure_version_edit
from egov.contrib.dvcqg.client import DvcqgClient
from egov.national.gateway import national_client
from egov.national.models import NationalProcedure

CHANNELS = (("bưu chính", ChannelKind.POST), ("trực tuyến", ChannelKind.ONLINE))
UNITS = {
    "ngày làm việc": TimeKind.WORKING_DAYS,
    "giờ làm việc": TimeKind.WORKING_HOURS,
    "ngày": TimeKind.CALENDAR_DAYS,
}
# What a national record does not say (or says only as free text) and a reviewer must check.
UNCONFIRMED = ["implementing_level", "online_service", "fees", "process"]


@dataclass(frozen=True)
class CatalogPullRun:
    created: int = 0
    changed: int = 0
    unchanged: int = 0


def _list(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _text(value: Any) -> str:
    return str(value or "").strip()


def _channel_kind(label: str) -> str:
    lowered = label.lower()
    return next((kind for word, kind in CHANNELS if word in lowered), ChannelKind.COUNTER)


def _amount(value: Any) -> Decimal | None:
    try:
        amount = Decimal(str(value).replace(",", ".").strip())
    except (InvalidOperation, ValueError):
        return None
    return amount if amount >= 0 else None


def _fee(fee: dict[str, Any]) -> dict[str, Any]:
    digits = re.sub(r"[^\d]", "", str(fee.get("SOTIEN", "")))
    name = _text(fee.get("MOTA"))[:200] or "Phí, lệ phí"
    if not digits:
        return {"name": name, "kind": FeeKind.UNKNOWN}
    amount = int(digits)
    if amount == 0:
        return {"name": name, "kind": FeeKind.FREE}
    return {"name": name, "kind": FeeKind.FLAT, "amount": amount}


def _channels(detail: dict[str, Any]) -> list[dict[str, Any]]:
    channels: dict[str, dict[str, Any]] = {}
    for way in _list(detail.get("CACHTHUCTHUCHIEN")):
        kind = _channel_kind(_text(way.get("KENH")))
        if kind in channels:
            continue
        times = _list(way.get("THOIGIAN"))
        first = times[0] if times else {}
        unit = UNITS.get(_text(first.get("DONVITINH")).lower(), TimeKind.UNKNOWN)
        amount = _amount(first.get("THOIGIANGIAIQUYET"))
        if amount is None:
            unit = TimeKind.UNKNOWN
        notes = "; ".join(_text(t.get("MOTA")) for t in times if _text(t.get("MOTA")))
        channels[kind] = {
            "kind": kind,
            "time_kind": unit,
            "time_amount": (
                f"{amount.normalize():f}"
                if amount is not None and unit != TimeKind.UNKNOWN
                else None
            ),
            "time_note": notes[:500],
            "fees": [_fee(f) for t in times for f in _list(t.get("PHILEPHI"))],
        }
    return list(channels.values())


def content_from_national(detail: dict[str, Any], field_code: str) -> dict[str, Any]:
    """Our version content (catalog.transfer's canonical dict) from a ``LayThuTuc`` record."""
    components = [
        {"order": order, "name": _text(paper.get("TENGIAYTO"))[:500], "required": True}
        for order, paper in enumerate(
            (p for part in _list(detail.get("THANHPHANHOSO")) for p in _list(part.get("GIAYTO"))),
            start=1,
        )
        if _text(paper.get("TENGIAYTO"))
    ]
    steps = [
        _text(step.get("TENTRINHTU"))
        for case in _list(detail.get("TRINHTUTHUCHIEN"))
        for step in _list(case.get("TRINHTU"))
        if _text(step.get("TENTRINHTU"))
    ]
    return {
        "name": _text(detail.get("TENTTHC"))[:500],
        "field": field_code,
        "implementing_level": ImplementingLevel.PROVINCE,
        "online_service": OnlineService.UNKNOWN,
        "requirements": _text(detail.get("YEUCAU")),
        "results": [
            _text(r.get("TENKETQUA"))
            for r in _list(detail.get("KETQUATHUCHIEN"))
            if _text(r.get("TENKETQUA"))
        ],
        "legal_basis": [
            {
                "document": " ".join(
                    filter(None, (_text(b.get("SOVANBAN")), _text(b.get("TENVANBAN"))))
                )
            }
            for b in _list(detail.get("CANCUPHAPLY"))
            if _text(b.get("SOVANBAN")) or _text(b.get("TENVANBAN"))
        ],
        "steps": steps,
        "channels": _channels(detail),
        "components": components,
        "unconfirmed": list(UNCONFIRMED),
        "sources": "Cổng Dịch vụ công quốc gia (LayThuTuc)",
        "change_note": "Cập nhật từ Cổng Dịch vụ công quốc gia, chờ rà soát",
    }


def fingerprint(detail: dict[str, Any]) -> str:
    canonical = json.dumps(detail, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@transaction.atomic
def procedure_from_national(
    *, actor: User | None, detail: dict[str, Any], national_updated_at: str
) -> str:
    """Take one national record in: "created", "changed" or "unchanged"."""
    code = _text(detail.get("MATTHC"))[:20]
    digest = fingerprint(detail)
    known = NationalProcedure.objects.select_for_update().filter(national_code=code).first()
    if known is not None and known.content_hash == digest:
        return "unchanged"
    fields = _list(detail.get("LINHVUCTHUCHIEN"))
    field_code = _text(fields[0].get("MALINHVUC")) if fields else ""
    field = procedure_field_ensure(
        actor=actor,
        code=(field_code or "chua-xac-dinh")[:60],
        name=(_text(fields[0].get("TENLINHVUC")) if fields else "")[:200] or "Chưa xác định",
    )
    content = content_from_national(detail, field.code)
    procedure = Procedure.objects.filter(national_code=code).first()
    if procedure is None:
        version = procedure_create(
            actor=actor, key=f"dvcqg-{code}", national_code=code, content=content
        )
        outcome = "created"
    else:
        latest = procedure.versions.order_by("-number").first()
        if latest is None:
            raise ValueError(f"procedure {code} has no version")
        version = procedure_version_edit(actor=actor, version=latest, changes=content)
        outcome = "changed"
    NationalProcedure.objects.update_or_create(
        national_code=code,
        defaults={
            "content_hash": digest,
            "national_updated_at": national_updated_at[:14],
            "procedure": version.procedure,
            "pulled_at": timezone.now(),
        },
    )
    return outcome


def national_catalog_pull(
    *, actor: User | None = None, client: DvcqgClient | None = None
) -> CatalogPullRun:
    """Fetch what changed since the last pull and take each procedure in (one transaction
    per procedure: a failure part-way keeps what was done, and the next run resumes)."""
    own = client is None
    portal = client or national_client()
    try:
        since = NationalProcedure.objects.aggregate(at=Max("national_updated_at"))["at"]
        listing = portal.call(
            "share", "LayDanhSachTTHC", **({"NgayCapNhatTu": since} if since else {})
        )
        counts = {"created": 0, "changed": 0, "unchanged": 0}
        # Oldest change first, and a failure stops the run: what is left is at or after the
        # last stored time, and "changed since" includes that time (it is re-read, unchanged).
        ordered = sorted(
            _list(listing), key=lambda i: (_text(i.get("NGAYCAPNHAT")), _text(i.get("MATTHC")))
        )
        for item in ordered:
            code = _text(item.get("MATTHC"))
            if not code:
                continue
            details = _list(portal.call("share", "LayThuTuc", maTTHC=code))
            if not details:
                continue
            outcome = procedure_from_national(
                actor=actor, detail=details[0], national_updated_at=_text(item.get("NGAYCAPNHAT"))
            )
            counts[outcome] += 1
    finally:
        if own:
            portal.close()
    return CatalogPullRun(**counts)
