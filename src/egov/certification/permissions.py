"""Who may certify a copy and who may read the register — the one place that answers it.

A copy is certified on a dossier of the procedure "Chứng thực bản sao từ bản chính" by staff
who may see that dossier (``dossiers.permissions``) and hold a handling role today at the
certifying unit — the procedure's competent unit, else the unit handling the dossier, else
the receiving desk (``dossiers.eresults.result_agency``, the agency whose certificate signs).
The register of a unit is read by the staff who hold a role there.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.actors import Actor, person
from egov.accounts.models import Role, RoleAssignment
from egov.certification.models import CertificationEntry
from egov.dossiers.eresults import result_agency
from egov.dossiers.models import OPEN_STATUSES, Dossier
from egov.dossiers.permissions import roles_at, visible_dossiers
from egov.org.models import Unit

# Procedure 2.000815 "Chứng thực bản sao từ bản chính giấy tờ, văn bản" (NĐ 23/2015/NĐ-CP
# Điều 5, Điều 18-21): the only procedure whose dossiers get an electronic certified copy here.
CERTIFIED_COPY_PROCEDURE = "2.000815"
# Who compares the original and certifies at the desk or in the unit (chưa xác nhận which of
# them a province authorises; NĐ 23/2015 Điều 5 names the commune's officials).
CERTIFIER_ROLES = frozenset({Role.RECEPTIONIST, Role.SPECIALIST, Role.DEPARTMENT_LEADER})
# Who reads a unit's register besides the certifiers.
REGISTER_ROLES = CERTIFIER_ROLES | {Role.CENTRE_LEADER, Role.SUPERVISOR}


def certifying_unit(dossier: Dossier) -> Unit:
    return result_agency(dossier)


def is_certified_copy_dossier(dossier: Dossier) -> bool:
    return dossier.procedure_version.procedure.national_code == CERTIFIED_COPY_PROCEDURE


def certification_refusal(actor: Actor, dossier: Dossier) -> str | None:
    """Why ``actor`` may not certify a copy on ``dossier`` (None: may)."""
    if not is_certified_copy_dossier(dossier):
        return _("Hồ sơ này không thuộc thủ tục chứng thực bản sao từ bản chính.")
    if person(actor) is None or not visible_dossiers(actor).filter(pk=dossier.pk).exists():
        return _("Bạn không có quyền xử lý hồ sơ này.")
    unit = certifying_unit(dossier)
    if not roles_at(actor, unit) & CERTIFIER_ROLES:
        return _("Chỉ cán bộ tiếp nhận, thụ lý hoặc lãnh đạo của %s được chứng thực bản sao.") % (
            unit.name
        )
    if dossier.status not in OPEN_STATUSES:
        return _("Hồ sơ đã kết thúc, không chứng thực thêm bản sao.")
    return None


def register_units(actor: Actor) -> list[Unit]:
    """The units whose register ``actor`` may read: a role of REGISTER_ROLES there today."""
    user = person(actor)
    if user is None:
        return []
    assignments = RoleAssignment.objects.valid_on(timezone.localdate()).filter(
        user=user, role__in=REGISTER_ROLES
    )
    return list(
        Unit.objects.filter(pk__in=assignments.values("unit_id")).order_by("name").distinct()
    )


def register_entries(actor: Actor, unit: Unit, year: int) -> QuerySet[CertificationEntry]:
    """The entries of ``unit``'s register for ``year``, empty when ``actor`` may not read it."""
    if unit not in register_units(actor):
        return CertificationEntry.objects.none()
    return (
        CertificationEntry.objects.filter(unit=unit, year=year)
        .select_related("certifier", "file")
        .order_by("sequence")
    )


def get_entry_for_actor(actor: Actor, pk: int) -> CertificationEntry | None:
    units = register_units(actor)
    if not units or not 0 < pk < 2**62:
        return None
    return (
        CertificationEntry.objects.select_related("file", "unit")
        .filter(pk=pk, unit__in=units)
        .first()
    )


def current_year() -> int:
    return timezone.localdate().year
