"""Opaque paging cursors for the API: a short URL-safe token that carries a position (a few
integers) under a name, so that a token of one list is not taken by another. Clients only
pass back what they were given (docs/api-conventions.md)."""

from __future__ import annotations

import base64
import re

_TOKEN_RE = re.compile(r"^[A-Za-z0-9_\-]{1,120}$")
_BODY_RE = re.compile(r"^([a-z]{1,10}):(\d{1,19}(?:\.\d{1,19}){0,3})$")


def encode_cursor(kind: str, *parts: int) -> str:
    raw = f"{kind}:{'.'.join(str(p) for p in parts)}".encode("ascii")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(kind: str, token: str) -> tuple[int, ...] | None:
    """The integers of a token made by ``encode_cursor(kind, ...)``; None for anything else."""
    if not _TOKEN_RE.match(token):
        return None
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode("ascii")
    except (ValueError, UnicodeDecodeError):
        return None
    found = _BODY_RE.match(raw)
    if found is None or found.group(1) != kind:
        return None
    return tuple(int(p) for p in found.group(2).split("."))
