"""Dossiers (hồ sơ) received under a procedure version, and their lifecycle events.

Every status change is one ``DossierEvent`` row (who, when, from → to, reason, data): the
control sheet (Mẫu 05) and the public timeline are built from these rows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from egov.catalog.models import ChannelKind
from egov.core.identity import ApplicantKind


class DossierStatus(models.TextChoices):
    AWAITING_ONLINE_RECEPTION = "awaiting_online_reception", _("Chờ tiếp nhận trực tuyến")
    RECEIVED = "received", _("Đã tiếp nhận")
    PROCESSING = "processing", _("Đang xử lý")
    INTERAGENCY = "interagency", _("Đang liên thông")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Yêu cầu bổ sung")
    AWAITING_PAYMENT = "awaiting_payment", _("Chờ thực hiện nghĩa vụ tài chính")
    RESULT_READY = "result_ready", _("Có kết quả, chờ trả")
    RESULT_IN_TRANSIT = "result_in_transit", _("Đang chuyển kết quả qua bưu chính")
    RETURNED = "returned", _("Đã trả kết quả")
    REFUSED = "refused", _("Từ chối tiếp nhận")
    WITHDRAWN = "withdrawn", _("Rút hồ sơ theo yêu cầu")
    STOPPED = "stopped", _("Dừng xử lý")


# The status sets rules are written against, each in one place. They differ on purpose:
# - open: the dossier still waits for someone's work, at the desk (an online dossier to
#   receive, a result to hand over or post) or in processing — the work queues and the
#   due-date warnings list these;
# - in processing ("đang giải quyết"): received and no result approved yet — the only time
#   an apology with a new date may be sent (NĐ 61/2018/NĐ-CP; NĐ 118/2025): before reception
#   there is no due date of the agency's, after approval nothing can be late any more;
# - with a result: approved, so the result exists (e-result downloadable, posted or returned).
IN_PROCESSING_STATUSES = (
    DossierStatus.RECEIVED,
    DossierStatus.PROCESSING,
    DossierStatus.INTERAGENCY,
    DossierStatus.SUPPLEMENT_REQUESTED,
    DossierStatus.AWAITING_PAYMENT,
)
RESULT_STATUSES = (
    DossierStatus.RESULT_READY,
    DossierStatus.RESULT_IN_TRANSIT,
    DossierStatus.RETURNED,
)
OPEN_STATUSES = (
    DossierStatus.AWAITING_ONLINE_RECEPTION,
    *IN_PROCESSING_STATUSES,
    DossierStatus.RESULT_READY,
    DossierStatus.RESULT_IN_TRANSIT,
)


class ResultDelivery(models.TextChoices):
    COUNTER = "counter", _("Nhận tại nơi nộp")
    POST = "post", _("Qua bưu chính")
    ONLINE = "online", _("Trực tuyến")


class Outcome(models.TextChoices):
    """How a dossier's processing ended against its appointment (Biểu 06 of TT 01/2020/TT-VPCP
    columns 8–10; QĐ 766/QĐ-TTg indicator "tỷ lệ hồ sơ xử lý trước hạn, đúng hạn")."""

    EARLY = "early", _("Trước hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Quá hạn")


# The columns the periodic report reads beside received_at and completed_at.
REPORT_COLUMNS = [
    "handling_unit",
    "receiving_unit",
    "procedure_version",
    "channel",
    "outcome",
    "due_at",
]


class Dossier(models.Model):
    # TT 01/2018/TT-VPCP, Điều 19: <receiving unit code>-YYMMDD-XXXX.
    code = models.CharField(_("mã hồ sơ"), max_length=40, unique=True)
    receiving_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("nơi tiếp nhận"),
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    procedure_version = models.ForeignKey(
        "catalog.ProcedureVersion",
        verbose_name=_("phiên bản thủ tục"),
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    handling_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("đơn vị giải quyết"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handled_dossiers",
    )
    # The citizen account that submitted the dossier online (its "My dossiers").
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản nộp trực tuyến"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_dossiers",
    )
    submitted_at = models.DateTimeField(_("nộp trực tuyến lúc"), null=True, blank=True)
    # NĐ 45/2020 Điều 13 (and NĐ 61/2018 as amended): an online dossier is answered within
    # 8 working hours — accepted, told what to supplement, or refused.
    reception_due_at = models.DateTimeField(_("hạn tiếp nhận trực tuyến"), null=True, blank=True)
    # Phân công: the specialist who handles the dossier in the handling unit (per-person queue).
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chuyên viên được giao"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_dossiers",
    )
    # Liên thông: the other agency the dossier was last sent to (its events keep the history).
    partner_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("cơ quan liên thông"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="interagency_dossiers",
    )
    channel = models.CharField(_("hình thức nộp"), max_length=10, choices=ChannelKind.choices)
    status = models.CharField(
        _("trạng thái"), max_length=30, choices=DossierStatus.choices, db_index=True
    )
    # Applicant (người nộp): a citizen or an organisation, possibly through a representative.
    applicant_kind = models.CharField(
        _("loại người nộp"), max_length=12, choices=ApplicantKind.choices
    )
    applicant_name = models.CharField(_("họ tên / tên tổ chức"), max_length=255)
    # The name folded for the work queue's search (core.text.fold: no case, no diacritics,
    # đ→d), written with the name by services.creation.dossier_row_create.
    applicant_search = models.CharField(max_length=255, blank=True, default="", editable=False)
    applicant_personal_id = models.CharField(_("số định danh cá nhân"), max_length=12, blank=True)
    applicant_tax_code = models.CharField(_("mã số thuế"), max_length=13, blank=True)
    applicant_phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    representative_name = models.CharField(_("người được ủy quyền"), max_length=255, blank=True)
    representative_personal_id = models.CharField(
        _("số định danh người được ủy quyền"), max_length=12, blank=True
    )
    sets = models.PositiveSmallIntegerField(_("số bộ hồ sơ"), default=1)
    result_delivery = models.CharField(
        _("nhận kết quả"),
        max_length=10,
        choices=ResultDelivery.choices,
        default=ResultDelivery.COUNTER,
    )
    fee_quoted = models.PositiveIntegerField(_("phí, lệ phí dự tính (đồng)"), null=True, blank=True)
    received_at = models.DateTimeField(_("tiếp nhận lúc"), null=True, blank=True)
    due_at = models.DateTimeField(_("hẹn trả lúc"), null=True, blank=True, db_index=True)
    due_rule = models.CharField(_("cách tính hạn"), max_length=200, blank=True)
    # TT 01/2018/TT-VPCP Điều 19: the result of a dossier is coded <dossier code>-KQ<n>.
    result_code = models.CharField(_("mã kết quả"), max_length=50, blank=True)
    # Its entry in the receiving unit's Sổ theo dõi hồ sơ (Mẫu 06), printed on the receipt as
    # "Quyển số … Số thứ tự …": one book per unit and year, numbered from 1 without gaps
    # (TT 01/2018/TT-VPCP Điều 10.2), set when the dossier is received (codes.book_entry).
    book_year = models.PositiveSmallIntegerField(_("sổ theo dõi năm"), null=True, blank=True)
    book_sequence = models.PositiveIntegerField(
        _("số thứ tự trong sổ theo dõi"), null=True, blank=True
    )
    apologised_at = models.DateTimeField(_("xin lỗi, hẹn lại lúc"), null=True, blank=True)
    original_due_at = models.DateTimeField(_("hạn ban đầu"), null=True, blank=True)
    # Set once, when processing ends (egov.dossiers.completion), for reports over many dossiers.
    completed_at = models.DateTimeField(_("kết thúc xử lý lúc"), null=True, blank=True)
    outcome = models.CharField(
        _("kết quả so với hạn"), max_length=8, choices=Outcome.choices, blank=True
    )
    working_days = models.DecimalField(
        _("số ngày làm việc đã dùng"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    # The financial obligation asked of the applicant by the last "request_payment" (đồng).
    obligation_amount = models.BigIntegerField(
        _("nghĩa vụ tài chính phải nộp (đồng)"), null=True, blank=True
    )
    revision = models.PositiveIntegerField(
        default=0, help_text="Optimistic lock: increases with every transition."
    )
    # Digitisation as the reports count it (QĐ 766 indicators 4.2, 4.3 and the desk's own
    # ratio), kept by dossiers.digitisation_flags after every event and scan so a report of a
    # month filters a column instead of probing the component table once per dossier.
    digitised_components = models.BooleanField(default=False, editable=False)
    reuses_data = models.BooleanField(default=False, editable=False)
    counter_digitised = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(fields=["receiving_unit", "status", "due_at"], name="dossier_queue_idx"),
            models.Index(fields=["applicant_personal_id"], name="dossier_applicant_idx"),
            models.Index(fields=["assignee", "status", "due_at"], name="dossier_assignee_idx"),
            # Reports per receiving unit and period (received in the period, carried over).
            models.Index(
                fields=["receiving_unit", "received_at"], name="dossier_unit_received_idx"
            ),
            # The same for the unit a dossier is counted in by the reports (egov.reports.form06
            # unit_basis "handling"): the handling unit, the receiving desk before a hand-off.
            models.Index(
                Coalesce("handling_unit", "receiving_unit"),
                "received_at",
                name="dossier_counted_received_idx",
            ),
            # Biểu 06 (egov.reports.form06.raw_counts): the dossiers alive in a period are those
            # completed since its start plus those still open, each read from an index alone
            # (PostgreSQL covering indexes; SQLite keeps the key columns only).
            models.Index(
                fields=["completed_at", "received_at"],
                include=REPORT_COLUMNS,
                name="dossier_report_done_idx",
            ),
            models.Index(
                fields=["received_at"],
                include=REPORT_COLUMNS,
                condition=models.Q(completed_at__isnull=True),
                name="dossier_report_open_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["receiving_unit", "book_year", "book_sequence"], name="dossier_book_entry"
            )
        ]

    def __str__(self) -> str:
        return self.code


class DossierEvent(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    sequence = models.PositiveIntegerField()
    action = models.CharField(_("thao tác"), max_length=40)
    from_status = models.CharField(max_length=30, blank=True)
    to_status = models.CharField(max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("thời điểm"))
    reason = models.TextField(_("lý do"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("sự kiện hồ sơ")
        verbose_name_plural = _("sự kiện hồ sơ")
        ordering = ["dossier", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "sequence"], name="dossier_event_sequence")
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}#{self.sequence} {self.action}"


class DossierComponent(models.Model):
    """A component as received: how many originals and copies the applicant handed in, and
    its scan when the desk digitises it (NĐ 107/2021; TT 01/2023/TT-VPCP). A scan is a
    ``core.StoredFile``; only staff who may see the dossier download it."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="components")
    component = models.ForeignKey("catalog.Component", on_delete=models.PROTECT, related_name="+")
    originals = models.PositiveSmallIntegerField(default=0)
    copies = models.PositiveSmallIntegerField(default=0)
    scan = models.ForeignKey(
        "core.StoredFile",
        verbose_name=_("tệp số hóa"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The component's document in the applicant's data store (egov.datastore): the one its
    # scan or upload became (pending until the officer checks it against the original and
    # the "kết quả số hóa" is signed), or a valid one reused instead of asking again.
    store_document = models.ForeignKey(
        "datastore.StoreDocument",
        verbose_name=_("giấy tờ trong kho dữ liệu"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Taken from the store, not handed in again (NĐ 45/2020 Điều 16; index 4.3 "tái sử dụng").
    reused = models.BooleanField(_("dùng lại từ kho dữ liệu"), default=False)
    # Why the stored document could stand for this component (the rule, as recorded then).
    reuse_rule = models.CharField(_("căn cứ dùng lại"), max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dossier", "component"], name="dossier_component_once")
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.component_id}"


class FileSource(models.TextChoices):
    UPLOAD = "upload", _("Người nộp tải lên")
    REUSED = "reused", _("Dùng lại kết quả đã có")
    RESULT = "result", _("Kết quả giải quyết")


class DossierFile(models.Model):
    """A file of a dossier: an applicant's upload for a component, an earlier result reused
    instead of uploading again (NĐ 45/2020), or the e-result (<code>-KQ<n>). The file itself is a
    ``core.StoredFile`` (private storage, random name; its SHA-256 lets anyone check a copy)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="files")
    component = models.ForeignKey(
        "catalog.Component", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(_("nguồn"), max_length=10, choices=FileSource.choices)
    code = models.CharField(_("mã kết quả"), max_length=60, blank=True)
    # A reused result points to the same stored file as the result it reuses.
    file = models.ForeignKey(
        "core.StoredFile", verbose_name=_("tệp"), on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField()
    # A result's signature as verified once, right after the competent agency signed it
    # (dossiers.eresults): the applicant's page shows it without re-verifying on every view.
    # Empty for files that are not results and for results stored before signing existed.
    signature_verdict = models.CharField(_("kết luận chữ ký số"), max_length=20, blank=True)
    signature_agency = models.CharField(_("cơ quan ký số"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("tệp của hồ sơ")
        verbose_name_plural = _("tệp của hồ sơ")
        ordering = ["dossier", "added_at", "id"]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.file_id}"


class WarningKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Sắp đến hạn")
    OVERDUE = "overdue", _("Quá hạn")
    # Recorded with the act that passed a legal limit (dossiers.services.warnings.late_act).
    SUPPLEMENT_LATE = "supplement_late", _("Yêu cầu bổ sung quá thời hạn")
    APPLICANT_LATE = "applicant_late", _("Người nộp bổ sung quá thời hạn")
    HAND_OFF_LATE = "hand_off_late", _("Chuyển hồ sơ đến cơ quan giải quyết muộn")


class DossierWarning(models.Model):
    """A warning, once per dossier, kind and limit (``due_at``): due soon or overdue, raised by
    the periodic job; or a legal limit passed by an act, recorded with that act."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="warnings")
    kind = models.CharField(max_length=20, choices=WarningKind.choices)
    due_at = models.DateTimeField()
    raised_at = models.DateTimeField()

    class Meta:
        verbose_name = _("cảnh báo hạn xử lý")
        verbose_name_plural = _("cảnh báo hạn xử lý")
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "kind", "due_at"], name="dossier_warning_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.kind}"


class NoticeKind(models.TextChoices):
    GUIDANCE = "guidance", _("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (Mẫu 02)")
    REFUSAL = "refusal", _("Phiếu từ chối tiếp nhận giải quyết hồ sơ (Mẫu 03)")


class CounterNotice(models.Model):
    """A written notice at the counter when a dossier is not received: guidance listing every
    item to complete, given once and in writing (Mẫu 02), or a refusal with its reasons (Mẫu 03)
    — NĐ 61/2018/NĐ-CP and TT 01/2018/TT-VPCP."""

    kind = models.CharField(_("loại phiếu"), max_length=10, choices=NoticeKind.choices)
    number = models.PositiveIntegerField(_("số phiếu"))
    year = models.PositiveSmallIntegerField(_("năm"))
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    procedure_version = models.ForeignKey(
        "catalog.ProcedureVersion", on_delete=models.PROTECT, related_name="+"
    )
    applicant_name = models.CharField(_("người nộp"), max_length=255)
    applicant_phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    items = models.JSONField(_("nội dung cần bổ sung, hoàn thiện"), default=list, blank=True)
    reason = models.TextField(_("lý do"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("lập lúc"))

    class Meta:
        verbose_name = _("phiếu tại bộ phận một cửa")
        verbose_name_plural = _("phiếu tại bộ phận một cửa")
        constraints = [
            models.UniqueConstraint(fields=["unit", "kind", "year", "number"], name="notice_number")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}/{self.year}"


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Tiền mặt tại quầy")
    BANK_TRANSFER = "bank_transfer", _("Chuyển khoản")
    CARD = "card", _("Thẻ tại quầy (POS)")
    ONLINE = "online", _("Thanh toán trực tuyến")
    OTHER_AGENCY = "other_agency", _("Nộp tại cơ quan khác (thuế, kho bạc)")


class PaymentPurpose(models.TextChoices):
    FEE = "fee", _("Phí, lệ phí")
    OBLIGATION = "obligation", _("Nghĩa vụ tài chính")


class DossierPayment(models.Model):
    """An amount actually paid for a dossier: the fee at the counter or a financial obligation
    (thuế, tiền sử dụng đất…) confirmed by the desk. Rows are never edited; a mistake is
    corrected by a new row with a negative amount and a reason."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="payments")
    purpose = models.CharField(_("khoản nộp"), max_length=12, choices=PaymentPurpose.choices)
    amount = models.BigIntegerField(_("số tiền (đồng)"))
    method = models.CharField(_("hình thức nộp"), max_length=15, choices=PaymentMethod.choices)
    reference = models.CharField(_("số biên lai / mã giao dịch"), max_length=100, blank=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    paid_at = models.DateTimeField(_("nộp lúc"))

    class Meta:
        verbose_name = _("khoản đã nộp")
        verbose_name_plural = _("khoản đã nộp")
        ordering = ["dossier", "paid_at", "id"]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.amount}"


class ShipmentStatus(models.TextChoices):
    REQUESTED = "requested", _("Đã yêu cầu bưu chính")
    BOOKED = "booked", _("Bưu chính đã nhận, có số hiệu")
    DELIVERED = "delivered", _("Đã phát thành công")
    FAILED = "failed", _("Phát không thành công")


class ResultShipment(models.Model):
    """A result sent to the applicant by post (bưu chính công ích, QĐ 45/2016/QĐ-TTg): booked
    with the postal operator through its adapter, then confirmed delivered or failed."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="shipments")
    recipient_name = models.CharField(_("người nhận"), max_length=255)
    recipient_phone = models.CharField(_("điện thoại người nhận"), max_length=20, blank=True)
    address = models.CharField(_("địa chỉ nhận"), max_length=500)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=ShipmentStatus.choices, default="requested"
    )
    tracking_number = models.CharField(_("số hiệu bưu gửi"), max_length=20, blank=True)
    operator = models.CharField(_("doanh nghiệp bưu chính"), max_length=50, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    requested_at = models.DateTimeField()
    booked_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("bưu gửi kết quả")
        verbose_name_plural = _("bưu gửi kết quả")
        ordering = ["dossier", "requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tracking_number"],
                condition=~models.Q(tracking_number=""),
                name="shipment_tracking_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.tracking_number or self.status}"
