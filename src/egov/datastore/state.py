"""The lifecycle of a store document as data, and the one function that moves a document and
appends its event (``StoreDocumentEvent``)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from egov.accounts.actors import Actor, person
from egov.core.lifecycle import IllegalTransition as IllegalTransition
from egov.core.lifecycle import append_event
from egov.datastore.models import StoreDocument, StoreDocumentEvent, StoreState


class StoreAction(StrEnum):
    # A scan or upload is stored, waiting for the officer to check it against the original.
    STORE = "store"
    # A signed result or certified copy enters the store valid.
    ISSUE = "issue"
    # The officer checked it against the original and the "kết quả số hóa" was signed.
    VERIFY = "verify"
    REJECT = "reject"
    REVOKE = "revoke"
    # Events that do not change the state.
    CONFIRM_FIELDS = "confirm_fields"
    RECOGNISE = "recognise"


# "" is the document's creation.
STORE_TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    ("", StoreAction.STORE): frozenset({StoreState.PENDING}),
    ("", StoreAction.ISSUE): frozenset({StoreState.VALID}),
    (StoreState.PENDING, StoreAction.VERIFY): frozenset({StoreState.VALID}),
    (StoreState.PENDING, StoreAction.REJECT): frozenset({StoreState.REJECTED}),
    (StoreState.VALID, StoreAction.REVOKE): frozenset({StoreState.REVOKED}),
}
# Actions that leave the state as it is, and the states they may happen in.
SAME_STATE_ACTIONS: dict[str, frozenset[str]] = {
    StoreAction.CONFIRM_FIELDS: frozenset({StoreState.PENDING, StoreState.VALID}),
    StoreAction.RECOGNISE: frozenset({StoreState.PENDING, StoreState.VALID}),
}


def allowed(document: StoreDocument, action: str) -> bool:
    if action in SAME_STATE_ACTIONS:
        return document.state in SAME_STATE_ACTIONS[action]
    return (document.state, action) in STORE_TRANSITIONS


def move(
    document: StoreDocument,
    action: StoreAction,
    *,
    to_state: str | None = None,
    actor: Actor | None = None,
    data: dict[str, Any] | None = None,
    created: bool = False,
    fields: tuple[str, ...] = (),
) -> StoreDocumentEvent:
    """Apply ``action`` to ``document`` (``created``: the row was just saved in ``to_state``),
    after checking the table; save ``fields`` with the state and append the event."""
    from_state = "" if created else document.state
    if action in SAME_STATE_ACTIONS:
        if created or from_state not in SAME_STATE_ACTIONS[action]:
            raise IllegalTransition(f"{action} in {from_state!r}")
        target = from_state
    else:
        target = to_state or ""
        if target not in STORE_TRANSITIONS.get((from_state, action), frozenset()):
            raise IllegalTransition(f"{from_state!r} --{action}--> {target!r}")
    document.state = target
    if not created and (fields or target != from_state):
        document.save(update_fields=["state", *fields])
    return append_event(
        StoreDocumentEvent,
        "document",
        document,
        action=action,
        from_state=from_state,
        to_state=target,
        by=person(actor) if actor is not None else None,
        data=data or {},
    )


__all__ = ["STORE_TRANSITIONS", "IllegalTransition", "StoreAction", "StoreState", "move"]
