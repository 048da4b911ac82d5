"""Compile gettext catalogs without GNU gettext (a fresh machine has only Python), and check
them.

``python -m egov.i18n_tools compile`` writes each ``.mo`` next to its ``.po``;
``python -m egov.i18n_tools check`` fails when a committed ``.mo`` is stale, and — where GNU
gettext's ``xgettext`` is installed (CI installs it) — when a string of the source has no
English translation: it runs ``makemessages`` over a copy of the package and lists every
message the English catalog lacks, leaves empty or marks fuzzy. An English page would
otherwise fall back to Vietnamese without anyone noticing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

PACKAGE_DIR = Path(__file__).resolve().parent
LOCALE_DIR = PACKAGE_DIR / "locale"
ENGLISH = Path("locale/en/LC_MESSAGES/django.po")


def _catalogs() -> list[Path]:
    return sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po"))


def _compile(po_path: Path, mo_path: Path) -> None:
    catalog = polib.pofile(str(po_path))
    catalog.save_as_mofile(str(mo_path))


def _stale() -> list[str]:
    stale: list[str] = []
    for po_path in _catalogs():
        mo_path = po_path.with_suffix(".mo")
        with tempfile.TemporaryDirectory() as tmp:
            fresh = Path(tmp) / "fresh.mo"
            _compile(po_path, fresh)
            if not mo_path.exists() or fresh.read_bytes() != mo_path.read_bytes():
                stale.append(str(mo_path.relative_to(LOCALE_DIR)))
    return stale


def untranslated() -> list[str]:
    """Messages of the source the English catalog does not translate (extracted afresh)."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "egov"
        shutil.copytree(
            PACKAGE_DIR,
            copy,
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo", "static", "data"),
        )
        environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "egov.settings"}
        subprocess.run(
            [sys.executable, "-m", "django", "makemessages", "-l", "en", "--no-obsolete"],
            cwd=copy,
            env=environment,
            check=True,
            capture_output=True,
        )
        catalog = polib.pofile(str(copy / ENGLISH))
    return [
        entry.msgid
        for entry in catalog
        if not entry.obsolete
        and ("fuzzy" in entry.flags or not (entry.msgstr or any(entry.msgstr_plural.values())))
    ]


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "compile"
    if command == "compile":
        for po_path in _catalogs():
            mo_path = po_path.with_suffix(".mo")
            _compile(po_path, mo_path)
            print(f"compiled {mo_path.relative_to(LOCALE_DIR)}")
        return 0
    stale = _stale()
    if stale:
        print("Stale or missing .mo (run `make messages`): " + ", ".join(stale))
        return 1
    if shutil.which("xgettext") is None:
        print("gettext catalogs: compiled; xgettext missing, translations not checked")
        return 0
    missing = untranslated()
    if missing:
        print(
            f"{len(missing)} message(s) without an English translation (makemessages, then "
            "translate in src/egov/locale/en/LC_MESSAGES/django.po and `make messages`):"
        )
        for msgid in missing:
            print(f"  {msgid!r}")
        return 1
    print("gettext catalogs: up to date, every message translated")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
