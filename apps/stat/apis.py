"""Stat Service API (stat.md): PeekStat, the EWT API, and the callback's check-queue-position.

* ``POST /genesys/1/statistic`` (always Basic auth, :mod:`apps.stat.auth`) and
  ``POST /genesys/1/internal_statistic`` (no auth): one statistic's current value;
* ``GET|POST /genesys/1/service/ewt-for-vq`` and ``GET /genesys/2/ewt/{mode}``:
  expected wait time per virtual queue (stat.md §6);
* ``GET|POST /genesys/1/service/{serviceId}/check-queue-position`` (service.md §2.3).
"""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.errors import BadRequest, NotFound
from apps.core.parsing import RequestParams, parse_params
from apps.core.schema import ADMIN_AUTH, BASIC_AUTH, GMSErrorSerializer, error_responses
from apps.core.text import is_storable_text
from apps.core.views import GMSView
from apps.stat import auth, selectors

TAGS = ["stat"]

# The EWT API's modes (stat.md §6). Our choice: one estimate, whatever the mode.
EWT_MODES = ("ewt1", "ewt2", "ewt3")
AQT_MODES = ("urs", "urs2", "stat")

# --- OpenAPI ----------------------------------------------------------------------

_TEXT = {"type": "string"}
STATISTIC_FIELDS = {
    "type": "object",
    "properties": {
        "objectId": {**_TEXT, "description": "e.g. VQ_Sales@SIP_Server, or the bare queue name"},
        "objectType": {**_TEXT, "description": "Queue, GroupAgents, ... (stat.md §3)"},
        "tenant": {**_TEXT, "description": "Any tenant name (single tenant)"},
        "metric": {**_TEXT, "description": "Statistic name, e.g. ExpectedWaitTime"},
        "statisticType": {**_TEXT, "description": "Alias of metric; metric wins"},
        "notificationMode": {"type": "string", "enum": list(selectors.NOTIFICATION_MODES)},
        "filter": _TEXT,
        "timeProfile": _TEXT,
        "timeRange": _TEXT,
        "timeRange2": _TEXT,
        "tenantPassword": _TEXT,
    },
    "required": ["objectId", "objectType", "tenant"],
}
FORM_OR_JSON = ("application/x-www-form-urlencoded", "multipart/form-data", "application/json")
STATISTIC_BODY = dict.fromkeys(FORM_OR_JSON, STATISTIC_FIELDS)
STATISTIC = {
    "type": "object",
    "properties": {
        "name": {**_TEXT, "description": "The metric"},
        "objectId": _TEXT,
        "objectType": _TEXT,
        "tenant": _TEXT,
        "value": {
            "nullable": True,
            "description": "A number (count, seconds, percent), an object of counts "
            "(CurrentAgentStates), or null (ServiceLevel before anything was answered)",
        },
        "timestamp": {
            "type": "integer",
            "format": "int64",
            "description": "Epoch ms when produced",
        },
    },
    "required": ["name", "objectId", "objectType", "tenant", "value", "timestamp"],
}
STATISTIC_ERRORS = {
    **error_responses(400, 401),
    403: OpenApiResponse(
        GMSErrorSerializer,
        description="Port not allowed by [port_restrictions], or the statistic is not well "
        "defined: object type not supported, statistic not defined, object not found",
    ),
    **error_responses(405, 415),
    503: OpenApiResponse(GMSErrorSerializer, description="Stat Server is not available"),
}
STATISTIC_PARAMETERS = [
    OpenApiParameter(
        "Cache-Control",
        str,
        OpenApiParameter.HEADER,
        description="max-age=N: a cached value N seconds old or older is read afresh",
    ),
    OpenApiParameter(
        "Age",
        int,
        OpenApiParameter.HEADER,
        response=[200],
        description="Age of the value in seconds, 0 when fresh",
    ),
]
WAITS = {
    "type": "object",
    "additionalProperties": {"type": "integer"},
    "description": "EWT in seconds by virtual queue name; unknown queues are left out",
}
EWT_FOR_VQ_FIELDS = {
    "type": "object",
    "properties": {
        "name": {**_TEXT, "description": "Virtual queue name (a comma-separated list is accepted)"},
        "aqt": {"type": "string", "enum": list(AQT_MODES)},
    },
}
QUEUE_POSITION = {
    "type": "object",
    "properties": {
        "_position": {"type": "integer", "description": "1 = next; 0 = no longer waiting"},
        "_eta": {"type": "integer", "description": "Estimated seconds until an agent takes it"},
        "_total_waiting": {"type": "integer"},
        "_agent_ready_threshold_passed": {"type": "boolean"},
        "ewt": {"type": "integer", "description": "Seconds, as _eta"},
    },
    "required": ["_position", "_eta", "_total_waiting", "_agent_ready_threshold_passed", "ewt"],
}


# --- request and response ------------------------------------------------------------


def _text(params: RequestParams, name: str) -> str:
    """A parameter as text, "" when absent; a JSON number counts as its text."""
    value = params.values.get(name)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise BadRequest(f"Parameter {name} must be a string")
    text = str(value)
    if not is_storable_text(text):
        raise BadRequest(f"Parameter {name} holds an invalid character")
    return text


def statistic_key(params: RequestParams) -> selectors.StatKey:
    """The statistic a PeekStat body names (stat.md §2.1); 400 on a missing or bad parameter."""
    metric = _text(params, "metric") or _text(params, "statisticType")
    required = {
        "objectId": _text(params, "objectId"),
        "objectType": _text(params, "objectType"),
        "tenant": _text(params, "tenant"),
        "metric": metric,
    }
    for name, value in required.items():
        if not value.strip():
            raise BadRequest(f"Parameter {name} is missing")
    mode = _text(params, "notificationMode") or selectors.DEFAULT_NOTIFICATION_MODE
    if mode not in selectors.NOTIFICATION_MODES:
        raise BadRequest(
            f"Parameter notificationMode must be one of {', '.join(selectors.NOTIFICATION_MODES)}"
        )
    return selectors.StatKey(
        metric=metric,
        object_type=required["objectType"],
        object_id=required["objectId"],
        tenant=required["tenant"],
        notification_mode=mode,
        filter=_text(params, "filter"),
        time_profile=_text(params, "timeProfile"),
        time_range=_text(params, "timeRange"),
        time_range2=_text(params, "timeRange2"),
    )


def max_age(request: Request) -> int | None:
    """The ``max-age`` of the ``Cache-Control`` request header; None when absent or malformed."""
    for directive in request.headers.get("Cache-Control", "").split(","):
        name, _, value = directive.partition("=")
        value = value.strip().strip('"')
        if name.strip().lower() == "max-age" and value.isascii() and value.isdigit():
            try:
                return int(value)
            except ValueError:  # more digits than Python converts
                return None
    return None


def _statistic(request: Request) -> Response:
    key = statistic_key(parse_params(request))
    reading, age = selectors.peek_statistic(key, max_age=max_age(request))
    body = {
        "name": key.metric,
        "objectId": key.object_id,
        "objectType": key.object_type,
        "tenant": key.tenant,
        "value": reading.value,
        "timestamp": reading.timestamp_ms,
    }
    return Response(body, headers={"Age": str(age)})


def _names(lists: list[str]) -> list[str]:
    """``a,b`` (the parameter possibly repeated) -> [a, b]."""
    return [name.strip() for text in lists for name in text.split(",") if name.strip()]


# --- views -------------------------------------------------------------------------


class StatisticView(GMSView):
    """``POST /genesys/1/statistic``: Basic auth always, ``[server]``'s or else the admin's."""

    @property
    def admin_only(self) -> bool:
        return auth.needs_admin_credentials()

    @extend_schema(
        summary="Peek a statistic",
        description="Basic auth is always required: the [server] credentials when [server] "
        "sets a password, else the admin credentials.",
        request=STATISTIC_BODY,
        parameters=STATISTIC_PARAMETERS,
        responses={(200, "application/json"): OpenApiResponse(STATISTIC), **STATISTIC_ERRORS},
        auth=ADMIN_AUTH,
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        return _statistic(request)


class InternalStatisticView(GMSView):
    """``POST /genesys/1/internal_statistic``: the same, for callers inside the network."""

    public = True

    @extend_schema(
        summary="Peek a statistic (internal, no authentication)",
        request=STATISTIC_BODY,
        parameters=STATISTIC_PARAMETERS,
        responses={
            (200, "application/json"): OpenApiResponse(STATISTIC),
            **{s: r for s, r in STATISTIC_ERRORS.items() if s != 401},
        },
        auth=[],
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        return _statistic(request)


class EwtForVqView(GMSView):
    """``GET|POST /genesys/1/service/ewt-for-vq?name=<vq>&aqt=<urs|urs2|stat>`` (EWT API v1).

    Every ``aqt`` gets the contact center's one estimate; POST reads the same
    fields from its body (the query string too).
    """

    auth_scope = "service.ewt-for-vq"

    def _waits(self, params: RequestParams) -> Response:
        names = _names([_text(params, "name")])
        if not names:
            raise BadRequest("Parameter name is missing")
        aqt = _text(params, "aqt")  # urs2 when absent
        if aqt and aqt not in AQT_MODES:
            raise BadRequest(f"Parameter aqt must be one of {', '.join(AQT_MODES)}")
        return Response(selectors.expected_waits(names))

    @extend_schema(
        summary="EWT of a virtual queue (EWT API v1)",
        parameters=[
            OpenApiParameter("name", str, required=True, description="Virtual queue name"),
            OpenApiParameter("aqt", str, enum=list(AQT_MODES), description="Default urs2"),
        ],
        responses={200: OpenApiResponse(WAITS), **error_responses(400, 401, 403)},
        auth=BASIC_AUTH,
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        return self._waits(RequestParams(values=dict(request.query_params.items())))

    @extend_schema(
        summary="EWT of a virtual queue (EWT API v1, form fields)",
        request=dict.fromkeys(FORM_OR_JSON, EWT_FOR_VQ_FIELDS),
        responses={200: OpenApiResponse(WAITS), **error_responses(400, 401, 403, 415)},
        auth=BASIC_AUTH,
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        body = parse_params(request)
        params = RequestParams(values={**request.query_params.dict(), **body.values})
        return self._waits(params)


class EwtView(GMSView):
    """``GET /genesys/2/ewt/{mode}?vq=a,b`` (EWT API v2).

    Every mode gets the contact center's one estimate; without ``vq``, every
    known virtual queue is answered.
    """

    @extend_schema(
        summary="EWT of virtual queues (EWT API v2)",
        parameters=[
            OpenApiParameter(
                "mode", str, OpenApiParameter.PATH, enum=list(EWT_MODES), description="ewt1-3"
            ),
            OpenApiParameter("vq", str, description="Comma-separated names; none = every queue"),
        ],
        responses={200: OpenApiResponse(WAITS), **error_responses(401, 403, 404)},
        auth=BASIC_AUTH,
        tags=TAGS,
    )
    def get(self, request: Request, mode: str) -> Response:
        if mode not in EWT_MODES:
            raise NotFound(f"EWT mode {mode} not found")
        names = _names(request.query_params.getlist("vq"))
        return Response(selectors.expected_waits(names or None))


class CheckQueuePositionView(GMSView):
    """``GET|POST /genesys/1/service/{serviceId}/check-queue-position`` (service.md §2.3).

    The id is the callback's: its interaction was queued with that ``source_id``.
    Only the ``[server]`` credentials apply; the id itself is the secret handle.
    """

    @extend_schema(
        summary="Position of a service's interaction in its queue",
        parameters=[
            OpenApiParameter("service_id", str, OpenApiParameter.PATH, description="Service id")
        ],
        request=None,
        responses={200: OpenApiResponse(QUEUE_POSITION), **error_responses(401, 403, 404)},
        auth=BASIC_AUTH,
        tags=TAGS,
    )
    def get(self, request: Request, service_id: str) -> Response:
        position = selectors.queue_position(service_id)
        return Response(
            {
                "_position": position.position,
                "_eta": position.eta,
                "_total_waiting": position.total_waiting,
                "_agent_ready_threshold_passed": position.agent_ready_threshold_passed,
                "ewt": position.eta,
            }
        )

    post = get
