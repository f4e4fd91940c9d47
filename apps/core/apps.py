from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"
    verbose_name = "GMS configuration"

    def ready(self) -> None:
        from apps.core import validators  # noqa: F401  (registers the section validators)
