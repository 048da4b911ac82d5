"""The register of certified copies from originals (sổ chứng thực bản sao từ bản chính).

One ``CertificationEntry`` is one certification: numbered per certifying unit and year from 1
(``core.numbering``, NĐ 23/2015/NĐ-CP Điều 13 on the registers; the printed number format is
chưa xác nhận and its symbol is the setting ``EGOV_CERTIFICATION_SYMBOL``), with the
requester, the paper, its pages (counted on the original: TT 226/2016/TT-BTC Điều 4), the
copies, the fee, the certifier and the signed copy given to the requester's data store. Its
lifecycle is ``state.ENTRY_TRANSITIONS``; every move appends a ``CertificationEvent``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryState(models.TextChoices):
    ISSUED = "issued", _("Đã chứng thực")
    REVOKED = "revoked", _("Đã thu hồi")


class CertificationEntry(models.Model):
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("cơ quan chứng thực"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    sequence = models.PositiveIntegerField(_("số thứ tự"))
    # "<sequence>/<year>/<symbol>" as printed on the copy, kept as it was printed.
    number = models.CharField(_("số chứng thực"), max_length=60)
    book = models.CharField(_("quyển số"), max_length=40)
    certified_on = models.DateField(_("ngày chứng thực"))
    certified_at = models.DateTimeField(_("chứng thực lúc"))
    requester_name = models.CharField(_("người yêu cầu chứng thực"), max_length=255)
    requester_identifier = models.CharField(_("số định danh / mã số thuế"), max_length=14)
    title = models.CharField(_("tên giấy tờ, văn bản"), max_length=500)
    pages = models.PositiveIntegerField(_("số trang của bản chính"))
    copies = models.PositiveSmallIntegerField(_("số bản sao"))
    fee = models.PositiveIntegerField(_("phí chứng thực (đồng)"))
    fee_explanation = models.CharField(_("cách tính phí"), max_length=500)
    certifier = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện chứng thực"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    certifier_title = models.CharField(_("chức danh người chứng thực"), max_length=100)
    dossier_code = models.CharField(_("mã hồ sơ"), max_length=40)
    dossier_id = models.BigIntegerField(db_index=True)
    store_document = models.OneToOneField(
        "datastore.StoreDocument",
        verbose_name=_("bản sao điện tử trong kho dữ liệu"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    file = models.ForeignKey(
        "core.StoredFile", verbose_name=_("tệp"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        _("trạng thái"), max_length=10, choices=EntryState.choices, default=EntryState.ISSUED
    )

    class Meta:
        verbose_name = _("sổ chứng thực bản sao từ bản chính")
        verbose_name_plural = _("sổ chứng thực bản sao từ bản chính")
        ordering = ["unit", "year", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "sequence"], name="certification_entry_number"
            )
        ]

    def __str__(self) -> str:
        return self.number


class CertificationEvent(models.Model):
    entry = models.ForeignKey(CertificationEntry, on_delete=models.CASCADE, related_name="events")
    sequence = models.PositiveIntegerField()
    action = models.CharField(_("thao tác"), max_length=20)
    from_state = models.CharField(max_length=10, blank=True)
    to_state = models.CharField(max_length=10)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("thời điểm"))
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("sự kiện chứng thực")
        verbose_name_plural = _("sự kiện chứng thực")
        ordering = ["entry", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "sequence"], name="certification_event_sequence"
            )
        ]

    def __str__(self) -> str:
        return f"{self.entry_id}#{self.sequence} {self.action}"
