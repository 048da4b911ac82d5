"""Errors of the documents' lifecycles; their messages are for the person who tried."""


class DocumentError(Exception):
    """A write that may not happen now; the message is for the person who tried."""


class TransitionRefused(DocumentError):
    """Not allowed. The web pages show the message whatever the reason; the API tells the
    reasons apart by the subclasses below (a bare TransitionRefused counts as invalid input:
    422 ``invalid_input``)."""

    # The input field at fault, when there is one (the API names it in the error's details).
    field: str = ""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        if field:
            self.field = field


class TransitionForbidden(TransitionRefused):
    """The actor's roles or scope do not allow the action: API 403 ``forbidden``."""


class StateConflict(TransitionRefused):
    """The document's (or assignment's) status does not allow the action now: API 409
    ``state_conflict``."""


class StaleRevision(DocumentError):
    """The document changed since the caller read it: another person acted first (API: 409)."""


class SecretFileRefused(DocumentError):
    """A file was given for a document marked Mật / Tối mật / Tuyệt mật: metadata only."""


class CopyRefused(TransitionRefused):
    """An electronic copy may not be made (or signed) as asked (API: 422 ``copy_refused``)."""


class CopyForbidden(CopyRefused, TransitionForbidden):
    """Only the agency's văn thư makes and signs copies: API 403 ``forbidden``."""


class CopyStateConflict(CopyRefused, StateConflict):
    """The copy (or its source) is not in a state that allows this: API 409
    ``state_conflict``."""


class CopyNotSigned(DocumentError):
    """The copy was numbered but the agency's signature could not be made; it waits to be
    signed again (``copy``). The message says why and names the copy's number."""

    def __init__(self, message: str, copy: object) -> None:
        super().__init__(message)
        self.copy = copy
