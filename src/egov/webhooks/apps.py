"""Event subscriptions for partner systems: CloudEvents 1.0 deliveries signed with HMAC,
retried with backoff, dead-lettered and replayable."""

from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "egov.webhooks"
    label = "webhooks"
    verbose_name = "Đăng ký nhận sự kiện (webhook)"

    def ready(self) -> None:
        # The fan-out joins both event paths, after their own subscribers (audit, notices).
        from egov.documents import events as document_events
        from egov.dossiers import events as dossier_events
        from egov.webhooks.fanout import on_document_event, on_dossier_event

        dossier_events.subscribe(on_dossier_event)
        document_events.subscribe(on_document_event)
