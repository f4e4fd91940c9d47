"""``gms_serve``: run this node's server (HTTP and WebSocket over ASGI, with daphne).

It logs which back ends are in use, makes sure admin credentials exist, records
the node as ONLINE with this process id (so ``gms_node stop`` can end it), and on
the embedded default also runs the Celery worker and beat as threads. On exit
the node turns OFFLINE.
"""

import logging
import os
import secrets
import socket

import phonenumbers
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser

from apps.core import services as config_services
from apps.core.auth import Credentials, admin_credentials
from apps.core.embedded import start_embedded_celery, stop_embedded_celery, uses_embedded_broker
from apps.node import services
from apps.node.server import serve

logger = logging.getLogger("gms.serve")


def backend_summary() -> list[str]:
    """One line per back end, so an operator sees at a glance what this node runs on."""
    database = settings.DATABASES["default"]
    where = database["NAME"] if "sqlite" in database["ENGINE"] else database.get("HOST") or "socket"
    return [
        f"database: {database['ENGINE'].rsplit('.', 1)[-1]} ({where})",
        f"cache: {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}",
        f"channel layer: {settings.CHANNEL_LAYERS['default']['BACKEND'].rsplit('.', 1)[-1]}",
        "celery: embedded worker and beat (in-memory broker)"
        if uses_embedded_broker()
        else "celery: external worker and beat (Redis broker)",
        # Carrier, time-zone and location answers change with the metadata release.
        f"phone numbers: libphonenumber metadata of phonenumbers {phonenumbers.__version__}",
    ]


def ensure_admin(stdout) -> Credentials:
    """Admin credentials for the protected GMS paths and the Django admin login.

    From [admin] or GMS_ADMIN_USER/GMS_ADMIN_PASSWORD; with neither, a password is
    generated, stored in [admin] and printed this once.
    """
    credentials = admin_credentials()
    if credentials is None:
        credentials = Credentials(settings.GMS_ADMIN_USER, secrets.token_urlsafe(12))
        config_services.save_section(
            name="admin",
            options={"username": credentials.username, "password": credentials.password},
        )
        stdout.write(
            f"Generated admin credentials (shown once, kept in the [admin] section): "
            f"{credentials.username} / {credentials.password}"
        )
    user, _ = get_user_model().objects.get_or_create(username=credentials.username)
    user.is_staff = user.is_superuser = True
    user.set_password(credentials.password)
    user.save()
    return credentials


class Command(BaseCommand):
    help = "Serve this GMS node over HTTP and WebSocket (ASGI, daphne)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8080")))
        parser.add_argument(
            "--no-celery",
            action="store_true",
            help="do not run the embedded Celery worker and beat",
        )

    def handle(self, *args, host: str, port: int, no_celery: bool, **options) -> None:
        for line in backend_summary():
            logger.info(line)
        ensure_admin(self.stdout)
        pid = os.getpid()
        services.register_server(hostname=socket.gethostname(), pid=pid)
        embedded = None
        if uses_embedded_broker() and not no_celery:
            from gms.celery import app

            embedded = start_embedded_celery(app)
        from gms.asgi import application

        logger.info("Node %s ONLINE at http://%s:%s/genesys/", settings.GMS_NODE_ID, host, port)
        try:
            serve(application, host=host, port=port)
        finally:
            services.unregister_server(pid=pid)
            if embedded:
                stop_embedded_celery(*embedded)
            logger.info("Node %s OFFLINE, server stopped", settings.GMS_NODE_ID)
