"""Writes of the national-portal sync: the push outbox (``push``), the catalog pull
(``catalog``) and the dossiers submitted on the national portal (``inbound``)."""
