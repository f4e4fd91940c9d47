"""The capacity editor: options <-> editor conversions, and the page through HTTP."""

import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from apps.capacity import editor
from apps.capacity.editor import BucketUse
from apps.capacity.grid import capacity_day
from apps.core.models import Option
from apps.core.selectors import get_section

MONDAY, SATURDAY = (editor.weekday_keys()[i] for i in (0, 5))
OPTIONS = {
    "_type": "builtin",
    "_service": "capacity",
    "_timezone": "UTC",
    "_capacity": "[Mon, Tue, Wed, Thu, Fri, Sat, Sun]",
    **{f"_capacity_{d}": f'{{"{d}":{{}}}}' for d in sorted(editor.weekday_keys())},
    "_capacity_add": '{"2030-12-24":{"0900":2}}',
    "_max_capacity": "50",
    "_ttl": "30",
}
OPTIONS[f"_capacity_{MONDAY}"] = f'{{"{MONDAY}":{{"0900":3,"1000":4}}}}'
URL = "/manage/capacity/front-desk/"


def form(**rows: list[str]) -> dict[str, list[str]]:
    """A posted grid: every weekday all zero but the rows given, 24 cells each."""
    data = {f"capacity_{d}": ["0"] * 24 for d in editor.weekday_keys()}
    return {"timezone": ["UTC"]} | data | rows


def hours(**cells: str) -> list[str]:
    """24 cells, ``h09="3"`` setting the 09:00 one."""
    row = ["0"] * 24
    for name, value in cells.items():
        row[int(name[1:])] = value
    return row


# --- conversions ---------------------------------------------------------------------------


def test_rows_run_monday_to_sunday_numbered_by_capacity_day():
    monday = date(2030, 7, 15)
    assert monday.weekday() == 0
    assert editor.weekday_keys() == [
        str(capacity_day(monday + timedelta(days=i))) for i in range(7)
    ]


def test_round_trip_keeps_every_other_option_in_order():
    loaded = editor.editor_from_options(OPTIONS)
    assert loaded.week[0].label == "Mon"
    assert loaded.week[0].cells[9:11] == ["3", "4"]
    assert (loaded.week[0].total, loaded.weekly_total, loaded.max_capacity) == (7, 7, 50)
    assert [(row.key, row.total) for row in loaded.exceptions] == [("2030-12-24", 2)]
    back = editor.options_from_editor(OPTIONS, loaded)
    assert list(back.items()) == list(OPTIONS.items())


def test_days_are_compact_json_of_nonzero_hours():
    edited = editor.editor_from_form(
        form(**{f"capacity_{SATURDAY}": hours(h00="1", h23="12", h05="")}), max_capacity=50
    )
    options = editor.options_from_editor({}, edited)
    assert options[f"_capacity_{SATURDAY}"] == f'{{"{SATURDAY}":{{"0000":1,"2300":12}}}}'
    assert options[f"_capacity_{MONDAY}"] == f'{{"{MONDAY}":{{}}}}'
    assert list(options)[:2] == ["_timezone", "_capacity_1"]
    assert options["_capacity_add"] == "{}"


def test_exceptions_are_one_json_object():
    posted = form(
        exception_date=["2030-12-24", "", "2030-12-31"],
        exception_cell=hours(h09="2", h10="2") + hours() + hours(),
    )
    edited = editor.editor_from_form(posted, max_capacity=50)
    assert [row.key for row in edited.exceptions] == ["2030-12-24", "2030-12-31"]  # blank dropped
    options = editor.options_from_editor({}, edited)
    assert json.loads(options["_capacity_add"]) == {
        "2030-12-24": {"0900": 2, "1000": 2},
        "2030-12-31": {},  # all zero: no capacity that day
    }


def test_cells_that_are_not_whole_numbers_are_left_for_the_validator():
    edited = editor.editor_from_form(form(**{f"capacity_{MONDAY}": hours(h09="1.5")}), 50)
    assert edited.week[0].total == 0
    options = editor.options_from_editor({}, edited)
    assert options[f"_capacity_{MONDAY}"] == f'{{"{MONDAY}":{{"0900":"1.5"}}}}'


def test_bucket_uses_name_the_callback_services_of_this_capacity():
    callbacks = {
        "sales": {"_capacity_service": "front-desk", "_request_time_bucket": "15"},
        "support": {"_capacity_service": "front-desk"},
        "other": {"_capacity_service": "elsewhere", "_request_time_bucket": "30"},
    }
    uses = editor.bucket_uses("front-desk", callbacks)
    assert uses == [BucketUse("sales", 15), BucketUse("support", 5)]
    assert [use.per_hour for use in uses] == ["4", "12"]
    assert BucketUse("slow", 120).per_hour == "0.5"


def test_summary():
    assert editor.summary(OPTIONS) == "Capacity Mon · weekly total 7 · 1 date exception"
    assert editor.summary({}) == "No weekly capacity · weekly total 0"
    assert editor.summary({"_capacity_add": "{"}).startswith("Invalid: _capacity_add")


# --- the page ------------------------------------------------------------------------------


@pytest.fixture
def staff_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("editor", is_staff=True))
    return client


@pytest.fixture
def front_desk(configure):
    configure({"service.front-desk": OPTIONS})


def capacity_at(client, start: str, end: str) -> list[int]:
    response = client.get("/genesys/1/service/front-desk", {"start": start, "end": end})
    return [period["capacity"] for period in response.json()["periods"]]


def stored_form(**rows: list[str]) -> dict[str, list[str]]:
    """The editor's form for OPTIONS, with some rows changed."""
    return (
        form(
            **{f"capacity_{MONDAY}": hours(h09="3", h10="4")},
            exception_date=["2030-12-24"],
            exception_cell=hours(h09="2"),
        )
        | rows
    )


@pytest.mark.django_db
def test_anonymous_is_sent_to_the_admin_login(client, front_desk):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"/admin/login/?next={URL}"
    assert client.post(URL, stored_form()).status_code == 302


@pytest.mark.django_db
def test_the_page_shows_the_grid_totals_and_the_bucket(staff_client, front_desk, configure):
    configure(
        {
            "service.cb": {
                "_type": "builtin",
                "_service": "callback",
                "_capacity_service": "front-desk",
                "_request_time_bucket": "10",
            }
        }
    )
    response = staff_client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert f'name="capacity_{MONDAY}" value="3"' in page
    assert '<td class="total" data-total>7</td>' in page
    assert '<td class="total" data-weekly-total>7</td>' in page
    assert "books 10-minute buckets" in page and "N\N{MULTIPLICATION SIGN}6 per hour" in page
    assert 'value="2030-12-24"' in page
    assert "0 to 50" in page  # _max_capacity


@pytest.mark.django_db
def test_without_a_callback_the_default_bucket_is_explained(staff_client, front_desk):
    page = staff_client.get(URL).content.decode()
    assert "No callback service uses this capacity yet" in page
    assert "default 5-minute" in page and "N\N{MULTIPLICATION SIGN}12 per hour" in page


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            {f"capacity_{MONDAY}": hours(h09="51")},
            "the capacity of 0900 is above _max_capacity (50)",
        ),
        ({f"capacity_{MONDAY}": hours(h09="-1")}, "the capacity of 0900 is negative"),
        ({f"capacity_{MONDAY}": hours(h09="x")}, "the capacity of 0900 is not a whole number"),
        (
            {"exception_date": ["2030-12-24", "2030-12-24"], "exception_cell": hours() * 2},
            "the key &#x27;2030-12-24&#x27; is repeated",
        ),
        ({"exception_date": ["24/12/2030"], "exception_cell": hours()}, "is not YYYY-MM-dd"),
        ({"timezone": ["Nowhere/City"]}, "Unknown timezone Nowhere/City"),
    ],
)
@pytest.mark.django_db
def test_bad_input_is_shown_and_changes_nothing(staff_client, front_desk, rows, message):
    response = staff_client.post(URL, stored_form(**rows))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Not saved" in page
    assert message in page
    assert get_section("service.front-desk") == OPTIONS


@pytest.mark.django_db
def test_bad_input_is_kept_on_the_page(staff_client, front_desk):
    page = staff_client.post(URL, stored_form(**{f"capacity_{MONDAY}": hours(h09="51")}))
    assert f'name="capacity_{MONDAY}" value="51"' in page.content.decode()


@pytest.mark.django_db
def test_a_save_changes_the_capacity_query_and_the_dump(staff_client, front_desk):
    monday_evening = ("2030-07-15T19:00:00", "2030-07-15T20:00:00")
    assert capacity_at(staff_client, *monday_evening) == [0]
    response = staff_client.post(
        URL, stored_form(**{f"capacity_{MONDAY}": hours(h09="3", h10="4", h19="6")})
    )
    assert response.status_code == 302
    assert response["Location"] == URL
    assert "Saved the capacity of front-desk." in staff_client.get(URL).content.decode()
    assert capacity_at(staff_client, *monday_evening) == [6]
    stored = get_section("service.front-desk")
    assert stored[f"_capacity_{MONDAY}"] == f'{{"{MONDAY}":{{"0900":3,"1000":4,"1900":6}}}}'
    assert list(stored) == list(OPTIONS)
    out = StringIO()
    call_command("gms_config", "dump", stdout=out)
    assert f'_capacity_{MONDAY}={{"{MONDAY}":{{"0900":3,"1000":4,"1900":6}}}}\n' in out.getvalue()


@pytest.mark.django_db
def test_a_new_service_is_created_on_save(staff_client):
    url = "/manage/capacity/night-capacity/"
    page = staff_client.get(url).content.decode()
    assert "<strong>new</strong>" in page
    assert (
        staff_client.post(url, form(**{f"capacity_{SATURDAY}": hours(h22="2")})).status_code == 302
    )
    stored = get_section("service.night-capacity")
    assert list(stored)[:3] == ["_type", "_service", "_timezone"]
    assert stored[f"_capacity_{SATURDAY}"] == f'{{"{SATURDAY}":{{"2200":2}}}}'


@pytest.mark.django_db
def test_other_kinds_are_not_found(staff_client, configure):
    configure({"service.hours": {"_type": "builtin", "_service": "office-hours"}})
    assert staff_client.get("/manage/capacity/hours/").status_code == 404


@pytest.mark.django_db
def test_an_unreadable_stored_section_is_explained(staff_client, front_desk):
    Option.objects.filter(section__name="service.front-desk", name="_capacity_add").update(
        value="{"
    )
    response = staff_client.get(URL)
    assert response.status_code == 200
    assert "cannot be read" in response.content.decode()
    assert "_capacity_add" in response.content.decode()
