"""Email API v2 (email.md): ``POST /genesys/2/email/{serviceName}``, and the agent's reads.

The customer side answers the Digital Channels ``statusCode`` envelope (§3.4, §6);
its Basic auth is the ``[server]`` scope of responses.md §4 (our choice: no
per-service scope). The agent side lives under ``/api/agent/emails/`` with the agent
API's own authentication; replying by SMTP is not part of this server.
"""

from django.core.files.uploadedfile import UploadedFile
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from apps.contactcenter.apis import AgentView
from apps.core.errors import GMSError
from apps.core.schema import BASIC_AUTH, DigitalErrorSerializer, error_responses
from apps.core.views import GMSView
from apps.email import errors, selectors, services
from apps.email.serializers import CreatedSerializer, EmailSerializer

TEXT = {"type": "string"}
FIELDS = {
    "firstName": TEXT,
    "lastName": TEXT,
    "fromAddress": {"type": "string", "format": "email"},
    "subject": TEXT,
    "text": TEXT,
    "mailbox": {"type": "string", "format": "email"},
}
REQUIRED = list(services.REQUIRED)
USER_DATA_TEXT = {
    "type": "string",
    "description": "key=value (repeatable), or a JSON object; userData[key]=value also works",
}
FORM = {
    "type": "object",
    "properties": {**FIELDS, "userData": USER_DATA_TEXT},
    "required": REQUIRED,
}
MULTIPART = {
    "type": "object",
    "properties": {
        **FIELDS,
        "userData": {"type": "array", "items": USER_DATA_TEXT},
        "files": {"type": "array", "items": {"type": "string", "format": "binary"}},
    },
    "required": REQUIRED,
}
JSON_BODY = {
    "type": "object",
    "properties": {
        **FIELDS,
        "userData": {"type": "object", "additionalProperties": {"type": "string"}},
    },
    "required": REQUIRED,
}
ERRORS = {
    400: OpenApiResponse(
        DigitalErrorSerializer,
        description="Codes 102-106: missing, invalid, "
        "too many files, file type not allowed, too large",
    ),
    401: OpenApiResponse(DigitalErrorSerializer, description="Basic auth on, wrong credentials"),
    403: OpenApiResponse(DigitalErrorSerializer, description="Port not allowed"),
    404: OpenApiResponse(DigitalErrorSerializer, description="Code 101: no such service"),
    405: OpenApiResponse(DigitalErrorSerializer, description="Method not allowed"),
    415: OpenApiResponse(DigitalErrorSerializer, description="Unsupported content type"),
    503: OpenApiResponse(DigitalErrorSerializer, description="Code 100, statusCode 1: retry"),
}


def _body(request: Request) -> tuple[list[services.Field], list[UploadedFile]]:
    """The body's fields in order, and its ``files`` parts (multipart only; §3.1)."""
    data = request.data
    if isinstance(data, dict) and not hasattr(data, "lists"):
        return list(data.items()), []
    if not hasattr(data, "lists"):
        raise GMSError("The request body must be a form or a JSON object", code=errors.INVALID)
    fields: list[services.Field] = []
    files: list[UploadedFile] = []
    for name, items in data.lists():
        for item in items:
            if not isinstance(item, UploadedFile):
                fields.append((name, item))
            elif name == "files":
                files.append(item)
    return fields, files


class EmailView(GMSView):
    """``POST /genesys/2/email/{serviceName}``: one inbound email, queued to an agent."""

    @extend_schema(
        summary="Create an inbound email interaction",
        description="Form fields of email.md §3.1; files in multipart only. The service's "
        "section (email.{serviceName}, else email) sets max_files, max_size, file_types "
        "and the virtual queue (option queue, default 'email').",
        parameters=[OpenApiParameter("serviceName", str, OpenApiParameter.PATH)],
        request={
            "multipart/form-data": MULTIPART,
            "application/x-www-form-urlencoded": FORM,
            "application/json": JSON_BODY,
        },
        responses={200: CreatedSerializer, **ERRORS},
        auth=BASIC_AUTH,
        tags=["email"],
    )
    def post(self, request: Request, serviceName: str) -> Response:
        fields, files = _body(request)
        email = services.receive(service_name=serviceName, fields=fields, files=files)
        return Response({"statusCode": 0, "interactionId": email.pk})


class AgentEmailView(AgentView):
    @extend_schema(
        summary="The email of an interaction the agent holds or held",
        description="404 for interactions the agent never held and for other media.",
        responses={200: EmailSerializer} | error_responses(403, 404, 405),
        tags=["contact center: agent"],
    )
    def get(self, request: Request, interaction_id: int) -> Response:
        email = selectors.email_for_agent(interaction_id, self.agent)
        context = {"interaction_id": interaction_id, "attachments": selectors.attachments_of(email)}
        return Response(EmailSerializer(email, context=context).data)


class AgentAttachmentView(AgentView):
    @extend_schema(
        summary="Download an attachment of an email the agent holds or held",
        description="Always as a download (Content-Disposition: attachment), in its own type.",
        responses={200: OpenApiResponse(OpenApiTypes.BINARY, description="The file's bytes")}
        | error_responses(403, 404, 405),
        tags=["contact center: agent"],
    )
    def get(self, request: Request, interaction_id: int, attachment_id: int) -> HttpResponse:
        attachment = selectors.attachment_for_agent(interaction_id, attachment_id, self.agent)
        response = HttpResponse(bytes(attachment.content), content_type=attachment.content_type)
        response["Content-Disposition"] = content_disposition_header(True, attachment.name)
        response["X-Content-Type-Options"] = "nosniff"
        return response
