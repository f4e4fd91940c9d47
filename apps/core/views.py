"""The base of every GMS API view."""

from django.http import HttpResponseBase
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.auth import enforce_access
from apps.core.errors import JSON_CONTENT_TYPE
from apps.core.text import refuse_unstorable_url


class IgnoreAccept(DefaultContentNegotiation):
    """GMS ignores Accept: a binary read answers its own type, and errors are always JSON."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class GMSView(APIView):
    """Checks port restrictions and Basic auth before the handler runs.

    ``auth_scope`` names the configuration section whose credentials apply
    (``storage``, ``notification``, ``callback``); None means ``[server]`` only.
    ``admin_only`` views need the admin credentials instead; ``public`` views
    (load-balancer probes) need none, though port restrictions still apply.
    """

    auth_scope: str | None = None
    admin_only = False
    public = False
    content_negotiation_class = IgnoreAccept

    def get_auth_scope(self) -> str | None:
        return self.auth_scope

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        # Before access: the auth scope of a service is looked up by the name in the path.
        refuse_unstorable_url(request)
        enforce_access(
            request, scope=self.get_auth_scope(), admin=self.admin_only, public=self.public
        )

    def finalize_response(self, request: Request, response, *args, **kwargs) -> HttpResponseBase:
        response = super().finalize_response(request, response, *args, **kwargs)
        if isinstance(response, Response) and response.content_type is None:
            # Exactly as GMS 8.5.2 sends it (responses.md §1.1), errors included.
            response.content_type = JSON_CONTENT_TYPE
        return response
