"""Validity periods shared by every versioned legal record (law as data).

A period is ``valid_from`` (inclusive) .. ``valid_until`` (exclusive): a unit abolished
"from 01/07/2025" has ``valid_until = 2025-07-01`` and its successor ``valid_from`` the
same day, so periods chain without gaps or overlaps. Open ends are stored as sentinel dates
rather than NULL so that "valid on day D" is a plain range condition an index can serve.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Self, TypeVar

from django.db import models
from django.utils.translation import gettext_lazy as _

OPEN_START = dt.date(1900, 1, 1)
OPEN_END = dt.date(9999, 12, 31)


class ValidityQuerySet(models.QuerySet[Any]):
    def valid_on(self, day: dt.date) -> Self:
        return self.filter(valid_from__lte=day, valid_until__gt=day)


_M = TypeVar("_M", bound=models.Model)


class ValidityPeriod(models.Model):
    valid_from = models.DateField(
        _("hiệu lực từ ngày"), default=OPEN_START, help_text=_("Ngày bắt đầu có hiệu lực.")
    )
    valid_until = models.DateField(
        _("hết hiệu lực từ ngày"),
        default=OPEN_END,
        help_text=_("Ngày đầu tiên không còn hiệu lực; để trống nếu chưa xác định."),
    )

    class Meta:
        abstract = True

    def is_valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day < self.valid_until

    @property
    def is_open_ended(self) -> bool:
        return self.valid_until == OPEN_END


def validity_constraint(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(valid_until__gt=models.F("valid_from")), name=name
    )
