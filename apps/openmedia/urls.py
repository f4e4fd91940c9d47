"""Open Media API routes (openmedia.md §7), mounted under /genesys/. Any other operation
segment matches nothing and gets the envelope's 404, code 101 (apps.core.errors)."""

from django.urls import path

from apps.openmedia import apis

ITEM = "2/openmedia/<str:service_name>/<str:interaction_id>/"

urlpatterns = [
    path("2/openmedia/<str:service_name>", apis.CreateView.as_view(), name="openmedia-create"),
    path(ITEM + "get", apis.GetView.as_view(), name="openmedia-get"),
    path(ITEM + "update", apis.UpdateView.as_view(), name="openmedia-update"),
    path(
        ITEM + "updateUserData",
        apis.UpdateUserDataView.as_view(),
        name="openmedia-update-user-data",
    ),
    path(ITEM + "stop", apis.StopView.as_view(), name="openmedia-stop"),
]
