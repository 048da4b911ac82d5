"""The support centre's knowledge base (hỏi đáp) and its hotline call log (issue 17 §7).

A ``Question`` is one frequently asked question with its answer, optionally tied to a
procedure and a field of the catalog; it is written by the support centre (``unit``) and read
by everyone once published. Its lifecycle is ``state.QUESTION_TRANSITIONS`` (draft → in review
→ published → archived); every move appends a ``QuestionEvent``.

A ``HotlineCall`` is one call answered by an operator (tổng đài viên): who called (personal
data: shown to the operator and the centre's leaders, never written to logs or the audit
trail), the topic, the questions of the knowledge base used, the answer given, and a follow-up
when one is needed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionState(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    IN_REVIEW = "in_review", _("Chờ duyệt")
    PUBLISHED = "published", _("Đã công bố")
    ARCHIVED = "archived", _("Đã lưu trữ")


class Question(models.Model):
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("trung tâm hỗ trợ"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    question = models.CharField(_("câu hỏi"), max_length=500)
    # Plain text: always escaped when shown; blank lines separate paragraphs.
    answer = models.TextField(_("câu trả lời"), max_length=5000)
    # A procedure or field removed from the catalog leaves the question in place, unlinked
    # (the editors see it without a procedure and can archive or re-link it).
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
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=500, blank=True)
    state = models.CharField(
        _("trạng thái"), max_length=10, choices=QuestionState.choices, default=QuestionState.DRAFT
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người soạn"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người duyệt"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("công bố lúc"), null=True, blank=True)
    # " <folded question, answer and legal basis> " (core.text.fold), padded with spaces so
    # that a word is matched whole: " ket hon " (search.py).
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("sửa lúc"), auto_now=True)

    class Meta:
        verbose_name = _("câu hỏi thường gặp")
        verbose_name_plural = _("câu hỏi thường gặp")
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["state", "-published_at", "-id"], name="faq_published_idx"),
            models.Index(fields=["procedure", "state"], name="faq_procedure_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state="published") | models.Q(published_at__isnull=False),
                name="faq_published_has_time",
            )
        ]

    def __str__(self) -> str:
        return self.question

    @property
    def is_editable(self) -> bool:
        return self.state == QuestionState.DRAFT

    @property
    def paragraphs(self) -> list[str]:
        return [part.strip() for part in self.answer.replace("\r\n", "\n").split("\n\n") if part]


class QuestionEvent(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="events")
    sequence = models.PositiveIntegerField()
    action = models.CharField(_("thao tác"), max_length=20)
    from_state = models.CharField(max_length=10, blank=True)
    to_state = models.CharField(max_length=10)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("thời điểm"))
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("sự kiện câu hỏi")
        verbose_name_plural = _("sự kiện câu hỏi")
        ordering = ["question", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["question", "sequence"], name="faq_event_sequence")
        ]

    def __str__(self) -> str:
        return f"{self.question_id}#{self.sequence} {self.action}"

    @property
    def action_label(self) -> str:
        return str(EVENT_LABELS.get(self.action, self.action))

    @property
    def to_state_label(self) -> str:
        return str(dict(QuestionState.choices).get(self.to_state, self.to_state))


EVENT_LABELS = {
    "create": _("Tạo bản nháp"),
    "submit": _("Gửi duyệt"),
    "return": _("Trả lại để sửa"),
    "publish": _("Công bố"),
    "archive": _("Lưu trữ"),
    "reopen": _("Mở lại để sửa"),
}


class HotlineCall(models.Model):
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("trung tâm hỗ trợ"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tổng đài viên"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    received_at = models.DateTimeField(_("nhận cuộc gọi lúc"))
    caller_name = models.CharField(_("họ tên người gọi"), max_length=150, blank=True)
    caller_phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    topic = models.CharField(_("nội dung hỏi"), max_length=500)
    questions = models.ManyToManyField(
        Question, verbose_name=_("câu hỏi đã dùng"), blank=True, related_name="+"
    )
    answer = models.TextField(_("nội dung trả lời"), max_length=5000)
    follow_up_needed = models.BooleanField(_("cần xử lý tiếp"), default=False)
    follow_up_note = models.CharField(_("việc cần làm tiếp"), max_length=500, blank=True)
    follow_up_done_at = models.DateTimeField(_("đã xử lý tiếp lúc"), null=True, blank=True)
    follow_up_done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xử lý tiếp"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    follow_up_result = models.CharField(_("kết quả xử lý tiếp"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("cuộc gọi tổng đài")
        verbose_name_plural = _("cuộc gọi tổng đài")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["operator", "-received_at", "-id"], name="call_operator_idx"),
            models.Index(fields=["unit", "-received_at", "-id"], name="call_unit_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(follow_up_done_at__isnull=True)
                | models.Q(follow_up_needed=True),
                name="call_follow_up_done_only_if_needed",
            )
        ]

    def __str__(self) -> str:
        # No personal data: the string of a row may end up in logs or the admin's history.
        return f"#{self.pk} {self.received_at:%d/%m/%Y %H:%M}"

    @property
    def follow_up_pending(self) -> bool:
        return self.follow_up_needed and self.follow_up_done_at is None
