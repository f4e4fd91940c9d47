"""The callbacks admin page, mounted at /manage/callbacks/."""

from django.urls import path

from apps.callback import pages

urlpatterns = [
    path("", pages.callbacks_page, name="callbacks-page"),
]
