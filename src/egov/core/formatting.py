"""Amounts of money as Vietnamese documents write them: thousands grouped with dots
(1.250.000), no decimals (the đồng has no subunit in use)."""

from __future__ import annotations


def thousands(amount: int) -> str:
    """1250000 → "1.250.000"; negative amounts keep their sign (-50.000)."""
    return f"{amount:,}".replace(",", ".")


def vnd(amount: int) -> str:
    """1250000 → "1.250.000 đ" (fee tables, receipts)."""
    return f"{thousands(amount)} đ"
