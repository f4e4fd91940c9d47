"""The JSON bodies of the Notification API (notification.md §2): a subscription and an event.

Types are strict: a JSON number is not a string, and ``expire`` must be a JSON integer
(§2.1, our choice: anything else is a 400). Every text must fit the database: no NUL,
no lone surrogate. Unknown keys are ignored.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.core.text import is_storable_text

# notification.md §2.1 / push.md §1; ``wns`` and anything else is an unknown type.
TYPES = ("android", "gcm", "fcm", "ios", "httpcb", "orscb", "customhttp", "comet")
MEDIA_TYPES = ("string", "localizestring")
# Our choice: long enough for any URL or device token, short enough to index.
MAX_TEXT_LENGTH = 2048
# A publish looks up one candidate prefix per character of the tag (Subscription.could_match).
MAX_TAG_LENGTH = 512


def _storable(value: str) -> str:
    if not is_storable_text(value):
        raise serializers.ValidationError("holds a NUL or an invalid character")
    return value


class TextField(serializers.CharField):
    """A JSON string, never a number or a boolean turned into one; kept exactly as sent."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("max_length", MAX_TEXT_LENGTH)
        kwargs.setdefault("trim_whitespace", False)
        super().__init__(**kwargs)
        self.validators.append(_storable)

    def to_internal_value(self, data: object) -> str:
        if not isinstance(data, str):
            raise serializers.ValidationError("must be a string")
        return super().to_internal_value(data)


@extend_schema_field({"type": "integer", "description": "Seconds"})
class ExpireField(serializers.Field):
    """A JSON integer; ``true`` and ``60.0`` are not."""

    def to_internal_value(self, data: object) -> int:
        if isinstance(data, bool) or not isinstance(data, int):
            raise serializers.ValidationError("must be an integer")
        return data

    def to_representation(self, value: int) -> int:
        return value


@extend_schema_field({"type": "string", "enum": list(TYPES)})
class TypeField(TextField):
    """An enum inline, not a component: other APIs have fields named ``type`` too."""

    def to_internal_value(self, data: object) -> str:
        value = super().to_internal_value(data)
        if value not in TYPES:
            raise serializers.ValidationError(f"unknown type {value!r}; one of {', '.join(TYPES)}")
        return value


@extend_schema_field({"type": "string", "enum": list(MEDIA_TYPES), "default": "string"})
class MediaTypeField(TextField):
    def to_internal_value(self, data: object) -> str:
        value = super().to_internal_value(data)
        if value not in MEDIA_TYPES:
            raise serializers.ValidationError(f"must be one of {', '.join(MEDIA_TYPES)}")
        return value


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {
            "oneOf": [{"type": "string"}, {"type": "number"}, {"type": "boolean"}]
        },
        "nullable": True,
    }
)
class PropertiesField(serializers.Field):
    """``object<string,string>`` (§2.1). A number or boolean value is kept as its JSON
    text (``true``), so ``"debug": true`` means what ``"debug": "true"`` does."""

    def to_internal_value(self, data: object) -> dict[str, str]:
        if not isinstance(data, dict):
            raise serializers.ValidationError("must be an object")
        properties = {}
        for key, value in data.items():
            if isinstance(value, bool):
                value = "true" if value else "false"
            elif isinstance(value, int | float):
                value = str(value)
            if not isinstance(value, str):
                raise serializers.ValidationError(f"{key}: must be a string")
            properties[_storable(key)] = _storable(value)
        return properties

    def to_representation(self, value: dict[str, str]) -> dict[str, str]:
        return value


class NotificationDetailsSerializer(serializers.Serializer):
    """Where to push: the channel and the target it means (push.md §1)."""

    type = TypeField()
    deviceId = TextField(help_text="The target: a URL for httpcb, a token or an id otherwise")
    properties = PropertiesField(required=False, allow_null=True)


class SubscriptionSerializer(serializers.Serializer):
    """§2.1. ``providerName``, ``properties``, ``authorization`` and ``expire`` may be left out."""

    subscriberId = TextField()
    filter = TextField(
        max_length=MAX_TAG_LENGTH,
        help_text="Matched against event tags: * is any run of characters, the rest literal",
    )
    notificationDetails = NotificationDetailsSerializer()
    providerName = TextField(required=False, allow_null=True, allow_blank=True)
    authorization = TextField(required=False, allow_null=True, allow_blank=True)
    expire = ExpireField(
        required=False,
        allow_null=True,
        help_text="Seconds; left out or ≤ 0 means [push] defaultSubscriptionExpiration (30)",
    )


class EventSerializer(serializers.Serializer):
    """§2.3. ``notificationDetails``, when sent, is one more target for this event."""

    tag = TextField(max_length=MAX_TAG_LENGTH)
    message = TextField(max_length=None, allow_blank=True, help_text="The text pushed")
    mediaType = MediaTypeField(required=False, allow_null=True)
    notificationDetails = NotificationDetailsSerializer(required=False, allow_null=True)


class SubscriptionIdSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="The subscription id, to unsubscribe with")
