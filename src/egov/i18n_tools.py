"""Compile gettext catalogs without GNU gettext (a fresh machine has only Python).

``python -m egov.i18n_tools compile`` writes each ``.mo`` next to its ``.po``;
``python -m egov.i18n_tools check`` fails when a committed ``.mo`` is stale.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import polib

LOCALE_DIR = Path(__file__).resolve().parent / "locale"


def _catalogs() -> list[Path]:
    return sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po"))


def _compile(po_path: Path, mo_path: Path) -> None:
    catalog = polib.pofile(str(po_path))
    catalog.save_as_mofile(str(mo_path))


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "compile"
    stale: list[str] = []
    for po_path in _catalogs():
        mo_path = po_path.with_suffix(".mo")
        if command == "compile":
            _compile(po_path, mo_path)
            print(f"compiled {mo_path.relative_to(LOCALE_DIR)}")
            continue
        with tempfile.TemporaryDirectory() as tmp:
            fresh = Path(tmp) / "fresh.mo"
            _compile(po_path, fresh)
            if not mo_path.exists() or fresh.read_bytes() != mo_path.read_bytes():
                stale.append(str(mo_path.relative_to(LOCALE_DIR)))
    if stale:
        print("Stale or missing .mo (run `make messages`): " + ", ".join(stale))
        return 1
    if command == "check":
        print("gettext catalogs: up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
