"""Callback Services API (callback.md §3): create, query, cancel, reschedule, availability."""

import csv
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.http import HttpResponse, QueryDict
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from apps.callback import selectors, services, user_originated
from apps.callback.dialer import OutcomeTokenAuthentication
from apps.callback.errors import CALLBACK, callback_error, envelope
from apps.callback.models import Callback, Reason, State
from apps.callback.services import IMMEDIATE_TOLERANCE
from apps.contactcenter import selectors as contactcenter_selectors
from apps.contactcenter.apis import AgentView
from apps.core.parsing import parse_params
from apps.core.schema import BASIC_AUTH
from apps.core.text import is_storable_text
from apps.core.times import format_local, format_utc, parse_utc
from apps.core.views import GMSView
from apps.officehours.rules import timezone_problem

# Availability windows longer than this are refused (our choice: keeps a query cheap).
MAX_WINDOW = timedelta(days=31)
MAX_EPOCH_MS = 253402300799999  # 9999-12-31T23:59:59.999Z
# Times the slot arithmetic can step past without overflowing (our choice).
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(9000, 1, 1, tzinfo=UTC)

RECORDS = inline_serializer(
    name="CallbackRecord",
    many=True,
    help_text="every value a string, plus the user keys",
    fields={
        "_id": serializers.CharField(),
        "_service_name": serializers.CharField(),
        "_customer_number": serializers.CharField(),
        "_desired_time": serializers.CharField(help_text="yyyy-MM-ddTHH:mm:ss.SSSZ"),
        "_callback_state": serializers.ChoiceField(
            choices=["SCHEDULED", "QUEUED", "PAUSED", "ROUTING", "PROCESSING", "COMPLETED"]
        ),
        "_callback_reason": serializers.CharField(required=False),
        "_expiration_time": serializers.CharField(),
        "_urs_virtual_queue": serializers.CharField(),
        "_ors_session_id": serializers.CharField(allow_blank=True),
        "_url": serializers.CharField(),
        "url": serializers.CharField(),
    },
)
CONFIRMATION = inline_serializer(
    name="CallbackConfirmation",
    fields={
        "_id": serializers.CharField(),
        "_action": serializers.CharField(help_text="ConfirmationDialog"),
        "_text": serializers.CharField(),
        "_ok_title": serializers.CharField(),
        "_dialog_id": serializers.CharField(),
    },
)
DIAL_NUMBER = inline_serializer(
    name="CallbackDialNumber",
    fields={
        "_id": serializers.CharField(),
        "_action": serializers.CharField(help_text="DialNumber"),
        "_tel_url": serializers.CharField(help_text="tel:<access number>"),
        "_label": serializers.CharField(),
        "_dialog_id": serializers.CharField(),
        "_access_code": serializers.CharField(required=False, help_text="with _provide_code"),
    },
)
CREATE_BODY = inline_serializer(
    name="CallbackCreate",
    fields={
        "_customer_number": serializers.CharField(),
        "_desired_time": serializers.CharField(required=False, help_text="ISO UTC; omit = now"),
        "_urs_virtual_queue": serializers.CharField(required=False),
        "_call_direction": serializers.CharField(
            required=False, help_text="USERTERMINATED or USERORIGINATED"
        ),
        "_provide_code": serializers.BooleanField(
            required=False, help_text="USERORIGINATED: also reserve an access code"
        ),
        "_redirect": serializers.CharField(
            required=False, help_text="when _overwritable_options lists it"
        ),
        "first_name": serializers.CharField(required=False, help_text="any user key"),
    },
)
RESCHEDULE_BODY = inline_serializer(
    name="CallbackReschedule",
    fields={
        "_new_desired_time": serializers.CharField(required=False),
        "note": serializers.CharField(required=False, help_text="any user key; '' deletes it"),
    },
)
ERROR = inline_serializer(
    name="CallbackError",
    fields={
        "code": serializers.IntegerField(),
        "phrase": serializers.CharField(),
        "exception": serializers.CharField(),
        "message": serializers.CharField(),
        "availability": serializers.DictField(child=serializers.IntegerField(), required=False),
    },
)
AVAILABILITY_V2 = inline_serializer(
    name="CallbackAvailabilityV2",
    fields={
        "durationMin": serializers.IntegerField(),
        "timezone": serializers.CharField(required=False),
        "slots": inline_serializer(
            name="CallbackSlot",
            many=True,
            fields={
                "utcTime": serializers.CharField(),
                "localTime": serializers.CharField(required=False),
                "capacity": serializers.IntegerField(),
                "total": serializers.IntegerField(),
            },
        ),
    },
)


def errors(*statuses: int) -> dict[int, OpenApiResponse]:
    return {status: OpenApiResponse(ERROR) for status in statuses}


def bodies(serializer: object) -> dict[str, object]:
    return {
        media: serializer
        for media in (
            "application/json",
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        )
    }


def _base_url(request: Request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _records(request: Request, callbacks: list[Callback]) -> list[dict[str, str]]:
    base = _base_url(request)
    return [selectors.record(callback, base) for callback in callbacks]


class CallbackView(GMSView):
    """``[callback]`` credentials override ``[server]`` (responses.md §4); every error body
    carries ``code`` and ``phrase`` (callback.md §3.1)."""

    def get_auth_scope(self) -> str | None:
        return "callback"

    def handle_exception(self, exc: Exception) -> Response:
        response = super().handle_exception(exc)
        if isinstance(response.data, dict) and "message" in response.data:
            for key, value in envelope(response.status_code).items():
                response.data.setdefault(key, value)
        return response


def _filters(query: QueryDict, allowed: set[str]) -> tuple[list[tuple[str, str, bool]], str]:
    """§3.5: ``key=value`` (``!value`` negates) and ``operand`` AND|OR."""
    operand = query.get("operand", "AND").upper()
    if operand not in ("AND", "OR"):
        raise callback_error("operand must be AND or OR")
    filters: list[tuple[str, str, bool]] = []
    for key in query:
        if key == "operand":
            continue
        if key not in allowed:
            # Our choice (UNCONFIRMED): a key that is not a lookup key is refused.
            raise callback_error(f"Key {key} is not searchable", exception=CALLBACK)
        value = query.getlist(key)[-1]
        negated = value.startswith("!")
        filters.append((key, value[1:] if negated else value, negated))
    return filters, operand


QUERY_PARAMETERS = [
    OpenApiParameter("_id", str, description="callback id"),
    OpenApiParameter("_customer_number", str, description="exact value; '!' prefix negates"),
    OpenApiParameter("_callback_state", str, description="exact value; '!' prefix negates"),
    OpenApiParameter("operand", str, enum=["AND", "OR"], default="AND"),
]


class CallbackQueryView(CallbackView):
    @extend_schema(
        operation_id="callback_query",
        summary="Query callbacks by _id or by properties, over every callback service",
        parameters=QUERY_PARAMETERS,
        responses={200: OpenApiResponse(RECORDS), **errors(400, 401)},
        auth=BASIC_AUTH,
    )
    def get(self, request: Request) -> Response:
        filters, operand = _filters(
            request.query_params, selectors.searchable_keys(selectors.callback_services())
        )
        found = selectors.search(
            service_names=None, filters=filters, operand=operand, now=timezone.now()
        )
        return Response(_records(request, found))


class CallbackServiceView(CallbackView):
    @extend_schema(
        operation_id="callback_create",
        summary="Start a callback, immediate or scheduled",
        description=(
            "USERTERMINATED answers a ConfirmationDialog, an immediate USERORIGINATED a "
            "DialNumber dialog with a reserved access number. With `_redirect` the answer "
            "is that of `POST /genesys/1/service/{_redirect}`."
        ),
        request=bodies(CREATE_BODY),
        responses={
            200: OpenApiResponse(
                PolymorphicProxySerializer(
                    component_name="CallbackCreated",
                    serializers=[CONFIRMATION, DIAL_NUMBER],
                    resource_type_field_name=None,
                )
            ),
            **errors(400, 401, 404, 503),
        },
        auth=BASIC_AUTH,
    )
    def post(self, request: Request, service_name: str) -> HttpResponse:
        params = parse_params(request).values
        redirect = user_originated.redirect_of(service_name, params)
        if redirect:
            return user_originated.answer_redirected(request, redirect)
        options, token_params = selectors.request_options(service_name, params)
        callback = services.create_callback(
            options=options, params=params, token_params=token_params, now=timezone.now()
        )
        scheduled = callback.desired_time > callback.created_at + IMMEDIATE_TOLERANCE
        if options.call_direction == user_originated.USERORIGINATED and (
            callback.state == State.QUEUED  # immediate, or due within the execution buffer
        ):
            return Response(user_originated.dial_number(callback))
        return Response(
            {
                "_id": callback.pk,
                "_action": "ConfirmationDialog",
                "_text": "Your callback has been scheduled"
                if scheduled
                else "You will receive the call shortly",
                "_ok_title": "Ok",
                "_dialog_id": "0",
            }
        )

    @extend_schema(
        operation_id="callback_query_service",
        summary="Query one service's callbacks by properties",
        parameters=QUERY_PARAMETERS,
        responses={200: OpenApiResponse(RECORDS), **errors(400, 401, 404)},
        auth=BASIC_AUTH,
    )
    def get(self, request: Request, service_name: str) -> Response:
        configured = selectors.service_options(service_name)
        filters, operand = _filters(
            request.query_params, selectors.searchable_keys({service_name: configured})
        )
        found = selectors.search(
            service_names=[service_name], filters=filters, operand=operand, now=timezone.now()
        )
        return Response(_records(request, found))


class CallbackItemView(CallbackView):
    @extend_schema(
        operation_id="callback_cancel",
        summary="Cancel a callback (empty 200)",
        parameters=[OpenApiParameter("discard_ors_failure", bool, default=False)],
        responses={200: OpenApiResponse(description="empty body"), **errors(400, 401, 404)},
        auth=BASIC_AUTH,
    )
    def delete(self, request: Request, service_name: str, callback_id: str) -> Response:
        selectors.service_options(service_name)
        services.cancel_callback(
            service_name=service_name, callback_id=callback_id, now=timezone.now()
        )
        return Response(status=200)

    @extend_schema(
        operation_id="callback_reschedule",
        summary="Reschedule a callback and/or change its user data (empty 200)",
        request=bodies(RESCHEDULE_BODY),
        responses={200: OpenApiResponse(description="empty body"), **errors(400, 401, 404)},
        auth=BASIC_AUTH,
    )
    def put(self, request: Request, service_name: str, callback_id: str) -> Response:
        params = parse_params(request).values
        options, _ = selectors.request_options(service_name, params)
        services.reschedule_callback(
            options=options, callback_id=callback_id, params=params, now=timezone.now()
        )
        return Response(status=200)


# --- availability ---------------------------------------------------------------------


def _int(query: QueryDict, name: str, *, maximum: int) -> int | None:
    text = query.get(name, "").strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit()) or int(text) > maximum:
        raise callback_error(f"{name} must be a whole number from 0 to {maximum}")
    return int(text)


def _time(query: QueryDict, name: str, zone: ZoneInfo | None) -> datetime | None:
    """An ISO time; without a zone it is read in ``timezone`` when given, else UTC."""
    text = query.get(name, "").strip()
    if not text:
        return None
    try:
        if len(text) > 6 and text[-6] == " ":  # '+hh:mm' whose '+' became ' '
            text = f"{text[:-6]}+{text[-5:]}"
        value = datetime.fromisoformat(text)
        if value.tzinfo is None and zone is not None:
            return value.replace(tzinfo=zone).astimezone(UTC)
        return parse_utc(text)
    except (ValueError, OverflowError):
        raise callback_error(f"Invalid {name} {text[:100]!r}: expected ISO-8601") from None


def _epoch_ms(query: QueryDict, name: str) -> datetime | None:
    value = _int(query, name, maximum=MAX_EPOCH_MS)
    return None if value is None else datetime.fromtimestamp(value / 1000, UTC)


def _window(query: QueryDict, zone: ZoneInfo | None = None) -> tuple[datetime, datetime]:
    """start (default now) and end (default start + number-of-days, else 24 h, our choice)."""
    start = _time(query, "start", zone) or _epoch_ms(query, "start-ms") or timezone.now()
    end = _time(query, "end", zone) or _epoch_ms(query, "end-ms")
    days = _int(query, "number-of-days", maximum=MAX_WINDOW.days)
    if not EARLIEST <= start <= LATEST:
        raise callback_error("start must lie between 1970 and 9000")
    if end is None:
        end = start + (timedelta(days=days) if days is not None else timedelta(hours=24))
    if not start <= end <= LATEST:
        raise callback_error("end must lie after start and before 9000")
    if end - start > MAX_WINDOW:
        raise callback_error(f"The window from start to end is at most {MAX_WINDOW.days} days")
    return start, end


AVAILABILITY_PARAMETERS = [
    OpenApiParameter("start", str, description="ISO UTC; default now"),
    OpenApiParameter("end", str, description="ISO UTC"),
    OpenApiParameter("number-of-days", int, description="alternative to end; default 1 day"),
    OpenApiParameter("max-time-slots", int),
]


class AvailabilityV1View(CallbackView):
    """Our choice (UNCONFIRMED): POST with form parameters answers like GET (old clients)."""

    @extend_schema(
        operation_id="callback_availability",
        summary="Free slots as {slot start: remaining}",
        parameters=AVAILABILITY_PARAMETERS,
        responses={
            200: OpenApiResponse(
                inline_serializer(
                    name="CallbackAvailabilityV1",
                    fields={"2024-06-03T14:30:00.000Z": serializers.IntegerField()},
                )
            ),
            **errors(400, 401, 404),
        },
        auth=BASIC_AUTH,
    )
    def get(self, request: Request, service_name: str) -> Response:
        return self._answer(request, service_name, request.query_params)

    @extend_schema(
        operation_id="callback_availability_form",
        summary="Free slots (form parameters, for old clients)",
        request={"application/x-www-form-urlencoded": OpenApiTypes.OBJECT},
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT), **errors(400, 401, 404)},
        auth=BASIC_AUTH,
    )
    def post(self, request: Request, service_name: str) -> Response:
        query = QueryDict(mutable=True)
        for key, value in parse_params(request).values.items():
            if isinstance(value, str):
                query[key] = value
        return self._answer(request, service_name, query)

    def _answer(self, request: Request, service_name: str, query: QueryDict) -> Response:
        options, _ = selectors.request_options(service_name, {})
        start, end = _window(query)
        limit = _int(query, "max-time-slots", maximum=100000)
        found = selectors.slots(options, start=start, end=end, limit=limit)
        return Response({format_utc(slot.start): slot.capacity for slot in found})


class AvailabilityV2View(CallbackView):
    @extend_schema(
        operation_id="callback_availability_v2",
        summary="Slots with remaining and total capacity",
        parameters=[
            *AVAILABILITY_PARAMETERS,
            OpenApiParameter("start-ms", int, description="epoch milliseconds"),
            OpenApiParameter("end-ms", int, description="epoch milliseconds"),
            OpenApiParameter("timezone", str, description="IANA id for start/end and localTime"),
            OpenApiParameter("report-busy", bool, default=False),
        ],
        responses={200: OpenApiResponse(AVAILABILITY_V2), **errors(400, 401, 404)},
        auth=BASIC_AUTH,
    )
    def get(self, request: Request, service_name: str) -> Response:
        query = request.query_params
        options, _ = selectors.request_options(service_name, {})
        zone_name = query.get("timezone", "").strip()
        zone = None
        if zone_name:
            problem = timezone_problem(zone_name)
            if problem:
                raise callback_error(problem)
            zone = ZoneInfo(zone_name)
        report_busy = query.get("report-busy", "false").strip().lower()
        if report_busy not in ("true", "false"):
            raise callback_error("report-busy must be true or false")
        start, end = _window(query, zone)
        limit = _int(query, "max-time-slots", maximum=100000)
        found = selectors.slots(
            options, start=start, end=end, report_busy=report_busy == "true", limit=limit
        )
        body: dict[str, object] = {"durationMin": options.bucket_minutes}
        if zone is not None:
            body["timezone"] = zone.key
        body["slots"] = [
            {
                "utcTime": format_utc(slot.start),
                **({"localTime": format_local(slot.start.astimezone(zone))} if zone else {}),
                "capacity": slot.capacity,
                "total": slot.total,
            }
            for slot in found
        ]
        return Response(body)


# --- the desk's dial outcome (issue #5) ---------------------------------------------------


class OutcomeView(AgentView):
    """``POST /api/agent/callbacks/<interaction id>/outcome``: session or Basic auth, only
    the agent holding the callback's interaction (404 for work the agent never held, 409
    when it is not in progress with them); or the ``token`` of the webhook dialer's
    ``outcomeUrl``, which acts as that agent (apps.callback.dialer)."""

    authentication_classes = [OutcomeTokenAuthentication, *AgentView.authentication_classes]

    @extend_schema(
        operation_id="agent_callback_outcome",
        summary="Report the outcome of dialling a callback; completes the interaction",
        request=inline_serializer(
            name="CallbackOutcome",
            fields={"outcome": serializers.ChoiceField(choices=list(services.OUTCOMES))},
        ),
        responses={200: OpenApiResponse(RECORDS.child), **errors(400, 403, 404, 409)},
        tags=["contact center: agent"],
    )
    def post(self, request: Request, interaction_id: int) -> Response:
        interaction = contactcenter_selectors.interaction_for_agent(interaction_id, self.agent)
        if interaction.source != "callback":
            raise callback_error(f"Interaction {interaction_id} is not a callback")
        outcome = parse_params(request).values.get("outcome")
        if not isinstance(outcome, str):
            raise callback_error(f"outcome must be one of {', '.join(services.OUTCOMES)}")
        callback = services.record_outcome(
            callback_id=interaction.source_id, outcome=outcome, agent=self.agent, now=timezone.now()
        )
        return Response(selectors.record(callback, _base_url(request)))


# --- admin (§3.8, §3.9) ---------------------------------------------------------------------

MAX_IDS = 1000  # ids per bulk cancel (our choice)
STATES = {state.value for state in State}


class AdminView(CallbackView):
    admin_only = True


def _admin_time(query: QueryDict, name: str, default: datetime) -> datetime:
    text = query.get(name, "").strip()
    if not text:
        return default
    try:
        value = parse_utc(text)
    except (ValueError, OverflowError):
        raise callback_error(f"Invalid {name} {text[:100]!r}: expected ISO UTC") from None
    if not EARLIEST <= value <= LATEST:
        raise callback_error(f"{name} must lie between 1970 and 9000")
    return value


class AdminQueuesView(AdminView):
    """The window defaults to now - 15 min .. now + 24 h. UNCONFIRMED choices: ``max``
    limits each service; a ``target`` that is no callback service is a 404; query keys
    outside ``filter-keys`` are ignored."""

    @extend_schema(
        operation_id="callback_admin_queues",
        summary="Callbacks per service in a desired-time window",
        parameters=[
            OpenApiParameter("target", str, description="service name; omit = all"),
            OpenApiParameter("start_time", str, description="ISO UTC; default now - 15 min"),
            OpenApiParameter("end_time", str, description="ISO UTC; default now + 24 h"),
            OpenApiParameter("max", int, description="records per service"),
            OpenApiParameter("states", str, description="comma list, e.g. QUEUED,SCHEDULED"),
            OpenApiParameter("_callback_reason", str, description="any filter-keys key"),
        ],
        responses={
            200: OpenApiResponse(
                inline_serializer(name="CallbackQueues", fields={"cb-sales": RECORDS})
            ),
            **errors(400, 401, 404),
        },
        auth=BASIC_AUTH,
    )
    def get(self, request: Request) -> Response:
        query = request.query_params
        now = timezone.now()
        target = query.get("target", "").strip()
        if target:
            selectors.service_options(target)
            names = [target]
        else:
            names = sorted(selectors.callback_services())
        start = _admin_time(query, "start_time", now - timedelta(minutes=15))
        end = _admin_time(query, "end_time", now + timedelta(hours=24))
        limit = _int(query, "max", maximum=100000)
        states = None
        if query.get("states", "").strip():
            states = [state.strip().upper() for state in query["states"].split(",")]
            unknown = [state for state in states if state and state not in STATES]
            if unknown:
                raise callback_error(f"Unknown callback state {unknown[0][:20]!r}")
        filters = {}
        for key in selectors.filter_keys():
            value = query.get(key)
            if value:
                filters[key] = value
        found = selectors.by_queues(
            service_names=names,
            start=start,
            end=end,
            states=states,
            filters=filters,
            limit=limit,
            now=now,
        )
        return Response({name: _records(request, callbacks) for name, callbacks in found.items()})


class AdminWatermarksView(AdminView):
    """A ``service_name`` that is no callback service counts 0 (UNCONFIRMED, our choice)."""

    @extend_schema(
        operation_id="callback_admin_watermarks",
        summary="Callbacks QUEUED, ROUTING or PROCESSING per service",
        parameters=[OpenApiParameter("service_name", str, many=True)],
        responses={
            200: OpenApiResponse(
                inline_serializer(
                    name="CallbackWatermarks",
                    fields={
                        "services": serializers.DictField(child=serializers.IntegerField()),
                        "total": serializers.IntegerField(),
                    },
                )
            ),
            **errors(401),
        },
        auth=BASIC_AUTH,
    )
    def get(self, request: Request) -> Response:
        names = [name for name in request.query_params.getlist("service_name") if name]
        counts = selectors.watermarks(names or sorted(selectors.callback_services()))
        return Response({"services": counts, "total": sum(counts.values())})


def _strings(value: object, name: str, *, limit: int) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise callback_error(f"{name} must be a list of strings")
    if len(value) > limit:
        raise callback_error(f"{name} holds at most {limit} values")
    return value


class AdminCancelView(AdminView):
    """Without ``reason`` the callbacks get ``CANCELLED_BY_ADMIN`` (UNCONFIRMED, our choice)."""

    @extend_schema(
        operation_id="callback_admin_cancel",
        summary="Cancel callbacks by id; a result per id",
        request=inline_serializer(
            name="CallbackAdminCancel",
            fields={
                "reason": serializers.CharField(required=False, default="CANCELLED_BY_ADMIN"),
                "ids": serializers.ListField(child=serializers.CharField()),
            },
        ),
        responses={
            200: OpenApiResponse(
                inline_serializer(
                    name="CallbackAdminCancelResults",
                    fields={"id1": CONFIRMATION},
                )
            ),
            **errors(400, 401),
        },
        auth=BASIC_AUTH,
    )
    def post(self, request: Request) -> Response:
        params = parse_params(request).values
        reason = params.get("reason") or Reason.CANCELLED_BY_ADMIN
        if not isinstance(reason, str) or len(reason) > 100 or not is_storable_text(reason):
            raise callback_error("reason must be text of at most 100 characters")
        ids = _strings(params.get("ids"), "ids", limit=MAX_IDS)
        results = services.admin_cancel(callback_ids=ids, reason=reason, now=timezone.now())
        return Response(
            {
                callback_id: {
                    "_action": "ConfirmationDialog",
                    "_text": "Callback cancelled"
                    if ok
                    else "Callback not found or not cancellable",
                    "_ok_title": "Ok" if ok else "FAILURE_MISSING",
                }
                for callback_id, ok in results.items()
            }
        )


class AdminReportCancelledView(AdminView):
    """CSV: ``_id`` then ``exported_properties`` in request order, a record's value or ""
    (UNCONFIRMED, our choice)."""

    @extend_schema(
        operation_id="callback_admin_report_cancelled",
        summary="Export callbacks completed with a reason, as CSV",
        request=inline_serializer(
            name="CallbackReportCancelled",
            fields={
                "callback_reason": serializers.CharField(),
                "exported_properties": serializers.ListField(
                    child=serializers.CharField(), required=False
                ),
            },
        ),
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR),
            **errors(400, 401),
        },
        auth=BASIC_AUTH,
    )
    def post(self, request: Request) -> HttpResponse:
        params = parse_params(request).values
        reason = params.get("callback_reason")
        if not isinstance(reason, str) or not reason or len(reason) > 100:
            raise callback_error("callback_reason must be text of 1 to 100 characters")
        columns = [
            "_id",
            *_strings(params.get("exported_properties", []), "exported_properties", limit=100),
        ]
        base = _base_url(request)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        writer = csv.writer(response, lineterminator="\n")
        writer.writerow(columns)
        for callback in selectors.completed_with(reason, now=timezone.now()):
            data = selectors.record(callback, base)
            writer.writerow([data.get(column, "") for column in columns])
        return response
