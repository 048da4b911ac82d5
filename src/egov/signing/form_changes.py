"""Which form fields changed after a signature, read from the revisions themselves.

pyHanko's difference analysis decides whether the later revisions only *fill* forms (and add
signatures and revision data), but its list of changed fields also names fields that were
merely carried over. Here a field counts as changed when its value (/V) or its appearance
(/AP, its widgets' too) differs between the signed revision and a later one; streams are
compared by content, so an appearance redrawn in place counts.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.form_tools import enumerate_fields_in
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader

from egov.signing.fields import FILLABLE_AFTER_SIGNING

# Non-signature field types (text, buttons, choices).
_FIELD_TYPES = ("/Tx", "/Btn", "/Ch")
_MAX_DEPTH = 12


def _state(obj: generic.PdfObject, depth: int = 0) -> object:
    if depth > _MAX_DEPTH:
        return "…"
    if isinstance(obj, generic.IndirectObject):
        obj = obj.get_object()
    if isinstance(obj, generic.StreamObject):
        digest = hashlib.sha256(obj.encoded_data or b"").hexdigest()
        items = tuple(sorted((str(k), _state(obj.raw_get(k), depth + 1)) for k in obj))
        return ("stream", digest, items)
    if isinstance(obj, generic.DictionaryObject):
        return tuple(sorted((str(k), _state(obj.raw_get(k), depth + 1)) for k in obj))
    if isinstance(obj, generic.ArrayObject):
        return tuple(_state(item, depth + 1) for item in obj)
    return repr(obj)


def _field_state(field_dict: generic.DictionaryObject) -> object:
    widgets = field_dict.get("/Kids", generic.ArrayObject())
    return (
        _state(field_dict.raw_get("/V")) if "/V" in field_dict else None,
        _state(field_dict.raw_get("/AP")) if "/AP" in field_dict else None,
        tuple(
            _state(kid.get_object().raw_get("/AP"))
            for kid in widgets
            if isinstance(kid.get_object(), generic.DictionaryObject) and "/AP" in kid.get_object()
        ),
    )


@dataclass
class FormHistory:
    """Field states per revision of one file (computed on demand, cached)."""

    reader: PdfFileReader
    _states: dict[int, dict[str, tuple[str, object]]] = field(default_factory=dict)

    def states(self, revision: int) -> dict[str, tuple[str, object]]:
        if revision not in self._states:
            found: dict[str, tuple[str, object]] = {}
            resolver = self.reader.get_historical_resolver(revision)
            try:
                top = resolver.root["/AcroForm"]["/Fields"]
            except (KeyError, TypeError):
                top = None
            if top is not None:
                for kind in _FIELD_TYPES:
                    for name, _value, ref in enumerate_fields_in(
                        top, refs_seen=set(), target_field_type=kind
                    ):
                        found[str(name)] = (kind, _field_state(ref.get_object()))
            self._states[revision] = found
        return self._states[revision]

    def changed_after(self, revision: int) -> dict[str, str]:
        """Fields (name → type) that differ in any revision after ``revision``."""
        base = self.states(revision)
        changed: dict[str, str] = {}
        for later in range(revision + 1, self.reader.xrefs.total_revisions):
            for name, (kind, state) in self.states(later).items():
                if base.get(name, (None, None))[1] != state:
                    changed[name] = kind
            for name, (kind, _) in base.items():
                if name not in self.states(later):
                    changed[name] = kind
        return changed


def unapproved_form_changes(history: FormHistory, signed: int, later_signed: list[int]) -> bool:
    """Whether form fields changed after the signature of revision ``signed`` in a way the
    process does not allow.

    Allowed: filling signature fields (later signatures; not looked at here), and the number
    and date text fields of ``egov.signing.fields`` (NĐ 30/2020/NĐ-CP Điều 15: given after the
    person signs) when a later intact signature (revision in ``later_signed``) covers the
    change, i.e. the field did not change again after it. Anything else is a modification.
    Unreadable form structures count as modified."""
    try:
        changed = history.changed_after(signed)
        fillable = {
            n for n, kind in changed.items() if n in FILLABLE_AFTER_SIGNING and kind == "/Tx"
        }
        if set(changed) - fillable:
            return True
        covering = [history.changed_after(revision) for revision in later_signed]
    except (PdfError, KeyError, TypeError, ValueError, AttributeError, RecursionError):
        return True
    return any(all(name in after for after in covering) for name in fillable)
