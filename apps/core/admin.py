"""Configuration sections in the Django admin, validated with the same code as gms_config."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from apps.core import config
from apps.core.models import Option, Section


class OptionFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        options: dict[str, str] = {}
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE"):
                continue
            if data["name"] in options:
                raise ValidationError(f"Option {data['name']!r} appears twice")
            options[data["name"]] = data.get("value", "")
        try:
            config.validate_section(self.instance.name, options)
        except config.ConfigError as error:
            raise ValidationError(str(error)) from error


class OptionInline(admin.TabularInline):
    model = Option
    formset = OptionFormSet
    fields = ["position", "name", "value"]
    extra = 1
    formfield_overrides = {
        Option._meta.get_field("value").__class__: {
            "widget": forms.Textarea(attrs={"rows": 1, "cols": 80})
        }
    }


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "updated_at"]
    search_fields = ["name", "options__name", "options__value"]
    inlines = [OptionInline]

    @admin.display(description="kind")
    def kind(self, section: Section) -> str:
        return config.section_kind(section.name)
