"""Two response or request schemas with the same class name become one component of the
OpenAPI document: django-ninja names components by class name, so the second silently
replaces the first and clients are told the wrong shape (it happened once: a dossier's
digitisation status was documented as the digitisation report)."""

from __future__ import annotations

from collections import defaultdict

from ninja import Schema

import egov.api.api  # noqa: F401  (imports every router and its schemas)


def _all_subclasses(cls: type[Schema]) -> set[type[Schema]]:
    found: set[type[Schema]] = set()
    sub: type[Schema]
    for sub in cls.__subclasses__():
        found.add(sub)
        found |= _all_subclasses(sub)
    return found


def test_every_api_schema_has_its_own_name() -> None:
    by_name: dict[str, set[str]] = defaultdict(set)
    for cls in _all_subclasses(Schema):
        module = cls.__module__
        if module.startswith("egov.") and ".tests" not in module:
            by_name[cls.__name__].add(f"{module}.{cls.__qualname__}")
    duplicates = {name: sorted(paths) for name, paths in by_name.items() if len(paths) > 1}
    assert duplicates == {}
