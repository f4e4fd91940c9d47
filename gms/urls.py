"""Mounts each GMS API under /genesys/, plus the Django admin and the OpenAPI schema."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from apps.callback.urls import agent_urlpatterns as callback_agent_urlpatterns

urlpatterns = [
    path("genesys/api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("genesys/api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("genesys/", include("apps.node.urls")),
    path("genesys/", include("apps.storage.urls")),
    path("genesys/", include("apps.phonenumber.urls")),
    path("genesys/", include("apps.patterns.urls")),
    path("genesys/", include("apps.callback.urls")),
    path("genesys/", include("apps.stat.urls")),
    path("genesys/", include("apps.services.urls")),
    path("genesys/", include("apps.notification.urls")),
    path("genesys/", include("apps.email.urls")),
    path("genesys/", include("apps.openmedia.urls")),
    path("api/", include("apps.contactcenter.urls")),
    path("api/", include(callback_agent_urlpatterns)),
    path("api/", include("apps.email.agent_urls")),
    path("manage/", include("apps.services.page_urls")),
    path("manage/office-hours/", include("apps.officehours.urls")),
    path("manage/capacity/", include("apps.capacity.urls")),
    path("manage/callbacks/", include("apps.callback.page_urls")),
    path("desk/", include("apps.desk.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "apps.core.errors.bad_request"
handler404 = "apps.core.errors.page_not_found"
handler500 = "apps.core.errors.server_error"
