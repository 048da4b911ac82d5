from django.apps import AppConfig


class CentreConfig(AppConfig):
    name = "egov.centre"
    label = "centre"
    verbose_name = "Xếp hàng tại Trung tâm Phục vụ hành chính công"
