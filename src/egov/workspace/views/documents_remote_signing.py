"""Ký số từ xa from the staff pages: the signing form sends a request and comes here, where the
page says "Đang chờ xác nhận trên điện thoại…" and asks again every few seconds (htmx) until
the background task has an answer. The request loads through ``documents.permissions``
(its signer only)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from egov.accounts.models import User
from egov.documents.errors import StaleRevision, TransitionRefused
from egov.documents.models import OutgoingDocument
from egov.documents.permissions import get_remote_signing_for_actor
from egov.documents.selectors_remote_signing import remote_signing_status
from egov.documents.services.outgoing_remote_signing import (
    outgoing_remote_sign_start,
    remote_signing_refresh,
)
from egov.signing.services import SigningError
from egov.workspace.views.common import staff_only

# How often the waiting page asks again (seconds).
POLL_SECONDS = 2


def start_remote_signing(
    request: HttpRequest,
    user: User,
    documents: list[tuple[OutgoingDocument, int | None]],
    *,
    delegation: str | None,
    signer_position: str,
) -> str | None:
    """Send the remote signing request from a signing form; the URL of its waiting page, or
    None when it was refused (the reason is in the page's messages)."""
    try:
        started = outgoing_remote_sign_start(
            actor=user,
            documents=documents,
            delegation=delegation,
            signer_position=signer_position,
        )
    except (StaleRevision, TransitionRefused) as exc:
        messages.error(request, str(exc))
        return None
    except SigningError as exc:
        messages.error(request, exc.message)
        return None
    if not started.created:
        messages.info(
            request,
            _(
                "Văn bản đã chọn đang chờ xác nhận trên điện thoại trong một yêu cầu đã gửi; "
                "không gửi thêm yêu cầu."
            ),
        )
    return reverse("workspace:outgoing_remote_signing", kwargs={"pk": started.request.pk})


@login_required
def remote_signing_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The request's state; with ``HX-Request`` only the status block (polled while waiting)."""
    staff_only(request)
    assert isinstance(request.user, User)
    found = get_remote_signing_for_actor(request.user, pk)
    if found is None:
        raise Http404(_("Không tìm thấy yêu cầu ký số từ xa."))
    status = remote_signing_status(remote_signing_refresh(found))
    context = {"status": status, "poll_seconds": POLL_SECONDS}
    if getattr(request, "htmx", False):
        return render(request, "workspace/documents/_remote_signing_status.html", context)
    return render(request, "workspace/documents/outgoing_remote_signing.html", context)
