from django.urls import path

from apps.capacity import pages

urlpatterns = [
    path("<str:name>/", pages.capacity_page, name="capacity-page"),
]
