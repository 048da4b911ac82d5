"""A small province of its own for the document tests: the People's Committee (agency) with
its office (VP) and the culture and society division (VX), and another agency (Sở Nội vụ).

Personas: clerk Hà (văn thư, at the committee), leader Dũng (chairman's level, the signer),
division leader Lan (VX), specialist Chi (VX), specialist Eve of the other agency, clerk Tâm
of the other agency."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest

from egov.accounts.models import Role, RoleAssignment, User
from egov.core.models import StoredFile
from egov.core.uploads import store_private
from egov.documents.catalogue import AgencySettings, UnitAbbreviation
from egov.documents.services.catalogue import document_types_load_national
from egov.org.models import Unit, UnitKind

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class Province:
    agency: Unit
    office: Unit
    vx: Unit
    other: Unit
    clerk: User
    leader: User
    vx_leader: User
    specialist: User
    outsider: User
    other_clerk: User
    settings: AgencySettings
    vx_abbr: UnitAbbreviation


def _user(username: str, full_name: str, unit: Unit, role: str) -> User:
    user = User.objects.create_user(
        username=username, full_name=full_name, email=f"{username}@example.gov.vn"
    )
    RoleAssignment.objects.create(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def province(db: None) -> Province:
    # A transactional test elsewhere may have flushed the rows migration 0001 seeded.
    document_types_load_national(actor=None)
    agency = Unit.objects.create(
        key="t.ubnd",
        code="000.00.00.T01",
        name="Ủy ban nhân dân tỉnh Thử",
        kind=UnitKind.PEOPLES_COMMITTEE,
    )
    office = Unit.objects.create(
        key="t.ubnd.vp", name="Văn phòng UBND tỉnh Thử", kind=UnitKind.OFFICE, parent=agency
    )
    vx = Unit.objects.create(
        key="t.ubnd.vx", name="Phòng Văn hóa - Xã hội", kind=UnitKind.DIVISION, parent=agency
    )
    other = Unit.objects.create(
        key="t.snv", code="000.00.00.T02", name="Sở Nội vụ tỉnh Thử", kind=UnitKind.DEPARTMENT
    )
    settings = AgencySettings.objects.create(
        agency=agency, abbreviation="UBND", place_name="Hạ Long"
    )
    AgencySettings.objects.create(agency=other, abbreviation="SNV", place_name="Hạ Long")
    vx_abbr = UnitAbbreviation.objects.create(
        agency=agency, unit=vx, name="Phòng Văn hóa - Xã hội", abbreviation="VX"
    )
    return Province(
        agency=agency,
        office=office,
        vx=vx,
        other=other,
        clerk=_user("t.ha", "Trần Thu Hà", agency, Role.CLERK),
        leader=_user("t.dung", "Lê Văn Dũng", agency, Role.DEPARTMENT_LEADER),
        vx_leader=_user("t.lan", "Phạm Thị Lan", vx, Role.DEPARTMENT_LEADER),
        specialist=_user("t.chi", "Ngô Minh Chi", vx, Role.SPECIALIST),
        outsider=_user("t.eve", "Eve", other, Role.SPECIALIST),
        other_clerk=_user("t.tam", "Đỗ Văn Tâm", other, Role.CLERK),
        settings=settings,
        vx_abbr=vx_abbr,
    )


def stored_pdf(user: User | None = None, name: str = "van-ban.pdf") -> StoredFile:
    return store_private(io.BytesIO(PDF), original_name=name, prefix="documents", uploaded_by=user)
