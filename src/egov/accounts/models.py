"""Accounts and the roles staff hold in units, each for a validity period."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from egov.core.identity import ApplicantKind
from egov.core.validity import ValidityPeriod, ValidityQuerySet, validity_constraint


class User(AbstractUser):
    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("tài khoản")
        verbose_name_plural = _("tài khoản")

    def __str__(self) -> str:
        return self.full_name or self.get_username()

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_username()


class Role(models.TextChoices):
    """Roles of the one-stop mechanism (NĐ 61/2018 → NĐ 118/2025) and of administration."""

    RECEPTIONIST = "receptionist", _("Cán bộ tiếp nhận (Một cửa)")
    SPECIALIST = "specialist", _("Chuyên viên thụ lý")
    DEPARTMENT_LEADER = "department_leader", _("Lãnh đạo phòng/sở")
    CLERK = "clerk", _("Văn thư")
    CENTRE_LEADER = "centre_leader", _("Lãnh đạo Trung tâm")
    SUPERVISOR = "supervisor", _("Giám sát")
    # Postal staff may work at the desk and return results (NĐ 61/2018 Điều 13; QĐ 45/2016).
    POSTAL = "postal", _("Nhân viên bưu chính công ích")
    SYSTEM_ADMIN = "system_admin", _("Quản trị hệ thống")
    # The support centre's hotline (Trung tâm hỗ trợ khách hàng, issue 17 §7): answers calls
    # from the knowledge base and logs them (egov.helpdesk).
    HOTLINE_OPERATOR = "hotline_operator", _("Tổng đài viên")


class RoleAssignment(ValidityPeriod):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    role = models.CharField(_("vai trò"), max_length=30, choices=Role.choices)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    objects = ValidityQuerySet.as_manager()

    class Meta:
        verbose_name = _("phân công vai trò")
        verbose_name_plural = _("phân công vai trò")
        ordering = ["user", "unit", "role"]
        indexes = [
            models.Index(
                fields=["user", "valid_from", "valid_until"], name="role_user_validity_idx"
            ),
            models.Index(fields=["unit", "role"], name="role_unit_idx"),
        ]
        constraints = [
            validity_constraint("role_validity_order"),
            models.UniqueConstraint(
                fields=["user", "unit", "role", "valid_from"], name="role_unique_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.unit}"


class ApiClient(models.Model):
    """A machine client (kiosk, postal service, another system) or a staff token. It acts as
    its service account, so the same role checks apply as to a person. Only a hash of the key
    is stored; the key is shown once, when created or rotated. A key works until it expires,
    is revoked, or its service account is deactivated."""

    name = models.CharField(_("tên"), max_length=100, unique=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản dịch vụ"),
        on_delete=models.CASCADE,
        related_name="api_client",
    )
    key_prefix = models.CharField(_("tiền tố khóa"), max_length=12, unique=True)
    key_hash = models.CharField(max_length=64)
    active = models.BooleanField(_("đang hoạt động"), default=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    # Set for every key: at creation or rotation, and by migration 0006 for keys made before
    # expiry dates existed. A key without one is refused (accounts.api_auth).
    expires_at = models.DateTimeField(_("hết hạn lúc"), null=True, blank=True)
    rotated_at = models.DateTimeField(_("đổi khóa lúc"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    # Written at most once a minute per key (not on every request).
    last_used_at = models.DateTimeField(_("dùng gần nhất lúc"), null=True, blank=True)
    # What the key may do on top of its role (egov.accounts.scopes); empty: nothing.
    scopes = models.JSONField(_("phạm vi quyền"), default=list, blank=True)
    # Requests per minute; empty: EGOV_API_CLIENT_RATE_PER_MINUTE.
    rate_limit_per_minute = models.PositiveIntegerField(
        _("giới hạn yêu cầu mỗi phút"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("ứng dụng kết nối API")
        verbose_name_plural = _("ứng dụng kết nối API")

    def __str__(self) -> str:
        return self.name


class ApiCall(models.Model):
    """One call of an API client: who, which operation, the answer's status. Kept apart from
    the hash-chained audit trail, whose single chain head would serialise every API request;
    the query string and body are not kept (they may hold personal data)."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="calls")
    at = models.DateTimeField(_("lúc"), db_index=True)
    method = models.CharField(max_length=7)
    route = models.CharField(_("thao tác"), max_length=200)
    status = models.PositiveSmallIntegerField(_("mã trả lời"))
    duration_ms = models.PositiveIntegerField(_("thời gian xử lý (ms)"))

    class Meta:
        verbose_name = _("lượt gọi API")
        verbose_name_plural = _("lượt gọi API")
        indexes = [models.Index(fields=["client", "-at"], name="api_call_client_idx")]

    def __str__(self) -> str:
        return f"{self.client_id} {self.method} {self.route} {self.status}"


class CitizenProfile(models.Model):
    """What a citizen or a business representative tells once and the portal prefills in
    every application (NĐ 45/2020: no re-asking for what is already known)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="citizen_profile"
    )
    kind = models.CharField(
        _("đăng ký cho"), max_length=12, choices=ApplicantKind.choices, default="citizen"
    )
    personal_id = models.CharField(_("số định danh cá nhân"), max_length=12, blank=True)
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    # Set when the citizen typed back the code sent to the number; only a verified number
    # signs in (accounts.backends.PhoneBackend).
    phone_verified_at = models.DateTimeField(_("xác minh số điện thoại lúc"), null=True, blank=True)
    phone_code_hash = models.CharField(max_length=64, blank=True)
    phone_code_expires_at = models.DateTimeField(null=True, blank=True)
    phone_code_attempts = models.PositiveSmallIntegerField(default=0)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    organisation_name = models.CharField(_("tên tổ chức, doanh nghiệp"), max_length=255, blank=True)
    tax_code = models.CharField(_("mã số thuế"), max_length=14, blank=True)
    # Set when the identity comes from the national SSO (VNeID) rather than typed in.
    identity_source = models.CharField(_("nguồn định danh"), max_length=30, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hồ sơ người dùng dịch vụ công")
        verbose_name_plural = _("hồ sơ người dùng dịch vụ công")
        indexes = [models.Index(fields=["personal_id"], name="citizen_personal_id_idx")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind}"


class IdempotentRequest(models.Model):
    """The first answer to a write sent with an ``Idempotency-Key`` header by an API client
    (accounts.idempotency): a retry with the same key and the same request gets it again and
    changes nothing. Written in the transaction of the write itself; the unique key per client
    makes a concurrent retry wait for the first one and then replay its answer."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    # SHA-256 of method, path and body: the same key for another request is refused.
    fingerprint = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    body = models.BinaryField()
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotent_request_once")
        ]
        indexes = [models.Index(fields=["user", "expires_at"], name="idempotent_expiry_idx")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.key}"
