"""Writes for accounts and role assignments (every change is audited)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Collection
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.models import ApiClient, Role, RoleAssignment, User
from egov.accounts.scope import administered_units, is_provincial_admin, may_manage_user
from egov.accounts.scopes import Scope, default_scopes
from egov.audit.services import audit_record
from egov.core.validity import OPEN_END, OPEN_START
from egov.org.models import Unit


def _role_details(assignment: RoleAssignment) -> dict[str, Any]:
    return {
        "user": assignment.user.get_username(),
        "unit": assignment.unit.key,
        "role": assignment.role,
        "valid_from": assignment.valid_from.isoformat(),
        "valid_until": assignment.valid_until.isoformat(),
    }


def role_assign(
    *,
    actor: User | None,
    user: User,
    unit: Unit,
    role: Role | str,
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
) -> RoleAssignment:
    assignment = RoleAssignment(
        user=user,
        unit=unit,
        role=Role(role),
        valid_from=valid_from or OPEN_START,
        valid_until=valid_until or OPEN_END,
    )
    with transaction.atomic():
        role_authority_check(actor, user=user, units=[unit], new_user=True)
        _validate_assignment(assignment)
        assignment.save()
        audit_record(
            actor=actor,
            action="accounts.role_assigned",
            target=assignment,
            details=_role_details(assignment),
        )
    return assignment


def role_update(
    *, actor: User | None, assignment: RoleAssignment, changes: dict[str, Any]
) -> RoleAssignment:
    allowed = {"unit", "role", "valid_from", "valid_until", "user"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"unsupported fields: {sorted(unknown)}")
    with transaction.atomic():
        stored = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
        before = _role_details(stored)
        role_authority_check(actor, user=stored.user, units=[stored.unit])
        previous_user = stored.user_id
        for name, value in changes.items():
            setattr(stored, name, value)
        role_authority_check(
            actor, user=stored.user, units=[stored.unit], new_user=stored.user_id != previous_user
        )
        _validate_assignment(stored)
        stored.save()
        for name in changes:
            setattr(assignment, name, getattr(stored, name))
        audit_record(
            actor=actor,
            action="accounts.role_changed",
            target=assignment,
            details={"before": before, "after": _role_details(assignment)},
        )
    return assignment


def role_end(*, actor: User | None, assignment: RoleAssignment, on: dt.date) -> RoleAssignment:
    """Ends an assignment: from ``on`` the user no longer holds the role."""
    return role_update(actor=actor, assignment=assignment, changes={"valid_until": on})


def role_delete(*, actor: User | None, assignment: RoleAssignment) -> None:
    with transaction.atomic():
        role_authority_check(actor, user=assignment.user, units=[assignment.unit])
        details = _role_details(assignment)
        audit_record(
            actor=actor, action="accounts.role_deleted", target=assignment, details=details
        )
        assignment.delete()


def role_authority_check(
    actor: User | None, *, user: User, units: list[Unit], new_user: bool = False
) -> None:
    """The real guard of role administration (the admin only reflects it): nobody changes
    their own roles; a unit administrator acts inside its unit subtree, on accounts whose
    roles all lie there; a provincial administrator acts anywhere. ``actor`` None is the
    installation itself (management commands, demo data)."""
    if actor is None:
        return
    if actor.pk == user.pk:
        raise ValidationError(_("Không ai được tự cấp hoặc thay đổi vai trò của chính mình."))
    scope = administered_units(actor)
    if scope is None:
        return
    if not scope:
        raise ValidationError(_("Tài khoản của bạn không có quyền quản trị vai trò."))
    for unit in units:
        if unit.pk not in scope:
            raise ValidationError(
                _("Đơn vị “%(unit)s” nằm ngoài phạm vi bạn quản trị."), params={"unit": unit}
            )
    if new_user and not may_manage_user(actor, user):
        raise ValidationError(
            _("Tài khoản “%(user)s” có vai trò ở đơn vị ngoài phạm vi bạn quản trị."),
            params={"user": user},
        )


def _validate_assignment(assignment: RoleAssignment) -> None:
    if assignment.valid_until <= assignment.valid_from:
        raise ValidationError(_("Ngày kết thúc phải sau ngày bắt đầu."))
    overlapping = RoleAssignment.objects.filter(
        user=assignment.user,
        unit=assignment.unit,
        role=assignment.role,
        valid_from__lt=assignment.valid_until,
        valid_until__gt=assignment.valid_from,
    ).exclude(pk=assignment.pk)
    if overlapping.exists():
        raise ValidationError(
            _("Tài khoản đã giữ vai trò này tại đơn vị này trong một khoảng thời gian trùng lặp.")
        )


UNIT_ADMIN_GROUP = "Quản trị đơn vị"
PROVINCIAL_ADMIN_GROUP = "Quản trị cấp tỉnh"
# What a unit administrator does in /admin/ (inside its subtree: accounts.scope).
UNIT_ADMIN_PERMISSIONS = (
    "accounts.view_user",
    "accounts.add_user",
    "accounts.change_user",
    "accounts.view_roleassignment",
    "accounts.add_roleassignment",
    "accounts.change_roleassignment",
    "accounts.delete_roleassignment",
    # The queue of the unit's centres (egov.centre.admin scopes them to the subtree).
    "centre.view_counter",
    "centre.add_counter",
    "centre.change_counter",
    "centre.view_counterservice",
    "centre.add_counterservice",
    "centre.change_counterservice",
    "centre.delete_counterservice",
    "centre.view_serviceline",
    "centre.add_serviceline",
    "centre.change_serviceline",
)
# A provincial administrator: every model of these apps (the admin classes still decide
# what is read-only, e.g. the audit trail and the outbox).
PROVINCIAL_ADMIN_APPS = (
    "accounts",
    "audit",
    "catalog",
    "centre",
    "datastore",
    "notifications",
    "org",
    "workdays",
)


def admin_groups_ensure() -> dict[str, Group]:
    """The two permission groups of administrators, created or brought up to date."""
    with transaction.atomic():
        unit_group, _created = Group.objects.get_or_create(name=UNIT_ADMIN_GROUP)
        wanted = Permission.objects.none()
        for label in UNIT_ADMIN_PERMISSIONS:
            app_label, codename = label.split(".")
            wanted |= Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            )
        unit_group.permissions.set(wanted)
        provincial_group, _created = Group.objects.get_or_create(name=PROVINCIAL_ADMIN_GROUP)
        provincial_group.permissions.set(
            Permission.objects.filter(content_type__app_label__in=PROVINCIAL_ADMIN_APPS)
        )
    return {UNIT_ADMIN_GROUP: unit_group, PROVINCIAL_ADMIN_GROUP: provincial_group}


def admin_access_grant(*, actor: User | None, user: User, provincial: bool) -> User:
    """Lets ``user`` (who holds, or will hold, the system_admin role) into /admin/ with the
    permissions of a unit or a provincial administrator. What it reaches there still depends
    on where its system_admin roles are (accounts.scope)."""
    if actor is not None and not is_provincial_admin(actor):
        raise ValidationError(_("Chỉ quản trị viên cấp tỉnh mới được cấp quyền quản trị."))
    groups = admin_groups_ensure()
    name = PROVINCIAL_ADMIN_GROUP if provincial else UNIT_ADMIN_GROUP
    with transaction.atomic():
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        user.groups.add(groups[name])
        audit_record(
            actor=actor,
            action="accounts.admin_access_granted",
            target=user,
            details={"group": name},
        )
    return user


def user_create_staff(
    *, actor: User | None, username: str, full_name: str, email: str, password: str | None
) -> User:
    with transaction.atomic():
        user = User(username=username, full_name=full_name, email=email)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
        audit_record(actor=actor, action="accounts.user_created", target=user)
    return user


def _key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _new_key() -> tuple[str, str]:
    prefix = secrets.token_hex(4)
    return prefix, f"egov_{prefix}_{secrets.token_urlsafe(32)}"


def _expiry(lifetime_days: int | None) -> dt.datetime:
    days = lifetime_days or settings.EGOV_API_KEY_LIFETIME_DAYS
    if days < 1:
        raise ValidationError(_("Thời hạn của khóa phải từ 1 ngày trở lên."))
    return timezone.now() + dt.timedelta(days=days)


def _require_api_admin(actor: User | None) -> None:
    """API clients act across units: only the installation (actor None) and provincial
    administrators manage them."""
    if actor is not None and not is_provincial_admin(actor):
        raise ValidationError(
            _("Chỉ quản trị viên cấp tỉnh mới được quản lý ứng dụng kết nối API.")
        )


def _checked_scopes(scopes: Collection[str]) -> list[str]:
    unknown = sorted(set(scopes) - set(Scope.values))
    if unknown:
        raise ValidationError(
            _("Không có phạm vi quyền %(scopes)s. Các phạm vi: %(known)s.")
            % {"scopes": ", ".join(unknown), "known": ", ".join(Scope.values)}
        )
    return [scope for scope in Scope.values if scope in set(scopes)]


def api_client_create(
    *,
    actor: User | None,
    name: str,
    unit: Unit,
    role: Role | str,
    lifetime_days: int | None = None,
    scopes: Collection[str] | None = None,
    rate_limit_per_minute: int | None = None,
) -> tuple[ApiClient, str]:
    """Creates the client, its service account and role; returns the key (shown only now).
    The key expires after ``lifetime_days`` (default ``EGOV_API_KEY_LIFETIME_DAYS``). It may
    do what ``scopes`` name (default: the role's usual scopes, ``egov.accounts.scopes``)."""
    _require_api_admin(actor)
    granted = _checked_scopes(default_scopes(str(role)) if scopes is None else scopes)
    if rate_limit_per_minute is not None and rate_limit_per_minute < 1:
        raise ValidationError(_("Giới hạn yêu cầu mỗi phút phải từ 1 trở lên."))
    prefix, key = _new_key()
    with transaction.atomic():
        if ApiClient.objects.filter(name=name).exists():
            raise ValidationError(_("Đã có ứng dụng tên “%s”.") % name)
        user = User(username=f"api.{prefix}", full_name=f"API: {name}")
        user.set_unusable_password()
        user.save()
        client = ApiClient.objects.create(
            name=name,
            user=user,
            key_prefix=prefix,
            key_hash=_key_hash(key),
            expires_at=_expiry(lifetime_days),
            scopes=granted,
            rate_limit_per_minute=rate_limit_per_minute,
        )
        role_assign(actor=actor, user=user, unit=unit, role=role)
        audit_record(
            actor=actor,
            action="accounts.api_client_created",
            target=client,
            details={
                "unit": unit.key,
                "role": str(role),
                "scopes": granted,
                "rate_limit_per_minute": rate_limit_per_minute,
                "expires_at": client.expires_at.isoformat() if client.expires_at else None,
            },
        )
    return client, key


def api_client_set_scopes(
    *,
    actor: User | None,
    client: ApiClient,
    scopes: Collection[str],
    rate_limit_per_minute: int | None = None,
) -> ApiClient:
    """Replace what the key may do (and its own rate limit; None: the installation's)."""
    _require_api_admin(actor)
    granted = _checked_scopes(scopes)
    if rate_limit_per_minute is not None and rate_limit_per_minute < 1:
        raise ValidationError(_("Giới hạn yêu cầu mỗi phút phải từ 1 trở lên."))
    with transaction.atomic():
        locked = ApiClient.objects.select_for_update().get(pk=client.pk)
        before = {"scopes": locked.scopes, "rate_limit_per_minute": locked.rate_limit_per_minute}
        locked.scopes = granted
        locked.rate_limit_per_minute = rate_limit_per_minute
        locked.save(update_fields=["scopes", "rate_limit_per_minute"])
        audit_record(
            actor=actor,
            action="accounts.api_client_scopes_changed",
            target=locked,
            details={
                "before": before,
                "scopes": granted,
                "rate_limit_per_minute": rate_limit_per_minute,
            },
        )
    return locked


def api_client_revoke(*, actor: User | None, client: ApiClient, reason: str = "") -> ApiClient:
    """The key stops working at once; the client stays listed (and audited) as revoked."""
    _require_api_admin(actor)
    with transaction.atomic():
        locked = ApiClient.objects.select_for_update().get(pk=client.pk)
        if locked.revoked_at is not None:
            raise ValidationError(_("Khóa của “%s” đã bị thu hồi.") % locked.name)
        locked.active = False
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["active", "revoked_at"])
        audit_record(
            actor=actor,
            action="accounts.api_client_revoked",
            target=locked,
            details={"key_prefix": locked.key_prefix, "reason": reason},
        )
    return locked


def api_client_rotate(
    *, actor: User | None, client: ApiClient, lifetime_days: int | None = None
) -> tuple[ApiClient, str]:
    """Replaces the key (the old one stops working at once) and returns the new one, shown
    only now, with a new expiry date. A revoked client is not brought back: create a new one."""
    _require_api_admin(actor)
    prefix, key = _new_key()
    with transaction.atomic():
        locked = ApiClient.objects.select_for_update().get(pk=client.pk)
        if locked.revoked_at is not None or not locked.active:
            raise ValidationError(
                _("Khóa của “%s” đã bị thu hồi; hãy tạo ứng dụng mới.") % locked.name
            )
        old_prefix = locked.key_prefix
        locked.key_prefix = prefix
        locked.key_hash = _key_hash(key)
        locked.expires_at = _expiry(lifetime_days)
        locked.rotated_at = timezone.now()
        locked.save(update_fields=["key_prefix", "key_hash", "expires_at", "rotated_at"])
        audit_record(
            actor=actor,
            action="accounts.api_client_rotated",
            target=locked,
            details={
                "old_key_prefix": old_prefix,
                "key_prefix": prefix,
                "expires_at": locked.expires_at.isoformat() if locked.expires_at else None,
            },
        )
    return locked, key


LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def api_client_authenticate(key: str) -> ApiClient | None:
    """The client of ``key`` if the key is right, not revoked, not expired and its service
    account is active; None otherwise. Records when the key was last used, writing at most
    once a minute per key."""
    parts = key.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != "egov":
        return None
    client = (
        ApiClient.objects.select_related("user")
        .filter(key_prefix=parts[1], active=True, revoked_at__isnull=True)
        .first()
    )
    if client is None or not hmac.compare_digest(client.key_hash, _key_hash(key)):
        return None
    now = timezone.now()
    if client.expires_at is None or client.expires_at <= now:  # every key has an expiry
        return None
    if not client.user.is_active:
        return None
    if client.last_used_at is None or client.last_used_at <= now - LAST_USED_RESOLUTION:
        ApiClient.objects.filter(pk=client.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_RESOLUTION)
        ).update(last_used_at=now)
    return client
