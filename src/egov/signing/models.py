"""How each person makes their personal signature (chữ ký số của người có thẩm quyền).

Data, not secrets: a PIN, a PKCS#12 passphrase or the remote service's client secret never
lives here; they come from the environment (``EGOV_SIGNING_PKCS11_PIN``,
``EGOV_SIGNING_PKCS12_PASSPHRASE``, ``EGOV_CSC_CLIENT_SECRET``). ``signers.personal_signing_method``
reads this row first and falls back on the settings.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SigningMethod(models.TextChoices):
    # Development, demo and tests only: refused in production (personal keys are never kept
    # on the server there).
    SERVER_PKCS12 = "pkcs12", _("Tệp khóa PKCS#12 trên máy chủ (chỉ để phát triển, thử nghiệm)")
    PKCS11 = "pkcs11", _("Khóa trên thiết bị PKCS#11 của hệ thống (token, HSM)")
    REMOTE = "remote", _("Ký số từ xa, xác nhận trên điện thoại")


class PersonalSigningMethod(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ký"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    method = models.CharField(_("cách ký"), max_length=10, choices=SigningMethod.choices)
    credential_id = models.CharField(
        _("mã chứng thư số trên dịch vụ ký số từ xa (credentialID)"),
        max_length=255,
        blank=True,
        help_text=_("Chỉ dùng khi ký số từ xa."),
    )
    key_label = models.CharField(
        _("nhãn khóa và chứng thư trên thiết bị PKCS#11"),
        max_length=100,
        blank=True,
        help_text=_("Chỉ dùng khi ký bằng thiết bị PKCS#11; mã PIN lấy từ cấu hình máy chủ."),
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("cách ký số cá nhân")
        verbose_name_plural = _("cách ký số cá nhân")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(method="remote") | ~models.Q(credential_id=""),
                name="signing_method_remote_has_credential",
            ),
            models.CheckConstraint(
                condition=~models.Q(method="pkcs11") | ~models.Q(key_label=""),
                name="signing_method_pkcs11_has_label",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.method}"
