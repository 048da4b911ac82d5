from django.apps import AppConfig


class VneidConfig(AppConfig):
    name = "egov.contrib.vneid"
    label = "vneid"
    verbose_name = "VNeID"
