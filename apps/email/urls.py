"""The Email API v2, mounted under ``/genesys/``."""

from django.urls import path

from apps.email import apis

urlpatterns = [
    path("2/email/<str:serviceName>", apis.EmailView.as_view(), name="email"),
]
