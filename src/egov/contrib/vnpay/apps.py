from django.apps import AppConfig


class VnpayConfig(AppConfig):
    name = "egov.contrib.vnpay"
    label = "vnpay"
    verbose_name = "VNPAY (mô phỏng)"
