"""JSON shapes of the agent API and of the realtime events: camelCase, GMS timestamps."""

from datetime import datetime

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.contactcenter.models import (
    MAX_NAME_LENGTH,
    MAX_PRIORITY,
    AgentState,
    Interaction,
    InteractionEvent,
    InteractionState,
    Media,
    user_data_problem,
)
from apps.core.text import is_storable_text
from apps.core.times import format_utc


@extend_schema_field(OpenApiTypes.DATETIME)
class GMSDateTimeField(serializers.Field):
    """``yyyy-MM-ddTHH:mm:ss.SSSZ`` as every GMS API writes times; null when unset."""

    def to_representation(self, value: datetime) -> str:
        return format_utc(value)


# The agent's "state" is described, not enumerated: drf-spectacular names enums after
# the field, and two enums named "state" (agent, interaction) would collide.
@extend_schema_field({"type": "string", "description": "One of " + ", ".join(AgentState.values)})
class AgentStateField(serializers.CharField):
    pass


def _check_storable(value: str) -> str:
    if not is_storable_text(value):
        raise serializers.ValidationError("holds a NUL or an invalid character")
    return value


def _check_user_data(value: object) -> object:
    problem = user_data_problem(value)
    if problem:
        raise serializers.ValidationError(problem)
    return value


class StorableCharField(serializers.CharField):
    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("max_length", MAX_NAME_LENGTH)
        super().__init__(**kwargs)
        self.validators.append(_check_storable)


class InteractionSerializer(serializers.Serializer):
    """An interaction as the agent API and the realtime events show it.

    A plain Serializer (not a ModelSerializer): routing builds one per offer, and
    introspecting the model each time would cost more than the offer's queries.
    """

    id = serializers.IntegerField()
    media = serializers.ChoiceField(Media.choices)
    state = serializers.ChoiceField(InteractionState.choices)
    queue = serializers.CharField(source="queue.name")
    priority = serializers.IntegerField(help_text="Higher goes first")
    userData = serializers.JSONField(source="user_data")
    source = serializers.CharField(help_text="What made the work: chat, email, callback ...")
    sourceId = serializers.CharField(source="source_id")
    agent = serializers.SerializerMethodField(help_text="User name of the agent, if any")
    queuedAt = GMSDateTimeField(source="queued_at")
    offeredAt = GMSDateTimeField(source="offered_at", allow_null=True)
    offerExpiresAt = GMSDateTimeField(source="offer_expires_at", allow_null=True)
    acceptedAt = GMSDateTimeField(source="accepted_at", allow_null=True)
    completedAt = GMSDateTimeField(source="completed_at", allow_null=True)
    abandonedAt = GMSDateTimeField(source="abandoned_at", allow_null=True)
    disposition = serializers.CharField()

    def get_agent(self, interaction: Interaction) -> str | None:
        return interaction.agent.user.get_username() if interaction.agent else None


class InteractionEventSerializer(serializers.ModelSerializer):
    at = GMSDateTimeField()
    agent = serializers.SerializerMethodField(help_text="User name of the agent, if any")

    class Meta:
        model = InteractionEvent
        fields = ["kind", "at", "agent", "details"]

    def get_agent(self, event: InteractionEvent) -> str | None:
        return event.agent.user.get_username() if event.agent else None


class InteractionDetailSerializer(InteractionSerializer):
    events = serializers.SerializerMethodField()

    @extend_schema_field(InteractionEventSerializer(many=True))
    def get_events(self, interaction: Interaction) -> list:
        return InteractionEventSerializer(self.context["events"], many=True).data


class CapacitySerializer(serializers.Serializer):
    capacity = serializers.IntegerField(help_text="Interactions of this media taken at once")
    load = serializers.IntegerField(help_text="Offered and accepted interactions now")


class AgentStatusSerializer(serializers.Serializer):
    username = serializers.CharField()
    state = AgentStateField(help_text="As presented: BUSY while holding work")
    declaredState = serializers.ChoiceField(
        [(s, s) for s in (AgentState.LOGGED_OUT, AgentState.NOT_READY, AgentState.READY)],
        source="declared_state",
        help_text="What the agent chose; a BUSY agent that chose READY still gets work",
    )
    stateSince = GMSDateTimeField(source="state_since")
    idleSince = GMSDateTimeField(source="idle_since")
    capacity = serializers.DictField(child=CapacitySerializer(), help_text="By media")
    queues = serializers.ListField(
        child=serializers.CharField(), help_text="Queues served; empty means every queue"
    )


class AgentWorkSerializer(serializers.Serializer):
    offers = InteractionSerializer(many=True, help_text="Offered to this agent, not yet accepted")
    active = InteractionSerializer(many=True, help_text="Accepted and not yet completed")


class CompleteInput(serializers.Serializer):
    disposition = StorableCharField(required=False, default="", allow_blank=True)


class CreateInteractionInput(serializers.Serializer):
    media = serializers.ChoiceField(Media.choices)
    queue = StorableCharField(help_text="Virtual queue name, created on first use")
    priority = serializers.IntegerField(
        default=0, min_value=-MAX_PRIORITY, max_value=MAX_PRIORITY, help_text="Higher goes first"
    )
    userData = serializers.JSONField(default=dict, validators=[_check_user_data])
    source = StorableCharField(required=False, default="", allow_blank=True, max_length=50)
    sourceId = StorableCharField(required=False, default="", allow_blank=True)


class CreatedInteractionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.ChoiceField(InteractionState.choices)
    queue = serializers.CharField()
