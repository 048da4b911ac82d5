"""Pages of the inter-agency exchange for the văn thư: what came through the axis and waits
to be accepted or refused, the sender's recalls waiting for an answer, the packages that
failed verification; and the sender's own recall of an issued document."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egov.documents.errors import DocumentError
from egov.documents.permissions import get_outgoing_for_actor
from egov.exchange.permissions import get_received_for_actor
from egov.exchange.selectors import clerk_inbox
from egov.exchange.services.inbox import exchange_recall_decide
from egov.exchange.services.outbox import exchange_recall
from egov.workspace.views.common import staff_only, staff_user
from egov.workspace.views.documents_incoming import clerk_agencies


@login_required
def exchange_inbox(request: HttpRequest) -> HttpResponse:
    staff_only(request)
    agencies = clerk_agencies(request)
    inbox = clerk_inbox(agencies)
    return render(
        request,
        "workspace/documents/exchange_inbox.html",
        {
            "agencies": agencies,
            "waiting": inbox.waiting,
            "recalls": inbox.recalls,
            "invalid": inbox.invalid,
        },
    )


@login_required
@require_POST
def exchange_recall_answer(request: HttpRequest, pk: int) -> HttpResponseBase:
    staff_only(request)
    received = get_received_for_actor(request.user, pk)
    if received is None:
        raise Http404(_("Không tìm thấy đề nghị thu hồi trong phạm vi bạn được xem."))
    agree = request.POST.get("answer") == "agree"
    try:
        exchange_recall_decide(
            actor=request.user,
            received=received,
            agree=agree,
            reason=request.POST.get("reason", "")[:500],
        )
    except DocumentError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("Đã đồng ý thu hồi.") if agree else _("Đã từ chối đề nghị thu hồi.")
        )
    return redirect("workspace:exchange_inbox")


@login_required
@require_POST
def exchange_recall_send(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The sender's clerk recalls an issued document from every recipient that got it
    through the axis (NĐ 30/2020, Điều 18.4)."""
    user = staff_user(request)
    document = get_outgoing_for_actor(user, pk)
    if document is None:
        raise Http404(_("Không tìm thấy văn bản trong phạm vi bạn được xem."))
    try:
        rows = exchange_recall(
            actor=user, document=document, reason=request.POST.get("reason", "")[:500]
        )
    except DocumentError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("Đã gửi đề nghị thu hồi tới %(n)d nơi nhận.") % {"n": len(rows)}
        )
    return redirect("workspace:outgoing", pk=document.pk)
