"""Every error is a GMS body: no HTML page, no stack trace (responses.md)."""

import pytest
from rest_framework.exceptions import UnsupportedMediaType
from rest_framework.test import APIRequestFactory

from apps.core.errors import GMSError, exception_handler
from tests.conftest import assert_gms_error

pytestmark = pytest.mark.django_db


def test_an_unrouted_platform_path_is_a_json_404(client):
    body = assert_gms_error(client.get("/genesys/1/nowhere"), 404)
    assert "/genesys/1/nowhere" in body["message"]


def test_an_unrouted_digital_channel_path_answers_the_envelope(client):
    response = client.post("/genesys/2/chat/nosuchservice/x/y/z")
    assert response.status_code == 404
    assert response.json() == {
        "statusCode": 2,
        "errors": [{"code": 101, "advice": "No resource at /genesys/2/chat/nosuchservice/x/y/z"}],
    }


def test_an_unexpected_exception_is_a_json_500_without_a_trace():
    request = APIRequestFactory().get("/genesys/1/storage/x")
    response = exception_handler(RuntimeError("secret detail"), {"request": request})
    assert response.status_code == 500
    assert response.data == {
        "message": "Internal server error",
        "exception": "builtins.RuntimeError",
    }


def test_drf_errors_keep_their_status():
    request = APIRequestFactory().post("/genesys/2/email/svc")
    response = exception_handler(UnsupportedMediaType("text/plain"), {"request": request})
    assert response.status_code == 415
    assert response.data["statusCode"] == 2
    assert response.data["errors"][0]["code"] == 102


def test_error_bodies_are_json_exactly_as_gms_types_them(client, admin_headers):
    response = client.delete("/genesys/1/admin/node/status", headers=admin_headers)
    assert response.status_code == 405
    assert response["Content-Type"] == "application/json;charset=utf-8"


def test_accept_headers_never_turn_an_answer_into_a_406(client, admin_headers):
    response = client.get("/genesys/1/phonenumber?number=x", headers={"Accept": "image/png"})
    assert_gms_error(response, 400)


def test_json_nested_past_the_recursion_limit_is_a_400(client):
    response = client.post("/genesys/1/storage/60", "[" * 100_000, content_type="application/json")
    body = assert_gms_error(response, 400)
    assert body["message"] == "Malformed request body: nested too deeply"


@pytest.mark.parametrize(
    "url",
    [
        "/genesys/1/service/callback?_id=a%00b",
        "/genesys/1/service/callback?a%00=1",
        "/genesys/1/storage/a%00b",
        "/genesys/1/service/a%00b",
        "/genesys/1/internal_statistic?objectId=%00",
        "/genesys/1/admin/callback/watermarks?service_name=a%00b",
    ],
)
def test_a_nul_in_the_url_is_a_400_before_any_view_runs(client, admin_headers, url):
    body = assert_gms_error(client.get(url, headers=admin_headers), 400)
    assert "NUL" in body["message"]


def test_a_digital_channel_error_carries_its_own_code_and_a_503_may_be_retried():
    request = APIRequestFactory().post("/genesys/2/openmedia/svc/x/get")
    error = GMSError("Interaction x not found", status=404, code=107)
    assert exception_handler(error, {"request": request}).data == {
        "statusCode": 2,
        "errors": [{"code": 107, "advice": "Interaction x not found"}],
    }
    busy = GMSError("Try again", status=503, code=100)
    assert exception_handler(busy, {"request": request}).data["statusCode"] == 1
