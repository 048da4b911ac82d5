"""Errors of the documents' lifecycles; their messages are for the person who tried."""


class DocumentError(Exception):
    """A write that may not happen now; the message is for the person who tried."""


class TransitionRefused(DocumentError):
    """Not allowed: the actor's roles, the document's status, or the inputs (API: 422)."""


class StaleRevision(DocumentError):
    """The document changed since the caller read it: another person acted first (API: 409)."""


class SecretFileRefused(DocumentError):
    """A file was given for a document marked Mật / Tối mật / Tuyệt mật: metadata only."""


class CopyRefused(TransitionRefused):
    """An electronic copy may not be made (or signed) as asked (API: 422)."""


class CopyNotSigned(DocumentError):
    """The copy was numbered but the agency's signature could not be made; it waits to be
    signed again (``copy``). The message says why and names the copy's number."""

    def __init__(self, message: str, copy: object) -> None:
        super().__init__(message)
        self.copy = copy
