from django.apps import AppConfig


class DatastoreConfig(AppConfig):
    name = "egov.datastore"
    label = "datastore"
    verbose_name = "Kho dữ liệu điện tử của tổ chức, cá nhân"
