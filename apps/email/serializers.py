"""What the Email API answers: the envelope of email.md §3.4/§6, and the email a desk shows."""

from django.urls import reverse
from rest_framework import serializers

from apps.contactcenter.serializers import GMSDateTimeField
from apps.email.models import Attachment


class CreatedSerializer(serializers.Serializer):
    statusCode = serializers.IntegerField(help_text="0: the email is queued")
    interactionId = serializers.CharField(help_text="Our id of the email (our choice, §3.4)")


class AttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    contentType = serializers.CharField(source="content_type")
    size = serializers.IntegerField(help_text="Bytes")
    url = serializers.SerializerMethodField(help_text="Where the agent downloads it")

    def get_url(self, attachment: Attachment) -> str:
        interaction_id = self.context["interaction_id"]
        return reverse("agent-email-attachment", args=[interaction_id, attachment.pk])


class EmailSerializer(serializers.Serializer):
    id = serializers.CharField()
    serviceName = serializers.CharField(source="service_name")
    mailbox = serializers.CharField(help_text="Destination mailbox; empty: the system default")
    firstName = serializers.CharField(source="first_name")
    lastName = serializers.CharField(source="last_name")
    fromAddress = serializers.CharField(source="from_address")
    subject = serializers.CharField()
    text = serializers.CharField(help_text="Plain text")
    userData = serializers.DictField(child=serializers.CharField(), source="user_data")
    receivedAt = GMSDateTimeField(source="received_at")
    attachments = serializers.SerializerMethodField()

    def get_attachments(self, email) -> list[dict]:
        return AttachmentSerializer(
            self.context["attachments"], many=True, context=self.context
        ).data
