"""Reads of node status."""

from django.conf import settings

from apps.node.models import Node, NodeStatus


def node_status(node_id: str | None = None) -> str:
    """ONLINE or OFFLINE. A node never recorded is ONLINE (it always starts so, node.md §2.2)."""
    status = (
        Node.objects.filter(node_id=node_id or settings.GMS_NODE_ID)
        .values_list("status", flat=True)
        .first()
    )
    return status or NodeStatus.ONLINE


def is_accepting_work(node_id: str | None = None) -> bool:
    """Whether this node takes new chats and callback dispatches. A suspended node finishes
    the work it holds but takes none."""
    return node_status(node_id) == NodeStatus.ONLINE


def get_node(node_id: str | None = None) -> Node | None:
    return Node.objects.filter(node_id=node_id or settings.GMS_NODE_ID).first()
