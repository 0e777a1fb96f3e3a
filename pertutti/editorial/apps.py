from django.apps import AppConfig


class EditorialConfig(AppConfig):
    name = "pertutti.editorial"
    label = "editorial"
    verbose_name = "Editorial loop"
