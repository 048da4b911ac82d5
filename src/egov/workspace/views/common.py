"""Helpers shared by the staff workspace views: who is staff, their desks, the dossier they
may see, a document's file served with its access recorded."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from egov.accounts.models import User
from egov.accounts.selectors import is_staff_member
from egov.core.clientip import client_ip
from egov.core.downloads import stream_response
from egov.core.models import StoredFile
from egov.core.uploads import open_private
from egov.documents.models import ElectronicCopy, IncomingDocument, OutgoingDocument
from egov.documents.services.incoming import document_record_access
from egov.dossiers.models import Dossier
from egov.dossiers.permissions import get_dossier_for_actor, reception_desk
from egov.org.models import Unit


def staff_only(request: HttpRequest) -> None:
    if not is_staff_member(request.user):
        raise PermissionDenied(_("Trang này chỉ dành cho cán bộ, công chức."))


def staff_user(request: HttpRequest) -> User:
    """The signed-in staff member (403 for anyone else)."""
    staff_only(request)
    assert isinstance(request.user, User)
    return request.user


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


def document_file(
    request: HttpRequest,
    document: IncomingDocument | OutgoingDocument | ElectronicCopy,
    file: StoredFile,
) -> HttpResponseBase:
    """The file of a document loaded through ``documents.permissions``: shown in the browser
    (``?xem=1``) or downloaded, the view or download audited (``document_record_access``)."""
    inline = request.GET.get("xem") == "1"
    document_record_access(
        actor=request.user,
        document=document,
        kind="view" if inline else "download",
        ip_address=client_ip(request),
    )
    return stream_response(
        open_private(file.key), content_type=file.content_type, filename=file.name, inline=inline
    )
