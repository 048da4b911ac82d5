"""The names of everything that can happen to a dossier, one enum for all of them.

Each value is the string stored in ``DossierEvent.action`` and sent by the staff API, so the
names never change; the label is the Vietnamese wording shown on timelines, the control sheet
(Mẫu 05) and the public lookup. ``state.TRANSITIONS`` lists which of them change the status.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import pgettext_lazy

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class DossierAction(models.TextChoices):
    # Recorded when the dossier is created.
    RECEIVE = "receive", pgettext_lazy("dossier action", "Tiếp nhận hồ sơ")
    SUBMIT_ONLINE = "submit_online", pgettext_lazy("dossier action", "Nộp hồ sơ trực tuyến")
    # Recorded on an open dossier without a change of status.
    APOLOGISE = "apologise", pgettext_lazy("dossier action", "Xin lỗi và hẹn lại ngày trả kết quả")
    EXTEND = "extend", pgettext_lazy("dossier action", "Gia hạn theo quy định của pháp luật")
    # An amount paid outside the "paid" step: the fee (phí, lệ phí) at the desk or online, or
    # money that arrives when the dossier no longer waits for it (one event per payment row).
    RECORD_PAYMENT = "record_payment", pgettext_lazy("dossier action", "Ghi nhận khoản đã nộp")
    # A component given by a valid document of the applicant's data store instead of paper or
    # an upload (NĐ 45/2020 Điều 16): one event per component, when the dossier is created.
    REUSE_STORE_DOCUMENT = (
        "reuse_store_document",
        pgettext_lazy("dossier action", "Dùng lại giấy tờ trong kho dữ liệu"),
    )
    # A scan or upload checked against the original: its "kết quả số hóa" signed and kept in
    # the applicant's data store, or rejected as not matching (TT 01/2023/TT-VPCP Điều 8).
    DIGITISE = "digitise", pgettext_lazy("dossier action", "Đối chiếu bản chính, số hóa")
    # The transitions of the lifecycle (state.TRANSITIONS).
    ACCEPT_ONLINE = "accept_online", pgettext_lazy("dossier action", "Tiếp nhận hồ sơ trực tuyến")
    REFUSE = "refuse", pgettext_lazy("dossier action", "Từ chối tiếp nhận")
    HAND_OFF = "hand_off", pgettext_lazy("dossier action", "Chuyển hồ sơ đến cơ quan giải quyết")
    ASSIGN = "assign", pgettext_lazy("dossier action", "Phân công chuyên viên xử lý")
    SUBMIT_FOR_APPROVAL = (
        "submit_for_approval",
        pgettext_lazy("dossier action", "Thẩm định xong, trình lãnh đạo"),
    )
    TRANSFER_OUT = (
        "transfer_out",
        pgettext_lazy("dossier action", "Chuyển liên thông đến cơ quan phối hợp"),
    )
    TRANSFER_BACK = (
        "transfer_back",
        pgettext_lazy("dossier action", "Cơ quan phối hợp xử lý xong, chuyển trả"),
    )
    REQUEST_SUPPLEMENT = (
        "request_supplement",
        pgettext_lazy("dossier action", "Yêu cầu bổ sung hồ sơ"),
    )
    SUPPLEMENTED = "supplemented", pgettext_lazy("dossier action", "Nhận hồ sơ bổ sung")
    RESUBMIT_ONLINE = "resubmit_online", pgettext_lazy("dossier action", "Nộp lại hồ sơ đã bổ sung")
    REQUEST_PAYMENT = (
        "request_payment",
        pgettext_lazy("dossier action", "Yêu cầu thực hiện nghĩa vụ tài chính"),
    )
    PAID = "paid", pgettext_lazy("dossier action", "Đã thực hiện nghĩa vụ tài chính")
    APPROVE = "approve", pgettext_lazy("dossier action", "Phê duyệt kết quả")
    RETURN_RESULT = "return_result", pgettext_lazy("dossier action", "Trả kết quả")
    SEND_BY_POST = "send_by_post", pgettext_lazy("dossier action", "Gửi kết quả qua bưu chính")
    POSTAL_DELIVERED = (
        "postal_delivered",
        pgettext_lazy("dossier action", "Bưu chính đã phát kết quả"),
    )
    POSTAL_FAILED = (
        "postal_failed",
        pgettext_lazy("dossier action", "Bưu chính phát không thành công, trả lại"),
    )
    WITHDRAW = "withdraw", pgettext_lazy("dossier action", "Rút hồ sơ theo yêu cầu")
    STOP = "stop", pgettext_lazy("dossier action", "Dừng xử lý")


# Stored action name → its label (timelines look a stored name up here).
ACTION_LABELS: dict[str, StrOrPromise] = dict(DossierAction.choices)
