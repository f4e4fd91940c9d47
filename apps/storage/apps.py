from django.apps import AppConfig


class StorageConfig(AppConfig):
    name = "apps.storage"
    label = "storage"

    def ready(self) -> None:
        from apps.storage import validators  # noqa: F401  (registers the [storage] validator)
