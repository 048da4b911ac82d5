from django.apps import AppConfig


class CertificationConfig(AppConfig):
    name = "egov.certification"
    label = "certification"
    verbose_name = "Chứng thực bản sao điện tử"
