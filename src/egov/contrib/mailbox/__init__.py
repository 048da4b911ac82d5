"""A simulated mailbox for trials (never in production): e-mails the system sends — the
sign-up confirmation, a password reset link, dossier notices — are kept per recipient under
``VAR_DIR/mailbox`` by ``backend.EmailBackend`` and shown at ``/hop-thu-mo-phong/``, so a
person trying the demo with a made-up address can read them. Like the simulated phone
(``contrib.sms.phone``), the page shows anyone's messages: it exists only outside production."""
