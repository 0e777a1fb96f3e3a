from django.apps import AppConfig


class ImportingConfig(AppConfig):
    name = "pertutti.importing"
    default_auto_field = "django.db.models.BigAutoField"
