from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running a deployment: backup and restore (the health probe is pertutti/health.py)."""

    name = "pertutti.operations"
