"""User-originated callbacks and ``_redirect`` (callback.md §3.1).

USERORIGINATED: the customer dials in. An immediate callback reserves an access number
(and code) exactly as the request-interaction service does, for an instance whose ``_id``
is the callback's, so that match-interaction on that number finds the callback. The
answer is a DialNumber dialog. The reservation's options are the callback service's
(``_resource_group`` default DNIS, ``_provide_code``, ``_booking_expiration_timeout``
else 30 s, callback.md §6.2); the instance keeps the callback's user data for its ``_ttl``.

A scheduled USERORIGINATED callback is not dialled either (UNCONFIRMED; our choice): when
it falls due (:func:`invite`), it reserves an access number the same way, for
``_booking_expiration_timeout`` from then, and its user's device gets the push
``{"_id", "_action": "DialNumber"}`` (push.md §8); the app then dials. A pool without a
free number fails it like a refused submit (COMPLETED/SUBMIT_FAILED). Options a create
request gave for the reservation (``_provide_code``...) are not kept: the service's own
options apply at the due time.

When the customer dials in, match-interaction matches the reservation and
:func:`apps.callback.services.answer_inbound_call` queues the call for an agent.

``_redirect``: the create answers as ``POST /genesys/1/service/<redirect>`` would, with
the same request. Only the callback's own credentials are checked (the redirect target
is the callback service's choice, not the caller's, unless ``_overwritable_options``
lists ``_redirect``). Errors of the target keep the callback envelope (code, phrase).
"""

import contextlib
from collections.abc import Mapping
from datetime import datetime
from functools import partial

from django.db import transaction
from django.http import HttpResponse
from rest_framework.request import Request

from apps.callback import selectors
from apps.callback.models import Callback
from apps.callback.notifications import DIAL_NUMBER, user_push
from apps.core.config import resolve_options
from apps.core.errors import NotFound
from apps.notification.services import queue
from apps.services import registry
from apps.services import selectors as service_selectors
from apps.services import services as service_instances
from apps.services.params import access_request

USERORIGINATED = "USERORIGINATED"
# callback.md §6.2: ``_booking_expiration_timeout`` defaults to 30 s for callbacks.
BOOKING_TIMEOUT = "30"
LABEL = "Calling the contact center"


def redirect_of(service_name: str, params: Mapping[str, object]) -> str:
    """The service whose answer this create request gets: '' when none."""
    options = resolve_options(selectors.service_options(service_name), params).options
    return options.get("_redirect", "").strip()


def answer_redirected(request: Request, redirect: str) -> HttpResponse:
    """The answer of ``POST /genesys/1/service/{redirect}`` to this very request."""
    return registry.respond(request, redirect)


def reserve_access(callback: Callback, *, params: Mapping[str, object], now: datetime) -> None:
    """Reserve an access number for a USERORIGINATED callback, in the caller's transaction;
    the customer's number is the ANI a match may check. The callback's instance is
    started by its first reservation; a callback due again (a retried dial outcome) adds
    one to its live instance."""
    configured = resolve_options(selectors.service_options(callback.service_name), params)
    options = {"_booking_expiration_timeout": BOOKING_TIMEOUT, **configured.options}
    access = access_request(options, {**params, "_phone_number": callback.customer_number})
    try:
        service_selectors.get_instance(callback.pk)
    except NotFound:
        service_instances.request_interaction(
            service_name=callback.service_name,
            ttl=int(callback.options.get("_ttl", "86400")),
            values=callback.user_data,
            access=access,
            now=now,
            service_id=callback.pk,
        )
    else:
        service_instances.request_access(service_id=callback.pk, access=access, now=now)


def invite(callback: Callback, *, now: datetime) -> None:
    """A scheduled USERORIGINATED callback falls due (just moved to QUEUED): reserve its
    access number and, after the commit, push DialNumber to its user's device, if it
    named one. A refusal (no free number) is raised."""
    reserve_access(callback, params={}, now=now)
    push = user_push(callback, DIAL_NUMBER)
    if push:
        transaction.on_commit(partial(queue, [push]), robust=True)


def release(callback: Callback) -> None:
    """The callback left the queue (cancelled, rescheduled): its access numbers go back to
    the pool and a later call to them matches nothing (service.md §2.4)."""
    with contextlib.suppress(NotFound):
        service_instances.delete_instance(service_id=callback.pk)


def dial_number(callback: Callback) -> dict[str, str]:
    """The DialNumber dialog of a USERORIGINATED callback (callback.md §3.1, our choice)."""
    reservation = service_selectors.reservation_of(callback.pk)
    if reservation is None:  # only a USERORIGINATED callback queued at its create has one
        raise ValueError(f"Callback {callback.pk} has no access number")
    body = {
        "_id": callback.pk,
        "_action": DIAL_NUMBER,
        "_tel_url": f"tel:{reservation.access_number}",
        "_label": LABEL,
        "_dialog_id": "0",
    }
    if reservation.access_code:
        body["_access_code"] = reservation.access_code
    return body
