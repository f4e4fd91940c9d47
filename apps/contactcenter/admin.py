"""Queues, agents and interactions for operators.

Configuration (queue service levels, agent capacity and queues) is edited here;
states, counters and history are read-only, because only the services may
change them together. Work enters through ``POST /api/interactions`` or the
channels, never through the admin.
"""

from django.contrib import admin, messages
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest

from apps.contactcenter import selectors, services
from apps.contactcenter.models import (
    AgentCapacity,
    AgentProfile,
    Interaction,
    InteractionEvent,
    QueueStats,
    VirtualQueue,
)
from apps.core.errors import GMSError


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class QueueStatsInline(ReadOnlyInline):
    model = QueueStats
    fields = [
        "waiting",
        "offered",
        "active",
        "entered",
        "answered",
        "answered_in_service_level",
        "completed",
        "abandoned",
        "withdrawn",
        "average_handle_seconds",
    ]
    readonly_fields = fields


@admin.register(VirtualQueue)
class VirtualQueueAdmin(admin.ModelAdmin):
    list_display = ["name", "service_level_seconds", "waiting", "created_at"]
    search_fields = ["name"]
    readonly_fields = ["created_at"]
    inlines = [QueueStatsInline]

    @admin.display(description="waiting")
    def waiting(self, queue: VirtualQueue) -> int:
        return queue.stats.waiting

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("stats")


class AgentCapacityInline(admin.TabularInline):
    """One row per media exists from the agent's creation: capacities are edited, not added."""

    model = AgentCapacity
    fields = ["media", "capacity", "load"]
    readonly_fields = ["media", "load"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(AgentProfile)
class AgentProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "state", "presented_state", "state_since", "idle_since"]
    list_filter = ["state", "queues"]
    search_fields = ["user__username"]
    readonly_fields = ["state", "state_since", "idle_since"]
    filter_horizontal = ["queues"]
    autocomplete_fields = ["user"]
    inlines = [AgentCapacityInline]
    actions = ["log_out"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # Whether each agent holds work, in the listing's one query (BUSY is derived).
        holds_work = Exists(AgentCapacity.objects.filter(agent=OuterRef("pk"), load__gt=0))
        return super().get_queryset(request).select_related("user").annotate(holds_work=holds_work)

    @admin.display(description="presented state")
    def presented_state(self, agent: AgentProfile) -> str:
        return selectors.presented_state(agent.state, agent.holds_work)

    def get_readonly_fields(self, request: HttpRequest, obj: AgentProfile | None = None) -> list:
        # The user is chosen once, when the profile is created.
        return [*self.readonly_fields, "user"] if obj else self.readonly_fields

    @admin.action(description="Log out the selected agents (pending offers go back to the queue)")
    def log_out(self, request: HttpRequest, queryset: QuerySet) -> None:
        for agent in queryset:
            try:
                services.logout(agent=agent)
            except GMSError as error:
                self.message_user(request, f"{agent}: {error.message}", messages.WARNING)


class InteractionEventInline(ReadOnlyInline):
    model = InteractionEvent
    fields = ["kind", "at", "agent", "details"]
    readonly_fields = fields


@admin.register(Interaction)
class InteractionAdmin(admin.ModelAdmin):
    list_display = ["id", "media", "state", "queue", "priority", "agent", "queued_at"]
    list_filter = ["state", "media", "queue"]
    search_fields = ["=id", "source_id", "agent__user__username"]
    list_select_related = ["queue", "agent__user"]
    inlines = [InteractionEventInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
