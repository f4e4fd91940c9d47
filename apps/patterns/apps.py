from django.apps import AppConfig


class PatternsConfig(AppConfig):
    name = "apps.patterns"
    label = "patterns"
