"""A small world for the plan-target tests, every count chosen by hand (see the comments):
units, procedures, dossiers, outgoing documents and staff activity around the third quarter of
2026 in calendar quarters (1 July – 30 September)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import time_machine

from egov.accounts.models import ApiClient, RoleAssignment, User
from egov.audit.services import audit_record
from egov.catalog.models import (
    Channel,
    Component,
    Procedure,
    ProcedureField,
    ProcedureVersion,
)
from egov.core.models import StoredFile
from egov.documents.models import (
    DocumentType,
    OutgoingDocument,
    OutgoingRecipient,
    OutgoingVersion,
)
from egov.dossiers.models import Dossier
from egov.exchange.models import SentPackage
from egov.org.models import Unit
from egov.workdays.engine import VIETNAM_TZ

D = dt.date
Q3_2026 = D(2026, 7, 1)
OPEN = D(9999, 12, 31)


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=VIETNAM_TZ)


def _unit(key: str, kind: str, parent: Unit | None, **extra: Any) -> Unit:
    return Unit.objects.create(key=key, name=f"Đơn vị {key}", kind=kind, parent=parent, **extra)


def build_units() -> dict[str, Unit]:
    root = _unit("t.ubnd", "ubnd", None)
    units = {
        "root": root,
        "so": _unit("t.so", "so", root),
        "centre": _unit("t.ttpvhcc", "ttpvhcc", root),
        "commune": _unit("t.xa.ubnd", "ubnd", root),
        "district": _unit("t.huyen.ubnd", "ubnd", root, valid_until=D(2025, 7, 1)),
    }
    units["point"] = _unit("t.diem", "diem_tiep_nhan", units["centre"])
    units["commune_centre"] = _unit("t.xa.ttpvhcc", "ttpvhcc_xa", units["centre"])
    return units


def _procedure(
    key: str,
    level: str,
    *,
    complete: bool = True,
    legal_basis: bool = True,
    online_service: str = "khong",
    channels: tuple[str, ...] = ("counter",),
    valid_from: dt.date = Q3_2026,
    valid_until: dt.date = OPEN,
    status: str = "published",
    service_level: int = 2,
) -> Procedure:
    field, _ = ProcedureField.objects.get_or_create(code="t", defaults={"name": "Lĩnh vực thử"})
    procedure = Procedure.objects.create(key=key)
    version = ProcedureVersion.objects.create(
        procedure=procedure,
        number=1,
        status=status,
        name=f"Thủ tục {key}",
        field=field,
        implementing_level=level,
        competent_authority="Ủy ban nhân dân",
        legal_basis=["Luật thử"] if legal_basis else [],
        results=["Giấy chứng nhận"],
        online_service=online_service,
        service_level=service_level,
        valid_from=valid_from,
        valid_until=valid_until,
    )
    if complete:
        Component.objects.create(version=version, name="Tờ khai")
    for kind in channels:
        Channel.objects.create(version=version, kind=kind, time_kind="working_days")
    return procedure


def build_procedures() -> dict[str, Procedure]:
    """In force on 30/09/2026: P1–P5 (P6 ended 01/07/2026, P7 is a draft).
    Information complete: P1, P3, P4 → 3/5. Online submission: P1 (online channel), P2
    (toàn trình), P4 (một phần) → 3/5; at commune level P4 of P4, P5 → 1/2. In Q2 only P6
    was in force: no channel at all (information incomplete), but mức độ 3 of the old scheme."""
    return {
        "p1": _procedure("p1", "tinh", channels=("counter", "online")),
        "p2": _procedure("p2", "tinh", legal_basis=False, online_service="toan_trinh"),
        "p3": _procedure("p3", "tinh"),
        "p4": _procedure("p4", "xa", online_service="mot_phan"),
        "p5": _procedure("p5", "xa", complete=False, online_service="chua_xac_dinh"),
        "p6": _procedure(
            "p6",
            "tinh",
            channels=(),
            service_level=3,
            valid_from=D(2026, 1, 1),
            valid_until=D(2026, 7, 1),
        ),
        "p7": _procedure("p7", "tinh", status="draft", channels=("online",)),
    }


def _dossier(code: str, procedure: Procedure, unit: Unit, received: dt.datetime) -> Dossier:
    return Dossier.objects.create(
        code=code,
        receiving_unit=unit,
        procedure_version=procedure.versions.get(),
        channel="counter",
        applicant_name="Người thử",
        received_at=received,
    )


def build_dossiers(units: dict[str, Unit], procedures: dict[str, Procedure]) -> None:
    """Received in Q3 2026 at a centre or under one: P1 (reception point under the provincial
    centre), P4 (commune centre). Not counted: P2 (received at a department), P3 (at the
    centre, but one minute before and one moment after the quarter)."""
    _dossier("d1", procedures["p1"], units["point"], at(2026, 8, 10, 9))
    _dossier("d2", procedures["p2"], units["so"], at(2026, 8, 11, 9))
    _dossier("d3", procedures["p3"], units["centre"], at(2026, 6, 30, 23, 59))
    _dossier("d4", procedures["p3"], units["centre"], at(2026, 10, 1, 0, 0))
    _dossier("d5", procedures["p4"], units["commune_centre"], at(2026, 9, 30, 23, 59))


def _document(unit: Unit, kind: DocumentType, subject: str, **fields: Any) -> OutgoingDocument:
    return OutgoingDocument.objects.create(
        agency=unit, drafting_unit=unit, document_type=kind, subject=subject, **fields
    )


def _signed(document: OutgoingDocument, n: int) -> None:
    file = StoredFile.objects.create(
        key=f"t/{n}.pdf",
        name=f"{n}.pdf",
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
        uploaded_at=at(2026, 8, 1),
    )
    OutgoingVersion.objects.create(
        document=document, number=1, kind="agency_signed", file=file, created_at=at(2026, 8, 1)
    )


def _package(document: OutgoingDocument, state: str) -> None:
    recipient = OutgoingRecipient.objects.create(
        document=document, kind="external", name="Bộ X", organ_id="000.00.00.G01"
    )
    SentPackage.objects.create(
        outgoing=document,
        recipient=recipient,
        from_organ="000.00.00.H49",
        to_organ="000.00.00.G01",
        document_id=f"doc-{document.pk}",
        state=state,
    )


def build_documents(units: dict[str, Unit]) -> None:
    """Issued in Q3: D1–D4. Electronic: D1 (delivered inside egov), D2 (package sent on the
    axis) → 2/4. Signed among them: D1 → 1/2. D3 (package still queued, signed) and D4 (no
    recipient) are not electronic; D5 is not issued; D6 was issued in Q2."""
    kind = DocumentType.objects.create(key="cv", name="Công văn", kind="cong_van")
    issued = {"status": "issued"}
    d1 = _document(units["so"], kind, "D1", issued_at=at(2026, 7, 1, 0, 0), **issued)
    OutgoingRecipient.objects.create(
        document=d1, kind="internal", unit=units["root"], name="UBND", delivered_at=at(2026, 7, 1)
    )
    _signed(d1, 1)
    d2 = _document(units["so"], kind, "D2", issued_at=at(2026, 8, 2), **issued)
    _package(d2, "sent")
    d3 = _document(units["so"], kind, "D3", issued_at=at(2026, 9, 3), **issued)
    _package(d3, "queued")
    _signed(d3, 3)
    _document(units["so"], kind, "D4", issued_at=at(2026, 9, 30, 23), **issued)
    _document(units["so"], kind, "D5", status="registered")
    d6 = _document(units["so"], kind, "D6", issued_at=at(2026, 6, 30, 10), **issued)
    OutgoingRecipient.objects.create(
        document=d6, kind="internal", unit=units["root"], name="UBND", delivered_at=at(2026, 6, 30)
    )


def _user(username: str, unit: Unit, **role: Any) -> User:
    user = User.objects.create_user(username=username, password="x")
    RoleAssignment.objects.create(user=user, unit=unit, role=role.pop("role", "specialist"), **role)
    return user


def _act(user: User, moment: dt.datetime, action: str = "test.acted") -> None:
    with time_machine.travel(moment, tick=False):
        audit_record(actor=user, action=action, object_type="test")


def build_activity(units: dict[str, Unit]) -> None:
    """Units of the plan's kinds in force on 30/09/2026: root, department, centre, commune
    UBND, commune centre = 5 (the reception point is of another kind; the district ended).
    Active in Q3: the department (u1) and the root (u4, whose role ended on 01/08/2026 but was
    in force in the quarter) → 2/5. The API client's service account (u5) does not count.
    Staff with a role on 30/09/2026: u1, u2, u3 (u4's role ended; u5 is an API client) → 3;
    active in Q3: u1 (u2 only failed to sign in, u3 acted in Q2) → 1/3."""
    u1 = _user("u1", units["so"])
    u2 = _user("u2", units["centre"])
    u3 = _user("u3", units["commune_centre"])
    u4 = _user("u4", units["root"], valid_until=D(2026, 8, 1))
    u5 = _user("u5", units["commune"])
    ApiClient.objects.create(name="api", user=u5, key_prefix="p", key_hash="h")
    _act(u1, at(2026, 9, 1, 10))
    _act(u2, at(2026, 9, 1, 10), action="auth.login_failed")
    _act(u3, at(2026, 6, 20, 10))
    _act(u4, at(2026, 7, 15, 10))
    _act(u5, at(2026, 7, 15, 10))


def build_world() -> dict[str, Any]:
    units = build_units()
    procedures = build_procedures()
    build_dossiers(units, procedures)
    build_documents(units)
    build_activity(units)
    return {"units": units, "procedures": procedures}
