"""The fee of a certified copy from the catalog's fee rules of the dossier's procedure version
(TT 226/2016/TT-BTC Điều 4: 2.000 đ/trang for pages 1-2, 1.000 đ/trang from page 3, at most
200.000 đ per copy, pages counted on the original). The amounts are the catalog's data
(``catalog.fees``), never written here."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from egov.catalog.fees import FeeInputError, quote
from egov.catalog.models import Channel, ChannelKind
from egov.core.formatting import vnd
from egov.dossiers.models import Dossier


@dataclass(frozen=True)
class CopyFee:
    amount: int
    # One line per fee rule: "<name>: <calculation>" (shown to the officer and printed).
    breakdown: tuple[str, ...]
    basis: str

    @property
    def text(self) -> str:
        return f"{vnd(self.amount)} ({' '.join(self.breakdown)})"


def _channel(dossier: Dossier) -> Channel | None:
    channels = list(Channel.objects.filter(version_id=dossier.procedure_version_id))
    return next((c for c in channels if c.kind == dossier.channel), None) or next(
        (c for c in channels if c.kind == ChannelKind.COUNTER), None
    )


def copy_fee(dossier: Dossier, *, pages: int, copies: int) -> CopyFee:
    """The fee for ``copies`` copies of an original of ``pages`` pages; ValidationError when
    the catalog has no confirmed amount."""
    channel = _channel(dossier)
    if channel is None:
        raise ValidationError(_("Thủ tục của hồ sơ chưa có cách thức thực hiện để tính phí."))
    rules = list(channel.fees.all())
    try:
        fee = quote(rules, pages=pages, copies=copies)
    except FeeInputError as exc:
        raise ValidationError(str(exc)) from None
    if fee.total is None:
        raise ValidationError(_("Mức phí chứng thực chưa được xác nhận trong danh mục thủ tục."))
    return CopyFee(
        amount=fee.total,
        breakdown=tuple(f"{line.name}: {line.explanation}" for line in fee.lines),
        basis="; ".join(rule.legal_basis for rule in rules if rule.legal_basis),
    )
