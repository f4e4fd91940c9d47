from django.urls import path

from apps.phonenumber import apis

urlpatterns = [
    path("1/phonenumber", apis.PhoneNumberView.as_view(), name="phonenumber"),
]
