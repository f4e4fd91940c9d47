from django.apps import AppConfig


class PhonenumberConfig(AppConfig):
    name = "apps.phonenumber"
    label = "phonenumber"
    verbose_name = "Phone Number Validation"
