"""Vietnamese text folding for search: case, diacritics and đ/Đ are ignored.

Unicode decomposition removes the tone and vowel marks, but "đ" is a separate letter, not
"d" plus a mark, so it is mapped explicitly (the usual pitfall of unaccent-only search).
"""

from __future__ import annotations

import re
import unicodedata

_WORD_RE = re.compile(r"[0-9a-z]+")


def fold(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(_WORD_RE.findall(stripped.lower()))


def fold_words(text: str) -> list[str]:
    return fold(text).split()


def without_diacritics(text: str) -> str:
    """ "Hồ sơ đã được tiếp nhận" → "Ho so da duoc tiep nhan": case and punctuation kept.
    SMS gateways bill Unicode messages at a third of the length (70 vs 160 characters)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize(
        "NFC", "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    )
