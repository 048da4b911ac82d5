"""Electronic copies of official documents: sao y, sao lục, trích sao (NĐ 30/2020/NĐ-CP,
Điều 25-27; Phụ lục I).

- Sao y: a full copy of the bản gốc or bản chính (Điều 25.1); into electronic form by
  digitising the paper and the agency's digital signature (Điều 25.1.c).
- Sao lục: a full copy made from a bản sao y (Điều 25.2.b).
- Trích sao: a part of the content, re-created with the full format (Điều 25.3.b); here the
  chosen pages of the source.
A copy made this way has the legal value of the bản chính (Điều 26). The head of the agency
decides what is copied and who signs copies (Điều 27.1); the văn thư applies the agency's
digital signature to the copies the agency makes itself (Điều 32.2.c-d, 33.2).

Each copy has its own số and ký hiệu from the one copy series of its agency, shared by the
three forms and restarting every year (Phụ lục I, Phần II.II.1.c; ``documents.series``), e.g.
``Số: 05/SY-UBND``. Rows are loaded for people only through ``documents.permissions``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov.documents.actions import CopyAction
from egov.documents.catalogue import DocumentType
from egov.documents.event_rows import EventRow


class CopyForm(models.TextChoices):
    SAO_Y = "sao_y", _("Sao y")
    SAO_LUC = "sao_luc", _("Sao lục")
    TRICH_SAO = "trich_sao", _("Trích sao")


# The document type of each form (Phụ lục III: SY, SL, TrS), by its catalogue key.
COPY_TYPE_KEYS: dict[str, str] = {
    CopyForm.SAO_Y: "ban-sao-y",
    CopyForm.SAO_LUC: "ban-sao-luc",
    CopyForm.TRICH_SAO: "ban-trich-sao",
}
# What the copy shows as its form (Phụ lục I: "SAO Y", "SAO LỤC", "TRÍCH SAO"): legal
# wording printed on the document, not user interface text.
COPY_HEADINGS: dict[str, str] = {
    CopyForm.SAO_Y: "SAO Y",
    CopyForm.SAO_LUC: "SAO LỤC",
    CopyForm.TRICH_SAO: "TRÍCH SAO",
}


class CopyStatus(models.TextChoices):
    # Numbered, the agency's signature not yet made (e.g. the timestamp service was down):
    # the văn thư signs it again; the number is kept (no gap in the series).
    NUMBERED = "numbered", _("Đã cấp số, chờ ký số của cơ quan")
    SIGNED = "signed", _("Đã ký số của cơ quan")


class CopySource(models.TextChoices):
    INCOMING = "incoming", _("Văn bản đến")
    OUTGOING = "outgoing", _("Văn bản đi")
    COPY = "copy", _("Bản sao điện tử")
    PAPER_SCAN = "paper_scan", _("Văn bản giấy được số hóa")


class ElectronicCopy(models.Model):
    """One electronic copy made by one agency, with its own số and ký hiệu."""

    agency = models.ForeignKey(
        "org.Unit",
        verbose_name=_("cơ quan sao văn bản"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    form = models.CharField(_("hình thức sao"), max_length=10, choices=CopyForm.choices)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=CopyStatus.choices, default=CopyStatus.NUMBERED
    )
    source_kind = models.CharField(_("sao từ"), max_length=12, choices=CopySource.choices)
    # The document the copy goes back to: set for a copy of it and for every copy of that
    # copy (sao lục), so a copy is seen by whoever sees the document.
    incoming = models.ForeignKey(
        "IncomingDocument",
        verbose_name=_("văn bản đến được sao"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="copies",
    )
    outgoing = models.ForeignKey(
        "OutgoingDocument",
        verbose_name=_("văn bản đi được sao"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="copies",
    )
    source_copy = models.ForeignKey(
        "self",
        verbose_name=_("bản sao được sao lại"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="copies",
    )
    # Paper → electronic (Điều 25.1.c): the digitised paper and what it is.
    scan = models.ForeignKey(
        "core.StoredFile",
        verbose_name=_("bản số hóa văn bản giấy"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source_description = models.CharField(_("văn bản được sao"), max_length=500, blank=True)
    document_type = models.ForeignKey(
        DocumentType, verbose_name=_("loại bản sao"), on_delete=models.PROTECT, related_name="+"
    )
    code_number = models.PositiveIntegerField(_("số"))
    code_notation = models.CharField(_("ký hiệu"), max_length=30)
    year = models.PositiveSmallIntegerField(_("năm"))
    register = models.CharField(_("sổ"), max_length=60)
    # Trích sao: the pages taken, as "2-3, 5".
    pages = models.CharField(_("trang trích sao"), max_length=200, blank=True)
    page_count = models.PositiveSmallIntegerField(_("số trang"), null=True, blank=True)
    file = models.ForeignKey(
        "core.StoredFile",
        verbose_name=_("tệp bản sao đã ký số"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    purpose = models.CharField(_("mục đích sao"), max_length=500, blank=True)
    recipients = models.CharField(_("nơi nhận"), max_length=1000, blank=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người sao"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    made_at = models.DateTimeField(_("sao lúc"), default=timezone.now)
    signed_at = models.DateTimeField(_("ký số lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("bản sao điện tử")
        verbose_name_plural = _("bản sao điện tử")
        ordering = ["-made_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "register", "code_number"],
                name="copy_number_unique_in_year",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(
                        source_kind="incoming",
                        incoming__isnull=False,
                        outgoing__isnull=True,
                        source_copy__isnull=True,
                        scan__isnull=True,
                    )
                    | models.Q(
                        source_kind="outgoing",
                        incoming__isnull=True,
                        outgoing__isnull=False,
                        source_copy__isnull=True,
                        scan__isnull=True,
                    )
                    | models.Q(
                        source_kind="copy",
                        source_copy__isnull=False,
                        scan__isnull=True,
                    )
                    | models.Q(
                        source_kind="paper_scan",
                        incoming__isnull=True,
                        outgoing__isnull=True,
                        source_copy__isnull=True,
                        scan__isnull=False,
                    )
                ),
                name="copy_source_matches_kind",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "made_at"], name="copy_agency_made_idx"),
        ]

    def __str__(self) -> str:
        return self.number_text

    @property
    def number_text(self) -> str:
        """``05/SY-UBND``."""
        return f"{self.code_number:02d}/{self.code_notation}"

    @property
    def heading(self) -> str:
        return COPY_HEADINGS[self.form]


class CopyEvent(EventRow):
    """One step of an electronic copy (numbered, signed by the agency, signed again)."""

    actions = CopyAction

    document = models.ForeignKey(ElectronicCopy, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10, blank=True)

    class Meta(EventRow.Meta):
        verbose_name = _("bước xử lý bản sao")
        verbose_name_plural = _("bước xử lý bản sao")
        constraints = [
            models.UniqueConstraint(fields=["document", "sequence"], name="copy_event_seq")
        ]
