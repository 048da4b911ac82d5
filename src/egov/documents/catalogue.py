"""Catalogues of official documents as versioned data, per agency (NĐ 30/2020/NĐ-CP).

- ``DocumentType``: the 29 types of Điều 7 and the copy forms (Điều 25), each with its
  abbreviation of Phụ lục III Mục I. Rows with no agency are the national list (seeded by the
  migration); an agency overrides a type with a row of the same ``key`` for its own agency.
- ``AgencySettings``: an agency's abbreviation in ký hiệu (e.g. UBND), the place name of its
  date line and how it numbers outgoing documents.
- ``UnitAbbreviation``: abbreviations of drafting units or subject areas (VP, VX…) set by the
  head of the agency (Phụ lục I, II.3.b), used in the ký hiệu of công văn.
- Urgency and confidentiality are fixed by law (Điều 8.3; the three levels of state secrets
  of Luật Bảo vệ bí mật nhà nước 29/2018/QH14 — article chưa xác nhận; a new Luật Bảo vệ bí
  mật nhà nước 117/2025/QH15 of 10/12/2025 exists, its effect on these levels chưa xác
  nhận), and the system behaves differently for each (secret documents are metadata only,
  urgent ones are pushed at once), so they are enumerations, not rows.

An "agency" is an ``org.Unit`` (cơ quan ban hành / cơ quan nhận).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from egov.core.validity import ValidityPeriod, ValidityQuerySet, validity_constraint


class Urgency(models.TextChoices):
    """Độ khẩn (NĐ 30/2020, Điều 8.3; Phụ lục I ô 10b)."""

    NORMAL = "normal", _("Thường")
    URGENT = "urgent", _("Khẩn")
    VERY_URGENT = "very_urgent", _("Thượng khẩn")
    FLASH = "flash", _("Hỏa tốc")


URGENT_LEVELS = frozenset({Urgency.URGENT, Urgency.VERY_URGENT, Urgency.FLASH})


class Confidentiality(models.TextChoices):
    """Độ mật: tuyệt mật, tối mật, mật (Luật Bảo vệ bí mật nhà nước 29/2018/QH14; the
    article, and whether Luật 117/2025/QH15 keeps the levels, chưa xác nhận)."""

    NORMAL = "normal", _("Thường")
    SECRET = "secret", _("Mật")
    TOP_SECRET = "top_secret", _("Tối mật")
    ULTRA_SECRET = "ultra_secret", _("Tuyệt mật")


SECRET_LEVELS = frozenset(
    {Confidentiality.SECRET, Confidentiality.TOP_SECRET, Confidentiality.ULTRA_SECRET}
)


class TypeKind(models.TextChoices):
    ADMINISTRATIVE = "administrative", _("Văn bản hành chính")
    COPY = "copy", _("Bản sao")


class OutgoingSeriesMode(models.TextChoices):
    """NĐ 30/2020, Điều 15.1.b: the head of the agency decides how administrative documents
    are numbered — one series for all, or one per type."""

    SHARED = "shared", _("Một sổ chung cho mọi loại văn bản")
    PER_TYPE = "per_type", _("Mỗi loại văn bản một sổ")


class DocumentType(ValidityPeriod):
    """A document type (tên loại văn bản) with its abbreviation in ký hiệu."""

    agency = models.ForeignKey(
        "org.Unit",
        verbose_name=_("cơ quan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Để trống: danh mục chung theo Nghị định 30/2020/NĐ-CP."),
    )
    key = models.SlugField(_("khóa"), max_length=40)
    name = models.CharField(_("tên loại văn bản"), max_length=100)
    # Công văn and thư công have none (Phụ lục III): their ký hiệu is issuer-unit.
    abbreviation = models.CharField(_("chữ viết tắt"), max_length=10, blank=True)
    kind = models.CharField(
        _("nhóm"), max_length=20, choices=TypeKind.choices, default=TypeKind.ADMINISTRATIVE
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    legal_basis = models.CharField(_("căn cứ"), max_length=200, blank=True)

    objects = ValidityQuerySet.as_manager()

    class Meta:
        verbose_name = _("loại văn bản")
        verbose_name_plural = _("loại văn bản")
        ordering = ["order", "name"]
        constraints = [
            validity_constraint("doctype_validity_order"),
            models.UniqueConstraint(
                fields=["agency", "key", "valid_from"], name="doctype_unique_start"
            ),
            models.UniqueConstraint(
                fields=["key", "valid_from"],
                condition=models.Q(agency__isnull=True),
                name="doctype_national_unique_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.abbreviation})" if self.abbreviation else self.name

    @property
    def is_copy(self) -> bool:
        return self.kind == TypeKind.COPY


class AgencySettings(ValidityPeriod):
    """How one agency writes and numbers its documents, for a period."""

    agency = models.ForeignKey(
        "org.Unit",
        verbose_name=_("cơ quan"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Phụ lục I, II.3.b: chữ viết tắt tên cơ quan ban hành, e.g. UBND, BNV, SNV.
    abbreviation = models.CharField(_("chữ viết tắt tên cơ quan"), max_length=20)
    # Phụ lục I, II.4: địa danh ghi trên văn bản (where the agency sits).
    place_name = models.CharField(_("địa danh"), max_length=100)
    outgoing_series = models.CharField(
        _("cách đánh số văn bản đi"),
        max_length=10,
        choices=OutgoingSeriesMode.choices,
        default=OutgoingSeriesMode.SHARED,
    )

    objects = ValidityQuerySet.as_manager()

    class Meta:
        verbose_name = _("thiết lập văn thư của cơ quan")
        verbose_name_plural = _("thiết lập văn thư của cơ quan")
        ordering = ["agency", "-valid_from"]
        constraints = [
            validity_constraint("agencysettings_validity_order"),
            models.UniqueConstraint(
                fields=["agency", "valid_from"], name="agencysettings_unique_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.abbreviation} — {self.place_name}"


class UnitAbbreviation(ValidityPeriod):
    """The abbreviation of a drafting unit or subject area (lĩnh vực) in an agency."""

    agency = models.ForeignKey(
        "org.Unit", verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("đơn vị soạn thảo"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Để trống khi chữ viết tắt là của một lĩnh vực."),
    )
    name = models.CharField(_("tên đơn vị hoặc lĩnh vực"), max_length=200)
    abbreviation = models.CharField(_("chữ viết tắt"), max_length=20)

    objects = ValidityQuerySet.as_manager()

    class Meta:
        verbose_name = _("chữ viết tắt đơn vị, lĩnh vực")
        verbose_name_plural = _("chữ viết tắt đơn vị, lĩnh vực")
        ordering = ["agency", "abbreviation"]
        constraints = [
            validity_constraint("unitabbr_validity_order"),
            models.UniqueConstraint(
                fields=["agency", "abbreviation", "valid_from"], name="unitabbr_unique_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.abbreviation} — {self.name}"
