from django.apps import AppConfig


class CapacityConfig(AppConfig):
    name = "apps.capacity"
    label = "capacity"
    verbose_name = "Capacity"

    def ready(self) -> None:
        # Register the section validator and the service query handler.
        from apps.capacity import apis, validators  # noqa: F401
