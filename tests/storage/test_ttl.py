"""TTL rules (storage.md §3): expiry answers 404 at once, and the sweeper deletes the rows."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.storage import tasks
from apps.storage.models import StorageArea, StorageItem
from tests.conftest import assert_gms_error
from tests.storage.conftest import BASE, create, post_form, read_all

pytestmark = pytest.mark.django_db


def readable(client, storage_id: str) -> bool:
    response = read_all(client, storage_id)
    if response.status_code == 404:
        assert_gms_error(response, 404)
        return False
    assert response.status_code == 200
    return True


def test_an_area_lives_exactly_its_ttl(client, clock):
    storage_id = create(client, {"a": "1"}, ttl="120")
    clock.advance(119)
    assert readable(client, storage_id)
    clock.advance(1)
    assert not readable(client, storage_id)


@pytest.mark.parametrize(
    "ttl", ["0", "-5", "abc", "1.5", "1e3", "%20", "\uff16\uff10", "0x10", "-" + "9" * 5000]
)
def test_an_invalid_or_non_positive_ttl_means_30_seconds(client, clock, ttl):
    storage_id = create(client, {"a": "1"}, ttl=ttl)
    clock.advance(29)
    assert readable(client, storage_id)
    clock.advance(1)
    assert not readable(client, storage_id)


def test_a_huge_ttl_is_accepted_and_lasts(client, clock):
    storage_id = create(client, {"a": "1"}, ttl="9" * 5000)
    clock.advance(50 * 365 * 24 * 3600)
    assert readable(client, storage_id)


def test_gms_storage_max_ttl_clamps_silently(client, clock, settings):
    settings.GMS_STORAGE_MAX_TTL = 60
    storage_id = create(client, {"a": "1"}, ttl="3600")
    clock.advance(59)
    assert readable(client, storage_id)
    clock.advance(1)
    assert not readable(client, storage_id)


def test_update_restarts_the_clock_with_its_own_ttl(client, clock):
    storage_id = create(client, {"a": "1"}, ttl="60")
    clock.advance(50)
    assert post_form(client, f"{BASE}/{storage_id}/100", {"b": "2"}).status_code == 200
    clock.advance(99)
    assert read_all(client, storage_id).json() == {"a": "1", "b": "2"}
    clock.advance(1)
    assert not readable(client, storage_id)


def test_update_with_an_invalid_ttl_restarts_the_clock_at_30_seconds(client, clock):
    storage_id = create(client, {"a": "1"}, ttl="3600")
    assert post_form(client, f"{BASE}/{storage_id}/never", {"b": "2"}).status_code == 200
    clock.advance(30)
    assert not readable(client, storage_id)


def test_an_expired_area_is_gone_for_every_operation_before_any_purge(client, clock):
    storage_id = create(client, {"a": "1"}, ttl="10")
    client.post(f"{BASE}/{storage_id}/10", {"f": SimpleUploadedFile("f.bin", b"x")})
    clock.advance(10)
    assert StorageArea.objects.filter(pk=storage_id).exists()  # not purged yet
    assert_gms_error(read_all(client, storage_id), 404)
    assert_gms_error(client.get(f"{BASE}/{storage_id}/a"), 404)
    assert_gms_error(client.get(f"{BASE}/binary/{storage_id}/f"), 404)
    assert_gms_error(post_form(client, f"{BASE}/{storage_id}/60", {"a": "2"}), 404)
    assert_gms_error(client.delete(f"{BASE}/{storage_id}"), 404)


def test_the_purge_task_deletes_only_expired_areas(client, clock):
    short = create(client, {"a": "1", "b": "2"}, ttl="10")
    long = create(client, {"c": "3"}, ttl="100")
    clock.advance(10)

    assert tasks.purge_expired_storage.apply().get() == 1

    assert not StorageArea.objects.filter(pk=short).exists()
    assert not StorageItem.objects.filter(area_id=short).exists()
    assert read_all(client, long).json() == {"c": "3"}
    assert tasks.purge_expired_storage() == 0
    clock.advance(90)
    assert tasks.purge_expired_storage() == 1
    assert not StorageItem.objects.exists()


def test_the_task_has_the_name_the_beat_schedule_uses(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["purge-expired-storage"]
    assert tasks.purge_expired_storage.name == schedule["task"]
