from django.apps import AppConfig


class EditorialConfig(AppConfig):
    name = "pertutti.editorial"
    label = "editorial"
    verbose_name = "Editorial loop"

    def ready(self) -> None:
        # The review loop's e-mails listen to revisions; services.py needs no mail code.
        from pertutti.editorial import notifications

        notifications.register()
