from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "pertutti.search"
    default_auto_field = "django.db.models.BigAutoField"
