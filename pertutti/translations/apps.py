from django.apps import AppConfig


class TranslationsConfig(AppConfig):
    name = "pertutti.translations"
    default_auto_field = "django.db.models.BigAutoField"
