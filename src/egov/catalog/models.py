"""Procedure catalog (Bộ thủ tục hành chính) as versioned data.

A ``Procedure`` is the stable identity (national code, e.g. 1.001193); everything a decree
can change lives in a ``ProcedureVersion`` with a validity period and a status:
draft → published → superseded. Editing a published version creates a new draft
(``services.procedure_version_edit``); publishing closes the previous version, so a dossier
can keep pointing at the exact version it was received under.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from egov.accounts.models import Role
from egov.core.validity import ValidityPeriod, ValidityQuerySet, validity_constraint


class ProcedureField(models.Model):
    """Lĩnh vực: the field a procedure belongs to (hộ tịch, chứng thực…)."""

    code = models.CharField(_("mã lĩnh vực"), max_length=60, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=200)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class ImplementingLevel(models.TextChoices):
    PROVINCE = "tinh", _("Cấp tỉnh")
    DISTRICT = "huyen", _("Cấp huyện (trước 01/07/2025)")
    COMMUNE = "xa", _("Cấp xã")
    SECTOR = "nganh_doc", _("Cơ quan ngành dọc")


class OnlineService(models.TextChoices):
    """Toàn trình / một phần: NĐ 42/2022/NĐ-CP Điều 11 khoản 1 until 30/06/2026; from 01/07/2026
    NĐ 224/2026/NĐ-CP Điều 14 (which repeals NĐ 42/2022, Điều 90): toàn trình is the rule and
    each "một phần" service is published with its reason (``online_partial_reason``)."""

    FULL = "toan_trinh", _("Toàn trình")
    PARTIAL = "mot_phan", _("Một phần")
    NONE = "khong", _("Không cung cấp trực tuyến")
    UNKNOWN = "chua_xac_dinh", _("Chưa xác định")


class ServiceLevel(models.IntegerChoices):
    """NĐ 43/2011/NĐ-CP, Điều 3 khoản 4 — repealed (NĐ 42/2022, itself repealed by NĐ 224/2026).
    Kept only as a historical column of old versions; never shown (it collides with the
    unrelated "DVCTT chủ động mức độ 1–4" of NĐ 224/2026)."""

    LEVEL_1 = 1, _("Mức độ 1")
    LEVEL_2 = 2, _("Mức độ 2")
    LEVEL_3 = 3, _("Mức độ 3")
    LEVEL_4 = 4, _("Mức độ 4")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    PUBLISHED = "published", _("Đang áp dụng")
    SUPERSEDED = "superseded", _("Đã thay thế")


class SupplementClock(models.TextChoices):
    """What a supplement request does to the legal clock. NĐ 61/2018 Điều 19 khoản 4: the time
    is counted again from the beginning once the dossier is complete — the default; a version
    whose sector law says otherwise sets it, with ``supplement_basis`` (catalog.time_rules).
    "unknown" is kept for versions entered before the rule was checked: it follows the
    general rule."""

    PAUSE = "pause", _("Tạm dừng, tiếp tục khi bổ sung đủ")
    RESTART = "restart", _("Tính lại từ đầu khi nhận đủ hồ sơ")
    UNKNOWN = "unknown", _("Theo quy định chung (tính lại từ đầu)")


class ApplicantType(models.TextChoices):
    CITIZEN = "citizen", _("Công dân Việt Nam")
    FOREIGNER = "foreigner", _("Người nước ngoài")
    ORGANISATION = "organisation", _("Tổ chức, doanh nghiệp")
    HOUSEHOLD_BUSINESS = "household_business", _("Hộ kinh doanh")


class ApplicantCategory(models.TextChoices):
    """Categories that fee rules exempt or charge at a reduced rate."""

    STUDENT = "student", _("Học sinh, sinh viên")
    MERIT = "merit", _("Người có công với cách mạng, thân nhân liệt sĩ")
    POOR = "poor", _("Hộ nghèo")
    DISABLED = "disabled", _("Người khuyết tật")
    CHILD = "child", _("Trẻ em")
    ELDERLY = "elderly", _("Người cao tuổi")
    ETHNIC_HARDSHIP = "ethnic_hardship", _("Đồng bào dân tộc thiểu số ở vùng khó khăn")
    ORPHAN = "orphan", _("Trẻ mồ côi từ 16 đến 18 tuổi")
    HARDSHIP_COMMUNE = (
        "hardship_commune",
        _(
            "Người cư trú tại xã đặc biệt khó khăn; đồng bào dân tộc thiểu số ở xã có điều kiện "
            "kinh tế - xã hội đặc biệt khó khăn"
        ),
    )
    BORDER_COMMUNE = "border_commune", _("Người cư trú tại xã biên giới")
    ATK_COMMUNE = "atk_commune", _("Người cư trú tại xã an toàn khu")


class Procedure(models.Model):
    key = models.CharField(_("khóa dữ liệu"), max_length=80, unique=True)
    national_code = models.CharField(
        _("mã thủ tục quốc gia"),
        max_length=20,
        unique=True,
        null=True,
        blank=True,
        help_text=_(
            "Mã trên Cổng Dịch vụ công quốc gia, vd. 1.001193; để trống nếu chưa xác định."
        ),
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["national_code", "key"]

    def __str__(self) -> str:
        return self.national_code or self.key

    @property
    def local_code(self) -> str | None:
        """``<national>.000.00.00.<province>`` as on provincial portals (e.g. …H49)."""
        if not self.national_code:
            return None
        return f"{self.national_code}.000.00.00.{settings.EGOV_PROVINCE_CODE}"

    @property
    def public_code(self) -> str:
        return self.national_code or self.key


class ProcedureVersion(ValidityPeriod):
    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="versions", verbose_name=_("thủ tục")
    )
    number = models.PositiveIntegerField(_("phiên bản"))
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    name = models.CharField(_("tên thủ tục"), max_length=500)
    field = models.ForeignKey(
        ProcedureField,
        on_delete=models.PROTECT,
        related_name="versions",
        verbose_name=_("lĩnh vực"),
    )
    implementing_level = models.CharField(
        _("cấp thực hiện"), max_length=12, choices=ImplementingLevel.choices
    )
    competent_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("cơ quan có thẩm quyền (đơn vị cụ thể)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="competent_for",
    )
    # The authority the law makes competent to decide, as the law names it ("Ủy ban nhân dân
    # cấp xã nơi …"): for commune-level procedures it is the commune's UBND, not the service
    # centre that receives the dossier (Luật Hộ tịch Điều 7; NĐ 23/2015/NĐ-CP Điều 5).
    competent_authority = models.CharField(
        _("cơ quan có thẩm quyền giải quyết"),
        max_length=300,
        blank=True,
        help_text=_("Như văn bản pháp luật quy định, vd. Ủy ban nhân dân cấp xã."),
    )
    competent_authority_basis = models.CharField(_("căn cứ thẩm quyền"), max_length=300, blank=True)
    implementing_units = models.ManyToManyField(
        "org.Unit", verbose_name=_("nơi tiếp nhận hồ sơ"), blank=True, related_name="implements"
    )
    coordinating_units = models.ManyToManyField(
        "org.Unit", verbose_name=_("cơ quan phối hợp"), blank=True, related_name="coordinates"
    )
    applicant_types = models.JSONField(_("đối tượng thực hiện"), default=list, blank=True)
    requirements = models.TextField(_("yêu cầu, điều kiện"), blank=True)
    results = models.JSONField(_("kết quả"), default=list, blank=True)
    legal_basis = models.JSONField(_("căn cứ pháp lý"), default=list, blank=True)
    steps = models.JSONField(_("trình tự thực hiện"), default=list, blank=True)
    online_service = models.CharField(
        _("dịch vụ công trực tuyến"), max_length=16, choices=OnlineService.choices
    )
    online_service_basis = models.CharField(
        _("căn cứ phân loại dịch vụ công trực tuyến"), max_length=300, blank=True
    )
    online_partial_reason = models.CharField(
        _("lý do chỉ cung cấp dịch vụ công trực tuyến một phần"),
        max_length=500,
        blank=True,
        help_text=_("Bắt buộc công khai cho dịch vụ một phần từ 01/07/2026 (NĐ 224/2026 Điều 14)."),
    )
    service_level = models.PositiveSmallIntegerField(
        _("mức độ theo NĐ 43/2011 (đã bãi bỏ, không hiển thị)"),
        choices=ServiceLevel.choices,
        default=ServiceLevel.LEVEL_2,
    )
    supplement_clock = models.CharField(
        _("khi yêu cầu bổ sung"),
        max_length=10,
        choices=SupplementClock.choices,
        default=SupplementClock.RESTART,
    )
    # Overrides of the general supplement rules where sector law differs (catalog.time_rules).
    supplement_request_days = models.PositiveSmallIntegerField(
        _("thời hạn yêu cầu bổ sung (ngày làm việc)"),
        null=True,
        blank=True,
        help_text=_(
            "Kể từ ngày tiếp nhận; để trống: 03 ngày làm việc theo quy định chung "
            "(NĐ 61/2018/NĐ-CP Điều 19 khoản 4)."
        ),
    )
    supplement_applicant_days = models.PositiveSmallIntegerField(
        _("thời hạn người nộp bổ sung (ngày làm việc)"),
        null=True,
        blank=True,
        help_text=_("Chỉ khi pháp luật chuyên ngành quy định, vd. 02 ngày làm việc."),
    )
    supplement_basis = models.CharField(
        _("căn cứ quy định riêng về bổ sung hồ sơ"), max_length=300, blank=True
    )
    lawful_extensions = models.JSONField(
        _("gia hạn theo quy định của pháp luật"),
        default=list,
        blank=True,
        help_text=_(
            'vd. [{"key": "xac-minh", "name": "Cần xác minh", "mode": "add", '
            '"time_kind": "working_days", "amount": 5, "basis": "…", "confirmed": true}]'
        ),
    )
    unconfirmed = models.JSONField(
        _("thông tin chưa xác nhận"),
        default=list,
        blank=True,
        help_text=_("Tên các mục chưa đối chiếu với quyết định công bố thủ tục."),
    )
    sources = models.TextField(_("nguồn"), blank=True)
    change_note = models.CharField(_("nội dung thay đổi"), max_length=500, blank=True)
    search_text = models.TextField(editable=False, default="")
    published_at = models.DateTimeField(_("công bố lúc"), null=True, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    objects = ValidityQuerySet.as_manager()

    class Meta:
        verbose_name = _("phiên bản thủ tục")
        verbose_name_plural = _("phiên bản thủ tục")
        ordering = ["procedure", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="version_number_unique"),
            models.UniqueConstraint(
                fields=["procedure"],
                condition=models.Q(status="draft"),
                name="one_draft_per_procedure",
            ),
            validity_constraint("version_validity_order"),
        ]
        indexes = [
            models.Index(
                fields=["status", "valid_from", "valid_until"], name="version_current_idx"
            ),
            models.Index(fields=["field", "status"], name="version_field_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.procedure.public_code} v{self.number} — {self.name}"

    @property
    def applicant_type_labels(self) -> list[str]:
        labels = dict(ApplicantType.choices)
        return [str(labels.get(code, code)) for code in self.applicant_types]

    @property
    def is_editable(self) -> bool:
        return self.status == VersionStatus.DRAFT


class ChannelKind(models.TextChoices):
    COUNTER = "counter", _("Trực tiếp")
    POST = "post", _("Bưu chính")
    ONLINE = "online", _("Trực tuyến")


class TimeKind(models.TextChoices):
    WORKING_DAYS = "working_days", _("Ngày làm việc")
    WORKING_HOURS = "working_hours", _("Giờ làm việc")
    CALENDAR_DAYS = "calendar_days", pgettext_lazy("time unit", "Ngày")
    WITHIN_DAY = "within_day", _("Trong ngày")
    IMMEDIATE = "immediate", _("Ngay khi nhận đủ hồ sơ hợp lệ")
    UNKNOWN = "unknown", _("Chưa xác định")


class Channel(models.Model):
    """Cách thức thực hiện: one way to submit, with its legal processing time and fees."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="channels")
    kind = models.CharField(_("hình thức nộp"), max_length=10, choices=ChannelKind.choices)
    time_kind = models.CharField(_("loại thời hạn"), max_length=14, choices=TimeKind.choices)
    time_amount = models.DecimalField(
        _("thời hạn"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    cutoff = models.TimeField(
        _("giờ chốt nhận trong ngày"),
        null=True,
        blank=True,
        help_text=_(
            "Chỉ khi pháp luật quy định: nhận sau giờ này mà không giải quyết được ngay thì "
            "trả vào ngày làm việc tiếp theo (vd. 15:00, NĐ 23/2015/NĐ-CP Điều 7)."
        ),
    )
    cutoff_basis = models.CharField(_("căn cứ giờ chốt"), max_length=300, blank=True)
    time_note = models.CharField(_("ghi chú thời hạn"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("cách thức thực hiện")
        verbose_name_plural = _("cách thức thực hiện")
        constraints = [
            models.UniqueConstraint(fields=["version", "kind"], name="channel_kind_unique")
        ]
        ordering = ["version", "kind"]

    def __str__(self) -> str:
        return self.get_kind_display()

    def describe_time(self) -> str:
        if self.time_amount and self.time_kind in (
            TimeKind.WORKING_DAYS,
            TimeKind.WORKING_HOURS,
            TimeKind.CALENDAR_DAYS,
        ):
            amount = format_decimal(self.time_amount)
            return f"{amount} {self.get_time_kind_display().lower()}"
        return str(self.get_time_kind_display())


def format_decimal(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text.replace(".", ",")


class FeeKind(models.TextChoices):
    FREE = "free", _("Không thu phí")
    FLAT = "flat", _("Mức thu cố định")
    PER_PAGE = "per_page", _("Theo số trang, có mức trần")
    PER_COPY = "per_copy", _("Theo số bản")
    UNKNOWN = "unknown", _("Chưa xác định")


class FeeRule(models.Model):
    """A fee or charge (phí, lệ phí) as data: the calculation is ``catalog.fees``."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="fees")
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    name = models.CharField(_("tên khoản thu"), max_length=200)
    kind = models.CharField(_("cách tính"), max_length=10, choices=FeeKind.choices)
    amount = models.PositiveIntegerField(
        _("mức thu (đồng)"),
        null=True,
        blank=True,
        help_text=_("Mức cố định, hoặc mức cho mỗi lần/bản."),
    )
    first_pages = models.PositiveSmallIntegerField(_("số trang mức 1"), null=True, blank=True)
    first_page_rate = models.PositiveIntegerField(_("mức 1 (đồng/trang)"), null=True, blank=True)
    later_page_rate = models.PositiveIntegerField(
        _("từ trang tiếp theo (đồng/trang)"), null=True, blank=True
    )
    cap_per_copy = models.PositiveIntegerField(_("tối đa mỗi bản (đồng)"), null=True, blank=True)
    included_copies = models.PositiveSmallIntegerField(
        _("số bản đã gồm trong mức thu"), null=True, blank=True
    )
    extra_copy_amount = models.PositiveIntegerField(_("mỗi bản thêm (đồng)"), null=True, blank=True)
    category_amounts = models.JSONField(
        _("mức thu theo đối tượng"),
        default=dict,
        blank=True,
        help_text=_('vd. {"student": 100000}'),
    )
    exempt_categories = models.JSONField(_("đối tượng được miễn"), default=list, blank=True)
    exemptions = models.JSONField(
        _("trường hợp miễn, kèm điều kiện và căn cứ"),
        default=list,
        blank=True,
        help_text=_(
            'vd. [{"key": "tre-em", "condition": "Trẻ em theo quy định tại Luật Trẻ em", '
            '"categories": ["child"], "basis": "TT 244/2016/TT-BTC Điều 5", "confirmed": true}]'
        ),
    )
    legal_basis = models.CharField(_("căn cứ"), max_length=300, blank=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("phí, lệ phí")
        verbose_name_plural = _("phí, lệ phí")
        ordering = ["channel", "order"]

    def __str__(self) -> str:
        return self.name


class DocumentValidity(models.TextChoices):
    INDEFINITE = "indefinite", _("Không thời hạn")
    UNTIL_EXPIRY = "until_expiry", _("Đến ngày hết hạn ghi trên giấy tờ")
    MONTHS = "months", _("Trong một số tháng kể từ ngày cấp")
    NOT_REUSABLE = "not_reusable", _("Không dùng lại")


class DocumentKind(models.Model):
    """A kind of paper (loại giấy tờ) that many procedures ask for — the căn cước card, the
    birth certificate — so that a document digitised for one dossier can stand for the same
    component of another (NĐ 45/2020/NĐ-CP Điều 16 as amended by NĐ 118/2025/NĐ-CP: nobody is
    asked again for what the state already holds). How long a kind stays valid is law as
    data: ``validity`` and ``validity_months``, with the basis and whether it is confirmed."""

    code = models.SlugField(_("mã loại giấy tờ"), max_length=60, unique=True)
    name = models.CharField(_("tên loại giấy tờ"), max_length=255)
    # Folded words (egov.core.text.fold) a component's name contains to be of this kind; the
    # loader matches new procedure versions with them, an administrator can correct a match.
    patterns = models.JSONField(_("mẫu nhận diện tên thành phần"), default=list, blank=True)
    validity = models.CharField(
        _("thời hạn dùng lại"),
        max_length=15,
        choices=DocumentValidity.choices,
        default=DocumentValidity.INDEFINITE,
    )
    validity_months = models.PositiveSmallIntegerField(
        _("số tháng có giá trị"), null=True, blank=True
    )
    # Fields the officer may be offered from the recognised text (never filled silently).
    id_fields = models.JSONField(_("trường gợi ý từ văn bản nhận dạng"), default=list, blank=True)
    basis = models.CharField(_("căn cứ"), max_length=300, blank=True)
    confirmed = models.BooleanField(_("đã xác nhận căn cứ"), default=False)

    class Meta:
        verbose_name = _("loại giấy tờ")
        verbose_name_plural = _("loại giấy tờ")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Component(models.Model):
    """Thành phần hồ sơ."""

    version = models.ForeignKey(
        ProcedureVersion, on_delete=models.CASCADE, related_name="components"
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    name = models.CharField(_("tên giấy tờ"), max_length=500)
    originals = models.PositiveSmallIntegerField(_("số bản chính"), null=True, blank=True)
    copies = models.PositiveSmallIntegerField(_("số bản sao"), null=True, blank=True)
    required = models.BooleanField(_("bắt buộc"), default=True)
    condition = models.CharField(_("trường hợp áp dụng"), max_length=500, blank=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    # What kind of paper this is, so a valid document of the same kind in the applicant's data
    # store stands for it (egov.datastore); empty for papers made for this dossier (tờ khai).
    document_kind = models.ForeignKey(
        DocumentKind,
        verbose_name=_("loại giấy tờ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="components",
    )

    class Meta:
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")
        ordering = ["version", "order"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_optional(self) -> bool:
        """Given only when it applies ("Văn bản ủy quyền (nếu có)"): not required in the
        catalog data, or named "(nếu có)" by the published procedure. The counter form offers
        it with no paper counted, and it is listed on the receipt only when received."""
        return not self.required or "(nếu có)" in self.name.lower()


class FormTemplate(models.Model):
    """A downloadable form (mẫu đơn, tờ khai). Its content is a spec the project renders to
    DOCX; an administrator may attach the official file instead."""

    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="forms")
    key = models.CharField(_("mã mẫu"), max_length=80)
    title = models.CharField(_("tên mẫu"), max_length=300)
    spec = models.JSONField(_("nội dung mẫu"), default=dict, blank=True)
    file = models.FileField(_("tệp mẫu chính thức"), upload_to="forms/", blank=True)

    class Meta:
        verbose_name = _("biểu mẫu")
        verbose_name_plural = _("biểu mẫu")
        ordering = ["component", "key"]

    def __str__(self) -> str:
        return self.title


class ProcessStep(models.Model):
    """One step of the internal process (quy trình nội bộ) with its time allowance, in the
    unit of the counter channel's legal time."""

    version = models.ForeignKey(
        ProcedureVersion, on_delete=models.CASCADE, related_name="process_steps"
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    name = models.CharField(_("bước"), max_length=300)
    role = models.CharField(_("vai trò thực hiện"), max_length=30, choices=Role.choices)
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("đơn vị thực hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    allowance = models.DecimalField(_("thời gian"), max_digits=7, decimal_places=2)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("bước quy trình nội bộ")
        verbose_name_plural = _("quy trình nội bộ")
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "order"], name="process_step_order_unique"),
            models.CheckConstraint(
                condition=models.Q(allowance__gt=0), name="process_step_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"
