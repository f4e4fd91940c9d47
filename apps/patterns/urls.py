from django.urls import path

from apps.patterns import apis

urlpatterns = [
    path("1/patterns", apis.GeneralPatternsView.as_view(), name="patterns"),
    path(
        "1/patterns/group/<str:groupName>", apis.PatternGroupView.as_view(), name="patterns-group"
    ),
]
