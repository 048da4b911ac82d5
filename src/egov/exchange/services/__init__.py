"""Writes of the exchange: the outbox of packages and status messages (``outbox``), and what
arrives from the axis (``inbox``)."""
