"""Event subscriptions for partner systems: CloudEvents 1.0 deliveries signed with HMAC,
retried with backoff, dead-lettered and replayable."""
