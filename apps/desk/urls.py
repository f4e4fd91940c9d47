"""Routes of the agent desk, mounted under ``/desk/``."""

from django.urls import path

from apps.desk import pages

urlpatterns = [
    path("", pages.desk, name="desk"),
    path("login/", pages.sign_in, name="desk-login"),
    path("logout/", pages.sign_out, name="desk-logout"),
]
