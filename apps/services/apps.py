from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "apps.services"
    label = "services"
    verbose_name = "GMS services"

    def ready(self) -> None:
        # Register the builtin handlers, the section validators and the beat task.
        from apps.services import builtins, ors, tasks, validators  # noqa: F401
