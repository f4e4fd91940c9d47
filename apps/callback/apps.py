from django.apps import AppConfig


class CallbackConfig(AppConfig):
    name = "apps.callback"
    label = "callback"
    verbose_name = "Callback"

    def ready(self) -> None:
        # Register the section validator and the beat task.
        from apps.callback import tasks, validators  # noqa: F401
