from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "pertutti.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from pertutti.accounts import audit_signals, rules  # noqa: F401  (registers perms, receivers)
