from django.apps import AppConfig


class OpenMediaConfig(AppConfig):
    name = "apps.openmedia"
    label = "openmedia"
    verbose_name = "Open media"

    def ready(self) -> None:
        # Register the validator of the openmedia sections.
        from apps.openmedia import options  # noqa: F401
