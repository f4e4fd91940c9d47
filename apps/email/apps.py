from django.apps import AppConfig


class EmailConfig(AppConfig):
    name = "apps.email"
    label = "email"
    verbose_name = "Email"

    def ready(self) -> None:
        # Register the validator of the email and email.{serviceName} sections.
        from apps.email import options  # noqa: F401
