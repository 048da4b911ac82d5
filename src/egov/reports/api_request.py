"""The two parameters every report endpoint takes — a calendar period and a unit — read and
checked once: 422 ``invalid_index_period``, 404 ``unit_not_found``, 403 ``unit_forbidden``
when the API key's roles (lãnh đạo, giám sát, quản trị) do not reach the unit."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from egov.accounts.api_auth import api_user
from egov.core.api_errors import ApiError
from egov.core.inputs import has_control_chars
from egov.org.models import Unit
from egov.org.selectors import unit_by_code_or_key
from egov.reports.periods import Period, PeriodError
from egov.reports.service_index import index_scope, parse_index_period


def report_period_and_unit(request: HttpRequest, period: str, unit: str) -> tuple[Period, Unit]:
    """The period (``YYYY-MM``, ``YYYY-Qn`` or ``YYYY``) and the unit (mã định danh, or the
    data key of a unit without one) the caller's key may read."""
    user = api_user(request)
    try:
        chosen = parse_index_period(period)
    except PeriodError as exc:
        raise ApiError(422, "invalid_index_period", str(exc)) from None
    found = None if has_control_chars(unit) else unit_by_code_or_key(unit.strip())
    if found is None:
        raise ApiError(404, "unit_not_found", _("Không tìm thấy đơn vị “%s”.") % unit)
    scope = index_scope(user)
    if scope is not None and found.pk not in scope:
        raise ApiError(403, "unit_forbidden", _("Đơn vị ngoài phạm vi của khóa API này."))
    return chosen, found
