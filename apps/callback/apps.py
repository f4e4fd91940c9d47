from django.apps import AppConfig


class CallbackConfig(AppConfig):
    name = "apps.callback"
    label = "callback"
    verbose_name = "Callback"

    def ready(self) -> None:
        # Register the section and option validators, the beat tasks and the dial task, and follow
        # the callback interactions of the contact center.
        from apps.callback import dialer, lifecycle, notifications, tasks, validators  # noqa: F401

        lifecycle.register()
