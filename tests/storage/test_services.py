"""The storage services as other GMS code calls them, and the rules the models own."""

import pytest

from apps.core import config
from apps.core.errors import BadRequest, PayloadTooLarge
from apps.storage import selectors, services
from apps.storage.models import DEFAULT_TTL, LONGEST_TTL, StorageArea, effective_ttl

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("requested", "seconds"),
    [
        ("60", 60),
        (" 60 ", 60),
        ("+60", 60),
        ("007", 7),
        (3600, 3600),
        ("0", DEFAULT_TTL),
        ("-1", DEFAULT_TTL),
        (0, DEFAULT_TTL),
        ("6_0", DEFAULT_TTL),
        ("", DEFAULT_TTL),
        ("9" * 5000, LONGEST_TTL),
    ],
)
def test_effective_ttl(requested, seconds):
    assert effective_ttl(requested) == seconds


def test_effective_ttl_is_clamped_by_the_setting(settings):
    settings.GMS_STORAGE_MAX_TTL = 600
    assert effective_ttl("601") == 600
    assert effective_ttl("599") == 599
    assert effective_ttl("-1") == DEFAULT_TTL


def test_the_size_of_what_is_stored_is_checked_after_parsing(settings):
    """A body sent without Content-Length is only measured once read."""
    settings.GMS_STORAGE_MAX_UPLOAD_BYTES = 10
    with pytest.raises(PayloadTooLarge):
        services.create_storage(ttl=60, values={"k": "x" * 10})
    with pytest.raises(PayloadTooLarge):
        services.create_storage(ttl=60, values={"k": services.BinaryValue(data=b"\x00" * 10)})
    assert not StorageArea.objects.exists()
    area = services.create_storage(ttl=60, values={"k": "x" * 9})
    assert selectors.string_values(storage_id=area.id, gms_user="") == {"k": "x" * 9}


def test_a_binary_value_gets_the_default_type_and_keeps_its_bytes():
    area = services.create_storage(ttl=60, values={"b": services.BinaryValue(data=b"\xff\x00")})
    item = selectors.get_item(storage_id=area.id, key="b", gms_user="")
    assert bytes(item.blob) == b"\xff\x00"
    assert item.content_type == "application/octet-stream"
    assert item.filename == ""


def test_a_nul_in_a_file_name_or_gms_user_is_refused():
    with pytest.raises(BadRequest):
        services.create_storage(
            ttl=60, values={"b": services.BinaryValue(data=b"x", filename="a\x00b")}
        )
    with pytest.raises(BadRequest):
        services.create_storage(ttl=60, values={}, gms_user="a\x00")
    assert not StorageArea.objects.exists()


def test_storage_section_validation():
    config.validate_section("storage", {"username": "store"})  # uses the [server] password
    config.validate_section("storage", {"username": "store", "password": "p:w"})
    with pytest.raises(config.ConfigError, match="username"):
        config.validate_section("storage", {"username": "st:ore", "password": "x"})
