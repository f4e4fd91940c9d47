"""The status of each GMS node, in the database so that every process of a node agrees."""

from django.db import models


class NodeStatus(models.TextChoices):
    ONLINE = "ONLINE"
    OFFLINE = "OFFLINE"


class Node(models.Model):
    """One GMS node: what its load-balancer probe answers, and the server process serving it."""

    node_id = models.CharField(max_length=200, primary_key=True)
    status = models.CharField(max_length=10, choices=NodeStatus.choices, default=NodeStatus.ONLINE)
    # The gms_serve process of this node, so `gms_node stop` can end it.
    hostname = models.CharField(max_length=255, blank=True, default="")
    pid = models.PositiveIntegerField(null=True, blank=True)
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.node_id} {self.status}"
