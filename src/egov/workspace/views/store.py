"""“Kho dữ liệu của người nộp” on a dossier's page, and the download of one of those papers.

The officer sees the applicant's store only while handling the dossier
(``dossiers.store_access``); the list is loaded when the officer asks for it (``?kho=xem``),
so that every look is a decision recorded in the audit trail, not a side effect of opening
the dossier."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.core.clientip import client_ip
from egov.core.downloads import stored_file_response
from egov.core.inputs import has_control_chars
from egov.datastore.display import signature_sentence, standing
from egov.dossiers.models import Dossier
from egov.dossiers.store_access import (
    get_store_document_for_dossier,
    may_look_at_store,
    store_documents_for_dossier,
)
from egov.workspace.views.common import dossier_or_404

# ?kho=xem on the dossier's page lists the applicant's store documents.
SHOW_STORE = "xem"
FILES = {"da-ky": "signed", "goc": "original"}


def store_section(request: HttpRequest, dossier: Dossier) -> dict[str, Any]:
    """The template context of the section: whether it is offered, and the documents once
    asked for (each time audited)."""
    if not may_look_at_store(request.user, dossier):
        return {"store_offered": False}
    if request.GET.get("kho") != SHOW_STORE:
        return {"store_offered": True, "store_rows": None}
    documents = store_documents_for_dossier(request.user, dossier, ip_address=client_ip(request))
    today = timezone.localdate()
    return {
        "store_offered": True,
        "store_rows": [(d, standing(d, today), signature_sentence(d)) for d in documents or []],
    }


@login_required
def store_file(request: HttpRequest, code: str, document: str, which: str) -> HttpResponseBase:
    """A file of the applicant's store document, for an officer handling the dossier."""
    dossier = dossier_or_404(request, code)
    found = (
        None
        if which not in FILES or has_control_chars(document)
        else get_store_document_for_dossier(
            request.user, dossier, document, ip_address=client_ip(request)
        )
    )
    file = None
    if found is not None:
        file = found.signed_file if FILES[which] == "signed" else found.file
    if found is None or file is None:
        raise Http404(_("Không tìm thấy giấy tờ trong kho dữ liệu của người nộp."))
    signed = FILES[which] == "signed"
    return stored_file_response(file, filename=f"{found.code}-ky-so.pdf" if signed else file.name)
