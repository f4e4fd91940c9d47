"""Per-source hooks: the app that made an interaction follows its life without the
contact center knowing that app.

An app registers, by interaction ``source`` (``"callback"``, ``"chat"`` ...), callables
that :mod:`apps.contactcenter.services` calls when such an interaction is offered to
an agent, accepted, returned to its queue (rejected, offer timed out, withdrawn at
logout), completed or abandoned. A hook runs inside the transaction that made the
change, after the interaction's row is saved, so the source's own state changes
commit or roll back with it; a hook that raises undoes the change. Hooks run while
the contact center holds the agent's and the interaction's row locks: a hook that
locks rows of its own should not wait for them (``SKIP LOCKED``/``NOWAIT``), since
its app may lock them in the other order.
"""

from collections.abc import Callable
from datetime import datetime
from enum import StrEnum

from apps.contactcenter.models import Interaction


class Event(StrEnum):
    OFFERED = "offered"
    ACCEPTED = "accepted"
    # Back in the queue: rejected, offer timed out, or withdrawn when the agent logged out.
    RETURNED = "returned"
    COMPLETED = "completed"
    ABANDONED = "abandoned"


Hook = Callable[[Interaction, datetime], None]

_hooks: dict[tuple[str, Event], list[Hook]] = {}


def register(source: str, event: Event, hook: Hook) -> None:
    """Call ``hook(interaction, now)`` on ``event`` for interactions of ``source``.

    Apps register in their AppConfig.ready(); registering the same hook twice is a no-op.
    """
    hooks = _hooks.setdefault((source, Event(event)), [])
    if hook not in hooks:
        hooks.append(hook)


def notify(event: Event, interaction: Interaction, now: datetime) -> None:
    """Run the hooks of ``interaction.source`` for ``event``, in registration order."""
    for hook in _hooks.get((interaction.source, event), ()):
        hook(interaction, now)
