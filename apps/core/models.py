"""Configuration sections, stored in the database so every process reads the same options."""

from django.db import models


class Section(models.Model):
    """A named GMS configuration section: ``server``, ``service.callback-1``, ``cb_errors`` ..."""

    name = models.CharField(max_length=200, unique=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Option(models.Model):
    """One ``name=value`` line of a section. ``position`` keeps the order of the INI file."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="options")
    name = models.CharField(max_length=255)
    value = models.TextField(blank=True, default="")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["section", "name"], name="unique_option_per_section")
        ]

    def __str__(self) -> str:
        return f"{self.name}={self.value}"
