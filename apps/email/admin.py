"""Emails for operators: look and search; they only come in through the Email API."""

from django.contrib import admin
from django.http import HttpRequest

from apps.email.models import Attachment, Email


class AttachmentInline(admin.TabularInline):
    model = Attachment
    fields = ["name", "content_type", "size"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Email | None = None) -> bool:
        return False


@admin.register(Email)
class EmailAdmin(admin.ModelAdmin):
    list_display = ["id", "service_name", "from_address", "subject", "mailbox", "received_at"]
    list_filter = ["service_name"]
    search_fields = ["id", "from_address", "subject", "first_name", "last_name"]
    fields = [
        "id",
        "service_name",
        "tenant",
        "mailbox",
        "first_name",
        "last_name",
        "from_address",
        "subject",
        "text",
        "user_data",
        "interaction_type",
        "interaction_subtype",
        "received_at",
    ]
    readonly_fields = fields
    inlines = [AttachmentInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Email | None = None) -> bool:
        return False
