"""The fixed catalogue of event types a partner may subscribe to, and the retry schedule.

Each catalogue type is sent as the CloudEvents ``type`` ``<EGOV_WEBHOOKS_TYPE_PREFIX>.<type>``
(``vn.gov.quangninh.egov.dossier.status_changed``). The names never change once published;
a new kind of event gets a new name (docs/webhooks.md lists them with example payloads).
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    # Dossiers (egov.dossiers.events): received at the desk or accepted online.
    DOSSIER_SUBMITTED = "dossier.submitted", _("Hồ sơ nộp trực tuyến, chờ tiếp nhận")
    DOSSIER_RECEIVED = "dossier.received", _("Hồ sơ được tiếp nhận")
    DOSSIER_STATUS_CHANGED = "dossier.status_changed", _("Hồ sơ chuyển trạng thái")
    DOSSIER_DUE_CHANGED = "dossier.due_changed", _("Hồ sơ được hẹn lại, gia hạn ngày trả kết quả")
    DOSSIER_RESULT_READY = "dossier.result_ready", _("Hồ sơ có kết quả")
    # An amount paid for a dossier: a financial obligation confirmed (the "paid" step) or any
    # other payment row (the fee at the desk or through VNPAY: the "record_payment" event).
    PAYMENT_RECORDED = (
        "payment.recorded",
        _("Ghi nhận khoản đã nộp: phí, lệ phí, nghĩa vụ tài chính"),
    )
    # Official documents (egov.documents.events).
    DOCUMENT_ISSUED = "document.issued", _("Văn bản đi được phát hành")
    DOCUMENT_RECEIVED = "document.received", _("Văn bản đến được tiếp nhận")
    DOCUMENT_REGISTERED = "document.registered", _("Văn bản đến được vào sổ")


DOSSIER_TYPES = frozenset(t for t in EventType if t.startswith(("dossier.", "payment.")))
DOCUMENT_TYPES = frozenset(t for t in EventType if t.startswith("document."))

# Delay before each retry after a failed attempt (attempt 1 is sent at once): 8 attempts over
# about 44 h 36 min, so a partner that is down for a whole day loses nothing. Each delay gets
# up to ±10 % random jitter, so that the retries of many deliveries failed together by one
# outage do not arrive together when the partner comes back.
RETRY_DELAYS: tuple[dt.timedelta, ...] = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=6),
    dt.timedelta(hours=12),
    dt.timedelta(hours=24),
)
JITTER = 0.10
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
