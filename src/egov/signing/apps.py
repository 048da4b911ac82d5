from django.apps import AppConfig


class SigningConfig(AppConfig):
    name = "egov.signing"
    label = "signing"
    verbose_name = "Chữ ký số"

    def ready(self) -> None:
        from egov.signing import (
            checks,  # noqa: F401 (registers them)
            library_fixes,
        )

        library_fixes.install()
