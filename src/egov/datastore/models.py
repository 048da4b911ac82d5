"""The electronic data store of organisations and individuals (kho quản lý dữ liệu điện tử của
tổ chức, cá nhân; NĐ 45/2020/NĐ-CP Điều 16 as amended by NĐ 118/2025/NĐ-CP Điều 40 khoản 8).

One ``StoreDocument`` is one paper the state now holds electronically for its owner — a person
by personal ID (số định danh cá nhân) or an organisation by tax code (mã số thuế): a component
digitised at the desk or uploaded online and checked against the original (TT 01/2023/TT-VPCP
Điều 8, "kết quả số hóa" signed by whoever digitised it), an e-result, or an electronic certified
copy. Its lifecycle is ``state.STORE_TRANSITIONS``; every move appends a ``StoreDocumentEvent``.

The source dossier is kept by code and id, not by a foreign key: the store sits below the
dossiers on the app floors, and a dossier's components point to the store instead
(``dossiers.DossierComponent.store_document``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OwnerKind(models.TextChoices):
    PERSON = "person", _("Cá nhân")
    ORGANISATION = "organisation", _("Tổ chức")


class StoreSource(models.TextChoices):
    SCAN = "scan", _("Số hóa tại bộ phận một cửa")
    UPLOAD = "upload", _("Người nộp tải lên khi nộp trực tuyến")
    RESULT = "result", _("Kết quả giải quyết thủ tục hành chính")
    CERTIFIED_COPY = "certified_copy", _("Bản sao điện tử chứng thực từ bản chính")


class StoreState(models.TextChoices):
    # Stored, not yet checked against the original: the owner does not see it, nothing reuses it.
    PENDING = "pending", _("Chờ đối chiếu bản chính")
    # Checked and its "kết quả số hóa" signed (or a signed result / certified copy): reusable.
    VALID = "valid", _("Có giá trị sử dụng")
    # The officer found it does not match the original.
    REJECTED = "rejected", _("Không khớp bản chính")
    # Withdrawn after it was valid (wrong owner, replaced, annulled result).
    REVOKED = "revoked", _("Đã thu hồi")


class OcrStatus(models.TextChoices):
    NONE = "", _("Chưa nhận dạng")
    QUEUED = "queued", _("Đang chờ nhận dạng")
    RUNNING = "running", _("Đang nhận dạng")
    DONE = "done", _("Đã nhận dạng")
    FAILED = "failed", _("Nhận dạng lỗi")
    # Never on signed files (their signature would break) or formats OCR cannot read.
    SKIPPED = "skipped", _("Không nhận dạng")


class StoreDocument(models.Model):
    code = models.CharField(_("mã kết quả số hóa"), max_length=80, unique=True)
    owner_kind = models.CharField(_("chủ sở hữu là"), max_length=12, choices=OwnerKind.choices)
    # Personal ID (12 digits) or tax code: the store's key (Điều 16 NĐ 45/2020).
    owner_identifier = models.CharField(_("số định danh / mã số thuế"), max_length=14)
    owner_name = models.CharField(_("tên chủ sở hữu"), max_length=255)
    # The portal account of the source dossier, when it had one: it sees the document even
    # before its personal ID is verified by the national identity platform.
    owner_account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản chủ sở hữu"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.ForeignKey(
        "catalog.DocumentKind",
        verbose_name=_("loại giấy tờ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("tên giấy tờ"), max_length=500)
    number = models.CharField(_("số, ký hiệu"), max_length=100, blank=True)
    issuer = models.CharField(_("cơ quan cấp"), max_length=255, blank=True)
    issued_on = models.DateField(_("ngày cấp"), null=True, blank=True)
    # The end printed on the paper (căn cước card, passport); ``valid_until`` is what follows
    # from the kind's rule (catalog.document_kinds.valid_until).
    expires_on = models.DateField(_("ngày hết hạn ghi trên giấy tờ"), null=True, blank=True)
    valid_until = models.DateField(_("có giá trị đến"), null=True, blank=True)
    source = models.CharField(_("nguồn"), max_length=15, choices=StoreSource.choices)
    source_dossier_code = models.CharField(_("hồ sơ nguồn"), max_length=40, blank=True)
    source_dossier_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    # The unit that digitised or issued it: the digitisation ratio is counted per unit.
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("đơn vị số hóa, cấp"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    file = models.ForeignKey(
        "core.StoredFile", verbose_name=_("tệp"), on_delete=models.PROTECT, related_name="+"
    )
    # The signed PDF of the "kết quả số hóa" (for results and certified copies: ``file``).
    signed_file = models.ForeignKey(
        "core.StoredFile",
        verbose_name=_("tệp đã ký số"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    pages = models.PositiveSmallIntegerField(_("số trang"), null=True, blank=True)
    state = models.CharField(
        _("trạng thái"), max_length=10, choices=StoreState.choices, default=StoreState.PENDING
    )
    digitised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người số hóa"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    digitised_at = models.DateTimeField(_("số hóa lúc"), null=True, blank=True)
    # Verified once right after signing (signing.verification), shown without re-verifying.
    signature_verdict = models.CharField(_("kết luận chữ ký số"), max_length=20, blank=True)
    signature_signer = models.CharField(_("người / cơ quan ký số"), max_length=255, blank=True)
    ocr_status = models.CharField(
        _("nhận dạng chữ"), max_length=10, choices=OcrStatus.choices, blank=True, default=""
    )
    ocr_progress = models.PositiveSmallIntegerField(_("tiến độ nhận dạng (%)"), default=0)
    # When the running recognition started: a run whose worker died (kill -9) is "running"
    # forever otherwise; past the OCR time limit it may be queued again.
    ocr_started_at = models.DateTimeField(null=True, blank=True)
    ocr_error = models.CharField(max_length=300, blank=True)
    ocr_text = models.TextField(_("văn bản nhận dạng"), blank=True)
    # egov.core.text.fold of the title, number and recognised text: what search matches.
    search_text = models.TextField(blank=True, editable=False)
    # Fields offered to the officer from the recognised text ({"number": ..., ...}); never
    # copied into the document without the officer confirming them.
    suggested_fields = models.JSONField(_("trường gợi ý"), default=dict, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"))

    class Meta:
        verbose_name = _("giấy tờ trong kho dữ liệu")
        verbose_name_plural = _("kho dữ liệu điện tử")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["owner_kind", "owner_identifier", "state"], name="store_owner_idx"
            ),
            models.Index(fields=["unit", "created_at"], name="store_unit_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.title}"


class StoreDocumentEvent(models.Model):
    document = models.ForeignKey(StoreDocument, on_delete=models.CASCADE, related_name="events")
    sequence = models.PositiveIntegerField()
    action = models.CharField(_("thao tác"), max_length=40)
    from_state = models.CharField(max_length=10, blank=True)
    to_state = models.CharField(max_length=10)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("thời điểm"))
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["document", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "sequence"], name="store_event_sequence_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document_id}#{self.sequence} {self.action}"
