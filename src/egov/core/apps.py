from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "egov.core"
    label = "core"
    verbose_name = "Nền tảng"

    def ready(self) -> None:
        from egov.core import checks  # noqa: F401 (registers them)
