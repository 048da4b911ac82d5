"""Errors of the dossier lifecycle; their messages are for the person who tried."""


class TransitionError(Exception):
    """A transition that may not happen now; the message is for the person who tried."""
