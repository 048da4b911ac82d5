"""What the store's pages say about a document, in plain Vietnamese: its history, its signature
and whether it is still in force. Shared by the owner's pages (portal) and the officer's
section of a dossier (workspace)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from egov.datastore.models import StoreDocument, StoreDocumentEvent, StoreSource, StoreState
from egov.datastore.state import StoreAction
from egov.signing.verification import Verdict, verdict_message


def event_sentence(event: StoreDocumentEvent) -> str:
    """One line of the document's history, e.g. "Cán bộ đã đối chiếu với bản chính…"."""
    source = str(event.data.get("source", ""))
    reason = str(event.data.get("reason", ""))
    if event.action == StoreAction.STORE:
        if source == StoreSource.UPLOAD:
            return _("Tệp ông/bà tải lên khi nộp trực tuyến được lưu, chờ đối chiếu bản chính.")
        return _("Giấy tờ được quét (số hóa) tại bộ phận một cửa, chờ đối chiếu bản chính.")
    if event.action == StoreAction.ISSUE:
        if source == StoreSource.CERTIFIED_COPY:
            return _("Bản sao điện tử chứng thực từ bản chính được cấp vào kho.")
        return _("Kết quả giải quyết thủ tục hành chính (đã ký số) được cấp vào kho.")
    if event.action == StoreAction.VERIFY:
        return _("Cán bộ đã đối chiếu với bản chính và ký số kết quả số hóa: có giá trị sử dụng.")
    if event.action == StoreAction.REJECT:
        return _("Bản số hóa không khớp bản chính, không được lưu vào kho. Lý do: %s") % reason
    if event.action == StoreAction.REVOKE:
        return _("Giấy tờ bị thu hồi, không còn được dùng lại. Lý do: %s") % reason
    if event.action == StoreAction.CONFIRM_FIELDS:
        return _("Cán bộ xác nhận thông tin của giấy tờ (số, ngày cấp, cơ quan cấp).")
    if event.action == StoreAction.RECOGNISE:
        return _("Hệ thống nhận dạng chữ trên bản số hóa.")
    return event.action


def signature_sentence(document: StoreDocument) -> str:
    """The verdict recorded when it was signed (not re-verified on each view)."""
    if not document.signature_verdict:
        return _("Chưa có chữ ký số.")
    if document.signature_verdict == Verdict.VALID:
        return _("Chữ ký số hợp lệ của %s.") % (document.signature_signer or _("cơ quan cấp"))
    try:
        verdict = Verdict(document.signature_verdict)
    except ValueError:
        return _("Chữ ký số chưa được kiểm tra.")
    return _("Chữ ký số chưa hợp lệ. %s") % verdict_message(verdict)


@dataclass(frozen=True)
class Standing:
    """Whether the document may still be used, and the badge that says so."""

    label: str
    css: str  # the badge's class in site.css


def standing(document: StoreDocument, on: dt.date) -> Standing:
    if document.state == StoreState.REVOKED:
        return Standing(_("Đã thu hồi"), "overdue")
    if document.valid_until is not None and document.valid_until < on:
        return Standing(_("Hết hạn"), "due-soon")
    return Standing(_("Còn giá trị"), "in-time")
