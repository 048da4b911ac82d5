from django.apps import AppConfig


class NationalConfig(AppConfig):
    name = "egov.national"
    label = "national"
    verbose_name = "Đồng bộ Cổng Dịch vụ công quốc gia"

    def ready(self) -> None:
        # dossiers may not import this app (it is on a higher floor): the subscriber is added
        # here, once, at start-up (dossiers.events.subscribe).
        from egov.dossiers.events import subscribe
        from egov.national.services.push import sync_on_event

        subscribe(sync_on_event)
