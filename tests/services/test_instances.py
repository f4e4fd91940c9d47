"""A service instance's data (service.md §2.5), requests (§2.3), deletion (§2.4) and expiry."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.services.models import AccessReservation, ServiceInstance
from apps.services.tasks import purge_expired_services
from apps.storage.models import StorageArea
from tests.conftest import assert_gms_error
from tests.services.conftest import post

pytestmark = pytest.mark.django_db
NOT_FOUND = "com.genesyslab.gsg.services.exceptions.ServiceNotFoundException"


@pytest.fixture
def service_id(client, services) -> str:
    response = post(client, "/genesys/1/service/ri-code", {"first_name": "Ana", "city": "Lyon"})
    return response.json()["_id"]


def test_read_all_and_one_key(client, service_id):
    base = f"/genesys/1/service/{service_id}/storage"
    assert client.get(base).json() == {"first_name": "Ana", "city": "Lyon"}
    response = client.get(f"{base}/city")
    assert (response.status_code, response.content) == (200, b"Lyon")
    assert response["Content-Type"] == "text/plain;charset=utf-8"
    assert client.get(f"{base}/binary/city").content == b"Lyon"
    assert_gms_error(client.get(f"{base}/nope"), 404)


@pytest.mark.parametrize("encoding", ["form", "json", "multipart"])
def test_post_adds_and_replaces_keys_and_keeps_the_expiry(client, service_id, encoding):
    instance = ServiceInstance.objects.get(pk=service_id)
    base = f"/genesys/1/service/{service_id}/storage"
    response = post(client, base, {"city": "Paris", "zip": "75001"}, encoding)
    assert (response.status_code, response.content) == (200, b"")
    assert client.get(base).json() == {"first_name": "Ana", "city": "Paris", "zip": "75001"}
    area = StorageArea.objects.get(pk=instance.data_id)
    assert abs((area.expires_at - instance.expires_at).total_seconds()) <= 1


def test_a_file_is_kept_byte_for_byte(client, service_id):
    base = f"/genesys/1/service/{service_id}/storage"
    upload = SimpleUploadedFile("photo.png", b"\x89PNG\x00\x01", content_type="image/png")
    assert client.post(base, {"photo": upload}).status_code == 200
    response = client.get(f"{base}/binary/photo")
    assert response.content == b"\x89PNG\x00\x01"
    assert response["Content-Type"] == "image/png"
    assert "photo" not in client.get(base).json()


def test_user_data_files_of_the_create_are_kept(client, services):
    upload = SimpleUploadedFile("a.txt", b"hello", content_type="text/plain")
    service_id = client.post("/genesys/1/service/request-interaction", {"doc": upload}).json()[
        "_id"
    ]
    assert client.get(f"/genesys/1/service/{service_id}/storage/binary/doc").content == b"hello"


def test_delete_one_key(client, service_id):
    base = f"/genesys/1/service/{service_id}/storage"
    response = client.delete(f"{base}/city")
    assert (response.status_code, response.content) == (200, b"")
    assert client.get(base).json() == {"first_name": "Ana"}
    body = assert_gms_error(client.delete(f"{base}/city"), 404)
    assert body["message"] == f"Key city not found in service {service_id}"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/storage"),
        ("post", "/storage"),
        ("get", "/storage/k"),
        ("delete", "/storage/k"),
        ("get", "/storage/binary/k"),
        ("get", "/some-request"),
        ("post", "/some-request"),
        ("delete", ""),
    ],
)
def test_an_unknown_id_is_404(client, services, method, path):
    response = getattr(client, method)(f"/genesys/1/service/nope{path}")
    body = assert_gms_error(response, 404, NOT_FOUND)
    assert body["message"] == "Service nope not found"


def test_a_builtin_instance_takes_no_named_request(client, service_id):
    # Our choice (service.md §2.3): 404, naming the request.
    for method in ("get", "post"):
        response = getattr(client, method)(f"/genesys/1/service/{service_id}/do-something")
        body = assert_gms_error(response, 404, NOT_FOUND)
        assert body["message"] == f"Service {service_id} has no request do-something"


def test_delete_ends_the_instance_and_frees_its_number(client, service_id, services):
    data_id = ServiceInstance.objects.get(pk=service_id).data_id
    assert AccessReservation.objects.filter(instance_id=service_id).exists()
    response = client.delete(f"/genesys/1/service/{service_id}")
    assert (response.status_code, response.content) == (200, b"")
    assert not AccessReservation.objects.exists()
    assert not StorageArea.objects.filter(pk=data_id).exists()
    assert_gms_error(client.get(f"/genesys/1/service/{service_id}/storage"), 404, NOT_FOUND)
    assert_gms_error(client.delete(f"/genesys/1/service/{service_id}"), 404, NOT_FOUND)


def test_an_expired_instance_is_gone_and_purged(client, service_id):
    ServiceInstance.objects.update(expires_at=timezone.now())
    assert_gms_error(client.get(f"/genesys/1/service/{service_id}/storage"), 404, NOT_FOUND)
    AccessReservation.objects.update(expires_at=timezone.now())
    assert purge_expired_services() == 1
    assert not ServiceInstance.objects.exists()
    assert not AccessReservation.objects.exists()


def test_tokens_fill_options_and_are_not_user_data(client, configure, services):
    configure(
        {
            "service.ri-token": {
                "_type": "builtin",
                "_service": "request-interaction",
                "_resource_group": "$pool$",
            }
        }
    )
    body = post(client, "/genesys/1/service/ri-token", {"pool": "ONE", "note": "x"}).json()
    assert body["_access_number"] == "+18005550199"
    assert client.get(f"/genesys/1/service/{body['_id']}/storage").json() == {"note": "x"}


def test_user_data_nested_in_userdata_becomes_plain_keys(client, services):
    body = post(client, "/genesys/1/service/request-interaction", {"userData[lang]": "fr"}).json()
    assert client.get(f"/genesys/1/service/{body['_id']}/storage").json() == {"lang": "fr"}


def test_unknown_service_is_404(client, services):
    body = assert_gms_error(client.post("/genesys/1/service/nope"), 404, NOT_FOUND)
    assert body["message"] == "Service nope not found"


def test_a_builtin_that_only_answers_post_is_405_on_get(client, services):
    response = client.get("/genesys/1/service/request-interaction")
    assert_gms_error(response, 405)
    assert response["Allow"] == "POST"
