"""Official documents (NĐ 30/2020/NĐ-CP): incoming (văn bản đến) and outgoing (văn bản đi).

Field names of the metadata follow the edXML / Phụ lục VI Phần II tags in snake_case
(``organ_id``, ``code_number``, ``code_notation``, ``issued_date``…). The processing trail
(TraceHeaderList) is the event rows of each document. Rows are loaded for people only through
``documents.permissions``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from egov.documents.actions import IncomingAction, OutgoingAction
from egov.documents.catalogue import (
    SECRET_LEVELS,
    URGENT_LEVELS,
    AgencySettings,
    Confidentiality,
    DocumentType,
    OutgoingSeriesMode,
    TypeKind,
    UnitAbbreviation,
    Urgency,
)
from egov.documents.event_rows import EventRow

__all__ = [
    "AgencySettings",
    "Assignment",
    "AssignmentRole",
    "AssignmentStatus",
    "Confidentiality",
    "Delegation",
    "DocumentType",
    "IncomingDocument",
    "IncomingEvent",
    "IncomingSource",
    "IncomingStatus",
    "OutgoingDocument",
    "OutgoingEvent",
    "OutgoingRecipient",
    "OutgoingSeriesMode",
    "OutgoingStatus",
    "OutgoingVersion",
    "RecipientKind",
    "TypeKind",
    "UnitAbbreviation",
    "Urgency",
    "VersionKind",
]


# --- incoming ----------------------------------------------------------------------------


class IncomingSource(models.TextChoices):
    SCAN = "scan", _("Bản quét văn bản giấy")
    UPLOAD = "upload", _("Tệp điện tử tải lên")
    PAPER = "paper", _("Văn bản giấy (chỉ nhập thông tin)")
    EMAIL = "email", _("Thư điện tử")
    INTERNAL = "internal", _("Văn bản đi của đơn vị trong hệ thống")
    # The inter-agency axis (Trục liên thông văn bản quốc gia): written by egov.exchange.
    EXCHANGE = "exchange", _("Trục liên thông văn bản")


class IncomingStatus(models.TextChoices):
    RECEIVED = "received", _("Chờ vào sổ")
    REGISTERED = "registered", _("Đã vào sổ, chờ phân phối")
    DISTRIBUTED = "distributed", _("Đã phân phối, đang giải quyết")
    COMPLETED = "completed", _("Đã giải quyết xong")
    RETURNED = "returned", _("Trả lại nơi gửi")
    # The sender recalled it and the agency agreed (NĐ 30/2020, Điều 18.4; edXML status 15),
    # or a later package of the sender replaced it (BussinessDocType 2/3): kept, not handled.
    RECALLED = "recalled", _("Đã thu hồi theo đề nghị của nơi gửi")
    REPLACED = "replaced", _("Đã được thay thế bằng văn bản khác")


class IncomingDocument(models.Model):
    """One incoming document of one receiving agency, with every Phụ lục VI Phần II.II field."""

    agency = models.ForeignKey(
        "org.Unit",
        verbose_name=_("cơ quan nhận"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    source = models.CharField(_("nguồn tiếp nhận"), max_length=10, choices=IncomingSource.choices)
    status = models.CharField(
        _("trạng thái"),
        max_length=12,
        choices=IncomingStatus.choices,
        default=IncomingStatus.RECEIVED,
    )
    revision = models.PositiveIntegerField(default=0)
    # Phụ lục VI Phần II.II, fields 1-11 (FileCode and DocOrdinal belong to work files).
    organ_id = models.CharField(_("mã định danh cơ quan ban hành"), max_length=13, blank=True)
    document_type = models.ForeignKey(
        DocumentType,
        verbose_name=_("loại văn bản"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    type_name = models.CharField(_("tên loại văn bản"), max_length=100, blank=True)
    code_number = models.CharField(_("số"), max_length=11, blank=True)
    code_notation = models.CharField(_("ký hiệu"), max_length=30, blank=True)
    issued_date = models.DateField(_("ngày ban hành"), null=True, blank=True)
    organ_name = models.CharField(_("cơ quan ban hành"), max_length=200)
    subject = models.CharField(_("trích yếu"), max_length=500)
    language = models.CharField(_("ngôn ngữ"), max_length=30, default="Tiếng Việt")
    page_amount = models.PositiveSmallIntegerField(_("số trang"), null=True, blank=True)
    description = models.CharField(_("ghi chú"), max_length=500, blank=True)
    # 12-13: ngày đến, số đến (set when the clerk registers it; Điều 22.2).
    arrival_date = models.DateTimeField(_("ngày đến"), default=timezone.now)
    arrival_number = models.PositiveIntegerField(_("số đến"), null=True, blank=True)
    arrival_year = models.PositiveSmallIntegerField(_("năm vào sổ"), null=True, blank=True)
    register = models.CharField(_("sổ văn bản đến"), max_length=20, blank=True)
    # 14: SignerInfo.
    signer_position = models.CharField(_("chức vụ người ký"), max_length=100, blank=True)
    signer_full_name = models.CharField(_("họ tên người ký"), max_length=50, blank=True)
    # 15: Priority (mức độ khẩn, độ mật).
    urgency = models.CharField(
        _("độ khẩn"), max_length=12, choices=Urgency.choices, default=Urgency.NORMAL
    )
    confidentiality = models.CharField(
        _("độ mật"), max_length=12, choices=Confidentiality.choices, default=Confidentiality.NORMAL
    )
    # 16: ToPlaces.
    to_places = models.CharField(_("đơn vị hoặc người nhận"), max_length=1000, blank=True)
    # 18: DueDate (thời hạn giải quyết).
    due_date = models.DateField(_("thời hạn giải quyết"), null=True, blank=True)
    file = models.ForeignKey(
        "core.StoredFile",
        verbose_name=_("tệp văn bản"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The verdict of whoever verified the signatures on receipt (egov.signing), as it said it.
    signature_verdict = models.JSONField(_("kết quả kiểm tra chữ ký số"), default=dict, blank=True)
    # Phụ lục VI III.1: a warning, not a refusal; the clerk may register anyway with a reason.
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("trùng với"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    duplicate_override_reason = models.CharField(
        _("lý do vẫn vào sổ khi trùng"), max_length=500, blank=True
    )
    # Issued by an agency of this system (IncomingSource.INTERNAL).
    source_outgoing = models.ForeignKey(
        "OutgoingDocument",
        verbose_name=_("văn bản đi gốc"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deliveries",
    )
    # Số, ký hiệu văn bản trả lời (Phụ lục IV, sổ theo dõi giải quyết văn bản đến).
    reply = models.ForeignKey(
        "OutgoingDocument",
        verbose_name=_("văn bản trả lời"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replies_to",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhập"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("nhập lúc"), default=timezone.now)
    registered_at = models.DateTimeField(_("vào sổ lúc"), null=True, blank=True)
    # Folded metadata and text layer (egov.documents.search), kept by the event path.
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("văn bản đến")
        verbose_name_plural = _("văn bản đến")
        ordering = ["-arrival_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "arrival_year", "register", "arrival_number"],
                condition=models.Q(arrival_number__isnull=False),
                name="incoming_arrival_number_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "status"], name="incoming_agency_status_idx"),
            models.Index(
                fields=["agency", "code_number", "code_notation"], name="incoming_code_idx"
            ),
            models.Index(fields=["arrival_date", "id"], name="incoming_arrival_idx"),
        ]

    def __str__(self) -> str:
        code = f"{self.code_number}/{self.code_notation}" if self.code_number else ""
        return f"{code} {self.organ_name}".strip()

    @property
    def is_secret(self) -> bool:
        return self.confidentiality in SECRET_LEVELS

    @property
    def is_urgent(self) -> bool:
        return self.urgency in URGENT_LEVELS


class IncomingEvent(EventRow):
    """One step of an incoming document's processing (its TraceHeaderList)."""

    actions = IncomingAction

    document = models.ForeignKey(IncomingDocument, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)

    class Meta(EventRow.Meta):
        verbose_name = _("bước xử lý văn bản đến")
        verbose_name_plural = _("bước xử lý văn bản đến")
        constraints = [
            models.UniqueConstraint(fields=["document", "sequence"], name="incoming_event_seq")
        ]


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("Chủ trì")
    COOPERATE = "cooperate", _("Phối hợp")


class AssignmentStatus(models.TextChoices):
    # edXML status codes 04 (phân công), 05 (đang xử lý), 06 (hoàn thành).
    ASSIGNED = "assigned", _("Đã phân công")
    IN_PROGRESS = "in_progress", _("Đang xử lý")
    DONE = "done", pgettext_lazy("assignment status", "Hoàn thành")


class Assignment(models.Model):
    """A leader's distribution of an incoming document to a unit or person (Điều 23)."""

    document = models.ForeignKey(
        IncomingDocument, on_delete=models.CASCADE, related_name="assignments"
    )
    role = models.CharField(_("vai trò"), max_length=10, choices=AssignmentRole.choices)
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xử lý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    instructions = models.TextField(_("ý kiến chỉ đạo (bút phê)"), blank=True)
    due_at = models.DateTimeField(_("thời hạn"), null=True, blank=True)
    status = models.CharField(
        _("trạng thái"),
        max_length=12,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.ASSIGNED,
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người phân phối"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("phân phối lúc"))
    done_at = models.DateTimeField(_("hoàn thành lúc"), null=True, blank=True)
    note = models.TextField(_("kết quả, đề xuất"), blank=True)

    class Meta:
        verbose_name = _("phân phối văn bản đến")
        verbose_name_plural = _("phân phối văn bản đến")
        ordering = ["document", "role", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(unit__isnull=False) | models.Q(person__isnull=False),
                name="assignment_has_unit_or_person",
            ),
            models.UniqueConstraint(
                fields=["document"],
                condition=models.Q(role="lead"),
                name="assignment_one_lead",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_at"], name="assignment_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.document_id} {self.role} {self.unit_id or ''} {self.person_id or ''}"

    def is_overdue(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        return (
            self.status != AssignmentStatus.DONE and self.due_at is not None and self.due_at < now
        )

    def is_due_soon(
        self, now: dt.datetime | None = None, within: dt.timedelta | None = None
    ) -> bool:
        """Open, not overdue, and due within ``within`` (one day by default)."""
        now = now or timezone.now()
        within = within if within is not None else dt.timedelta(days=1)
        return (
            self.status != AssignmentStatus.DONE
            and self.due_at is not None
            and now <= self.due_at <= now + within
        )


# --- outgoing ----------------------------------------------------------------------------


class OutgoingStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    UNIT_REVIEW = "unit_review", _("Chờ lãnh đạo đơn vị duyệt nội dung")
    FORMAT_CHECK = "format_check", _("Chờ văn phòng kiểm tra thể thức")
    APPROVAL = "approval", _("Chờ người có thẩm quyền duyệt, ký")
    SIGNED = "signed", _("Đã ký, chờ cấp số")
    REGISTERED = "registered", _("Đã cấp số, chờ ký số cơ quan")
    AGENCY_SIGNED = "agency_signed", _("Đã ký số cơ quan, chờ phát hành")
    ISSUED = "issued", _("Đã phát hành")


class Delegation(models.TextChoices):
    """Thẩm quyền ký (NĐ 30/2020, Điều 13; Phụ lục I, II.7.b)."""

    NONE = "", _("Người đứng đầu ký trực tiếp")
    ON_BEHALF = "TM.", _("TM. — thay mặt tập thể")
    DEPUTY = "KT.", _("KT. — ký thay người đứng đầu")
    ACTING = "Q.", _("Q. — quyền người đứng đầu")
    BY_ORDER = "TL.", _("TL. — thừa lệnh")
    AUTHORISED = "TUQ.", _("TUQ. — thừa ủy quyền")


class OutgoingDocument(models.Model):
    """One outgoing document of one issuing agency, from the draft to its issue."""

    agency = models.ForeignKey(
        "org.Unit", verbose_name=_("cơ quan ban hành"), on_delete=models.PROTECT, related_name="+"
    )
    drafting_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("đơn vị soạn thảo"), on_delete=models.PROTECT, related_name="+"
    )
    document_type = models.ForeignKey(
        DocumentType, verbose_name=_("loại văn bản"), on_delete=models.PROTECT, related_name="+"
    )
    # For công văn (no type abbreviation): issuer-<unit or subject> (Phụ lục I, II.3).
    unit_abbreviation = models.ForeignKey(
        UnitAbbreviation,
        verbose_name=_("chữ viết tắt đơn vị soạn thảo, lĩnh vực"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("trạng thái"), max_length=14, choices=OutgoingStatus.choices, default=OutgoingStatus.DRAFT
    )
    revision = models.PositiveIntegerField(default=0)
    subject = models.CharField(_("trích yếu"), max_length=500)
    language = models.CharField(_("ngôn ngữ"), max_length=30, default="Tiếng Việt")
    page_amount = models.PositiveSmallIntegerField(_("số trang"), null=True, blank=True)
    description = models.CharField(_("ghi chú"), max_length=500, blank=True)
    urgency = models.CharField(
        _("độ khẩn"), max_length=12, choices=Urgency.choices, default=Urgency.NORMAL
    )
    confidentiality = models.CharField(
        _("độ mật"), max_length=12, choices=Confidentiality.choices, default=Confidentiality.NORMAL
    )
    due_date = models.DateField(_("hạn trả lời"), null=True, blank=True)
    issued_amount = models.PositiveSmallIntegerField(_("số lượng bản"), null=True, blank=True)
    # Who will sign (the approval step waits for this person) and how (chosen at signing).
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ký"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    delegation = models.CharField(
        _("thẩm quyền ký"), max_length=5, choices=Delegation.choices, blank=True, default=""
    )
    signer_position = models.CharField(_("chức vụ người ký"), max_length=100, blank=True)
    signer_full_name = models.CharField(_("họ tên người ký"), max_length=50, blank=True)
    # Set by the clerk at registration (Điều 15-16): số, ký hiệu, ngày ban hành, sổ.
    code_number = models.PositiveIntegerField(_("số"), null=True, blank=True)
    code_notation = models.CharField(_("ký hiệu"), max_length=30, blank=True)
    issued_date = models.DateField(_("ngày ban hành"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True)
    register = models.CharField(_("sổ văn bản đi"), max_length=60, blank=True)
    issued_at = models.DateTimeField(_("phát hành lúc"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người soạn thảo"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    # Folded metadata and text layer (egov.documents.search), kept by the event path.
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("văn bản đi")
        verbose_name_plural = _("văn bản đi")
        ordering = ["-created_at", "-id"]
        constraints = [
            # NĐ 30/2020, Điều 15.1: số and ký hiệu are unique in the agency and the year —
            # within each register: the secret register (Điều 15.1.d) runs its own numbers
            # from 01, and how a secret 01/QĐ-UBND is told apart from an open one on paper is
            # the agency's practice (chưa xác nhận).
            models.UniqueConstraint(
                fields=["agency", "year", "register", "code_number", "code_notation"],
                condition=models.Q(code_number__isnull=False),
                name="outgoing_code_unique_in_year",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "status"], name="outgoing_agency_status_idx"),
            models.Index(fields=["drafting_unit", "issued_at"], name="outgoing_unit_issued_idx"),
            models.Index(fields=["created_at", "id"], name="outgoing_created_idx"),
        ]

    def __str__(self) -> str:
        return self.number_text or self.subject[:80]

    @property
    def number_text(self) -> str:
        """``05/QĐ-UBND`` once registered, else empty."""
        if self.code_number is None:
            return ""
        return f"{self.code_number:02d}/{self.code_notation}"

    @property
    def is_secret(self) -> bool:
        return self.confidentiality in SECRET_LEVELS

    @property
    def is_urgent(self) -> bool:
        return self.urgency in URGENT_LEVELS


class VersionKind(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    PERSONAL_SIGNED = "personal_signed", _("Bản đã ký số của người có thẩm quyền")
    AGENCY_SIGNED = "agency_signed", _("Bản đã ký số của cơ quan")


class OutgoingVersion(models.Model):
    """One file version of an outgoing document: drafts, then the signed files."""

    document = models.ForeignKey(
        OutgoingDocument, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("phiên bản"))
    kind = models.CharField(_("loại"), max_length=16, choices=VersionKind.choices)
    file = models.ForeignKey(
        "core.StoredFile", verbose_name=_("tệp"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tải lên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("lúc"))

    class Meta:
        verbose_name = _("phiên bản văn bản đi")
        verbose_name_plural = _("phiên bản văn bản đi")
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="outgoing_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.document_id} v{self.number} {self.kind}"


class RecipientKind(models.TextChoices):
    INTERNAL = "internal", _("Đơn vị trong hệ thống")
    EXTERNAL = "external", _("Nơi nhận bên ngoài")


class OutgoingRecipient(models.Model):
    """One "Nơi nhận" of an outgoing document: a unit of this system (it gets the document
    as incoming on issue) or an outside recipient (e-mail / the exchange axis next issue)."""

    document = models.ForeignKey(
        OutgoingDocument, on_delete=models.CASCADE, related_name="recipients"
    )
    kind = models.CharField(_("loại"), max_length=10, choices=RecipientKind.choices)
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("đơn vị nhận"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("tên nơi nhận"), max_length=200)
    email = models.EmailField(_("thư điện tử"), blank=True)
    organ_id = models.CharField(_("mã định danh"), max_length=13, blank=True)
    incoming = models.ForeignKey(
        IncomingDocument,
        verbose_name=_("văn bản đến tương ứng"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    delivered_at = models.DateTimeField(_("chuyển lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("nơi nhận văn bản đi")
        verbose_name_plural = _("nơi nhận văn bản đi")
        ordering = ["document", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="internal") | models.Q(unit__isnull=False),
                name="recipient_internal_has_unit",
            ),
            models.UniqueConstraint(
                fields=["document", "unit"],
                condition=models.Q(unit__isnull=False),
                name="recipient_unit_once",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class OutgoingEvent(EventRow):
    """One step of an outgoing document's lifecycle (actor, time, from, to, reason, data)."""

    actions = OutgoingAction

    document = models.ForeignKey(OutgoingDocument, on_delete=models.CASCADE, related_name="events")

    class Meta(EventRow.Meta):
        verbose_name = _("bước xử lý văn bản đi")
        verbose_name_plural = _("bước xử lý văn bản đi")
        constraints = [
            models.UniqueConstraint(fields=["document", "sequence"], name="outgoing_event_seq")
        ]


# Work files live in their own module; imported here so that Django registers the models.
from egov.documents.workfiles import (  # noqa: E402
    FileCatalogue,
    WorkFile,
    WorkFileDocument,
    WorkFileEvent,
)

__all__ += ["FileCatalogue", "WorkFile", "WorkFileDocument", "WorkFileEvent"]

# Electronic copies (sao y, sao lục, trích sao) likewise.
from egov.documents.copies import (  # noqa: E402
    CopyEvent,
    CopyForm,
    CopySource,
    CopyStatus,
    ElectronicCopy,
)

__all__ += ["CopyEvent", "CopyForm", "CopySource", "CopyStatus", "ElectronicCopy"]
# Remote signing requests (ký số từ xa), likewise in their own module.
from egov.documents.signing_requests import (  # noqa: E402
    RemoteSigningEvent,
    RemoteSigningItem,
    RemoteSigningRequest,
    RemoteSigningState,
)

__all__ += [
    "RemoteSigningEvent",
    "RemoteSigningItem",
    "RemoteSigningRequest",
    "RemoteSigningState",
]
