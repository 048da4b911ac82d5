"""What an API client may do: scopes, on top of its role.

A key acts as its service account, so every role check of a person applies to it; a scope
limits it further to the families of operations the integration needs (least privilege: a
postal operator's key cannot record fees even if its role could). Each authenticated router
names its family (``ApiKeyAuth("dossiers")``); reading (GET) needs ``<family>.read``, any
other method ``<family>.process``, and the few operations listed in ``SPECIAL`` need their own
scope. Catalog, calendar, unit and lookup operations are public: they need no key and no scope.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from egov.accounts.models import Role


class Scope(models.TextChoices):
    DOSSIERS_READ = "dossiers.read", _("Xem hồ sơ của đơn vị mình")
    DOSSIERS_RECEIVE = "dossiers.receive", _("Tiếp nhận hồ sơ, số hóa thành phần hồ sơ")
    DOSSIERS_PROCESS = "dossiers.process", _("Xử lý hồ sơ (chuyển bước, thu phí, thông báo)")
    DOCUMENTS_READ = "documents.read", _("Xem văn bản đến, văn bản đi")
    DOCUMENTS_PROCESS = "documents.process", _("Xử lý văn bản đến, văn bản đi, bản sao")
    DOCUMENTS_EXCHANGE = "documents.exchange", _("Liên thông văn bản với cơ quan khác")
    REPORTS_READ = "reports.read", _("Xem báo cáo, thống kê")
    WEBHOOKS_MANAGE = "webhooks.manage", _("Quản lý đăng ký nhận sự kiện (webhook)")


# (method, URL pattern as Django resolves it) → the scope that operation needs instead of the
# family's default. Receiving a dossier and scanning its components are the counter's work.
SPECIAL: dict[tuple[str, str], str] = {
    ("POST", "api/v1/staff/dossiers"): Scope.DOSSIERS_RECEIVE,
    ("POST", "api/v1/staff/dossiers/<code>/components/<component_id>/scan"): (
        Scope.DOSSIERS_RECEIVE
    ),
}

# What a new key of each role gets unless its creator names fewer (``api_client create
# --scope``). Roles without a line here get no scope: name them explicitly.
ROLE_SCOPES: dict[str, tuple[str, ...]] = {
    Role.RECEPTIONIST: (Scope.DOSSIERS_READ, Scope.DOSSIERS_RECEIVE, Scope.DOSSIERS_PROCESS),
    Role.SPECIALIST: (
        Scope.DOSSIERS_READ,
        Scope.DOSSIERS_PROCESS,
        Scope.DOCUMENTS_READ,
        Scope.DOCUMENTS_PROCESS,
    ),
    Role.DEPARTMENT_LEADER: (
        Scope.DOSSIERS_READ,
        Scope.DOSSIERS_PROCESS,
        Scope.DOCUMENTS_READ,
        Scope.DOCUMENTS_PROCESS,
        Scope.REPORTS_READ,
    ),
    Role.CLERK: (
        Scope.DOCUMENTS_READ,
        Scope.DOCUMENTS_PROCESS,
        Scope.DOCUMENTS_EXCHANGE,
    ),
    Role.CENTRE_LEADER: (Scope.DOSSIERS_READ, Scope.DOSSIERS_PROCESS, Scope.REPORTS_READ),
    Role.SUPERVISOR: (Scope.DOSSIERS_READ, Scope.DOCUMENTS_READ, Scope.REPORTS_READ),
    Role.POSTAL: (Scope.DOSSIERS_READ, Scope.DOSSIERS_PROCESS),
    Role.SYSTEM_ADMIN: (Scope.WEBHOOKS_MANAGE, Scope.REPORTS_READ),
}


# Families whose every operation needs one scope, reading or not.
SINGLE_SCOPE_FAMILIES: dict[str, str] = {
    "reports": Scope.REPORTS_READ,
    "webhooks": Scope.WEBHOOKS_MANAGE,
    "exchange": Scope.DOCUMENTS_EXCHANGE,
}


# Families whose operations any valid key may call: what the key itself is ("who am I").
NO_SCOPE_FAMILIES = frozenset({"client"})


def required_scope(family: str, method: str, route: str) -> str:
    """The scope an operation of ``family`` at ``route`` with ``method`` needs ("" for none)."""
    if family in NO_SCOPE_FAMILIES:
        return ""
    special = SPECIAL.get((method.upper(), route)) or SINGLE_SCOPE_FAMILIES.get(family)
    if special:
        return str(special)
    return f"{family}.{'read' if method.upper() in ('GET', 'HEAD') else 'process'}"


def default_scopes(role: str) -> list[str]:
    return [str(scope) for scope in ROLE_SCOPES.get(role, ())]
