from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "pertutti.public"
    default_auto_field = "django.db.models.BigAutoField"
