from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "egov.reports"
    label = "reports"
    verbose_name = "Báo cáo, thống kê"
