"""The DongBoHoSoMC record of a dossier event (field names: shared/domain/integration.md §2.3).

Two halves, on purpose:
- at the event (``event_snapshot``, stored in the outbox row): what the event changed — the
  national status code (dossiers/data/national-status-codes.json), the event's sequence (our
  ordering field ``ThuTuCapNhat``, unconfirmed), the dates as they were then;
- when it is sent (``record_for``): the applicant's identity, read from the dossier, so personal
  data is not copied into a second table; and the e-results (DanhSachGiayToKetQua), because a
  result file is stored after the approval's event in the same transaction (dossiers.services
  .results) — a result list only grows, so sending the current one is a correct upsert.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings

from egov.contrib.dvcqg.client import national_time
from egov.core.identity import ApplicantKind
from egov.dossiers.models import (
    Dossier,
    DossierComponent,
    DossierEvent,
    DossierFile,
    FileSource,
)
from egov.dossiers.national import national_channel_code, national_status_code


def _when(value: dt.datetime | None) -> str:
    return national_time(value) if value else ""


def event_snapshot(event: DossierEvent) -> dict[str, Any]:
    dossier = event.dossier
    version = dossier.procedure_version
    return {
        "MaHoSo": dossier.code,
        "ThuTuCapNhat": event.sequence,
        "TrangThaiHoSo": national_status_code(event.to_status),
        "ThaoTac": event.action,
        "ThoiDiemXuLy": _when(event.at),
        "MaTTHC": version.procedure.national_code or version.procedure.key,
        "TenTTHC": version.name[:500],
        "MaLinhVuc": version.field.code,
        "TenLinhVuc": version.field.name,
        "KenhThucHien": national_channel_code(dossier.channel),
        # Submitted and received are two dates: an online dossier still waiting for the desk,
        # or refused there, was never received and is not a dossier "tiếp nhận trong kỳ" of the
        # national index nor of Biểu 06 (egov.reports.form06), which must count alike.
        "NgayNopHoSo": _when(dossier.submitted_at or dossier.received_at),
        "NgayTiepNhan": _when(dossier.received_at),
        "NgayHenTra": _when(dossier.due_at),
        "NgayTra": _when(event.at) if event.to_status == "returned" else "",
        "NgayKetThucXuLy": _when(dossier.completed_at),
        "DonViXuLy": (dossier.handling_unit or dossier.receiving_unit).name,
    }


def results_by_dossier(dossier_ids: list[int]) -> dict[int, list[DossierFile]]:
    """The e-results of these dossiers, in one query (a delivery batch)."""
    found: dict[int, list[DossierFile]] = {pk: [] for pk in dossier_ids}
    files = (
        DossierFile.objects.filter(dossier_id__in=dossier_ids, source=FileSource.RESULT)
        .select_related("file")
        .order_by("added_at", "id")
    )
    for result in files:
        found[result.dossier_id].append(result)
    return found


def _results(files: list[DossierFile]) -> list[dict[str, Any]]:
    return [
        {
            "TenGiayTo": f.file.name,
            "GiayToId": f.code,
            "MaHash": f.file.sha256,  # SHA-256 of the signed file (our field, unconfirmed)
            "ChuKySo": f.signature_verdict,  # our field, unconfirmed
            # Where anyone checks a copy by its hash; the file itself stays with the applicant.
            "DuongDanTepTinKetQua": f"{settings.EGOV_PUBLIC_URL}/xac-thuc-van-ban/",
        }
        for f in files
    ]


def components_by_dossier(dossier_ids: list[int]) -> dict[int, list[DossierComponent]]:
    """The components of these dossiers, in one query (a delivery batch)."""
    found: dict[int, list[DossierComponent]] = {pk: [] for pk in dossier_ids}
    rows = (
        DossierComponent.objects.filter(dossier_id__in=dossier_ids)
        .select_related("component", "store_document")
        .order_by("component__order", "component_id")
    )
    for row in rows:
        found[row.dossier_id].append(row)
    return found


def _submitted(components: list[DossierComponent]) -> list[dict[str, Any]]:
    """TaiLieuNop with the reuse flags of index 766 (4.3, 4.4). Mapping chưa xác nhận: that
    ``DuocSoHoa`` = 1 marks a component reused from digitised data is read from the index's
    description, not from the DVCQG specification; ``DuocLayTuKhoDMQG`` stays 0 because only
    the provincial store is used here, never the citizen's store on the national portal."""
    return [
        {
            "MaThanhPhanHoSo": str(row.component_id),
            "TenTepDinhKem": row.component.name[:500],
            "TepDinhKemId": row.store_document.code if row.store_document else "",
            "DuocSoHoa": 1 if row.reused else 0,
            "DuocLayTuKhoDMQG": 0,
        }
        for row in components
    ]


def record_for(
    dossier: Dossier,
    payload: dict[str, Any],
    results: list[DossierFile],
    components: list[DossierComponent] | None = None,
) -> dict[str, Any]:
    organisation = dossier.applicant_kind == ApplicantKind.ORGANISATION
    record = {
        **payload,
        "ChuHoSo": dossier.applicant_name,
        "LoaiDoiTuong": 2 if organisation else 1,
        "MaDoiTuong": dossier.applicant_tax_code if organisation else "",
        "SoDienThoai": dossier.applicant_phone,
        "Email": dossier.applicant_email,
        "DanhSachGiayToKetQua": _results(results),
    }
    if components is not None:
        record["TaiLieuNop"] = _submitted(components)
    submission = getattr(dossier, "national_submission", None)
    if submission is not None:
        record["MaHoSoQG"] = submission.national_id
    return record
