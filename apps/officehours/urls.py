from django.urls import path

from apps.officehours import pages

urlpatterns = [
    path("<str:name>/", pages.office_hours_page, name="office-hours-page"),
]
