from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "egov.webhooks"
    label = "webhooks"
    verbose_name = "Đăng ký nhận sự kiện (webhook)"
