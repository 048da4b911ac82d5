"""Downloads of a dossier's stored files, named the same way wherever they are served."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from egov.core.downloads import stored_file_response
from egov.dossiers.models import Dossier


def dossier_file_response(dossier: Dossier, pk: int) -> FileResponse:
    """File ``pk`` of ``dossier`` (uploaded, reused or a result) as ``<code>-<pk>.<ext>``
    (the result's own code, else the dossier's); 404 when the dossier has no such file. The
    caller has checked that its actor may see the dossier."""
    item = dossier.files.select_related("file").filter(pk=pk).first()
    if item is None:
        raise Http404(_("Không tìm thấy tệp."))
    return stored_file_response(
        item.file, filename=f"{item.code or dossier.code}-{item.pk}.{item.file.extension}"
    )
