"""What a remote signing request (ký số từ xa) shows its signer: the state in words and each
document's outcome. The request comes from ``permissions.get_remote_signing_for_actor``."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from egov.accounts.models import User
from egov.documents.models import OutgoingDocument, RemoteSigningRequest, RemoteSigningState

W = RemoteSigningState


@dataclass(frozen=True)
class RemoteSigningDocument:
    document: OutgoingDocument
    signed: bool
    message: str


@dataclass(frozen=True)
class RemoteSigningStatus:
    request: RemoteSigningRequest
    message: str
    documents: list[RemoteSigningDocument]

    @property
    def waiting(self) -> bool:
        return self.request.state == W.WAITING


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "…")) else f"{text}."


def _message(request: RemoteSigningRequest, signed: int, total: int) -> str:
    state = request.state
    if state == W.WAITING:
        return _("Đang chờ xác nhận trên điện thoại…")
    if state == W.SIGNED:
        if signed == total:
            return _("Đã ký số.")
        return _("Đã ký số %(signed)d trong %(total)d văn bản; các văn bản còn lại vẫn chờ ký.") % {
            "signed": signed,
            "total": total,
        }
    if state == W.DECLINED:
        return _("Người ký đã từ chối trên điện thoại. Văn bản vẫn chờ ký.")
    if state == W.EXPIRED:
        return _(
            "Hết thời gian chờ xác nhận trên điện thoại. Văn bản vẫn chờ ký; bạn có thể ký lại."
        )
    if request.detail:
        return _("Không ký được: %(detail)s Văn bản vẫn chờ ký.") % {
            "detail": _sentence(request.detail)
        }
    return _("Không ký được. Văn bản vẫn chờ ký.")


def _item_message(request: RemoteSigningRequest, signed: bool, message: str) -> str:
    if signed:
        return _("Đã ký số.")
    if message:
        return _sentence(message)
    if request.state == W.WAITING:
        return _("Đang chờ xác nhận trên điện thoại…")
    if request.state in (W.DECLINED, W.EXPIRED):
        return _sentence(str(RemoteSigningState(request.state).label))
    return _("Chưa ký.")


def remote_signing_status(request: RemoteSigningRequest) -> RemoteSigningStatus:
    items = list(request.items.select_related("document", "document__document_type"))
    signed = sum(1 for item in items if item.signed)
    return RemoteSigningStatus(
        request=request,
        message=_message(request, signed, len(items)),
        documents=[
            RemoteSigningDocument(
                item.document, item.signed, _item_message(request, item.signed, item.message)
            )
            for item in items
        ],
    )


def waiting_remote_signing(actor: User) -> list[RemoteSigningRequest]:
    """The actor's own requests still waiting for their phone, newest first."""
    return list(RemoteSigningRequest.objects.filter(actor=actor, state=W.WAITING))
