"""Work files (hồ sơ công việc, NĐ 30/2020/NĐ-CP Điều 28–31; Phụ lục VI Phần II.III).

A unit's yearly list of files (``FileCatalogue``, Danh mục hồ sơ, Điều 28) holds one entry
per file (``WorkFile``): số và ký hiệu hồ sơ (FileNotation), tiêu đề (Title), thời hạn bảo
quản (Maintenance), người lập (Creator). A file is opened (StartDate) and closed when the
work ends (EndDate, Điều 29); a leader of the unit may reopen it with a reason. Documents are
linked, never copied (``WorkFileDocument``, Phụ lục VI: "một văn bản có thể thuộc nhiều hồ
sơ … không bị trùng lặp"), each with its order in the file (DocOrdinal). Rows are loaded for
people only through ``documents.permissions``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from egov.documents.event_rows import EventRow

# The separator between OrganId, FileCatalog and FileNotation in the printed file code: the
# Phụ lục VI table only lists the three parts (separator chưa xác nhận; a setting would be
# the place if a province uses another).
FILE_CODE_SEPARATOR = "."
# Nộp lưu (NĐ 30/2020/NĐ-CP, Điều 30 — the domain notes give the chapter, Điều 28–31; the
# article number is chưa xác nhận): within 1 year of the work's end, within 3 months of the
# final settlement for construction (XDCB) files; only files kept 5 years or more.
ARCHIVE_DELAY_MONTHS = 12
CONSTRUCTION_ARCHIVE_DELAY_MONTHS = 3
ARCHIVE_MIN_YEARS = 5
# Phụ lục VI (Bảo quản): notify files due for the archive 30 days ahead.
ARCHIVE_WARNING_DAYS = 30


class WorkFileStatus(models.TextChoices):
    PLANNED = "planned", _("Trong danh mục, chưa mở")
    OPEN = "open", _("Đang mở")
    CLOSED = "closed", _("Đã kết thúc")


class WorkFileAction(models.TextChoices):
    PLAN = "plan", _("Đưa vào danh mục hồ sơ")
    OPEN = "open", _("Mở hồ sơ")
    CLOSE = "close", _("Kết thúc hồ sơ")
    REOPEN = "reopen", _("Mở lại hồ sơ")
    ADD_DOCUMENT = "add_document", _("Thêm văn bản vào hồ sơ")


class FileCatalogue(models.Model):
    """Danh mục hồ sơ of one unit for one year (Điều 28: approved at the start of the year)."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người lập"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(pgettext_lazy("work file", "lập lúc"))

    class Meta:
        verbose_name = _("danh mục hồ sơ")
        verbose_name_plural = _("danh mục hồ sơ")
        ordering = ["unit", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="file_catalogue_unit_year")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.year}"


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months (29 February → 28 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - 28 always exists


class WorkFile(models.Model):
    """One hồ sơ of a unit's list, with the Phụ lục VI Phần II.III fields."""

    catalogue = models.ForeignKey(
        FileCatalogue,
        verbose_name=_("danh mục hồ sơ"),
        on_delete=models.PROTECT,
        related_name="files",
    )
    # FileCode = OrganId + FileCatalog + FileNotation (organ_id copied when planned).
    organ_id = models.CharField(_("mã định danh cơ quan"), max_length=13)
    notation = models.CharField(_("số và ký hiệu hồ sơ"), max_length=20)
    title = models.CharField(_("tiêu đề hồ sơ"), max_length=500)
    maintenance = models.CharField(_("thời hạn bảo quản"), max_length=30)
    # Years to keep; None means permanent (vĩnh viễn).
    maintenance_years = models.PositiveSmallIntegerField(
        _("số năm bảo quản"), null=True, blank=True
    )
    rights = models.CharField(_("chế độ sử dụng"), max_length=30, blank=True)
    language = models.CharField(_("ngôn ngữ"), max_length=50, default="Tiếng Việt")
    description = models.CharField(_("ghi chú"), max_length=500, blank=True)
    construction = models.BooleanField(_("hồ sơ xây dựng cơ bản"), default=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người lập hồ sơ"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=8,
        choices=WorkFileStatus.choices,
        default=WorkFileStatus.PLANNED,
    )
    revision = models.PositiveIntegerField(default=0)
    start_date = models.DateField(_("ngày bắt đầu"), null=True, blank=True)
    end_date = models.DateField(_("ngày kết thúc"), null=True, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"))

    class Meta:
        verbose_name = _("hồ sơ công việc")
        verbose_name_plural = _("hồ sơ công việc")
        ordering = ["catalogue", "notation"]
        constraints = [
            models.UniqueConstraint(
                fields=["catalogue", "notation"], name="work_file_notation_unique"
            ),
        ]
        indexes = [models.Index(fields=["status", "end_date"], name="work_file_end_idx")]

    def __str__(self) -> str:
        return self.file_code

    @property
    def year(self) -> int:
        return self.catalogue.year

    @property
    def file_code(self) -> str:
        """OrganId + FileCatalog + FileNotation (Phụ lục VI Phần II.III)."""
        return FILE_CODE_SEPARATOR.join([self.organ_id, str(self.year), self.notation])

    @property
    def goes_to_archive(self) -> bool:
        """Files kept 5 years or more (or permanently) are handed to the agency archive."""
        return self.maintenance_years is None or self.maintenance_years >= ARCHIVE_MIN_YEARS

    @property
    def archive_due(self) -> dt.date | None:
        """Nộp lưu deadline: 1 year after the file was closed; 3 months for a construction
        file (from the final settlement, taken here as the closing day — chưa xác nhận)."""
        if self.status != WorkFileStatus.CLOSED or self.end_date is None:
            return None
        if not self.goes_to_archive:
            return None
        months = CONSTRUCTION_ARCHIVE_DELAY_MONTHS if self.construction else ARCHIVE_DELAY_MONTHS
        return add_months(self.end_date, months)

    @property
    def archive_warning(self) -> dt.date | None:
        """The day the archive warning starts (30 days ahead, Phụ lục VI)."""
        due = self.archive_due
        return due - dt.timedelta(days=ARCHIVE_WARNING_DAYS) if due else None


class WorkFileEvent(EventRow):
    """One step of a work file's lifecycle (actor, time, from, to, reason, data)."""

    lifecycle_field = "file"
    actions = WorkFileAction

    file = models.ForeignKey(WorkFile, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("thao tác"), max_length=20, choices=WorkFileAction.choices)
    from_status = models.CharField(max_length=8, blank=True)
    to_status = models.CharField(max_length=8, blank=True)
    reason = models.TextField(_("lý do"), blank=True)

    class Meta(EventRow.Meta):
        verbose_name = _("bước xử lý hồ sơ công việc")
        verbose_name_plural = _("bước xử lý hồ sơ công việc")
        ordering = ["file", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["file", "sequence"], name="work_file_event_seq")
        ]


class WorkFileDocument(models.Model):
    """A document (incoming or outgoing) in a file, by reference; DocOrdinal is its order."""

    file = models.ForeignKey(WorkFile, on_delete=models.CASCADE, related_name="links")
    incoming = models.ForeignKey(
        "documents.IncomingDocument",
        verbose_name=_("văn bản đến"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="work_file_links",
    )
    outgoing = models.ForeignKey(
        "documents.OutgoingDocument",
        verbose_name=_("văn bản đi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="work_file_links",
    )
    doc_ordinal = models.PositiveSmallIntegerField(_("số thứ tự văn bản trong hồ sơ"))
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thêm"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    added_at = models.DateTimeField(_("thêm lúc"))

    class Meta:
        verbose_name = _("văn bản trong hồ sơ")
        verbose_name_plural = _("văn bản trong hồ sơ")
        ordering = ["file", "doc_ordinal"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(incoming__isnull=False, outgoing__isnull=True)
                    | models.Q(incoming__isnull=True, outgoing__isnull=False)
                ),
                name="work_file_link_one_document",
            ),
            models.UniqueConstraint(
                fields=["file", "doc_ordinal"], name="work_file_link_ordinal_unique"
            ),
            models.UniqueConstraint(
                fields=["file", "incoming"],
                condition=models.Q(incoming__isnull=False),
                name="work_file_link_incoming_once",
            ),
            models.UniqueConstraint(
                fields=["file", "outgoing"],
                condition=models.Q(outgoing__isnull=False),
                name="work_file_link_outgoing_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_id}#{self.doc_ordinal}"
