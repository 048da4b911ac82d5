from django.apps import AppConfig


class HelpdeskConfig(AppConfig):
    name = "egov.helpdesk"
    label = "helpdesk"
    verbose_name = "Hỏi đáp và tổng đài hỗ trợ"
