"""Hỏi đáp on the portal (issue 17 §7): the published questions of the knowledge base,
searched without diacritics and filtered by field, in keyset pages (no totals), and one
question's page. Anonymous visitors see published questions only (helpdesk.permissions)."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from egov.catalog.models import ProcedureField
from egov.catalog.selectors import version_by_code
from egov.helpdesk.permissions import get_published_question
from egov.helpdesk.selectors import InvalidCursor, procedure_by_code, search_faq

PER_PAGE = 20


class FaqSearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Tìm câu hỏi"), max_length=200, required=False)
    linh_vuc = forms.CharField(label=gettext_lazy("Lĩnh vực"), max_length=60, required=False)
    thu_tuc = forms.CharField(label=gettext_lazy("Thủ tục"), max_length=80, required=False)
    sau = forms.CharField(max_length=120, required=False)


def faq_list(request: HttpRequest) -> HttpResponse:
    form = FaqSearchForm(request.GET or None)
    cleaned = form.cleaned_data if form.is_bound and form.is_valid() else {}
    procedure = procedure_by_code(cleaned.get("thu_tuc") or "")
    version = version_by_code(procedure.public_code) if procedure is not None else None
    cursor_error = ""
    try:
        page = search_faq(
            query=cleaned.get("q") or "",
            field=cleaned.get("linh_vuc") or None,
            procedure=procedure,
            cursor=cleaned.get("sau") or "",
            limit=PER_PAGE,
        )
    except InvalidCursor:
        cursor_error = _("Liên kết trang không hợp lệ; đang hiển thị trang đầu.")
        page = search_faq(
            query=cleaned.get("q") or "",
            field=cleaned.get("linh_vuc") or None,
            procedure=procedure,
            limit=PER_PAGE,
        )
    params = {k: v for k, v in request.GET.items() if k != "sau" and v}
    return render(
        request,
        "portal/faq_list.html",
        {
            "form": form,
            "page": page,
            "fields": ProcedureField.objects.order_by("order", "name"),
            "field_code": cleaned.get("linh_vuc") or "",
            "procedure": procedure,
            "version": version,
            "query_string": urlencode(params),
            "cursor_error": cursor_error,
            "is_next_page": bool(cleaned.get("sau")) and not cursor_error,
        },
    )


def faq_detail(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_published_question(pk)
    if question is None:
        raise Http404(_("Không có câu hỏi này, hoặc câu hỏi không còn được công bố."))
    version = (
        version_by_code(question.procedure.public_code) if question.procedure is not None else None
    )
    return render(request, "portal/faq_detail.html", {"question": question, "version": version})
