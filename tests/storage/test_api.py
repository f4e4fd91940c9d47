"""Storage API through HTTP, as a GMS client uses it (storage.md §4)."""

import json
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.storage.models import StorageArea
from tests.conftest import assert_gms_error
from tests.storage.conftest import BASE, create, multipart, post_form, read_all

pytestmark = pytest.mark.django_db

# A PNG signature, a NUL and every byte value: nothing here is valid UTF-8 as a whole.
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\xff\xfe" + bytes(range(256))
JSON_TYPE = "application/json;charset=utf-8"
TEXT_TYPE = "text/plain;charset=utf-8"


def test_create_answers_a_uuid4_id_as_json(client):
    response = post_form(client, f"{BASE}/3600", {"firstName": "Alice", "lang": "fr-CA"})
    assert response.status_code == 200
    assert response["Content-Type"] == JSON_TYPE
    storage_id = response.json()["id"]
    assert str(uuid.UUID(storage_id, version=4)) == storage_id
    assert response.json() == {"id": storage_id}


def test_read_all_is_a_flat_object_of_strings(client):
    storage_id = create(client, {"firstName": "Alice", "lang": "fr-CA"})
    response = read_all(client, storage_id)
    assert response.status_code == 200
    assert response["Content-Type"] == JSON_TYPE
    assert response.json() == {"firstName": "Alice", "lang": "fr-CA"}


def test_read_one_string_key_is_plain_text(client):
    storage_id = create(client, {"greeting": "héllo wörld"})
    response = client.get(f"{BASE}/{storage_id}/greeting")
    assert response.status_code == 200
    assert response["Content-Type"] == TEXT_TYPE
    assert response.content == "héllo wörld".encode()
    # A string asked for on the binary path comes back as its UTF-8 bytes.
    binary = client.get(f"{BASE}/binary/{storage_id}/greeting")
    assert binary.status_code == 200
    assert binary["Content-Type"] == TEXT_TYPE
    assert binary.content == "héllo wörld".encode()
    assert "Content-Disposition" not in binary


def test_multipart_strings_and_files(client):
    response = client.post(
        f"{BASE}/3600",
        {
            "firstName": "Alice",
            "photo": SimpleUploadedFile("me.png", PNG_BYTES, content_type="image/png"),
        },
    )
    assert response.status_code == 200, response.content
    storage_id = response.json()["id"]

    # Binaries are left out of read all and fetched one by one.
    assert read_all(client, storage_id).json() == {"firstName": "Alice"}
    for path in (f"{BASE}/binary/{storage_id}/photo", f"{BASE}/{storage_id}/photo"):
        binary = client.get(path)
        assert binary.status_code == 200
        assert binary.content == PNG_BYTES
        assert binary["Content-Type"] == "image/png"
        assert binary["Content-Disposition"] == 'attachment; filename="me.png"'


def test_a_file_part_keeps_its_charset_and_a_missing_type_is_octet_stream(client):
    body, content_type = multipart(
        (b"notes", b"caf\xe9", b"notes.txt", b"text/plain; charset=ISO-8859-1"),
        (b"raw", b"\x00\x01\x02", b"raw.bin", None),
    )
    storage_id = client.post(f"{BASE}/60", body, content_type=content_type).json()["id"]
    notes = client.get(f"{BASE}/binary/{storage_id}/notes")
    assert notes.content == b"caf\xe9"
    assert notes["Content-Type"] == "text/plain;charset=ISO-8859-1"
    raw = client.get(f"{BASE}/binary/{storage_id}/raw")
    assert raw.content == b"\x00\x01\x02"
    assert raw["Content-Type"] == "application/octet-stream"


def test_a_non_ascii_file_name_is_sent_the_rfc_6266_way(client):
    body, content_type = multipart((b"doc", b"x", "reçu.pdf".encode(), b"application/pdf"))
    storage_id = client.post(f"{BASE}/60", body, content_type=content_type).json()["id"]
    response = client.get(f"{BASE}/binary/{storage_id}/doc")
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''re%C3%A7u.pdf"


def test_json_object_of_strings_is_accepted(client):
    response = client.post(f"{BASE}/60", {"a": "1", "_b": "two"}, content_type="application/json")
    assert response.status_code == 200
    assert read_all(client, response.json()["id"]).json() == {"a": "1", "_b": "two"}


def test_an_empty_body_creates_an_empty_area(client):
    response = client.post(f"{BASE}/60")
    assert response.status_code == 200
    assert read_all(client, response.json()["id"]).json() == {}


def test_underscore_keys_are_stored_keys_are_case_sensitive_and_the_last_value_wins(client):
    # The body of Genesys QA's storage create, plus a key sent twice and two cases of one key.
    storage_id = create(client, "_subject=efg&_customer_number=5115&k=1&K=upper&k=2")
    assert read_all(client, storage_id).json() == {
        "_subject": "efg",
        "_customer_number": "5115",
        "k": "2",
        "K": "upper",
    }


def test_bracketed_form_keys_are_stored_verbatim(client):
    storage_id = create(client, {"userData[name]": "Ana", "data": '{"x": 1}'})
    assert read_all(client, storage_id).json() == {"userData[name]": "Ana", "data": '{"x": 1}'}


def test_non_utf8_form_bytes_do_not_break_anything(client):
    response = post_form(client, f"{BASE}/60", "k%FF%FE=v%C3%28&plain=ok")
    assert response.status_code == 200
    values = read_all(client, response.json()["id"]).json()
    assert values["plain"] == "ok"
    assert len(values) == 2

    body, content_type = multipart(
        (b"text", b"value\xfe", None, None), (b"name\xff", b"dropped", None, None)
    )
    response = client.post(f"{BASE}/60", body, content_type=content_type)
    assert response.status_code == 200
    # Bad bytes in a value become U+FFFD; a part whose headers are not UTF-8 is skipped.
    assert read_all(client, response.json()["id"]).json() == {"text": "value\ufffd"}


def test_update_adds_and_replaces_keys_and_keeps_the_others(client):
    storage_id = create(client, {"a": "1", "b": "2"})
    response = post_form(client, f"{BASE}/{storage_id}/600", {"b": "two", "c": "3"})
    assert response.status_code == 200
    assert response.json() == {"id": storage_id}
    assert read_all(client, storage_id).json() == {"a": "1", "b": "two", "c": "3"}


def test_update_with_only_a_file_part(client):
    """The Android sample's updateBinary: a multipart body holding only files."""
    storage_id = create(client, {"a": "1"})
    response = client.post(
        f"{BASE}/{storage_id}/60",
        {"capture": SimpleUploadedFile("c.jpg", PNG_BYTES, content_type="image/jpeg")},
    )
    assert response.status_code == 200
    assert client.get(f"{BASE}/binary/{storage_id}/capture").content == PNG_BYTES
    assert read_all(client, storage_id).json() == {"a": "1"}


def test_update_can_turn_a_string_into_a_file_and_back(client):
    storage_id = create(client, {"doc": "text"})
    client.post(
        f"{BASE}/{storage_id}/60", {"doc": SimpleUploadedFile("d.bin", b"\xff", "image/png")}
    )
    assert read_all(client, storage_id).json() == {}
    assert client.get(f"{BASE}/{storage_id}/doc").content == b"\xff"
    client.post(f"{BASE}/{storage_id}/60", {"doc": "again"}, content_type="application/json")
    assert read_all(client, storage_id).json() == {"doc": "again"}


def test_update_of_an_unknown_id_is_404_and_creates_nothing(client):
    body = assert_gms_error(post_form(client, f"{BASE}/no-such-id/60", {"a": "1"}), 404)
    assert "no-such-id" in body["message"]
    assert not StorageArea.objects.exists()


def test_delete_removes_the_whole_area(client):
    storage_id = create(client, {"a": "1"})
    response = client.delete(f"{BASE}/{storage_id}")
    assert response.status_code == 200
    assert response.content == b""
    assert_gms_error(read_all(client, storage_id), 404)
    assert_gms_error(client.delete(f"{BASE}/{storage_id}"), 404)


def test_unknown_ids_and_keys_are_404_with_a_gms_error(client):
    missing = "6c2f1f0e-0000-4d7a-9c57-3b4a1e0d2a11"
    body = assert_gms_error(read_all(client, missing), 404, "com.genesyslab.gsg.GSGException")
    assert body["message"] == f"Storage {missing} not found"
    assert_gms_error(client.get(f"{BASE}/{missing}/a"), 404)
    assert_gms_error(client.get(f"{BASE}/binary/{missing}/a"), 404)
    assert_gms_error(client.delete(f"{BASE}/{missing}"), 404)

    storage_id = create(client, {"a": "1"})
    assert_gms_error(client.get(f"{BASE}/{storage_id}/b"), 404)
    assert_gms_error(client.get(f"{BASE}/binary/{storage_id}/b"), 404)


@pytest.mark.parametrize("segment", ["%ED%A0%80", "x" * 300, "%20", "..."])
def test_odd_ids_and_keys_are_simply_not_found(client, segment):
    assert_gms_error(client.get(f"{BASE}/{segment}"), 404)
    assert_gms_error(client.get(f"{BASE}/{segment}/{segment}"), 404)
    assert_gms_error(client.get(f"{BASE}/binary/{segment}/{segment}"), 404)
    assert_gms_error(client.delete(f"{BASE}/{segment}"), 404)
    assert_gms_error(post_form(client, f"{BASE}/{segment}/60", {"a": "1"}), 404)


def test_a_nul_in_an_id_or_key_is_a_400(client):
    for response in (
        client.get(f"{BASE}/a%00b"),
        client.get(f"{BASE}/a/b%00"),
        client.delete(f"{BASE}/a%00b"),
        post_form(client, f"{BASE}/a%00b/60", {"a": "1"}),
    ):
        assert "NUL" in assert_gms_error(response, 400)["message"]


def test_one_segment_is_a_ttl_on_post_and_an_id_on_get(client):
    """§7: POST /storage/{x} always creates; GET /storage/{x} always reads."""
    storage_id = create(client, {"a": "1"})
    response = post_form(client, f"{BASE}/{storage_id}", {"b": "2"})
    assert response.status_code == 200
    assert response.json()["id"] != storage_id
    assert read_all(client, storage_id).json() == {"a": "1"}


def test_binary_and_custom_paths_win_over_ids(client):
    """§7: ``binary/{id}/{key}`` and ``custom/{id}/{ttl}`` are matched before ``{id}/{key}``."""
    storage_id = create(client, {"k": "v"})
    assert client.get(f"{BASE}/binary/{storage_id}/k").content == b"v"
    response = client.get(f"{BASE}/custom/{storage_id}/60")
    assert_gms_error(response, 405)
    assert response["Allow"] == "POST, OPTIONS"


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("put", "/genesys/1/storage/60", "GET, POST, DELETE, HEAD, OPTIONS"),
        ("patch", "/genesys/1/storage/some-id/key", "GET, POST, HEAD, OPTIONS"),
        ("delete", "/genesys/1/storage/some-id/key", "GET, POST, HEAD, OPTIONS"),
        ("post", "/genesys/1/storage/binary/some-id/key", "GET, HEAD, OPTIONS"),
        ("delete", "/genesys/1/storage/custom/some-id/60", "POST, OPTIONS"),
    ],
)
def test_a_wrong_method_is_405_with_allow(client, method, path, allow):
    response = getattr(client, method)(path)
    assert_gms_error(response, 405)
    assert response["Allow"] == allow


def test_the_accept_header_never_causes_a_406(client):
    storage_id = create(client, {"a": "1"})
    client.post(f"{BASE}/{storage_id}/60", {"f": SimpleUploadedFile("f.png", b"\x89", "image/png")})
    assert client.get(f"{BASE}/binary/{storage_id}/f", headers={"Accept": "image/png"}).content == (
        b"\x89"
    )
    assert read_all(client, storage_id, headers={"Accept": "text/html"}).status_code == 200
    response = client.get(f"{BASE}/missing", headers={"Accept": "image/png"})
    assert_gms_error(response, 404)


# --- malformed requests: 400 or 415, nothing stored, nothing changed ---------


@pytest.mark.parametrize(
    "body",
    [
        "{not json",
        "[1, 2]",
        '"text"',
        "null",
        '{"a": 1}',
        '{"a": {"nested": "x"}}',
        '{"a": null}',
        '{"": "empty key"}',
        '{"a": "nul \\u0000"}',
        '{"a": "lone \\ud800"}',
        '{"\\u0000": "nul key"}',
        json.dumps({"k" * 256: "key too long"}),
    ],
)
def test_a_bad_json_body_is_400_and_changes_nothing(client, body):
    storage_id = create(client, {"a": "kept"})
    for path in (f"{BASE}/60", f"{BASE}/{storage_id}/60"):
        assert_gms_error(client.post(path, body, content_type="application/json"), 400)
    assert StorageArea.objects.count() == 1
    assert read_all(client, storage_id).json() == {"a": "kept"}


@pytest.mark.parametrize("body", ["=value", "a=nul%00", "%00=x", "k" * 256 + "=v"])
def test_a_bad_form_key_or_value_is_400_and_changes_nothing(client, body):
    storage_id = create(client, {"a": "kept"})
    assert_gms_error(post_form(client, f"{BASE}/60", body), 400)
    assert_gms_error(post_form(client, f"{BASE}/{storage_id}/60", body + "&b=changed"), 400)
    assert StorageArea.objects.count() == 1
    assert read_all(client, storage_id).json() == {"a": "kept"}


@pytest.mark.parametrize(
    "content_type", [b"not a type", b"image/png\x01", b"image/", b'text/plain; charset="a b"']
)
def test_a_file_part_with_a_malformed_content_type_is_400(client, content_type):
    body, multipart_type = multipart((b"f", b"data", b"f.bin", content_type))
    assert_gms_error(client.post(f"{BASE}/60", body, content_type=multipart_type), 400)
    assert not StorageArea.objects.exists()


def test_a_malformed_multipart_body_is_400(client):
    response = client.post(
        f"{BASE}/60", b"--x\r\nno headers", content_type="multipart/form-data; boundary=\x00"
    )
    assert_gms_error(response, 400)
    assert not StorageArea.objects.exists()


def test_an_unsupported_content_type_is_415_and_stores_nothing(client):
    storage_id = create(client, {"a": "kept"})
    for path in (f"{BASE}/60", f"{BASE}/{storage_id}/60", f"{BASE}/custom/c/60"):
        response = client.post(path, "a=b", content_type="text/plain", headers={"gms_user": "u"})
        assert_gms_error(response, 415)
    assert StorageArea.objects.count() == 1
    assert read_all(client, storage_id).json() == {"a": "kept"}


def test_gms_user_is_kept_but_never_checked_on_a_plain_area(client):
    storage_id = create(client, {"a": "1"}, headers={"gms_user": "alice"})
    assert StorageArea.objects.get(pk=storage_id).gms_user == "alice"
    assert read_all(client, storage_id, headers={"gms_user": "bob"}).json() == {"a": "1"}
    assert post_form(client, f"{BASE}/{storage_id}/60", {"b": "2"}).status_code == 200
    assert client.delete(f"{BASE}/{storage_id}", headers={"gms_user": "carol"}).status_code == 200


def test_form_field_with_a_file_name_is_binary_even_without_content(client):
    body, content_type = multipart((b"empty", b"", b"empty.txt", b"text/plain"))
    storage_id = client.post(f"{BASE}/60", body, content_type=content_type).json()["id"]
    response = client.get(f"{BASE}/binary/{storage_id}/empty")
    assert response.content == b""
    assert response["Content-Type"] == "text/plain"
    assert read_all(client, storage_id).json() == {}


def test_ids_are_unique(client):
    ids = {create(client, {"a": str(n)}) for n in range(5)}
    assert len(ids) == 5
