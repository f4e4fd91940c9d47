"""One reader for urlencoded, multipart and JSON bodies, with userData[key] nesting."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from apps.core.errors import BadRequest
from apps.core.parsing import flat_items, parse_params

factory = APIRequestFactory()
PARSERS = [JSONParser(), FormParser(), MultiPartParser()]


def params_of(django_request):
    return parse_params(Request(django_request, parsers=PARSERS))


def test_urlencoded_with_user_data_brackets_and_repeated_keys():
    body = "firstName=Kate&userData%5BGCTI_LanguageCode%5D=en&userData%5B%22quoted%22%5D=q&k=1&k=2"
    params = params_of(factory.post("/x", body, content_type="application/x-www-form-urlencoded"))
    assert params.values == {
        "firstName": "Kate",
        "userData": {"GCTI_LanguageCode": "en", "quoted": "q"},
        "k": "2",
    }


def test_multipart_separates_files():
    upload = SimpleUploadedFile("me.png", b"\x89PNG\x00\xff", content_type="image/png")
    params = params_of(factory.post("/x", {"name": "Ana", "photo": upload}, format="multipart"))
    assert params.values == {"name": "Ana"}
    assert params.files["photo"].read() == b"\x89PNG\x00\xff"


def test_json_object_keeps_nested_user_data():
    body = {"_customer_number": "5551234", "userData": {"a": "1"}, "userData[b]": "2"}
    params = params_of(factory.post("/x", json.dumps(body), content_type="application/json"))
    assert params.values == {"_customer_number": "5551234", "userData": {"a": "1", "b": "2"}}


def test_a_json_body_that_is_not_an_object_is_refused():
    with pytest.raises(BadRequest):
        params_of(factory.post("/x", "[1, 2]", content_type="application/json"))


def test_flat_items_puts_user_data_keys_in_its_place() -> None:
    values = {"a": "1", "userData": {"b": "2", "a": "3"}, "c": {"d": "4"}}
    assert list(flat_items(values)) == [("a", "1"), ("b", "2"), ("a", "3"), ("c", {"d": "4"})]
    assert list(flat_items({"userData": "not an object"})) == [("userData", "not an object")]
