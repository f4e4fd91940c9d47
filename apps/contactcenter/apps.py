from django.apps import AppConfig


class ContactCenterConfig(AppConfig):
    name = "apps.contactcenter"
    label = "contactcenter"
    verbose_name = "Contact center"
