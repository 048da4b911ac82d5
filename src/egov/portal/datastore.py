"""“Kho dữ liệu của tôi”: the papers the state holds electronically for the signed-in citizen
(NĐ 45/2020/NĐ-CP Điều 16 as amended by NĐ 118/2025/NĐ-CP): the list with a kind filter and a
search, one document with its history, and its files. Documents load only through
``datastore.permissions``; opening and downloading one is audited."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.core.clientip import client_ip
from egov.core.downloads import stored_file_response
from egov.core.inputs import has_control_chars
from egov.datastore.display import event_sentence, signature_sentence, standing
from egov.datastore.listing import MAX_QUERY, filtered, kinds_in, store_page
from egov.datastore.models import StoreDocument
from egov.datastore.permissions import get_own_store_document, own_store_documents
from egov.datastore.services_access import store_document_record_access

# The two files of a document: the signed "kết quả số hóa" (or the signed result itself) and
# the file as scanned or uploaded.
FILES = {"da-ky": "signed", "goc": "original"}


def _param(request: HttpRequest, name: str, limit: int) -> str:
    value = request.GET.get(name, "").strip()[:limit]
    return "" if has_control_chars(value) else value


def _mine(request: HttpRequest, code: str) -> StoreDocument:
    document = None if has_control_chars(code) else get_own_store_document(request.user, code)
    if document is None:
        raise Http404(_("Không tìm thấy giấy tờ trong kho dữ liệu của bạn."))
    return document


@login_required
def my_store(request: HttpRequest) -> HttpResponse:
    mine = own_store_documents(request.user)
    kind_code = _param(request, "loai", 60)
    text = _param(request, "q", MAX_QUERY)
    chosen = filtered(mine.select_related("digitised_by"), kind_code=kind_code, text=text)
    page = store_page(chosen, cursor=_param(request, "sau", 120))
    today = timezone.localdate()
    return render(
        request,
        "portal/my_store.html",
        {
            "rows": [(d, standing(d, today), signature_sentence(d)) for d in page.documents],
            "next_cursor": page.next_cursor,
            "kinds": kinds_in(mine),
            "kind_code": kind_code,
            "q": text,
            "filtering": bool(kind_code or text),
            # Only for the empty state: whether the store has anything at all.
            "has_any": bool(page.documents) or mine.exists(),
        },
    )


@login_required
def my_store_document(request: HttpRequest, code: str) -> HttpResponse:
    document = _mine(request, code)
    store_document_record_access(
        actor=request.user, document=document, kind="view", ip_address=client_ip(request)
    )
    return render(
        request,
        "portal/my_store_document.html",
        {
            "document": document,
            "standing": standing(document, timezone.localdate()),
            "signature": signature_sentence(document),
            "events": [(e, event_sentence(e)) for e in document.events.order_by("sequence")],
        },
    )


@login_required
def my_store_file(request: HttpRequest, code: str, which: str) -> HttpResponseBase:
    document = _mine(request, code)
    if which not in FILES:
        raise Http404(_("Không có tệp này."))
    signed = FILES[which] == "signed"
    file = document.signed_file if signed else document.file
    if file is None:
        raise Http404(_("Giấy tờ này chưa có bản đã ký số."))
    store_document_record_access(
        actor=request.user, document=document, kind="download", ip_address=client_ip(request)
    )
    filename = f"{document.code}-ky-so.pdf" if signed else file.name
    return stored_file_response(file, filename=filename)
