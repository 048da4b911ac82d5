"""Helpers shared by the staff workspace views: who is staff, their desks, the dossier they
may see."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from egov.accounts.models import Role
from egov.accounts.selectors import active_role_assignments, is_staff_member
from egov.dossiers.access import get_dossier_for_user
from egov.org.models import Unit


def staff_only(request: HttpRequest) -> None:
    if not is_staff_member(request.user):
        raise PermissionDenied(_("Trang này chỉ dành cho cán bộ, công chức."))


def reception_desks(request: HttpRequest) -> list[Unit]:
    """Units where this user receives dossiers today; 403 when there are none."""
    desks = [a.unit for a in active_role_assignments(request.user) if a.role == Role.RECEPTIONIST]
    if not desks:
        raise PermissionDenied(_("Bạn không có vai trò tiếp nhận hồ sơ."))
    return desks


def dossier_or_404(request: HttpRequest, code: str) -> Any:
    """The dossier if this staff member may see it; otherwise 404 (codes cannot be probed)."""
    staff_only(request)
    dossier = get_dossier_for_user(request.user, code)
    if dossier is None:
        raise Http404(_("Không tìm thấy hồ sơ trong phạm vi bạn được xem."))
    return dossier
