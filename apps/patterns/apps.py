from django.apps import AppConfig


class PatternsConfig(AppConfig):
    name = "apps.patterns"
    label = "patterns"

    def ready(self) -> None:
        from apps.patterns import validators  # noqa: F401  (registers the pattern-group validator)
