from django.apps import AppConfig


class OfficeHoursConfig(AppConfig):
    name = "apps.officehours"
    label = "officehours"
    verbose_name = "Office hours (Calendar Service)"

    def ready(self) -> None:
        # Register the section validator and the service query handler.
        from apps.officehours import apis, validators  # noqa: F401
