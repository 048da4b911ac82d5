from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "egov.accounts"
    label = "accounts"
    verbose_name = "Tài khoản và vai trò"

    def ready(self) -> None:
        from egov.accounts import checks, receivers  # noqa: F401 (registers them)
