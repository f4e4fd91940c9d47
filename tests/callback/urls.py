"""The project's routes plus the callback agent routes under /api/, as gms/urls.py is to
mount them (``path("api/", include(agent_urlpatterns))``)."""

from django.urls import include, path

from apps.callback.urls import agent_urlpatterns
from gms.urls import handler400, handler404, handler500
from gms.urls import urlpatterns as gms_urlpatterns

urlpatterns = [path("api/", include(agent_urlpatterns)), *gms_urlpatterns]

__all__ = ["handler400", "handler404", "handler500", "urlpatterns"]
