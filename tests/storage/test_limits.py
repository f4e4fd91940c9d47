"""Upload limits and file control (storage.md §5): refused requests store nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.storage.models import StorageArea
from tests.conftest import assert_gms_error
from tests.storage.conftest import BASE, create, multipart, post_form, read_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(client) -> str:
    """An area whose content every test checks is still there after a refusal."""
    return create(client, {"a": "kept", "b": "kept"}, ttl="3600")


def unchanged(client, storage_id: str) -> bool:
    return read_all(client, storage_id).json() == {"a": "kept", "b": "kept"}


# --- size --------------------------------------------------------------------


def test_a_body_above_the_limit_is_413_before_it_is_read(client, settings, stored):
    settings.GMS_STORAGE_MAX_UPLOAD_BYTES = 100
    big = {"a": "x" * 200}
    body = assert_gms_error(post_form(client, f"{BASE}/60", big), 413)
    assert "100" in body["message"]
    assert_gms_error(post_form(client, f"{BASE}/{stored}/60", big), 413)
    assert_gms_error(post_form(client, f"{BASE}/custom/c/60", big, headers={"gms_user": "u"}), 413)
    upload = {"f": SimpleUploadedFile("f.bin", b"\x00" * 200)}
    assert_gms_error(client.post(f"{BASE}/60", upload), 413)
    assert StorageArea.objects.count() == 1
    assert unchanged(client, stored)


def test_a_body_at_the_limit_is_stored(client, settings):
    settings.GMS_STORAGE_MAX_UPLOAD_BYTES = 100
    body = "a=" + "x" * 98
    assert post_form(client, f"{BASE}/60", body).status_code == 200


def test_without_our_limit_djangos_body_limits_still_answer_413(client, settings, stored):
    settings.GMS_STORAGE_MAX_UPLOAD_BYTES = 0
    settings.GMS_STORAGE_MAX_KEYS = 0
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    assert_gms_error(post_form(client, f"{BASE}/{stored}/60", {"a": "x" * 200}), 413)
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    many = {f"k{n}": "v" for n in range(10)}
    assert_gms_error(post_form(client, f"{BASE}/{stored}/60", many), 413)
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
    files = {f"f{n}": SimpleUploadedFile(f"{n}.bin", b"x") for n in range(3)}
    assert_gms_error(client.post(f"{BASE}/{stored}/60", files), 413)
    assert unchanged(client, stored)


# --- number of keys ----------------------------------------------------------


def test_more_keys_in_one_request_than_allowed_is_413(client, settings, stored):
    settings.GMS_STORAGE_MAX_KEYS = 3
    four = {f"k{n}": "v" for n in range(4)}
    body = assert_gms_error(post_form(client, f"{BASE}/60", four), 413)
    assert "3" in body["message"]
    assert_gms_error(client.post(f"{BASE}/60", four, content_type="application/json"), 413)
    assert_gms_error(post_form(client, f"{BASE}/{stored}/60", four), 413)
    assert StorageArea.objects.count() == 1
    assert unchanged(client, stored)
    # A key sent twice counts once: the last value wins.
    assert post_form(client, f"{BASE}/60", "a=1&a=2&b=3&c=4").status_code == 200


def test_more_keys_in_the_area_after_a_merge_is_413(client, settings, stored):
    settings.GMS_STORAGE_MAX_KEYS = 3
    assert_gms_error(post_form(client, f"{BASE}/{stored}/60", {"c": "1", "d": "2"}), 413)
    assert unchanged(client, stored)
    # Replacing keys does not add any.
    assert post_form(client, f"{BASE}/{stored}/60", {"a": "new", "c": "1"}).status_code == 200
    assert read_all(client, stored).json() == {"a": "new", "b": "kept", "c": "1"}


def test_a_custom_merge_counts_the_keys_already_there(client, settings):
    settings.GMS_STORAGE_MAX_KEYS = 2
    owner = {"gms_user": "alice"}
    post_form(client, f"{BASE}/custom/c/60", {"a": "1", "b": "2"}, headers=owner)
    assert_gms_error(post_form(client, f"{BASE}/custom/c/60", {"c": "3"}, headers=owner), 413)
    assert read_all(client, "c", headers=owner).json() == {"a": "1", "b": "2"}


def test_zero_turns_the_key_limit_off(client, settings):
    settings.GMS_STORAGE_MAX_KEYS = 0
    many = {f"k{n}": "v" for n in range(50)}
    storage_id = create(client, many)
    assert len(read_all(client, storage_id).json()) == 50


# --- file types --------------------------------------------------------------


@pytest.fixture
def file_control(configure):
    configure(
        {"server": {"allow-file-control": "true", "allowed-mime-types": "image/png, text/plain"}}
    )


def test_allowed_file_types_are_stored(client, file_control):
    body, content_type = multipart(
        (b"photo", b"\x89PNG", b"p.png", b"IMAGE/PNG"),
        (b"note", b"hi", b"n.txt", b"text/plain; charset=utf-8"),
        (b"field", b"strings are never checked", None, None),
    )
    response = client.post(f"{BASE}/60", body, content_type=content_type)
    assert response.status_code == 200, response.content
    storage_id = response.json()["id"]
    assert client.get(f"{BASE}/binary/{storage_id}/photo").content == b"\x89PNG"
    assert client.get(f"{BASE}/binary/{storage_id}/note")["Content-Type"] == (
        "text/plain;charset=utf-8"
    )


def test_a_rejected_file_type_is_400_and_nothing_is_stored(client, file_control, stored):
    files = {
        "ok": SimpleUploadedFile("ok.png", b"\x89PNG", "image/png"),
        "a": "changed",
        "bad": SimpleUploadedFile("bad.pdf", b"%PDF", "application/pdf"),
    }
    body = assert_gms_error(client.post(f"{BASE}/60", files), 400)
    assert "application/pdf" in body["message"]
    for file in files.values():
        if not isinstance(file, str):
            file.seek(0)
    assert_gms_error(client.post(f"{BASE}/{stored}/60", files), 400)
    assert StorageArea.objects.count() == 1
    assert unchanged(client, stored)


def test_a_file_without_a_type_is_octet_stream_for_file_control(client, file_control):
    body, content_type = multipart((b"raw", b"\x00", b"raw.bin", None))
    assert_gms_error(client.post(f"{BASE}/60", body, content_type=content_type), 400)


def test_file_control_on_with_an_empty_list_refuses_every_file(client, configure):
    configure({"server": {"allow-file-control": "true"}})
    upload = {"f": SimpleUploadedFile("f.png", b"\x89PNG", "image/png")}
    assert_gms_error(client.post(f"{BASE}/60", upload), 400)
    assert post_form(client, f"{BASE}/60", {"a": "strings still pass"}).status_code == 200


def test_file_control_off_stores_any_type(client, configure):
    configure({"server": {"allow-file-control": "false", "allowed-mime-types": "image/png"}})
    upload = {"f": SimpleUploadedFile("f.pdf", b"%PDF", "application/pdf")}
    assert client.post(f"{BASE}/60", upload).status_code == 200
