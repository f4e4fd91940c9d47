"""Basic auth and port restrictions on the Storage API (storage.md §1, responses.md §4-5)."""

import pytest

from apps.storage.models import StorageArea
from tests.conftest import assert_gms_error, basic
from tests.storage.conftest import BASE, create, post_form, read_all

pytestmark = pytest.mark.django_db

STORAGE_PAIR = {"Authorization": basic("store", "st0re")}
SERVER_PAIR = {"Authorization": basic("gms", "s3cret")}


def every_operation(client, storage_id: str, headers: dict) -> list:
    """One response per endpoint, all aimed at an area that exists."""
    return [
        post_form(client, f"{BASE}/60", {"a": "new"}, headers=headers),
        post_form(
            client, f"{BASE}/custom/c/60", {"a": "new"}, headers={**headers, "gms_user": "u"}
        ),
        post_form(client, f"{BASE}/{storage_id}/60", {"a": "changed"}, headers=headers),
        read_all(client, storage_id, headers=headers),
        client.get(f"{BASE}/{storage_id}/a", headers=headers),
        client.get(f"{BASE}/binary/{storage_id}/a", headers=headers),
        client.delete(f"{BASE}/{storage_id}", headers=headers),
    ]


def test_server_credentials_protect_every_storage_operation(client, configure):
    storage_id = create(client, {"a": "kept"})
    configure({"server": {"username": "gms", "password": "s3cret", "realm": "GMS"}})
    for headers in ({}, {"Authorization": basic("someone", "s3cret")}, {"Authorization": "x"}):
        for response in every_operation(client, storage_id, headers):
            body = assert_gms_error(response, 401)
            assert body["message"] == "Unauthorized"
            assert response["WWW-Authenticate"] == 'Basic realm="GMS"'
    assert StorageArea.objects.count() == 1
    assert read_all(client, storage_id, headers=SERVER_PAIR).json() == {"a": "kept"}
    statuses = [r.status_code for r in every_operation(client, storage_id, SERVER_PAIR)]
    assert statuses == [200] * 7


def test_the_storage_pair_wins_over_the_server_pair(client, configure):
    configure(
        {
            "server": {"username": "gms", "password": "s3cret"},
            "storage": {"username": "store", "password": "st0re"},
        }
    )
    assert_gms_error(post_form(client, f"{BASE}/60", {"a": "1"}, headers=SERVER_PAIR), 401)
    response = post_form(client, f"{BASE}/60", {"a": "1"}, headers=STORAGE_PAIR)
    assert response.status_code == 200
    assert StorageArea.objects.count() == 1


def test_a_storage_password_alone_turns_auth_on(client, configure):
    configure({"storage": {"password": "st0re"}})
    assert_gms_error(post_form(client, f"{BASE}/60", {"a": "1"}), 401)
    assert (
        post_form(
            client, f"{BASE}/60", {"a": "1"}, headers={"Authorization": basic("anyone", "st0re")}
        ).status_code
        == 200
    )


def test_a_storage_username_uses_the_server_password(client, configure):
    configure(
        {"server": {"username": "gms", "password": "s3cret"}, "storage": {"username": "store"}}
    )
    assert_gms_error(post_form(client, f"{BASE}/60", {"a": "1"}, headers=SERVER_PAIR), 401)
    headers = {"Authorization": basic("store", "s3cret")}
    assert post_form(client, f"{BASE}/60", {"a": "1"}, headers=headers).status_code == 200


def test_only_usernames_mean_no_auth(client, configure):
    configure({"server": {"username": "gms"}, "storage": {"username": "store"}})
    assert post_form(client, f"{BASE}/60", {"a": "1"}).status_code == 200


def test_a_port_not_allowed_for_storage_is_403(client, configure):
    storage_id = create(client, {"a": "kept"})
    configure({"port_restrictions": {"/genesys/1/storage/*": "81"}})
    for response in every_operation(client, storage_id, {}):
        assert_gms_error(response, 403)
    assert StorageArea.objects.count() == 1
    assert read_all(client, storage_id, SERVER_PORT="81").json() == {"a": "kept"}
