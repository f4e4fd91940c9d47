"""Where statistic values come from (stat.md §7): the contact-center core, not a Stat Server.

GMS asks a Genesys Stat Server for each statistic; we have none, so a
:class:`StatProvider` computes them from the counters and indexed aggregates
that :func:`apps.contactcenter.selectors.queue_snapshot` reads. No request
scans the interactions of a queue.

Statistics the built-in provider serves (metric names are case-sensitive, as
callback options quote them, e.g. ``ExpectedWaitTime;Queue;8999@SIP_Server;Environment``):

========================  ===================  ================================================
metric                    objectType           value
========================  ===================  ================================================
CurrNumberWaitingCalls    Queue                interactions waiting in the queue (integer)
ExpectedWaitTime          Queue                seconds a newcomer would wait (integer, estimate)
OldestWaitingTime         Queue                seconds the oldest waiting interaction has waited
ServiceLevel              Queue                percent of answered + abandoned interactions
                                               answered within the queue's service-level
                                               seconds (two decimals); null before the first
CurrNumberReadyAgents     Queue, GroupAgents   agents serving the queue whose state is READY
                                               (a READY agent busy with work still counts)
CurrentAgentStates        Queue, GroupAgents   agents serving the queue by state:
                                               {"LOGGED_OUT": n, "NOT_READY": n, "READY": n,
                                               "BUSY": n}, BUSY = logged in and holding work
========================  ===================  ================================================

Object ids (our choices, stat.md §3): a ``Queue`` is a virtual queue, named
bare (``VQ_Sales``) or as Genesys DNs are (``VQ_Sales@SIP_Server``: the part
before the first ``@`` is the name). The product has no agent groups: a
``GroupAgents`` object id names a virtual queue and the group is the agents
serving it (an agent listing no queue serves every queue). Any non-empty
tenant is accepted (single tenant). ``filter``, ``timeProfile`` and the time
ranges are accepted and ignored: every value is a current one.
"""

import logging
from collections.abc import Callable, Mapping

from django.conf import settings
from django.db import DatabaseError

from apps.contactcenter import selectors as contactcenter
from apps.contactcenter.selectors import QueueSnapshot
from apps.core.errors import Forbidden, GMSError, NotFound

logger = logging.getLogger(__name__)

# The Stat Server object types of stat.md §3; settings.STAT_OBJECT_TYPES may change the list.
OBJECT_TYPES = (
    "Queue",
    "RoutePoint",
    "GroupQueues",
    "Agent",
    "AgentPlace",
    "GroupAgents",
    "GroupPlaces",
    "RegularDN",
    "Tenant",
)

StatValue = int | float | dict[str, int] | None
# Computes one statistic of the object an objectId names; raises NotFound for an unknown object.
Compute = Callable[[str], StatValue]


class StatServerUnavailable(GMSError):
    """Our data source cannot be read (stat.md §2.4: 503)."""

    status_code = 503

    def __init__(self) -> None:
        super().__init__("Stat Server is not available")


def queue_name(object_id: str) -> str:
    """``VQ_Sales@SIP_Server`` -> ``VQ_Sales``; a bare name is kept."""
    return object_id.partition("@")[0]


def _of_queue(read: Callable[[QueueSnapshot], StatValue]) -> Compute:
    return lambda object_id: read(contactcenter.queue_snapshot(queue_name(object_id)))


def _percent(fraction: float | None) -> float | None:
    return None if fraction is None else round(fraction * 100, 2)


class StatProvider:
    """Statistics by (metric, objectType): the "statistic definitions" of a Stat Server."""

    def __init__(self, statistics: Mapping[tuple[str, str], Compute]) -> None:
        self.statistics = dict(statistics)

    def get(
        self,
        metric: str,
        object_type: str,
        object_id: str,
        tenant: str,
        filter: str | None = None,
        time_profile: str | None = None,
        time_range: str | None = None,
        time_range2: str | None = None,
    ) -> StatValue:
        """The current value; Forbidden (403) when the statistic is not well defined."""
        if object_type not in getattr(settings, "STAT_OBJECT_TYPES", OBJECT_TYPES):
            raise Forbidden(f"Object type '{object_type}' is not supported")
        compute = self.statistics.get((metric, object_type))
        if compute is None:
            raise Forbidden(f"Statistic '{metric}' is not defined")
        try:
            return compute(object_id)
        except NotFound:
            raise Forbidden(f"{object_type} '{object_id}' (Tenant '{tenant}') not found") from None
        except DatabaseError:
            logger.exception("Reading %s of %s %s failed", metric, object_type, object_id)
            raise StatServerUnavailable() from None


_agents_ready = _of_queue(lambda snapshot: snapshot.ready_agents)
_agent_states = _of_queue(lambda snapshot: dict(snapshot.agents_by_state))

provider = StatProvider(
    {
        ("CurrNumberWaitingCalls", "Queue"): _of_queue(lambda snapshot: snapshot.waiting),
        ("ExpectedWaitTime", "Queue"): _of_queue(lambda snapshot: snapshot.expected_wait_seconds),
        ("OldestWaitingTime", "Queue"): _of_queue(lambda snapshot: snapshot.oldest_waiting_seconds),
        ("ServiceLevel", "Queue"): _of_queue(lambda snapshot: _percent(snapshot.service_level)),
        ("CurrNumberReadyAgents", "Queue"): _agents_ready,
        ("CurrNumberReadyAgents", "GroupAgents"): _agents_ready,
        ("CurrentAgentStates", "Queue"): _agent_states,
        ("CurrentAgentStates", "GroupAgents"): _agent_states,
    }
)
