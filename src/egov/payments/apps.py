from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "egov.payments"
    label = "payments"
    verbose_name = "Thanh toán trực tuyến"
