"""Helpers shared by the staff workspace views: who is staff, their desks, the dossier they
may see."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from egov.accounts.selectors import is_staff_member
from egov.dossiers.models import Dossier
from egov.dossiers.permissions import get_dossier_for_actor, reception_desk
from egov.org.models import Unit


def staff_only(request: HttpRequest) -> None:
    if not is_staff_member(request.user):
        raise PermissionDenied(_("Trang này chỉ dành cho cán bộ, công chức."))


def desk_or_403(request: HttpRequest) -> Unit:
    """The desk where this user receives dossiers today (permissions.reception_desk); 403 when
    there is none."""
    desk = reception_desk(request.user)
    if desk is None:
        raise PermissionDenied(_("Bạn không có vai trò tiếp nhận hồ sơ."))
    return desk


def dossier_or_404(request: HttpRequest, code: str) -> Dossier:
    """The dossier if this staff member may see it; otherwise 404 (codes cannot be probed)."""
    staff_only(request)
    dossier = get_dossier_for_actor(request.user, code)
    if dossier is None:
        raise Http404(_("Không tìm thấy hồ sơ trong phạm vi bạn được xem."))
    return dossier
