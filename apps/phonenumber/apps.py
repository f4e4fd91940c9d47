from django.apps import AppConfig


class PhonenumberConfig(AppConfig):
    name = "apps.phonenumber"
    label = "phonenumber"
