"""Where a dossier stands in digitisation at reception (số hóa hồ sơ, kết quả giải quyết TTHC).

TT 01/2023/TT-VPCP Điều 8: the desk scans each component handed in on paper, the officer checks
the scan against the original, signs the "kết quả số hóa" with their personal digital signature
and the system gives it its code (``<dossier code>-SH<n>``) and keeps it in the applicant's data
store (egov.datastore; NĐ 118/2025/NĐ-CP Điều 17 khoản 1 điểm c).

TT 03/2025/TT-VPCP Điều 5 khoản 2: no digitisation is needed for a dossier submitted
electronically, for papers only shown (xuất trình), for results of verification between
agencies and for classified documents. Of these the system knows the first (the channel) and a
component taken from the data store instead of handed in (``DossierComponent.reused``); the
others are not recorded per component yet (chưa xác nhận how a desk marks them).

Reads only: the writes are ``services.digitisation``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from egov.catalog.models import ChannelKind
from egov.datastore.models import OwnerKind, StoreDocument, StoreState
from egov.datastore.services import Owner
from egov.dossiers.models import Dossier, DossierComponent


class DigitisationStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    # TT 03/2025/TT-VPCP Điều 5 khoản 2.
    NOT_REQUIRED = "not_required"


STATUS_LABELS = {
    DigitisationStatus.NOT_STARTED: gettext_lazy("Chưa số hóa"),
    DigitisationStatus.IN_PROGRESS: gettext_lazy("Đang số hóa"),
    DigitisationStatus.DONE: gettext_lazy("Đã số hóa"),
    DigitisationStatus.NOT_REQUIRED: gettext_lazy("Không phải số hóa"),
}


def applicant_owner(dossier: Dossier) -> Owner | None:
    """Whose store the dossier's papers go to: the person by personal ID, the organisation by
    tax code; None when the dossier has neither (nothing can be kept for them)."""
    if dossier.applicant_kind == "organisation" and dossier.applicant_tax_code:
        kind, identifier = OwnerKind.ORGANISATION, dossier.applicant_tax_code
    elif dossier.applicant_personal_id:
        kind, identifier = OwnerKind.PERSON, dossier.applicant_personal_id
    elif dossier.applicant_tax_code:
        kind, identifier = OwnerKind.ORGANISATION, dossier.applicant_tax_code
    else:
        return None
    return Owner(kind, identifier, dossier.applicant_name, dossier.owner)


def no_owner_reason(dossier: Dossier) -> str:
    """Why the dossier's scans are not kept in a data store ("" when they are)."""
    if applicant_owner(dossier) is not None:
        return ""
    return _(
        "Người nộp không có số định danh cá nhân hoặc mã số thuế nên bản số hóa không được đưa "
        "vào kho dữ liệu điện tử (kho được quản lý theo số định danh, mã số thuế)."
    )


def dossier_store_documents(dossier: Dossier) -> QuerySet[StoreDocument]:
    """The store documents this dossier's scans and uploads became (every state). Call only
    for a dossier the caller may see (``permissions.get_dossier_for_actor``)."""
    return StoreDocument.objects.filter(source_dossier_id=dossier.pk).select_related(
        "kind", "file", "signed_file", "digitised_by"
    )


def pending_documents(dossier: Dossier) -> list[StoreDocument]:
    return list(dossier_store_documents(dossier).filter(state=StoreState.PENDING).order_by("code"))


def component_status(dossier: Dossier, row: DossierComponent) -> DigitisationStatus:
    if dossier.channel == ChannelKind.ONLINE or row.reused:
        return DigitisationStatus.NOT_REQUIRED
    document = row.store_document
    if document is not None and document.state == StoreState.VALID:
        return DigitisationStatus.DONE
    if row.scan_id is None or (document is not None and document.state != StoreState.PENDING):
        # Never scanned, or the scan did not match the original: it must be scanned again.
        return DigitisationStatus.NOT_STARTED
    return DigitisationStatus.IN_PROGRESS


@dataclass(frozen=True)
class ComponentDigitisation:
    row: DossierComponent
    status: DigitisationStatus

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self.status])


@dataclass(frozen=True)
class DossierDigitisation:
    status: DigitisationStatus
    components: list[ComponentDigitisation]
    # Scans and uploads waiting for the officer's check against the original.
    pending: list[StoreDocument]
    documents: list[StoreDocument]
    no_owner: str
    online: bool

    @property
    def label(self) -> str:
        label = str(STATUS_LABELS[self.status])
        if self.status == DigitisationStatus.NOT_REQUIRED and self.online:
            return _("%s (nộp trực tuyến)") % label
        return label


def dossier_digitisation(dossier: Dossier) -> DossierDigitisation:
    """The digitisation status of each component and of the whole dossier: done when every
    component that needs it is done; not required when none needs it (submitted online)."""
    rows = list(
        dossier.components.select_related("component", "scan", "store_document").order_by(
            "component__order", "pk"
        )
    )
    components = [ComponentDigitisation(row, component_status(dossier, row)) for row in rows]
    needed = [c.status for c in components if c.status != DigitisationStatus.NOT_REQUIRED]
    if dossier.channel == ChannelKind.ONLINE or not needed:
        overall = DigitisationStatus.NOT_REQUIRED
    elif all(s == DigitisationStatus.DONE for s in needed):
        overall = DigitisationStatus.DONE
    elif any(s != DigitisationStatus.NOT_STARTED for s in needed):
        overall = DigitisationStatus.IN_PROGRESS
    else:
        overall = DigitisationStatus.NOT_STARTED
    documents = list(dossier_store_documents(dossier).order_by("code"))
    return DossierDigitisation(
        status=overall,
        components=components,
        pending=[d for d in documents if d.state == StoreState.PENDING],
        documents=documents,
        no_owner=no_owner_reason(dossier),
        online=dossier.channel == ChannelKind.ONLINE,
    )
