from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "egov.workspace"
    label = "workspace"
    verbose_name = "Không gian làm việc của cán bộ"
