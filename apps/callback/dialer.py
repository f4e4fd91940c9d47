"""The pluggable dialer: who calls the customer once an agent accepts a callback.

GMS dials from its ORS workflow; we have none, so dialling is pluggable (README "What we
add beyond GMS"). The callback service chooses with options of our own naming:

* ``_dialer`` = ``desk`` (default): nothing is sent. The agent dials from the desk (a
  ``tel:`` link) and posts the outcome to ``POST /api/agent/callbacks/<interaction
  id>/outcome``.
* ``_dialer`` = ``webhook``: when the agent accepts, a Celery task POSTs JSON to
  ``_dialer_url`` (an http(s) URL, required)::

      {"_id": "<callback id>", "_service_name": "cb-sales",
       "_customer_number": "+14155550142", "_desired_time": "2024-06-03T14:30:00.000Z",
       "agent": "<agent user name>", "interaction": 42, "attempt": 1,
       "outcomeUrl": "<GMS_PUBLIC_URL>/api/agent/callbacks/42/outcome?token=...",
       "outcomes": ["CONNECTED", "NO_ANSWER", "BUSY", "WRONG_NUMBER"]}

  Any 2xx answer means the telephony system took the dial; anything else (another
  status, a redirect, no answer within ``TIMEOUT_SECONDS``) is a failed attempt. Up to
  ``_dialer_attempts`` (default 3) attempts, ``RETRY_DELAYS`` apart (5 s, then 15 s); after
  the last failure the interaction is completed with disposition ``DIAL_FAILED`` and
  the callback ends COMPLETED/FAIL_ERROR. A retried POST carries the same interaction
  id, so the telephony system can recognise a dial it already started.

  The telephony system reports the result by POSTing ``{"outcome": "CONNECTED"}`` to
  ``outcomeUrl``. It authenticates with the URL's ``token``: a value signed with the
  server's SECRET_KEY that names that one interaction and acts as the agent who
  accepted it (:class:`OutcomeTokenAuthentication`), so the telephony system holds no
  agent password nor the admin's; once the outcome is recorded the token is worthless.
  The desk shows "Dialled by the telephony system" and no outcome buttons; the agent
  API still takes the agent's own outcome (a telephony system that never reports).

The choice is copied into the interaction's user data as ``_dialer`` when the callback is
submitted, so the desk's callback panel (static/desk/callback.js) knows who dials.

A callback cancelled (DELETE, admin cancel) before its dial is sent is not dialled, and
its interaction is completed with the cancel reason as disposition.
"""

import json
import logging
from collections.abc import Iterable
from datetime import datetime
from typing import Protocol
from urllib.parse import urlsplit

from celery import shared_task
from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from apps.callback.models import Callback, State
from apps.callback.services import OUTCOMES
from apps.contactcenter import selectors as contactcenter_selectors
from apps.contactcenter import services as contactcenter
from apps.contactcenter.models import Interaction, InteractionState
from apps.core import outbound
from apps.core.config import Options, check_int, register_validator
from apps.core.times import format_utc

logger = logging.getLogger(__name__)

DESK = "desk"
WEBHOOK = "webhook"
# The disposition of an interaction whose webhook dial failed for good.
DIAL_FAILED = "DIAL_FAILED"
# Seconds between attempts: after the first failure, then after every later one.
RETRY_DELAYS = (5, 15)
# Seconds a telephony system has to answer a dial request (the embedded Celery worker is
# one thread that the callback dispatcher shares, as for push, apps.notification.delivery).
TIMEOUT_SECONDS = 5
TOKEN_SALT = "apps.callback.dialer.outcome"


class Dialer(Protocol):
    def dial(self, callback: Callback, interaction: Interaction) -> None:
        """Start calling the customer for the agent who accepted ``interaction``.

        Called inside the accepting transaction: send nothing before it commits.
        """


class DeskDialer:
    """The agent dials from the desk and posts the outcome: there is nothing to send."""

    def dial(self, callback: Callback, interaction: Interaction) -> None:
        return None


class WebhookDialer:
    """A telephony system behind ``_dialer_url`` dials; see the module docstring."""

    def dial(self, callback: Callback, interaction: Interaction) -> None:
        callback_id, interaction_id = callback.pk, interaction.pk
        transaction.on_commit(lambda: dial.delay(callback_id, interaction_id), robust=True)


DIALERS: dict[str, Dialer] = {DESK: DeskDialer(), WEBHOOK: WebhookDialer()}


def dialer_for(callback: Callback) -> Dialer:
    """The dialer the callback's service chose when the callback was created."""
    return DIALERS.get(callback.options.get("_dialer", DESK), DIALERS[DESK])


# --- the webhook dialer's task ------------------------------------------------------------


def outcome_token(interaction_id: int) -> str:
    return signing.dumps(interaction_id, salt=TOKEN_SALT)


def outcome_url(interaction_id: int) -> str:
    base = settings.GMS_PUBLIC_URL
    path = reverse("agent-callback-outcome", kwargs={"interaction_id": interaction_id})
    return f"{base.rstrip('/')}{path}?token={outcome_token(interaction_id)}"


def _dial_request(callback: Callback, interaction: Interaction, attempt: int) -> dict:
    return {
        "_id": callback.pk,
        "_service_name": callback.service_name,
        "_customer_number": callback.customer_number,
        "_desired_time": format_utc(callback.desired_time),
        "agent": interaction.agent.user.get_username(),
        "interaction": interaction.pk,
        "attempt": attempt,
        "outcomeUrl": outcome_url(interaction.pk),
        "outcomes": list(OUTCOMES),
    }


def _post(url: str, body: dict) -> bool:
    """Whether the telephony system took the dial (a 2xx answer)."""
    try:
        answer = outbound.post(
            url,
            json.dumps(body).encode(),
            content_type="application/json",
            timeout=TIMEOUT_SECONDS,
        )
    except outbound.PostFailed as error:
        logger.warning("Dial request to %s failed: %s", url, error)
        return False
    if not 200 <= answer.status < 300:
        logger.warning("Dial request to %s answered HTTP %s", url, answer.status)
        return False
    return True


def _accepted_work(callback_id: str, interaction_id: int) -> tuple[Callback, Interaction] | None:
    """The callback and its interaction, while that interaction is still accepted work."""
    callback = Callback.objects.filter(pk=callback_id).first()
    interaction = contactcenter_selectors.find_by_source(source="callback", source_id=callback_id)
    if callback is None or interaction is None or interaction.pk != interaction_id:
        return None
    if interaction.state != InteractionState.ACCEPTED:
        return None
    return callback, interaction


def _complete_dial(
    *, callback_id: str, interaction_id: int, disposition: str, now: datetime
) -> None:
    """Complete the callback's accepted interaction as its agent would, with ``disposition``.

    The callback's row is locked first, the order of the agent's own outcome, and the
    contact center's hook ends the callback by the disposition (apps.callback.lifecycle).
    """
    with transaction.atomic():
        Callback.objects.select_for_update().filter(pk=callback_id).first()  # the lock
        work = _accepted_work(callback_id, interaction_id)
        if work is None:
            return
        _, interaction = work
        try:
            contactcenter.complete(
                interaction=interaction,
                agent=interaction.agent,
                disposition=disposition,
                now=now,
            )
        except contactcenter.InvalidTransition:
            logger.info("Interaction %s was completed meanwhile", interaction_id)


def _dial_attempt(*, callback_id: str, interaction_id: int, attempt: int) -> bool | None:
    """Send attempt ``attempt``: True sent, False failed, None nothing left to dial.

    A callback cancelled meanwhile is not dialled: its interaction is completed with
    the cancel reason.
    """
    work = _accepted_work(callback_id, interaction_id)
    if work is None:
        return None
    callback, interaction = work
    if callback.state == State.COMPLETED:
        _complete_dial(
            callback_id=callback_id,
            interaction_id=interaction_id,
            disposition=callback.reason,
            now=timezone.now(),
        )
        return None
    return _post(
        callback.options.get("_dialer_url", ""), _dial_request(callback, interaction, attempt)
    )


def _attempts_allowed(callback_id: str) -> int:
    """``_dialer_attempts`` as the callback was created with (validated, at least 1)."""
    options = Callback.objects.filter(pk=callback_id).values_list("options", flat=True).first()
    return int((options or {}).get("_dialer_attempts", "3"))


@shared_task(bind=True, name="apps.callback.dialer.dial", max_retries=None)
def dial(self, callback_id: str, interaction_id: int) -> None:
    """POST the dial request; retried ``RETRY_DELAYS`` apart, then the dial fails for good."""
    attempt = self.request.retries + 1
    sent = _dial_attempt(callback_id=callback_id, interaction_id=interaction_id, attempt=attempt)
    if sent is not False:
        return
    if attempt < _attempts_allowed(callback_id):
        raise self.retry(countdown=RETRY_DELAYS[min(attempt, len(RETRY_DELAYS)) - 1])
    _complete_dial(
        callback_id=callback_id,
        interaction_id=interaction_id,
        disposition=DIAL_FAILED,
        now=timezone.now(),
    )


# --- the telephony system's credentials and the options -----------------------------------


class OutcomeTokenAuthentication(BaseAuthentication):
    """``?token=`` of an ``outcomeUrl``: the request acts as the agent who accepted that
    interaction. No token: the next authentication (session, Basic) decides."""

    def authenticate(self, request: Request):
        token = request.query_params.get("token")
        if token is None:
            return None
        kwargs = (request.parser_context or {}).get("kwargs", {})
        try:
            interaction_id = signing.loads(token, salt=TOKEN_SALT)
        except signing.BadSignature:
            raise AuthenticationFailed("Invalid outcome token") from None
        if interaction_id != kwargs.get("interaction_id"):
            raise AuthenticationFailed("The outcome token names another interaction")
        interaction = Interaction.objects.select_related("agent__user").filter(pk=interaction_id)
        interaction = interaction.first()
        if interaction is None or interaction.agent is None:
            raise AuthenticationFailed("No agent holds this interaction")
        return interaction.agent.user, None


class OutcomeTokenScheme(OpenApiAuthenticationExtension):
    """:class:`OutcomeTokenAuthentication` in the OpenAPI schema."""

    target_class = OutcomeTokenAuthentication
    name = "outcomeToken"

    def get_security_definition(self, auto_schema) -> dict:
        return {
            "type": "apiKey",
            "in": "query",
            "name": "token",
            "description": "The token of the webhook dialer's outcomeUrl",
        }


@register_validator("service:callback")
def validate_dialer(name: str, options: Options) -> Iterable[tuple[str, str]]:
    chosen = options.get("_dialer", "").strip().lower()
    if chosen not in ("", *DIALERS):
        yield "_dialer", f"must be one of {', '.join(DIALERS)}"
    url = options.get("_dialer_url", "").strip()
    if url and (urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc):
        yield "_dialer_url", "must be an http:// or https:// URL"
    if chosen == WEBHOOK and not url:
        yield "_dialer_url", "is required with _dialer=webhook"
    yield from check_int(options, "_dialer_attempts", minimum=1)
