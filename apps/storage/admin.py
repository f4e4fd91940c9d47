"""Storage areas for operators: look, and delete an area; data only comes in through the API."""

from django.contrib import admin
from django.http import HttpRequest

from apps.storage.models import StorageArea, StorageItem


class StorageItemInline(admin.TabularInline):
    model = StorageItem
    fields = ["key", "kind", "text", "content_type", "filename", "size"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: StorageArea | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: StorageArea | None = None) -> bool:
        return False


@admin.register(StorageArea)
class StorageAreaAdmin(admin.ModelAdmin):
    list_display = ["id", "is_custom", "gms_user", "created_at", "expires_at", "expired"]
    list_filter = ["is_custom"]
    search_fields = ["id", "gms_user", "items__key"]
    readonly_fields = ["id", "is_custom", "gms_user", "created_at", "expires_at"]
    inlines = [StorageItemInline]

    @admin.display(boolean=True, description="expired")
    def expired(self, area: StorageArea) -> bool:
        return area.is_expired

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: StorageArea | None = None) -> bool:
        return False
