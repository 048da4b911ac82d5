"""Errors of the dossier lifecycle; their messages are for the person who tried."""


class TransitionError(Exception):
    """A transition that may not happen now; the message is for the person who tried.
    Callers catch this one; the kinds below say why (the API answers each differently)."""


class TransitionRefused(TransitionError):
    """Not allowed. The web pages show the message whatever the reason; the API tells the
    reasons apart by the subclasses below (a bare TransitionRefused counts as invalid input)."""

    # The input field at fault, when there is one (the API names it in the error's details).
    field: str = ""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        if field:
            self.field = field


class TransitionForbidden(TransitionRefused):
    """The actor's roles, scope or assignment do not allow the action: 403 ``forbidden``."""


class StateConflict(TransitionRefused):
    """The dossier's status does not allow the action now: 409 ``state_conflict``."""


class InvalidTransitionInput(TransitionRefused):
    """The action's inputs (reason, unit, amount…) are missing or wrong: 422
    ``invalid_input`` with the field named."""


class StaleRevision(TransitionError):
    """The dossier changed since the caller read it (its revision moved in the database):
    another officer acted first. The API answers 409 ``revision_conflict``."""
