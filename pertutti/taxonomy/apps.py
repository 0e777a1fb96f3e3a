from django.apps import AppConfig


class TaxonomyConfig(AppConfig):
    name = "pertutti.taxonomy"
    default_auto_field = "django.db.models.BigAutoField"
