"""The names of everything that happens to an official document.

Each value is stored in the event rows (``OutgoingEvent.action``, ``IncomingEvent.action``,
``CopyEvent.action``)
and will be sent by the API, so the names never change; labels are the timeline wording.
``state.TRANSITIONS`` lists which outgoing actions change the status.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import pgettext_lazy


class OutgoingAction(models.TextChoices):
    # Recorded without a change of status.
    CREATE = "create", pgettext_lazy("document action", "Tạo dự thảo")
    ADD_VERSION = "add_version", pgettext_lazy("document action", "Cập nhật dự thảo")
    # The transitions of the lifecycle (state.TRANSITIONS), NĐ 30/2020 Điều 10-19.
    SUBMIT = "submit", pgettext_lazy("document action", "Trình lãnh đạo đơn vị duyệt")
    APPROVE_CONTENT = (
        "approve_content",
        pgettext_lazy("document action", "Duyệt nội dung, chuyển kiểm tra thể thức"),
    )
    APPROVE_FORMAT = (
        "approve_format",
        pgettext_lazy("document action", "Kiểm tra thể thức xong, trình ký"),
    )
    RETURN = "return", pgettext_lazy("document action", "Trả lại dự thảo kèm ý kiến")
    SIGN = "sign", pgettext_lazy("document action", "Duyệt và ký số")
    REGISTER = "register", pgettext_lazy("document action", "Cấp số, ngày và vào sổ văn bản đi")
    AGENCY_SIGN = "agency_sign", pgettext_lazy("document action", "Ký số của cơ quan")
    ISSUE = "issue", pgettext_lazy("document action", "Phát hành")


class IncomingAction(models.TextChoices):
    RECEIVE = "receive", pgettext_lazy("document action", "Tiếp nhận văn bản đến")
    REGISTER = "register", pgettext_lazy("document action", "Vào sổ văn bản đến")
    RETURN_TO_SENDER = "return_to_sender", pgettext_lazy("document action", "Trả lại nơi gửi")
    DISTRIBUTE = "distribute", pgettext_lazy("document action", "Phân phối, giao xử lý")
    START = "start", pgettext_lazy("document action", "Bắt đầu xử lý")
    COMPLETE = "complete", pgettext_lazy("document action", "Hoàn thành xử lý")
    LINK_REPLY = "link_reply", pgettext_lazy("document action", "Gắn văn bản trả lời")
    # Documents that came through the inter-agency axis (egov.exchange).
    RECALL = "recall", pgettext_lazy("document action", "Thu hồi theo đề nghị của nơi gửi")
    REPLACE = "replace", pgettext_lazy("document action", "Được thay thế bằng văn bản mới")


class CopyAction(models.TextChoices):
    MAKE = "make", pgettext_lazy("document action", "Sao văn bản, cấp số bản sao")
    AGENCY_SIGN = "agency_sign", pgettext_lazy("document action", "Ký số của cơ quan lên bản sao")
