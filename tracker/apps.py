from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "tracker"

    def ready(self) -> None:
        from tracker import checks  # noqa: F401  (registers the system checks)
        from tracker.auth import checks as account_checks  # noqa: F401
        from tracker.auth import receivers  # noqa: F401
