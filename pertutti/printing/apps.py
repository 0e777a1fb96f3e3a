from django.apps import AppConfig


class PrintingConfig(AppConfig):
    name = "pertutti.printing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from pertutti.printing import checks  # noqa: F401 - registers the font check
