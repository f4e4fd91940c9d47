"""Every write of a callback: create, cancel, reschedule, dispatch (callback.md §3, §4, §5).

Keyword-only arguments, one transaction each. State changes go through
:mod:`apps.callback.machine`.
"""

import json
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from apps.callback import machine, selectors, user_originated
from apps.callback.errors import AVAILABILITY, UNAVAILABLE, callback_error
from apps.callback.models import AdmissionLock, BucketLock, Callback, Reason, State
from apps.callback.options import CallbackOptions
from apps.callback.pausing import paused_services
from apps.capacity.slots import SLOT_FULL, bucket_start, slot_problem
from apps.contactcenter import selectors as contactcenter_selectors
from apps.contactcenter import services as contactcenter
from apps.contactcenter.models import Interaction, InteractionState
from apps.core.errors import INVALID_PARAMETER, GMSError
from apps.core.parsing import flat_items
from apps.core.text import is_storable_text
from apps.core.times import format_utc, parse_utc
from apps.node.selectors import is_accepting_work
from apps.patterns.selectors import match_fields, pattern_group
from apps.phonenumber.selectors import validate_customer_number

logger = logging.getLogger(__name__)

# A _desired_time up to this far ahead still means "now" (callback.md §3.1 "small tolerance").
IMMEDIATE_TOLERANCE = timedelta(seconds=1)
# Callbacks per dispatcher call (the next beat tick takes the rest), and per transaction.
CLAIM_LIMIT = 2000
CLAIM_BATCH = 100
# Between two beat ticks, the dispatcher runs again when a callback falls due, at most
# this often: a callback waits about this long, not a whole beat period.
DISPATCH_STEP = timedelta(seconds=0.25)
MAX_NUMBER_LENGTH = 100
MAX_KEY_LENGTH = 200
# The in-queue duplicate rule (callback.md §5 step 5): "already has 2 callbacks in queue".
IN_QUEUE_DUPLICATES = 2
IN_QUEUE = (State.QUEUED, State.PAUSED, State.ROUTING)


# --- reading a request --------------------------------------------------------------


def _text(value: object) -> str:
    """Every stored value is a string (callback.md §2): JSON numbers, booleans and objects
    are kept as their JSON text."""
    return value if isinstance(value, str) else json.dumps(value)


def _storable(key: str, value: str) -> None:
    if len(key) > MAX_KEY_LENGTH or not is_storable_text(key) or not is_storable_text(value):
        raise callback_error(f"Parameter {key[:MAX_KEY_LENGTH]!r} cannot be stored")


def user_data_of(params: Mapping[str, object], token_params: frozenset[str]) -> dict[str, str]:
    """Keys not starting with ``_`` (callback.md §1), minus those that filled a ``$token$``.

    ``userData[key]`` form keys (parsed as a ``userData`` object) become plain user keys
    (UNCONFIRMED; our choice, so that form and JSON clients store the same record).
    """
    own = {k: v for k, v in params.items() if not k.startswith("_") and k not in token_params}
    data: dict[str, str] = {}
    for key, value in flat_items(own):
        text = _text(value)
        _storable(str(key), text)
        data[str(key)] = text
    return data


def parse_time(params: Mapping[str, object], key: str) -> datetime | None:
    """An optional ISO UTC parameter; 400 when present and unreadable."""
    value = params.get(key)
    if value is None or value == "":
        return None
    try:
        return parse_utc(str(value))
    except (ValueError, OverflowError):
        raise callback_error(
            f"Invalid {key} {str(value)[:100]!r}: expected yyyy-MM-ddTHH:mm:ss.SSSZ"
        ) from None


def _customer_number(options: CallbackOptions, params: Mapping[str, object]) -> str:
    for key in options.mandatory_keys:
        if params.get(key) in (None, ""):
            # "invalid option" + Bad Request [DOC]; exact text and exception UNCONFIRMED.
            # Our choice: InvalidParameterServiceException with this message.
            raise callback_error(
                f"Invalid option: mandatory parameter {key} is missing",
                exception=INVALID_PARAMETER,
            )
    number = _text(params.get("_customer_number", ""))
    if len(number) > MAX_NUMBER_LENGTH:
        raise callback_error(f"_customer_number holds at most {MAX_NUMBER_LENGTH} characters")
    _storable("_customer_number", number)
    return number


def _check_exceptions(options: CallbackOptions, params: Mapping[str, object], number: str) -> None:
    """``_exceptions=<group>`` refuses a request whose parameter matches a pattern of the group;
    ``_customer_number`` is matched as ``+digits`` (pattern.md §3).

    The error body is UNCONFIRMED (pattern.md §3 leaves it to callback.md, which is silent).
    Our choice: 400 CallbackExceptionNumber, naming the parameter and the pattern.
    """
    if not options.exceptions_group:
        return
    patterns = pattern_group(options.exceptions_group)
    if not patterns:
        logger.warning("_exceptions names %r, which is no pattern group", options.exceptions_group)
        return
    fields = {key: _text(value) for key, value in params.items() if not isinstance(value, dict)}
    fields["_customer_number"] = "+" + "".join(c for c in number if c.isdigit())
    matched = match_fields(patterns, fields)
    if matched:
        key, pattern = next(iter(matched.items()))
        raise callback_error(
            f"Request parameter {key} [{fields[key]}] is disallowed, because it matches "
            f"pattern {pattern} of group {options.exceptions_group}. Check option _exceptions",
            exception="com.genesyslab.gsg.services.callback.exceptions.CallbackExceptionNumber",
        )


def _admit(
    options: CallbackOptions,
    params: Mapping[str, object],
    number: str,
    *,
    scheduled: bool,
    now: datetime,
) -> None:
    """§5 steps 4-6, under the service's admission lock when any of them counts;
    call inside the transaction that inserts the callback."""
    counts_queue = not scheduled and options.max_queued is not None
    if not (
        counts_queue
        or options.in_queue_checking
        or options.throttle_keys
        or options.throttle_windows
    ):
        return
    AdmissionLock.objects.bulk_create(
        [AdmissionLock(service_name=options.name)], ignore_conflicts=True
    )
    AdmissionLock.objects.select_for_update().get(service_name=options.name)
    if counts_queue:
        _check_queue_limit(options)
    _check_duplicates(options, number)
    _check_throttles(options, params, number, now)


def _check_queue_limit(options: CallbackOptions) -> None:
    """Immediate callbacks only (§5 step 4); QUEUED and PAUSED ones count as queued."""
    if options.max_queued is None:
        return
    if selectors.count_in_states(options.name, (State.QUEUED, State.PAUSED)) >= options.max_queued:
        raise callback_error(
            f"Limit of queued callbacks for {options.name} is reached.",
            status=503,
            exception=UNAVAILABLE,
        )


def _check_duplicates(options: CallbackOptions, number: str) -> None:
    """§5 step 5. "In queue" = QUEUED, PAUSED or ROUTING in this service (UNCONFIRMED;
    our choice: a SCHEDULED callback is not yet in a queue)."""
    if not options.in_queue_checking:
        return
    queued = selectors.count_in_states(options.name, IN_QUEUE, customer_number=number)
    if queued >= IN_QUEUE_DUPLICATES:
        raise callback_error(
            f"Callback for _customer_number={number} rejected because it is already queued.",
            status=503,
            exception=UNAVAILABLE,
        )


def _check_throttles(
    options: CallbackOptions, params: Mapping[str, object], number: str, now: datetime
) -> None:
    """§5 step 6 / §6.5: per parameter value per day, then per service per window.

    UNCONFIRMED details, our choices: "today" is the UTC day; every callback the
    service created counts, cancelled ones included (throttling counts requests); only
    body parameters are throttled (header parameters are not).
    """
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    for key in options.throttle_keys:
        value = number if key == "_customer_number" else params.get(key)
        if value is None or value == "":
            continue
        value = _text(value)
        if selectors.created_since(options.name, midnight, key=key, value=value) >= (
            options.throttle_key_limit
        ):
            raise callback_error(
                f"Callback for {key}={value} rejected because previous callbacks for this "
                f"parameter were requested for more than {options.throttle_key_limit} "
                "times today.",
                status=503,
                exception=UNAVAILABLE,
            )
    for window, allowed in options.throttle_windows:
        since = now - timedelta(seconds=window)
        if selectors.created_since(options.name, since) >= allowed:
            raise callback_error(
                f"Limit of queued callbacks for {options.name} is reached for interval {window}s.",
                status=503,
                exception=UNAVAILABLE,
            )


def _unavailable(options: CallbackOptions, message: str, start: datetime) -> GMSError:
    return callback_error(
        message, exception=AVAILABILITY, availability=selectors.proposals(options, start)
    )


def _check_window(options: CallbackOptions, desired: datetime, now: datetime) -> None:
    if desired > now + options.reject_future:
        raise _unavailable(options, f"Desired time {format_utc(desired)} is too far ahead", now)
    if desired < now - timedelta(seconds=options.reject_past):
        raise _unavailable(options, f"Desired time {format_utc(desired)} is too far back", now)


def _book(
    options: CallbackOptions, desired: datetime, now: datetime, *, exclude_id: str | None = None
) -> None:
    """Refuse ``desired`` unless its bucket is open and has room; call inside a transaction.

    The (service, bucket) lock row is held until the caller commits the insert, so two
    bookings of the last free place are serialised: the second counts the first.
    """
    start = bucket_start(desired, options.bucket_minutes)
    BucketLock.objects.bulk_create(
        [BucketLock(service_name=options.name, bucket_start=start)], ignore_conflicts=True
    )
    BucketLock.objects.select_for_update().get(service_name=options.name, bucket_start=start)
    end = start + timedelta(minutes=options.bucket_minutes)
    problem = slot_problem(
        desired,
        bucket_minutes=options.bucket_minutes,
        office_hours=selectors.office_hours_for(options),
        capacity=selectors.capacity_for(options),
        max_per_bucket=options.max_per_bucket,
        booked=selectors.booked(options.name, start, end, exclude_id=exclude_id),
    )
    if problem == SLOT_FULL:
        problem = f"Requested time slot {format_utc(start)} is full"
    if problem:
        raise _unavailable(options, problem, max(start, now))


def _require_open_now(options: CallbackOptions, now: datetime) -> None:
    """Immediate callbacks need the office open now (calendar.md §3, our choice)."""
    hours = selectors.office_hours_for(options)
    if hours is not None and not hours.is_open(now):
        raise _unavailable(options, "Office closed at desired time", now)


def _work(callback: Callback, **markers: str) -> contactcenter.NewWork:
    """The callback's interaction in the contact center; ``markers`` tell the desk more."""
    return contactcenter.NewWork(
        media="callback",
        queue_name=callback.options.get("_urs_virtual_queue") or callback.service_name,
        user_data={
            **callback.user_data,
            "_id": callback.pk,
            "_service_name": callback.service_name,
            "_customer_number": callback.customer_number,
            "_desired_time": format_utc(callback.desired_time),
            "_dialer": callback.options.get("_dialer", "desk"),  # who dials: the desk shows it
            **markers,
        },
        source="callback",
        source_id=callback.pk,
    )


def _inbound(callback: Callback) -> bool:
    """A USERORIGINATED callback: the customer dials in, nobody dials out."""
    return callback.options.get("_call_direction") == user_originated.USERORIGINATED


def _submit(callback: Callback, now: datetime) -> None:
    """Hand a callback just moved to QUEUED to the contact center (one interaction), or
    invite its customer to dial in when it is USERORIGINATED, or park it PAUSED while
    its service is paused (§4.1); a refusal is raised."""
    if paused_services([callback.service_name]):
        machine.transition(callback, to=State.PAUSED, now=now)
    elif _inbound(callback):
        user_originated.invite(callback, now=now)
    else:
        contactcenter.enqueue(**asdict(_work(callback)), now=now)


# Interactions the callback still follows: one of them means the call is in hand already.
LIVE_INTERACTION = (InteractionState.QUEUED, InteractionState.OFFERED, InteractionState.ACCEPTED)


def answer_inbound_call(service_id: str, now: datetime) -> None:
    """The customer of a USERORIGINATED callback dialled its access number and
    match-interaction matched it (a listener of :mod:`apps.services.listeners`, in the
    match's transaction): the customer is on the line, so the callback's interaction is
    queued now, as an outbound one's is, marked ``_call_direction=USERORIGINATED`` for
    the desk. The lifecycle hooks then move it QUEUED -> ROUTING -> ... -> COMPLETED.

    Once only: a second match (another reservation of the same callback) finds its
    interaction and queues nothing; a callback no longer QUEUED (cancelled, already
    routed) queues nothing either. A paused service does not hold the call back (our
    choice: pausing stops dialling out; a caller on the line is not parked).
    """
    callback = (
        Callback.objects.select_for_update().filter(pk=service_id, state=State.QUEUED).first()
    )
    if callback is None or not _inbound(callback):
        return
    current = contactcenter_selectors.find_by_source(source="callback", source_id=callback.pk)
    if current is not None and current.state in LIVE_INTERACTION:
        return
    work = _work(callback, _call_direction=user_originated.USERORIGINATED)
    contactcenter.enqueue(**asdict(work), now=now)


def _withdraw(callback: Callback, now: datetime) -> None:
    """Take the callback's interaction out of its queue, if it still waits there or is
    being offered (a ROUTING callback). Accepted work stays with its agent, whose outcome
    then completes it and leaves the callback as it is (our choice). A USERORIGINATED
    callback also gives back its access numbers."""
    if _inbound(callback):
        user_originated.release(callback)
    interaction = contactcenter_selectors.find_by_source(source="callback", source_id=callback.pk)
    if interaction is None or interaction.state not in (
        InteractionState.QUEUED,
        InteractionState.OFFERED,
    ):
        return
    try:
        contactcenter.abandon(
            interaction=interaction, reason=callback.reason or "RESCHEDULED", now=now
        )
    except contactcenter.InvalidTransition:
        logger.info("Callback %s: its interaction left the queue meanwhile", callback.pk)


# --- writes -----------------------------------------------------------------------------


def create_callback(
    *,
    options: CallbackOptions,
    params: Mapping[str, object],
    token_params: frozenset[str] = frozenset(),
    now: datetime,
) -> Callback:
    """POST (callback.md §3.1) with the checks of §5 in order.

    Immediate (no ``_desired_time``, or one not after now + 1 s): QUEUED and enqueued in
    the contact center in the same transaction as the insert, so it is submitted
    exactly once even if the process dies right after the commit (routing itself runs
    after the commit). A suspended node stores it SCHEDULED and due now instead: an
    online node's dispatcher submits it (our choice). An immediate USERORIGINATED callback
    is not dialled: it waits QUEUED for the customer's call, with an access number reserved
    in the same transaction (apps.callback.user_originated). The limit checks (§5 steps 4-6)
    and the time-slot check (step 7) count under locks held until the insert commits, so
    two racing requests never both take a last place.
    """
    number = _customer_number(options, params)
    validate_customer_number(
        number,
        service_name=options.name,
        default_country=options.default_country,
        disallow_premium=options.disallow_premium,
        disallow_impossible=options.disallow_impossible,
    )
    _check_exceptions(options, params, number)
    requested = parse_time(params, "_desired_time")
    scheduled = requested is not None and requested > now + IMMEDIATE_TOLERANCE
    desired = requested or now
    callback = Callback(
        service_name=options.name,
        customer_number=number,
        desired_time=desired,
        due_at=desired - timedelta(seconds=options.execution_buffer),
        expiration_time=desired + timedelta(seconds=options.ttl),
        user_data=user_data_of(params, token_params),
        options=options.snapshot(),
    )
    with transaction.atomic():
        _admit(options, params, number, scheduled=scheduled, now=now)
        if requested is not None:
            _check_window(options, requested, now)
        if scheduled:
            _book(options, desired, now)
        else:
            _require_open_now(options, now)
        if not scheduled and options.call_direction == user_originated.USERORIGINATED:
            machine.start(callback, state=State.QUEUED, now=now)
            user_originated.reserve_access(callback, params=params, now=now)
        elif callback.due_at <= now and is_accepting_work():
            machine.start(callback, state=State.QUEUED, now=now)
            _submit(callback, now)
        else:
            machine.start(callback, state=State.SCHEDULED, now=now)
    return callback


def cancel_callback(*, service_name: str, callback_id: str, now: datetime) -> Callback:
    """DELETE (§3.2): COMPLETED/CANCELLED from SCHEDULED, QUEUED, PAUSED or ROUTING."""
    with transaction.atomic():
        callback = selectors.get_callback(
            callback_id, now=now, service_name=service_name, lock=True
        )
        if callback.state == State.PROCESSING:
            raise callback_error(f"Callback {callback_id} cannot be cancelled in state PROCESSING")
        if callback.state == State.COMPLETED:
            raise callback_error(f"Callback {callback_id} is already completed")
        _cancel(callback, reason=Reason.CANCELLED, now=now)
    return callback


def _cancel(callback: Callback, *, reason: str, now: datetime) -> None:
    """End a locked, still cancellable callback COMPLETED with ``reason``; one already
    submitted also leaves its queue."""
    was_submitted = callback.state != State.SCHEDULED
    machine.transition(callback, to=State.COMPLETED, reason=reason, now=now)
    if was_submitted:
        _withdraw(callback, now)


def reschedule_callback(
    *,
    options: CallbackOptions,
    callback_id: str,
    params: Mapping[str, object],
    now: datetime,
) -> Callback:
    """PUT (§3.3): user keys set (``""`` deletes), and with ``_new_desired_time`` a new
    booking through the same checks as a create. ``_desired_time``, ``_service_name``,
    ``_customer_number`` and ``_callback_state`` in the body are ignored (our choice).

    A QUEUED or PAUSED callback moved into the future goes back to SCHEDULED and leaves
    its queue; moved to a time already due, it stays where it is (our choice).
    """
    new_time = parse_time(params, "_new_desired_time")
    updates = user_data_of(params, frozenset())
    with transaction.atomic():
        callback = selectors.get_callback(
            callback_id, now=now, service_name=options.name, lock=True
        )
        user_data = {**callback.user_data, **updates}
        user_data = {key: value for key, value in user_data.items() if value != ""}
        if new_time is None:
            Callback.objects.filter(pk=callback.pk).update(user_data=user_data, updated_at=now)
            callback.user_data = user_data
            return callback
        if callback.state not in (State.SCHEDULED, State.QUEUED, State.PAUSED):
            raise callback_error(
                f"Callback {callback_id} cannot be rescheduled in state {callback.state}"
            )
        _check_window(options, new_time, now)
        _book(options, new_time, now, exclude_id=callback.pk)
        changes = {
            "desired_time": new_time,
            "due_at": new_time - timedelta(seconds=options.execution_buffer),
            "expiration_time": new_time + timedelta(seconds=options.ttl),
            "user_data": user_data,
            "options": options.snapshot(callback.options),
        }
        due = changes["due_at"] <= now and is_accepting_work()
        if callback.state == State.SCHEDULED:
            machine.transition(
                callback, to=State.QUEUED if due else State.SCHEDULED, now=now, **changes
            )
            if due:
                _submit(callback, now)
        elif not due:
            machine.transition(callback, to=State.SCHEDULED, now=now, **changes)
            _withdraw(callback, now)
        else:
            Callback.objects.filter(pk=callback.pk).update(updated_at=now, **changes)
            for name, value in changes.items():
                setattr(callback, name, value)
    return callback


def claim_due(*, now: datetime, node: str, limit: int = CLAIM_LIMIT) -> list[str]:
    """Submit the SCHEDULED callbacks whose ``desired - buffer`` has come; their ids.

    Batches of due rows are locked ``FOR UPDATE SKIP LOCKED`` (two dispatchers take
    different rows) and moved to QUEUED by the state machine's conditional UPDATE
    (``WHERE state = 'SCHEDULED'``), together with their contact-center interactions,
    in one transaction per batch: a callback is submitted exactly once, and a pass that
    dies before its commit leaves its batch SCHEDULED for the next pass. The database is
    the schedule. Callbacks of a paused service go to PAUSED instead, and are not
    submitted (§4.1). At most ``limit`` per call, so one beat tick stays bounded.
    """
    if not is_accepting_work(node):
        return []

    def submit(batch: list[Callback]) -> list[str]:
        paused = paused_services({callback.service_name for callback in batch})
        machine.transition_locked(
            [callback for callback in batch if callback.service_name in paused],
            to=State.PAUSED,
            now=now,
            claimed_by=node,
            claimed_at=now,
        )
        return _submit_locked(
            [callback for callback in batch if callback.service_name not in paused],
            now,
            claimed_by=node,
            claimed_at=now,
        )

    due = Callback.objects.filter(state=State.SCHEDULED, due_at__lte=now)
    return _in_locked_batches(due, limit, submit)


def _in_locked_batches(
    callbacks: QuerySet[Callback], limit: int, handle: Callable[[list[Callback]], list[str]]
) -> list[str]:
    """Hand ``callbacks`` to ``handle`` in due order, a batch at a time, at most ``limit``
    in all; the ids it answers.

    Each batch is locked ``FOR UPDATE SKIP LOCKED`` and handled in its own transaction:
    two nodes take different rows, and a pass that dies before a commit leaves its
    batch as it was for the next pass.
    """
    done: list[str] = []
    taken = 0
    while taken < limit:
        with transaction.atomic():
            batch = list(
                callbacks.select_for_update(skip_locked=True).order_by("due_at")[
                    : min(CLAIM_BATCH, limit - taken)
                ]
            )
            if not batch:
                break
            taken += len(batch)
            done.extend(handle(batch))
    return done


def pause_queued(*, now: datetime, node: str, limit: int = CLAIM_LIMIT) -> list[str]:
    """Move the QUEUED callbacks of paused services whose interaction still waits in its
    queue to PAUSED (§4.1 "QUEUED -> PAUSED when the service is paused"); their ids.

    Each interaction is withdrawn (:func:`apps.contactcenter.services.withdraw`), not
    abandoned: the queue's abandon and service-level figures do not count a pause, and
    the resume queues a fresh interaction, which ``find_by_source`` then finds. One
    offered meanwhile stays with its agent and its callback QUEUED (then ROUTING).
    USERORIGINATED callbacks are left alone: they wait for the customer's call, and once
    the customer dialled in the caller is on the line (our choice: a pause holds back
    dialling out, it does not park a live call). Locked and batched like :func:`claim_due`.
    """
    if not is_accepting_work(node):
        return []
    paused = paused_services(selectors.services_with(State.QUEUED))
    if not paused:
        return []
    waiting = Interaction.objects.filter(
        source="callback", source_id=OuterRef("pk"), state=InteractionState.QUEUED
    )

    def pause(batch: list[Callback]) -> list[str]:
        withdrawn = [callback for callback in batch if _withdraw_waiting(callback, now)]
        machine.transition_locked(withdrawn, to=State.PAUSED, now=now)
        return [callback.pk for callback in withdrawn]

    pausing = (
        Callback.objects.filter(Exists(waiting), state=State.QUEUED, service_name__in=paused)
        # Every stored options snapshot holds _call_direction.
        .exclude(options___call_direction=user_originated.USERORIGINATED)
    )
    return _in_locked_batches(pausing, limit, pause)


def _withdraw_waiting(callback: Callback, now: datetime) -> bool:
    """Withdraw the callback's waiting interaction; False when it left the queue meanwhile."""
    interaction = contactcenter_selectors.find_by_source(source="callback", source_id=callback.pk)
    try:
        contactcenter.withdraw(interaction=interaction, reason="PAUSED", now=now)
    except contactcenter.InvalidTransition:
        return False
    return True


def resume_paused(*, now: datetime, node: str, limit: int = CLAIM_LIMIT) -> list[str]:
    """Move the PAUSED callbacks of services no longer paused to QUEUED and submit them
    (§4.1 "PAUSED -> QUEUED when unpaused"); their ids. Locked and batched like
    :func:`claim_due`, so two nodes resume each callback once."""
    if not is_accepting_work(node):
        return []
    waiting = selectors.services_with(State.PAUSED)
    unpaused = waiting - paused_services(waiting)
    if not unpaused:
        return []
    return _in_locked_batches(
        Callback.objects.filter(state=State.PAUSED, service_name__in=unpaused),
        limit,
        lambda batch: _submit_locked(batch, now, claimed_by=node, claimed_at=now),
    )


def _submit_locked(callbacks: list[Callback], now: datetime, **changes: object) -> list[str]:
    """Move locked callbacks (all in one state) to QUEUED and enqueue them together, in
    the caller's transaction, or invite the customers of USERORIGINATED ones to dial in;
    their ids. One the contact center refuses, or with no access number free, ends
    COMPLETED/SUBMIT_FAILED (§4.1)."""
    if not callbacks:
        return []
    machine.transition_locked(callbacks, to=State.QUEUED, now=now, **changes)
    outbound = [callback for callback in callbacks if not _inbound(callback)]
    queued = iter(contactcenter.enqueue_many(work=[_work(c) for c in outbound], now=now))
    submitted: list[str] = []
    for callback in callbacks:
        result = _invited(callback, now) if _inbound(callback) else next(queued)
        if isinstance(result, GMSError):
            logger.warning("Callback %s could not be submitted: %s", callback.pk, result.message)
            machine.transition(callback, to=State.COMPLETED, reason=Reason.SUBMIT_FAILED, now=now)
        else:
            submitted.append(callback.pk)
    return submitted


def _invited(callback: Callback, now: datetime) -> GMSError | None:
    """:func:`user_originated.invite` in a savepoint: its refusal, or None."""
    try:
        with transaction.atomic():
            user_originated.invite(callback, now=now)
    except GMSError as refusal:
        return refusal
    return None


def dispatch_until(*, node: str, until: datetime) -> list[str]:
    """One beat tick of a dispatcher: :func:`claim_due` now, then again whenever a
    callback falls due before ``until`` (the next tick), at most every DISPATCH_STEP;
    the ids submitted. So a callback waits about a step, not a beat period, and a tick
    with nothing falling due before the next one costs one pass.
    """
    claimed: list[str] = []
    while True:
        claimed.extend(claim_due(now=timezone.now(), node=node))
        wait = _next_pass_in(now=timezone.now(), node=node, until=until)
        if wait is None:
            return claimed
        time.sleep(wait)


def _next_pass_in(*, now: datetime, node: str, until: datetime) -> float | None:
    """Seconds to the next pass: at the next due time, at least DISPATCH_STEP from now.
    None when that comes after ``until``, or this node takes no work."""
    if not is_accepting_work(node):
        return None
    next_due = (
        Callback.objects.filter(state=State.SCHEDULED)
        .order_by("due_at")
        .values_list("due_at", flat=True)
        .first()
    )
    if next_due is None:
        return None
    at = max(next_due, now + DISPATCH_STEP)
    return (at - now).total_seconds() if at < until else None


def purge_expired(*, now: datetime) -> int:
    """Delete callbacks past their ``_expiration_time`` (callback.md §7), and the bucket
    locks of past days; how many callbacks."""
    with transaction.atomic():
        _, by_model = Callback.objects.filter(expiration_time__lte=now).delete()
        BucketLock.objects.filter(bucket_start__lt=now - timedelta(days=1)).delete()
    return by_model.get(Callback._meta.label, 0)


# --- the agent's dial outcome (issue #5) and the admin bulk cancel (§3.9) ---------------

CONNECTED = "CONNECTED"
RETRIED_OUTCOMES = ("NO_ANSWER", "BUSY")
WRONG_NUMBER = "WRONG_NUMBER"
OUTCOMES = (CONNECTED, *RETRIED_OUTCOMES, WRONG_NUMBER)


def record_outcome(*, callback_id: str, outcome: str, agent=None, now: datetime) -> Callback:
    """The agent holding the callback's interaction (or, for the webhook dialer, the
    telephony system acting as that agent) reports how the dial went.

    The interaction is completed with the outcome as its disposition; the contact
    center's completion hook then ends or re-schedules the callback, from QUEUED,
    ROUTING or PROCESSING, by that outcome (:func:`apps.callback.lifecycle.completed`).
    A callback completed meanwhile (an admin cancel) keeps its state; only the
    interaction is completed. ``agent`` None = the agent the interaction is with.
    """
    if outcome not in OUTCOMES:
        raise callback_error(f"outcome must be one of {', '.join(OUTCOMES)}")
    with transaction.atomic():
        callback = selectors.get_callback(callback_id, now=now, lock=True)
        interaction = contactcenter_selectors.find_by_source(
            source="callback", source_id=callback.pk
        )
        if interaction is None or interaction.state != InteractionState.ACCEPTED:
            raise contactcenter.InvalidTransition(
                f"Callback {callback.pk} has no interaction in progress"
            )
        contactcenter.complete(
            interaction=interaction, agent=agent or interaction.agent, disposition=outcome, now=now
        )
        callback.refresh_from_db()
    return callback


ADMIN_CANCELLABLE = (State.SCHEDULED, State.QUEUED, State.PAUSED, State.ROUTING)


def admin_cancel(*, callback_ids: list[str], reason: str, now: datetime) -> dict[str, bool]:
    """Bulk cancel (§3.9): each id -> whether it was cancelled, in its own transaction.

    SCHEDULED, QUEUED and ROUTING ones end COMPLETED with ``reason`` as given; PAUSED
    ones too (UNCONFIRMED; our choice, as DELETE allows it). Unknown, PROCESSING and
    COMPLETED ones fail.
    """
    results: dict[str, bool] = {}
    for callback_id in callback_ids:
        with transaction.atomic():
            try:
                callback = selectors.get_callback(callback_id, now=now, lock=True)
            except GMSError:
                results[callback_id] = False
                continue
            if callback.state not in ADMIN_CANCELLABLE:
                results[callback_id] = False
                continue
            _cancel(callback, reason=reason, now=now)
            results[callback_id] = True
    return results
