from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "egov.audit"
    label = "audit"
    verbose_name = "Nhật ký kiểm tra"

    def ready(self) -> None:
        from egov.audit import receivers  # noqa: F401  (connects the auth signal receivers)
