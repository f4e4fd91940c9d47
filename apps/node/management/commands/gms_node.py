"""``gms_node status|start|suspend|stop``: what the load balancer sees for a node, from any shell.

The status lives in the database, so the change applies at once to every process
of the node. ``suspend`` drains: the node answers OFFLINE and takes no new chats
or callback dispatches but finishes those it holds. ``stop`` suspends, waits
``--grace`` seconds for the load balancer to notice, then ends the node's
``gms_serve`` process (when it runs on this host).
"""

import os
import signal
import socket
import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.node import selectors, services
from apps.node.models import NodeStatus


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Command(BaseCommand):
    help = "Show or change the status of a GMS node (start, suspend, stop)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["status", "start", "suspend", "stop"])
        parser.add_argument("--node", help="node id (default: GMS_NODE_ID or the host name)")
        parser.add_argument(
            "--grace",
            type=float,
            default=5.0,
            help="stop: seconds between going OFFLINE and ending the server (default 5)",
        )
        parser.add_argument(
            "--timeout",
            type=float,
            default=30.0,
            help="stop: seconds to wait for the server to exit (default 30)",
        )

    def handle(self, *args, action: str, node: str | None, grace: float, timeout: float, **kw):
        if action == "start":
            services.change_status(status=NodeStatus.ONLINE, node_id=node)
        elif action in ("suspend", "stop"):
            services.change_status(status=NodeStatus.OFFLINE, node_id=node)
        if action == "stop":
            self._stop_server(node, grace, timeout)
        self.stdout.write(selectors.node_status(node))

    def _stop_server(self, node_id: str | None, grace: float, timeout: float) -> None:
        record = selectors.get_node(node_id)
        if record is None or record.pid is None:
            self.stderr.write("No server process is recorded for this node; it is OFFLINE.")
            return
        if record.hostname != socket.gethostname():
            raise CommandError(
                f"The node's server runs on {record.hostname}; run this command there. "
                "The node is OFFLINE meanwhile."
            )
        time.sleep(grace)
        if _alive(record.pid):
            os.kill(record.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while _alive(record.pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        if _alive(record.pid):
            raise CommandError(f"Server process {record.pid} did not exit within {timeout:g}s")
        self.stderr.write(f"Server process {record.pid} stopped.")
