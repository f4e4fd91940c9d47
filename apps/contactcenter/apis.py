"""The agent API and the internal interaction API: project extensions, outside ``/genesys/``.

Agents are Django users with an agent profile (``gms_agent add``, or the admin).
They sign in with the session of the desk page or, from scripts, with HTTP
Basic credentials of their user. Missing or wrong credentials answer 403, not
401: a 401 challenge would make browsers pop up a Basic dialog over the desk.
Errors keep the platform's ``{message, exception}`` body; a transition the
current state does not allow is a 409.
"""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.authentication import BasicAuthentication, SessionAuthentication
from rest_framework.permissions import IsAdminUser, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.contactcenter import selectors, services
from apps.contactcenter.models import AgentProfile
from apps.contactcenter.serializers import (
    AgentStatusSerializer,
    AgentWorkSerializer,
    CompleteInput,
    CreatedInteractionSerializer,
    CreateInteractionInput,
    InteractionDetailSerializer,
    InteractionSerializer,
)
from apps.core.errors import BadRequest
from apps.core.parsing import parse_params
from apps.core.schema import GMSErrorSerializer, error_responses
from apps.core.text import refuse_unstorable_url
from apps.core.views import IgnoreAccept

AGENT_TAG = ["contact center: agent"]
NO_BODY = None
REASONS = {
    403: "Not signed in, wrong credentials, not an agent, or (POST interactions) not staff",
    409: "Not allowed in the current state of the agent or of the interaction",
}


def _errors(*statuses: int) -> dict[int, OpenApiResponse]:
    """The GMS error responses, with this API's own reading of 403 and 409."""
    responses = error_responses(*(s for s in statuses if s not in REASONS))
    for status_code in statuses:
        if status_code in REASONS:
            responses[status_code] = OpenApiResponse(
                GMSErrorSerializer, description=REASONS[status_code]
            )
    return dict(sorted(responses.items()))


def _input(serializer_class, request: Request) -> dict:
    """A form or JSON body, validated; form keys ``userData[key]`` nest as in GMS."""
    values = parse_params(request).values
    serializer = serializer_class(data=values)
    if not serializer.is_valid():
        raise BadRequest(_first_error(serializer.errors))
    return serializer.validated_data


def _first_error(errors: dict) -> str:
    field, messages = next(iter(errors.items()))
    return f"{field}: {messages[0] if isinstance(messages, list) else messages}"


class ContactCenterView(APIView):
    """Signed-in users by session or Basic auth; JSON whatever the Accept header says."""

    authentication_classes = [SessionAuthentication, BasicAuthentication]
    permission_classes = [IsAuthenticated]
    content_negotiation_class = IgnoreAccept

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        refuse_unstorable_url(request)


class AgentView(ContactCenterView):
    """A view for agents only: ``self.agent`` is the caller's profile (403 for other users)."""

    agent: AgentProfile

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        self.agent = selectors.agent_of(request.user)

    def status_response(self) -> Response:
        return Response(AgentStatusSerializer(selectors.agent_status(self.agent)).data)


def _agent_state_schema(summary: str, description: str, conflict: bool = True):
    return extend_schema(
        summary=summary,
        description=description,
        request=NO_BODY,
        responses={200: AgentStatusSerializer} | _errors(403, 405, *((409,) if conflict else ())),
        tags=AGENT_TAG,
    )


class LoginView(AgentView):
    @_agent_state_schema(
        "Log in", "A logged-out agent starts NOT_READY; logging in again changes nothing.", False
    )
    def post(self, request: Request) -> Response:
        services.login(agent=self.agent)
        return self.status_response()


class LogoutView(AgentView):
    @_agent_state_schema(
        "Log out",
        "Pending offers go back to their queue. Refused (409) while the agent has accepted work.",
    )
    def post(self, request: Request) -> Response:
        services.logout(agent=self.agent)
        return self.status_response()


class ReadyView(AgentView):
    @_agent_state_schema(
        "Become READY", "Take new work; offers may follow at once. 409 when logged out."
    )
    def post(self, request: Request) -> Response:
        services.set_ready(agent=self.agent)
        return self.status_response()


class NotReadyView(AgentView):
    @_agent_state_schema(
        "Become NOT_READY",
        "No new offers; pending offers and accepted work go on. 409 when logged out.",
    )
    def post(self, request: Request) -> Response:
        services.set_not_ready(agent=self.agent)
        return self.status_response()


class StateView(AgentView):
    @extend_schema(
        summary="The agent's state, capacity and load",
        description="State as presented (BUSY while holding work) and as declared.",
        responses={200: AgentStatusSerializer} | _errors(403, 405),
        tags=AGENT_TAG,
    )
    def get(self, request: Request) -> Response:
        return self.status_response()


class OffersView(AgentView):
    @extend_schema(
        summary="Pending offers and accepted work, with their user data",
        description="What a desk shows; realtime events on group agent.<user id> say when to ask again.",
        responses={200: AgentWorkSerializer} | _errors(403, 405),
        tags=AGENT_TAG,
    )
    def get(self, request: Request) -> Response:
        offers, active = selectors.agent_work(self.agent)
        return Response(AgentWorkSerializer({"offers": offers, "active": active}).data)


class InteractionView(AgentView):
    @extend_schema(
        summary="One interaction the agent holds or held, with its history",
        description="404 for interactions the agent never held.",
        responses={200: InteractionDetailSerializer} | _errors(403, 404, 405),
        tags=AGENT_TAG,
    )
    def get(self, request: Request, interaction_id: int) -> Response:
        interaction = selectors.interaction_for_agent(interaction_id, self.agent)
        events = selectors.interaction_history(interaction)
        return Response(InteractionDetailSerializer(interaction, context={"events": events}).data)


class _InteractionActionView(AgentView):
    def act(self, interaction_id: int, action, **kwargs) -> Response:
        interaction = selectors.interaction_for_agent(interaction_id, self.agent)
        interaction = action(interaction=interaction, agent=self.agent, **kwargs)
        return Response(InteractionSerializer(interaction).data)


def _action_schema(summary: str, description: str, request=NO_BODY):
    statuses = (400, 403, 404, 405, 409) if request else (403, 404, 405, 409)
    return extend_schema(
        summary=summary,
        description=description,
        request=request,
        responses={200: InteractionSerializer} | _errors(*statuses),
        tags=AGENT_TAG,
    )


class AcceptView(_InteractionActionView):
    @_action_schema("Accept an offer", "Only the agent it is offered to, before it expires.")
    def post(self, request: Request, interaction_id: int) -> Response:
        return self.act(interaction_id, services.accept)


class RejectView(_InteractionActionView):
    @_action_schema(
        "Reject an offer",
        "The interaction goes back to its queue; the agent becomes NOT_READY.",
    )
    def post(self, request: Request, interaction_id: int) -> Response:
        return self.act(interaction_id, services.reject)


class CompleteView(_InteractionActionView):
    @_action_schema(
        "Complete accepted work", "Records the disposition and frees the slot.", CompleteInput
    )
    def post(self, request: Request, interaction_id: int) -> Response:
        disposition = _input(CompleteInput, request)["disposition"]
        return self.act(interaction_id, services.complete, disposition=disposition)


class InteractionsView(ContactCenterView):
    """``POST /api/interactions``: queue work by hand or from an integration (staff only)."""

    permission_classes = [IsAdminUser]

    @extend_schema(
        summary="Queue a new interaction (staff)",
        description="The queue is created on first use; routing offers the work at once "
        "when an agent is free.",
        request=CreateInteractionInput,
        responses={
            201: OpenApiResponse(CreatedInteractionSerializer, description="Queued"),
        }
        | _errors(400, 403, 405, 415),
        tags=["contact center: interactions"],
    )
    def post(self, request: Request) -> Response:
        data = _input(CreateInteractionInput, request)
        interaction = services.enqueue(
            media=data["media"],
            queue_name=data["queue"],
            priority=data["priority"],
            user_data=data["userData"],
            source=data["source"],
            source_id=data["sourceId"],
        )
        interaction.refresh_from_db(fields=["state"])
        body = {"id": interaction.pk, "state": interaction.state, "queue": data["queue"]}
        return Response(CreatedInteractionSerializer(body).data, status=status.HTTP_201_CREATED)
