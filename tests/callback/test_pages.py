"""The callbacks admin page /manage/callbacks/: staff only, filters, paging, cancel, reschedule."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from apps.callback.models import Callback, Reason, State
from apps.callback.pages import PAGE_SIZE
from tests.callback.conftest import BASE_OPTIONS, SERVICE, future, iso

URL = "/manage/callbacks/"
PASSWORD = "a-staff-password"


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("editor", password=PASSWORD, is_staff=True)


@pytest.fixture
def page(client, staff) -> Client:
    client.force_login(staff)
    return client


def listed_ids(response) -> list[str]:
    return re.findall(r'<tr data-id="([^"]+)"', response.content.decode())


def local(value: datetime) -> str:
    """What a datetime-local field sends for the UTC time ``value``."""
    return value.strftime("%Y-%m-%dT%H:%M")


def test_only_staff_see_the_page(client, django_user_model) -> None:
    assert client.get(URL).url.startswith("/admin/login/")
    client.force_login(django_user_model.objects.create_user("ann", password=PASSWORD))
    assert client.get(URL).url.startswith("/admin/login/")
    assert client.post(URL, {"action": "cancel"}).url.startswith("/admin/login/")


def test_lists_each_callback_with_its_columns(service, create, page) -> None:
    desired = future(60)
    callback_id = create(_desired_time=iso(desired)).json()["_id"]
    callback = Callback.objects.get(pk=callback_id)

    response = page.get(URL)

    assert response.status_code == 200
    assert listed_ids(response) == [callback_id]
    row = response.content.decode().split(f'<tr data-id="{callback_id}"')[1].split("</tr>")[0]
    for shown in (SERVICE, "SCHEDULED", "+14155550142", iso(desired), iso(callback.created_at)):
        assert shown in row
    assert 'value="cancel"' in row and 'value="reschedule"' in row
    assert f'value="{desired:%Y-%m-%dT%H:%M:%S}"' in row  # the reschedule field starts there


def test_filters_by_service_state_and_desired_time(service, configure, create, page) -> None:
    configure({"service.cb-other": BASE_OPTIONS})
    early = create(_desired_time=iso(future(60))).json()["_id"]
    late = create(_desired_time=iso(future(180))).json()["_id"]
    other = create("cb-other", _desired_time=iso(future(60))).json()["_id"]
    queued = create().json()["_id"]  # immediate: QUEUED now

    assert set(listed_ids(page.get(URL))) == {early, late, other, queued}
    assert set(listed_ids(page.get(URL, {"service": SERVICE}))) == {early, late, queued}
    assert listed_ids(page.get(URL, {"service": "cb-other"})) == [other]
    assert listed_ids(page.get(URL, {"state": "QUEUED"})) == [queued]
    window = {"service": SERVICE, "from": local(future(30)), "to": local(future(120))}
    assert listed_ids(page.get(URL, window)) == [early]
    assert listed_ids(page.get(URL, {"from": local(future(120))})) == [late]
    assert listed_ids(page.get(URL, {"service": "nobody"})) == []


def test_unreadable_filters_are_said_and_left_out(service, create, page) -> None:
    callback_id = create(_desired_time=iso(future(60))).json()["_id"]
    unreadable = {"state": "SLEEPING", "from": "soon", "to": "9" * 500, "service": "a\x00b"}
    response = page.get(URL, unreadable)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Unknown state &#x27;SLEEPING&#x27;." in text
    assert "cannot be a service name." in text
    assert "From is not a date and time." in text and "To is not a date and time." in text
    assert listed_ids(response) == [callback_id]
    reversed_window = {"from": local(future(120)), "to": local(future(30))}
    assert "From is after To." in page.get(URL, reversed_window).content.decode()


def test_pages_of_fifty(service, page) -> None:
    start = datetime(2030, 7, 15, 9, tzinfo=UTC)
    now = datetime.now(UTC)
    Callback.objects.bulk_create(
        Callback(
            service_name=SERVICE,
            customer_number=f"+1415555{n:04d}",
            desired_time=start + timedelta(minutes=n),
            due_at=start + timedelta(minutes=n),
            state=State.SCHEDULED,
            expiration_time=start + timedelta(days=1),
            created_at=now,
            updated_at=now,
        )
        for n in range(PAGE_SIZE + 5)
    )
    first = page.get(URL)
    assert len(listed_ids(first)) == PAGE_SIZE
    assert f"1\N{EN DASH}{PAGE_SIZE} of {PAGE_SIZE + 5} callbacks" in first.content.decode()
    assert 'href="?page=2"' in first.content.decode()
    second = page.get(URL, {"page": "2", "service": SERVICE})
    assert len(listed_ids(second)) == 5
    assert 'href="?page=1&amp;service=cb-sales"' in second.content.decode()
    assert len(listed_ids(page.get(URL, {"page": "x"}))) == PAGE_SIZE


def test_cancel_completes_it_by_admin(service, create, page) -> None:
    callback_id = create(_desired_time=iso(future(60))).json()["_id"]
    query = "?state=SCHEDULED"

    response = page.post(URL + query, {"action": "cancel", "callback": callback_id}, follow=True)

    assert response.redirect_chain == [(URL + query, 302)]
    callback = Callback.objects.get(pk=callback_id)
    assert (callback.state, callback.reason) == (State.COMPLETED, Reason.CANCELLED_BY_ADMIN)
    assert f"Cancelled callback {callback_id}." in response.content.decode()
    assert listed_ids(response) == []
    again = page.post(URL, {"action": "cancel", "callback": callback_id})
    assert again.status_code == 200
    assert f"Callback {callback_id} was not cancelled: it is no longer live." in (
        again.content.decode()
    )
    row = again.content.decode().split(f'<tr data-id="{callback_id}"')[1].split("</tr>")[0]
    assert "CANCELLED_BY_ADMIN" in row and 'value="cancel"' not in row


def test_reschedule_moves_the_desired_time(service, create, page) -> None:
    callback_id = create(_desired_time=iso(future(60))).json()["_id"]
    new = future(90)

    response = page.post(
        URL, {"action": "reschedule", "callback": callback_id, "desired_time": local(new)}
    )

    assert (response.status_code, response.url) == (302, URL)
    callback = Callback.objects.get(pk=callback_id)
    assert (callback.state, callback.desired_time) == (State.SCHEDULED, new)
    text = page.get(URL).content.decode()
    assert f"Rescheduled callback {callback_id} to {iso(new)}." in text


def test_a_full_slot_shows_the_gms_message_and_free_slots(service, create, page) -> None:
    full = future(120)
    for n in range(2):
        create(_desired_time=iso(full), _customer_number=f"+1415555014{n}")
    desired = future(60)
    callback_id = create(_desired_time=iso(desired)).json()["_id"]

    response = page.post(
        URL, {"action": "reschedule", "callback": callback_id, "desired_time": local(full)}
    )

    assert response.status_code == 200
    text = response.content.decode()
    assert f"Requested time slot {iso(full)} is full" in text
    assert f"{iso(full + timedelta(minutes=5))} (2 free)" in text
    assert '<tr data-id="' + callback_id + '" class="refused">' in text
    assert f'value="{local(full)}"' in text  # the typed time is kept
    assert Callback.objects.get(pk=callback_id).desired_time == desired


def test_a_closed_office_shows_the_gms_message(close_office, create, page) -> None:
    desired = future(60)
    callback_id = create(_desired_time=iso(desired)).json()["_id"]
    close_office()
    new = future(90)
    if new.hour == 0 and new.minute == 0:
        new = future(120)

    response = page.post(
        URL, {"action": "reschedule", "callback": callback_id, "desired_time": local(new)}
    )

    assert "Office closed at desired time" in response.content.decode()
    assert Callback.objects.get(pk=callback_id).desired_time == desired


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ({"action": "reschedule", "desired_time": ""}, "Enter the new desired time (UTC)."),
        ({"action": "reschedule", "desired_time": "noon"}, "Enter the new desired time (UTC)."),
        ({"action": "reschedule", "desired_time": "2030-07-15T10:00"}, "not found"),
        ({"action": "archive"}, "Choose cancel or reschedule."),
        ({"action": "cancel", "callback": "a\x00b"}, "was not cancelled"),
        (
            {"action": "reschedule", "callback": "x" * 500, "desired_time": "2030-07-15T10:00"},
            "not found",
        ),
    ],
)
def test_bad_actions_are_said(service, page, posted, message) -> None:
    response = page.post(URL, {"callback": "no-such-id", **posted})
    assert response.status_code == 200
    assert message in response.content.decode()


def test_actions_need_the_csrf_token(service, create, staff) -> None:
    callback_id = create(_desired_time=iso(future(60))).json()["_id"]
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(staff)
    assert browser.post(URL, {"action": "cancel", "callback": callback_id}).status_code == 403
    assert Callback.objects.get(pk=callback_id).state == State.SCHEDULED
