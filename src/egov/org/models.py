"""Organisation registry: administrative areas and the agencies/units that serve them.

Both the 2012 structure of the Quảng Ninh plan (QĐ 2459/QĐ-UBND: 14 district-level units,
6 service centres) and today's two-tier structure (Luật Tổ chức chính quyền địa phương
72/2025/QH15, from 01/07/2025; NQ 1679/NQ-UBTVQH15 for Quảng Ninh's 54 commune-level
units) are rows with validity periods, so "the units valid on day D" answers either.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from egov.core.validity import ValidityPeriod, ValidityQuerySet, validity_constraint

# QCVN 102:2016/BTTTT: V1V2V3.Z1Z2.Y1Y2.MX1X2 — levels 4.3.2.1, e.g. 000.00.00.H49.
UNIT_CODE_RE = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$")
# Codes of administrative areas (Quyết định 124/2004/QĐ-TTg; 2025 list: Công văn
# 1027/CTK-CSCL): 2 digits for a province, 3 for a district, 5 for a commune.
GSO_CODE_RE = re.compile(r"^\d{2}(\d{1}|\d{3})?$")
# Stable keys of data rows, e.g. "qn.x.hong-gai.ubnd".
DATA_KEY_RE = re.compile(r"^[a-z0-9][a-z0-9.\-]*$")
validate_data_key = RegexValidator(
    DATA_KEY_RE, _("Khóa chỉ gồm chữ thường không dấu, số, dấu chấm và gạch nối.")
)


def validate_unit_code(value: str) -> None:
    if not UNIT_CODE_RE.fullmatch(value):
        raise ValidationError(
            _("Mã định danh “%(value)s” không đúng cấu trúc QCVN 102:2016 (vd. 000.00.00.H49)."),
            params={"value": value},
            code="invalid_unit_code",
        )


def validate_gso_code(value: str) -> None:
    if not GSO_CODE_RE.fullmatch(value):
        raise ValidationError(
            _("Mã thống kê “%(value)s” phải gồm 2, 3 hoặc 5 chữ số (vd. 06685)."),
            params={"value": value},
            code="invalid_gso_code",
        )


class AreaLevel(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện")
    COMMUNE = "commune", _("Cấp xã")


class AreaKind(models.TextChoices):
    PROVINCE = "tinh", _("Tỉnh")
    CITY = "thanh_pho", _("Thành phố")
    TOWN = "thi_xa", _("Thị xã")
    DISTRICT = "huyen", _("Huyện")
    WARD = "phuong", _("Phường")
    COMMUNE = "xa", _("Xã")
    TOWNSHIP = "thi_tran", _("Thị trấn")
    SPECIAL_ZONE = "dac_khu", _("Đặc khu")


class AdministrativeArea(ValidityPeriod):
    """An administrative unit (đơn vị hành chính): tỉnh, huyện/thị xã/thành phố, xã/phường."""

    key = models.CharField(
        _("khóa dữ liệu"), max_length=80, unique=True, validators=[validate_data_key]
    )
    name = models.CharField(_("tên"), max_length=200)
    kind = models.CharField(_("loại"), max_length=20, choices=AreaKind.choices)
    level = models.CharField(_("cấp"), max_length=20, choices=AreaLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("trực thuộc"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    confirmed = models.BooleanField(
        _("đã xác nhận"),
        default=True,
        help_text=_("Bỏ chọn khi dữ liệu chưa được đối chiếu với văn bản gốc."),
    )
    # The statistics office's code of the area (mã đơn vị hành chính, 5 digits for a commune;
    # the 2025 list: Công văn 1027/CTK-CSCL ngày 25/06/2025 của Cục Thống kê), for addresses.
    # Not unique: a merged commune may keep the code of one of its predecessors.
    gso_code = models.CharField(
        _("mã thống kê"),
        max_length=5,
        db_index=True,
        blank=True,
        validators=[validate_gso_code],
        help_text=_("Mã đơn vị hành chính do cơ quan thống kê ban hành, vd. 06685."),
    )
    source = models.CharField(_("nguồn"), max_length=500, blank=True)
    notes = models.TextField(_("ghi chú"), blank=True)

    objects = ValidityQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["level", "name"]
        indexes = [models.Index(fields=["valid_from", "valid_until"], name="area_validity_idx")]
        constraints = [validity_constraint("area_validity_order")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"


class UnitKind(models.TextChoices):
    PEOPLES_COUNCIL = "hdnd", _("Hội đồng nhân dân")
    PEOPLES_COMMITTEE = "ubnd", _("Ủy ban nhân dân")
    OFFICE = "van_phong", _("Văn phòng")
    DEPARTMENT = "so", _("Sở, ban, ngành")
    DIVISION = "phong", _("Phòng chuyên môn")
    SERVICE_CENTRE = "ttpvhcc", _("Trung tâm Phục vụ hành chính công")
    COMMUNE_SERVICE_CENTRE = "ttpvhcc_xa", _("Trung tâm Phục vụ hành chính công cấp xã")
    ONE_STOP_DESK = "mot_cua", _("Bộ phận Một cửa")
    RECEPTION_POINT = "diem_tiep_nhan", _("Điểm tiếp nhận")
    OTHER = "khac", _("Đơn vị khác")


# Units that receive dossiers from applicants (a desk can sit at any of them).
RECEIVING_KINDS = (
    UnitKind.SERVICE_CENTRE,
    UnitKind.COMMUNE_SERVICE_CENTRE,
    UnitKind.ONE_STOP_DESK,
    UnitKind.RECEPTION_POINT,
)
# Service centres, whatever their level.
CENTRE_KINDS = (UnitKind.SERVICE_CENTRE, UnitKind.COMMUNE_SERVICE_CENTRE)


def parent_code(code: str) -> str | None:
    """The code a unit code nests in (QCVN 102:2016/BTTTT: V1V2V3.Z1Z2.Y1Y2.MX1X2, levels
    4.3.2.1 — a level's digits are zero above it): ``001.02.89.H49`` → ``000.02.89.H49`` →
    ``000.00.89.H49`` → ``000.00.00.H49`` → None (the level-1 unit has no parent code)."""
    level4, level3, level2, level1 = code.split(".")
    if level4 != "000":
        return f"000.{level3}.{level2}.{level1}"
    if level3 != "00":
        return f"000.00.{level2}.{level1}"
    if level2 != "00":
        return f"000.00.00.{level1}"
    return None


class Unit(ValidityPeriod):
    """An agency or unit (cơ quan, đơn vị) with its electronic unit code (mã định danh)."""

    key = models.CharField(
        _("khóa dữ liệu"), max_length=80, unique=True, validators=[validate_data_key]
    )
    code = models.CharField(
        _("mã định danh"),
        max_length=40,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_unit_code],
        help_text=_("Theo QCVN 102:2016/BTTTT, vd. 000.00.00.H49."),
    )
    code_confirmed = models.BooleanField(
        _("mã đã xác nhận"),
        default=False,
        help_text=_("Bỏ chọn khi mã là mã tạm, chưa đối chiếu với quyết định cấp mã."),
    )
    code_placeholder = models.BooleanField(
        _("mã tạm"),
        default=False,
        help_text=_(
            "Mã do egov tự đặt theo cấu trúc QCVN 102:2016 khi chưa có quyết định cấp mã; "
            "thay bằng mã chính thức (lệnh import_unit_codes) trước khi liên thông."
        ),
    )
    name = models.CharField(_("tên"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=80, blank=True)
    kind = models.CharField(_("loại"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    area = models.ForeignKey(
        AdministrativeArea,
        verbose_name=_("địa bàn"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=40, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    source = models.CharField(_("nguồn"), max_length=500, blank=True)
    notes = models.TextField(_("ghi chú"), blank=True)

    objects = ValidityQuerySet.as_manager()

    class Meta:
        verbose_name = _("cơ quan, đơn vị")
        verbose_name_plural = _("cơ quan, đơn vị")
        ordering = ["name"]
        indexes = [models.Index(fields=["valid_from", "valid_until"], name="unit_validity_idx")]
        constraints = [
            validity_constraint("unit_validity_order"),
            models.CheckConstraint(
                condition=~models.Q(code_placeholder=True, code_confirmed=True),
                name="unit_placeholder_not_confirmed",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.code_placeholder and self.code_confirmed:
            raise ValidationError(
                {"code_confirmed": _("Mã tạm không thể đồng thời là mã đã xác nhận.")}
            )

    def ancestors(self) -> list[Unit]:
        """Parents from the nearest up to the root (each a query; hierarchies are shallow)."""
        chain: list[Unit] = []
        seen: set[int] = {self.pk}
        current = self.parent
        while current is not None and current.pk not in seen:
            chain.append(current)
            seen.add(current.pk)
            current = current.parent
        return chain
