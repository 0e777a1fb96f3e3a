from django.apps import AppConfig


class ManageConfig(AppConfig):
    name = "pertutti.manage"
    label = "manage"
    verbose_name = "Back office"
