"""Writes of node status: the Node API and the gms_node/gms_serve commands change it here."""

from django.conf import settings
from django.db import transaction

from apps.core.errors import BadRequest
from apps.node.models import Node, NodeStatus


def parse_status(text: str) -> NodeStatus:
    """``online``/``Offline``/... -> NodeStatus; anything else is a 400 (node.md §2.2)."""
    try:
        return NodeStatus(text.strip().upper())
    except ValueError:
        raise BadRequest(f"Invalid node status {text!r}: use ONLINE or OFFLINE") from None


@transaction.atomic
def change_status(*, status: NodeStatus, node_id: str | None = None) -> Node:
    node, _ = Node.objects.update_or_create(
        node_id=node_id or settings.GMS_NODE_ID, defaults={"status": status}
    )
    return node


@transaction.atomic
def register_server(*, hostname: str, pid: int, node_id: str | None = None) -> Node:
    """A server process starts serving the node: the node is ONLINE (node.md §2.2)."""
    node, _ = Node.objects.update_or_create(
        node_id=node_id or settings.GMS_NODE_ID,
        defaults={"status": NodeStatus.ONLINE, "hostname": hostname, "pid": pid},
    )
    return node


@transaction.atomic
def unregister_server(*, pid: int, node_id: str | None = None) -> None:
    """The server process is going away: the node answers OFFLINE from now on."""
    Node.objects.filter(node_id=node_id or settings.GMS_NODE_ID, pid=pid).update(
        status=NodeStatus.OFFLINE, pid=None
    )
