from django.urls import path

from apps.services import pages

urlpatterns = [
    path("", pages.index, name="manage-index"),
]
