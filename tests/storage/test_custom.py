"""Custom storage ids (storage.md §4.2): owned by the gms_user that created them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.storage.models import StorageArea
from tests.conftest import assert_gms_error
from tests.storage.conftest import BASE, create, post_form, read_all

pytestmark = pytest.mark.django_db

ALICE = {"gms_user": "alice"}
BOB = {"gms_user": "bob"}


def custom(client, custom_id: str, values: dict, ttl: str = "60", headers: dict | None = None):
    return post_form(client, f"{BASE}/custom/{custom_id}/{ttl}", values, headers=headers)


def test_custom_create_answers_the_custom_id(client):
    response = custom(client, "order-42", {"item": "book"}, headers=ALICE)
    assert response.status_code == 200
    assert response.json() == {"id": "order-42"}
    assert read_all(client, "order-42", headers=ALICE).json() == {"item": "book"}


def test_custom_create_without_gms_user_is_400_and_stores_nothing(client):
    body = assert_gms_error(custom(client, "order-42", {"item": "book"}), 400)
    assert body == {
        "message": "Header gms_user is missing",
        "exception": "com.genesyslab.gsg.GSGException",
    }
    assert_gms_error(custom(client, "order-42", {"a": "b"}, headers={"gms_user": "  "}), 400)
    assert not StorageArea.objects.exists()


def test_a_custom_area_exists_only_for_its_owner(client):
    custom(client, "order-42", {"item": "book"}, headers=ALICE)
    client.post(
        f"{BASE}/custom/order-42/60",
        {"scan": SimpleUploadedFile("s.png", b"\x89P", "image/png")},
        headers=ALICE,
    )
    for headers in ({}, BOB, {"gms_user": "Alice"}):
        assert_gms_error(read_all(client, "order-42", headers=headers), 404)
        assert_gms_error(client.get(f"{BASE}/order-42/item", headers=headers), 404)
        assert_gms_error(client.get(f"{BASE}/binary/order-42/scan", headers=headers), 404)
        assert_gms_error(
            post_form(client, f"{BASE}/order-42/60", {"item": "x"}, headers=headers), 404
        )
        assert_gms_error(client.delete(f"{BASE}/order-42", headers=headers), 404)
    assert read_all(client, "order-42", headers=ALICE).json() == {"item": "book"}
    assert client.get(f"{BASE}/order-42/item", headers=ALICE).content == b"book"
    assert client.get(f"{BASE}/binary/order-42/scan", headers=ALICE).content == b"\x89P"


def test_another_user_creating_the_same_custom_id_is_403_and_changes_nothing(client, clock):
    custom(client, "order-42", {"item": "book"}, ttl="60", headers=ALICE)
    clock.advance(30)
    assert_gms_error(custom(client, "order-42", {"item": "pen"}, ttl="600", headers=BOB), 403)
    assert read_all(client, "order-42", headers=ALICE).json() == {"item": "book"}
    clock.advance(30)  # Bob's TTL was not applied either
    assert_gms_error(read_all(client, "order-42", headers=ALICE), 404)


def test_the_owner_creating_again_merges_and_restarts_the_ttl(client, clock):
    custom(client, "order-42", {"item": "book", "qty": "1"}, ttl="60", headers=ALICE)
    clock.advance(50)
    response = custom(client, "order-42", {"qty": "2", "gift": "yes"}, ttl="60", headers=ALICE)
    assert response.json() == {"id": "order-42"}
    clock.advance(59)
    assert read_all(client, "order-42", headers=ALICE).json() == {
        "item": "book",
        "qty": "2",
        "gift": "yes",
    }
    clock.advance(1)
    assert_gms_error(read_all(client, "order-42", headers=ALICE), 404)


def test_the_owner_updates_and_deletes_through_the_plain_paths(client):
    custom(client, "order-42", {"item": "book"}, headers=ALICE)
    response = post_form(client, f"{BASE}/order-42/60", {"qty": "3"}, headers=ALICE)
    assert response.json() == {"id": "order-42"}
    assert read_all(client, "order-42", headers=ALICE).json() == {"item": "book", "qty": "3"}
    assert client.delete(f"{BASE}/order-42", headers=ALICE).status_code == 200
    assert_gms_error(read_all(client, "order-42", headers=ALICE), 404)


def test_an_expired_custom_id_can_be_claimed_by_anyone(client, clock):
    custom(client, "order-42", {"item": "book"}, ttl="10", headers=ALICE)
    clock.advance(10)
    assert custom(client, "order-42", {"note": "mine"}, headers=BOB).status_code == 200
    assert read_all(client, "order-42", headers=BOB).json() == {"note": "mine"}
    assert_gms_error(read_all(client, "order-42", headers=ALICE), 404)


def test_a_custom_id_cannot_take_over_a_plain_area(client):
    storage_id = create(client, {"a": "1"}, headers=ALICE)
    assert_gms_error(custom(client, storage_id, {"a": "2"}, headers=ALICE), 403)
    assert read_all(client, storage_id).json() == {"a": "1"}


def test_custom_ids_that_cannot_be_stored_are_400(client):
    assert_gms_error(custom(client, "x" * 256, {"a": "1"}, headers=ALICE), 400)
    assert_gms_error(custom(client, "a%00b", {"a": "1"}, headers=ALICE), 400)
    assert not StorageArea.objects.exists()
    assert custom(client, "x" * 255, {"a": "1"}, headers=ALICE).status_code == 200


def test_custom_create_accepts_json_and_multipart(client):
    response = client.post(
        f"{BASE}/custom/c1/60", {"a": "1"}, content_type="application/json", headers=ALICE
    )
    assert response.json() == {"id": "c1"}
    response = client.post(
        f"{BASE}/custom/c1/60",
        {"b": "2", "f": SimpleUploadedFile("f.txt", b"\xff", "text/plain")},
        headers=ALICE,
    )
    assert response.status_code == 200
    assert read_all(client, "c1", headers=ALICE).json() == {"a": "1", "b": "2"}
    assert client.get(f"{BASE}/binary/c1/f", headers=ALICE).content == b"\xff"


def test_words_of_the_api_are_valid_custom_ids(client):
    """``custom`` and ``binary`` are ids like any other once the route is chosen (§7)."""
    for name in ("custom", "binary"):
        assert custom(client, name, {"k": name}, headers=ALICE).json() == {"id": name}
        assert read_all(client, name, headers=ALICE).json() == {"k": name}
        assert client.get(f"{BASE}/{name}/k", headers=ALICE).content == name.encode()
