from django.apps import AppConfig


class CallbackConfig(AppConfig):
    name = "apps.callback"
    label = "callback"
    verbose_name = "Callback"

    def ready(self) -> None:
        # Register the section and option validators, the beat tasks and the dial task, follow
        # the callback interactions of the contact center, and hear when the customer of a
        # user-originated callback dials its access number.
        from apps.callback import dialer, lifecycle, notifications, tasks, validators  # noqa: F401
        from apps.callback.services import answer_inbound_call
        from apps.services import listeners

        lifecycle.register()
        listeners.register("callback", answer_inbound_call)
