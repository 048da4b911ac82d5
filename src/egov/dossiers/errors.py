"""Errors of the dossier lifecycle; their messages are for the person who tried."""


class TransitionError(Exception):
    """A transition that may not happen now; the message is for the person who tried.
    Callers catch this one; the two kinds below say why."""


class TransitionRefused(TransitionError):
    """Not allowed: the actor's roles, the dossier's status, or the action's inputs. The API
    answers 422 ``transition_refused``."""


class StaleRevision(TransitionError):
    """The dossier changed since the caller read it (its revision moved in the database):
    another officer acted first. The API answers 409 ``conflict``."""
