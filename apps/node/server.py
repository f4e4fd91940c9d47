"""The ASGI server of a node: daphne, taught to keep GMS's ``gms_user`` header.

Daphne drops every request header whose name holds an underscore (CVE-2015-0219:
in a WSGI-style environ ``X-Auth_User`` and ``X-Auth-User`` collide). GMS clients
send ``gms_user`` on every request and custom storage depends on it (responses.md
§3), so this server renames exactly that header to ``gms-user`` before daphne's
filter runs; Django reads both spellings as ``HTTP_GMS_USER``. ``gms_user`` is an
identity hint, never a credential, so the collision the CVE guards against grants
nothing here. Every other underscored header is still dropped.
"""

import sys

import daphne.server
from daphne.access import AccessLogGenerator
from daphne.endpoints import build_endpoint_description_strings
from daphne.http_protocol import HTTPFactory, WebRequest

GMS_USER = b"gms_user"


class GMSWebRequest(WebRequest):
    def process(self) -> None:
        values = self.requestHeaders.getRawHeaders(GMS_USER)
        if values:
            self.requestHeaders.removeHeader(GMS_USER)
            self.requestHeaders.setRawHeaders(b"gms-user", values)
        super().process()


class GMSHTTPFactory(HTTPFactory):
    def buildProtocol(self, addr):
        protocol = super().buildProtocol(addr)
        protocol.requestFactory = GMSWebRequest
        return protocol


def serve(application, *, host: str, port: int) -> None:
    """Serve ``application`` over HTTP and WebSocket until the process is told to stop."""
    # daphne.server builds its factory by this module-level name.
    daphne.server.HTTPFactory = GMSHTTPFactory
    daphne.server.Server(
        application=application,
        endpoints=build_endpoint_description_strings(host=host, port=port),
        action_logger=AccessLogGenerator(sys.stdout),
    ).run()
