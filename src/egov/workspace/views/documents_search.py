"""Search of official documents: metadata and text layer, folded (no marks, đ→d), only what
the user may see, newest first, one page at a time (?q=…&sau=…)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from egov.documents.search import search_documents
from egov.workspace.views.common import staff_only

PAGE_SIZE = 20


@login_required
def document_search(request: HttpRequest) -> HttpResponse:
    staff_only(request)
    query = (request.GET.get("q") or "").strip()[:200]
    after = (request.GET.get("sau") or "").strip()[:100] or None
    page = search_documents(request.user, query, after=after, limit=PAGE_SIZE) if query else None
    return render(
        request,
        "workspace/document_search.html",
        {"query": query, "page": page, "first_page": after is None},
    )
