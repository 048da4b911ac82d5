from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "egov.exchange"
    label = "exchange"
    verbose_name = "Liên thông văn bản"

    def ready(self) -> None:
        from egov.documents.events import subscribe
        from egov.exchange.subscribers import on_document_event

        subscribe(on_document_event)
