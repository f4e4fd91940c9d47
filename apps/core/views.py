"""The base of every GMS API view."""

from rest_framework.request import Request
from rest_framework.views import APIView

from apps.core.auth import enforce_access


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

    def get_auth_scope(self) -> str | None:
        return self.auth_scope

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        enforce_access(
            request, scope=self.get_auth_scope(), admin=self.admin_only, public=self.public
        )
