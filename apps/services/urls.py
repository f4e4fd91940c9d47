from django.urls import path

from apps.services import apis

urlpatterns = [
    path("1/service/<str:service_name>", apis.ServiceView.as_view(), name="service"),
]
