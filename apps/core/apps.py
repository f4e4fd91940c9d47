from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"
    verbose_name = "GMS configuration"

    def ready(self) -> None:
        # Registers the section validators, and the [cors] origin check.
        from apps.core import cors, validators  # noqa: F401
