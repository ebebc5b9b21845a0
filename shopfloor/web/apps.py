from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "shopfloor.web"
    label = "web"

    def ready(self) -> None:
        import shopfloor.accounts  # noqa: F401  (records sign-in sessions, audits lockouts)
