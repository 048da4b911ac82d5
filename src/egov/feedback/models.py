"""A feedback (phản ánh, kiến nghị, hỏi đáp) and its events.

NĐ 20/2008/NĐ-CP (as amended by NĐ 92/2017/NĐ-CP) governs feedback on administrative
regulations and on the conduct of officials applying them. One ``Feedback`` is one matter
from intake to the rated answer; its lifecycle is ``state.FEEDBACK_TRANSITIONS`` and every move
appends a ``FeedbackEvent``. Deadlines are moments on the working-day calendar of the support
centre (``deadlines``); the submitter's name and contacts are personal data, never published:
the public copy (``public_*``) is masked (``masking``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FeedbackKind(models.TextChoices):
    REFLECTION = "phan_anh", _("Phản ánh")
    RECOMMENDATION = "kien_nghi", _("Kiến nghị")
    QUESTION = "hoi_dap", _("Hỏi đáp")


class FeedbackTopic(models.TextChoices):
    """What the feedback is about (QĐ 766 indicator 5.1 counts the two separately)."""

    REGULATION = "regulation", _("Quy định hành chính, thủ tục hành chính")
    CONDUCT = "conduct", _("Hành vi hành chính của cán bộ, công chức, viên chức")


class FeedbackChannel(models.TextChoices):
    PORTAL = "portal", _("Cổng dịch vụ công")
    HOTLINE = "hotline", _("Tổng đài")
    EMAIL = "email", _("Thư điện tử")


class FeedbackState(models.TextChoices):
    RECEIVED = "received", _("Đã tiếp nhận, chờ phân loại")
    INFO_REQUESTED = "info_requested", _("Chờ bổ sung thông tin")
    REFUSED = "refused", _("Từ chối tiếp nhận")
    ROUTED = "routed", _("Đang xử lý tại đơn vị")
    DRAFTED = "drafted", _("Chờ lãnh đạo duyệt trả lời")
    ANSWERED = "answered", _("Đã trả lời")
    PUBLISHED = "published", _("Đã trả lời và công khai")


OPEN_STATES = (
    FeedbackState.RECEIVED,
    FeedbackState.INFO_REQUESTED,
    FeedbackState.ROUTED,
    FeedbackState.DRAFTED,
)
ANSWERED_STATES = (FeedbackState.ANSWERED, FeedbackState.PUBLISHED)


class FeedbackRating(models.TextChoices):
    # The national index counts like / dislike (QĐ 766 indicator 5.3).
    SATISFIED = "like", _("Hài lòng")
    DISSATISFIED = "dislike", _("Không hài lòng")


class Feedback(models.Model):
    code = models.CharField(_("mã phản ánh, kiến nghị"), max_length=30, unique=True)
    # SHA-256 of the tracking secret given once to the submitter.
    secret_hash = models.CharField(max_length=64)
    centre = models.ForeignKey(
        "org.Unit",
        verbose_name=_("trung tâm tiếp nhận"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("đơn vị xử lý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("loại"), max_length=12, choices=FeedbackKind.choices)
    topic = models.CharField(
        _("phân loại"), max_length=12, choices=FeedbackTopic.choices, blank=True
    )
    channel = models.CharField(_("kênh tiếp nhận"), max_length=10, choices=FeedbackChannel.choices)
    title = models.CharField(_("tiêu đề"), max_length=300)
    content = models.TextField(_("nội dung"))
    procedure = models.ForeignKey(
        "catalog.Procedure",
        verbose_name=_("thủ tục hành chính"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    field = models.ForeignKey(
        "catalog.ProcedureField",
        verbose_name=_("lĩnh vực"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitter_name = models.CharField(_("họ tên người gửi"), max_length=200)
    submitter_phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    submitter_email = models.EmailField(_("thư điện tử"), blank=True)
    submitter_account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản người gửi"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    consent_to_publish = models.BooleanField(_("đồng ý công khai"), default=False)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ghi nhận"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    state = models.CharField(_("trạng thái"), max_length=20, choices=FeedbackState.choices)
    received_at = models.DateTimeField(_("tiếp nhận lúc"), db_index=True)
    # The legal answer deadline (QĐ 766 indicator 5.2 judges the answer against it) and the
    # deadline of the step the feedback is at now (None while the submitter is asked).
    answer_due_at = models.DateTimeField(_("hạn trả lời"))
    due_at = models.DateTimeField(_("hạn của bước hiện tại"), null=True, blank=True)
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    closed_on_time = models.BooleanField(_("xử lý đúng hạn"), null=True)
    refusal_reason = models.TextField(_("lý do từ chối"), blank=True)
    info_request = models.TextField(_("thông tin cần bổ sung"), blank=True)
    answer = models.TextField(_("nội dung trả lời"), blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)
    published_at = models.DateTimeField(_("công khai lúc"), null=True, blank=True)
    public_title = models.CharField(_("tiêu đề công khai"), max_length=300, blank=True)
    public_content = models.TextField(_("nội dung công khai"), blank=True)
    public_answer = models.TextField(_("trả lời công khai"), blank=True)
    # Folded (egov.core.text.fold) public texts, for diacritics-insensitive search.
    public_search = models.TextField(blank=True)
    rating = models.CharField(
        _("đánh giá"), max_length=10, choices=FeedbackRating.choices, blank=True
    )
    rated_at = models.DateTimeField(_("đánh giá lúc"), null=True, blank=True)
    follows = models.ForeignKey(
        "self",
        verbose_name=_("phản ánh tiếp theo của"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="follow_ups",
        help_text=_("Người gửi chưa đồng ý với câu trả lời của phản ánh, kiến nghị này."),
    )
    # The dossier the feedback is about, named by its code (from the portal, the citizen's
    # dossier page or the hotline): it fills the procedure and suggests the unit to route to.
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("hồ sơ liên quan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The e-mail a feedback came from (its Message-ID or a digest): read once only.
    source_message_id = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = _("phản ánh, kiến nghị")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["state", "due_at"], name="feedback_state_due_idx"),
            models.Index(fields=["unit", "received_at"], name="feedback_unit_idx"),
            models.Index(fields=["published_at"], name="feedback_published_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating="") | models.Q(rated_at__isnull=False),
                name="feedback_rating_has_time",
            ),
            models.CheckConstraint(
                condition=models.Q(published_at__isnull=True) | models.Q(consent_to_publish=True),
                name="feedback_published_with_consent",
            ),
            models.UniqueConstraint(
                fields=["source_message_id"],
                condition=~models.Q(source_message_id=""),
                name="feedback_source_message_once",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class FeedbackEvent(models.Model):
    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="events")
    sequence = models.PositiveIntegerField()
    action = models.CharField(_("thao tác"), max_length=20)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("thời điểm"))
    note = models.TextField(_("ghi chú"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("sự kiện phản ánh, kiến nghị")
        verbose_name_plural = _("sự kiện phản ánh, kiến nghị")
        ordering = ["feedback", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["feedback", "sequence"], name="feedback_event_sequence")
        ]

    def __str__(self) -> str:
        return f"{self.feedback_id}#{self.sequence} {self.action}"
