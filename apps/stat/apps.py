from django.apps import AppConfig


class StatConfig(AppConfig):
    name = "apps.stat"
    label = "stat"
    verbose_name = "Stat Service"
