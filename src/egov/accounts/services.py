"""Writes for accounts and role assignments (every change is audited)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from egov.accounts.models import ApiClient, Role, RoleAssignment, User
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
    actor: Any,
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
    *, actor: Any, assignment: RoleAssignment, changes: dict[str, Any]
) -> RoleAssignment:
    allowed = {"unit", "role", "valid_from", "valid_until", "user"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"unsupported fields: {sorted(unknown)}")
    with transaction.atomic():
        before = _role_details(RoleAssignment.objects.select_for_update().get(pk=assignment.pk))
        for name, value in changes.items():
            setattr(assignment, name, value)
        _validate_assignment(assignment)
        assignment.save()
        audit_record(
            actor=actor,
            action="accounts.role_changed",
            target=assignment,
            details={"before": before, "after": _role_details(assignment)},
        )
    return assignment


def role_end(*, actor: Any, assignment: RoleAssignment, on: dt.date) -> RoleAssignment:
    """Ends an assignment: from ``on`` the user no longer holds the role."""
    return role_update(actor=actor, assignment=assignment, changes={"valid_until": on})


def role_delete(*, actor: Any, assignment: RoleAssignment) -> None:
    with transaction.atomic():
        details = _role_details(assignment)
        audit_record(
            actor=actor, action="accounts.role_deleted", target=assignment, details=details
        )
        assignment.delete()


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


def user_create_staff(
    *, actor: Any, username: str, full_name: str, email: str, password: str | None
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


def api_client_create(
    *, actor: Any, name: str, unit: Unit, role: Role | str
) -> tuple[ApiClient, str]:
    """Creates the client, its service account and role; returns the key (shown only now)."""
    prefix = secrets.token_hex(4)
    key = f"egov_{prefix}_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        if ApiClient.objects.filter(name=name).exists():
            raise ValidationError(_("Đã có ứng dụng tên “%s”.") % name)
        user = User(username=f"api.{prefix}", full_name=f"API: {name}")
        user.set_unusable_password()
        user.save()
        client = ApiClient.objects.create(
            name=name, user=user, key_prefix=prefix, key_hash=_key_hash(key)
        )
        role_assign(actor=actor, user=user, unit=unit, role=role)
        audit_record(
            actor=actor,
            action="accounts.api_client_created",
            target=client,
            details={"unit": unit.key, "role": str(role)},
        )
    return client, key


def api_client_authenticate(key: str) -> ApiClient | None:
    parts = key.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != "egov":
        return None
    client = (
        ApiClient.objects.select_related("user").filter(key_prefix=parts[1], active=True).first()
    )
    if client is None or not hmac.compare_digest(client.key_hash, _key_hash(key)):
        return None
    return client
