"""Synchronisation with the national public-service portal (Cổng Dịch vụ công quốc gia):
dossier statuses and e-results pushed through an outbox, the procedure catalog pulled as drafts,
dossiers submitted there received here."""
