from django.apps import AppConfig


class NationalConfig(AppConfig):
    name = "egov.national"
    label = "national"
    verbose_name = "Đồng bộ Cổng Dịch vụ công quốc gia"
