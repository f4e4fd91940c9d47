"""The office-hours editor: options <-> editor conversions, and the page through HTTP."""

from datetime import UTC, date, datetime
from io import StringIO

import pytest
from django.core.management import call_command

from apps.core.selectors import get_section
from apps.officehours import editor
from apps.officehours.editor import DateRow, OfficeHoursEditor, PeriodRow
from apps.officehours.rules import Period
from tests.conftest import basic

PARIS = {
    "_type": "builtin",
    "_service": "office-hours",
    "_timezone": "Europe/Paris",
    "_ttl": "30",
    "_bh_regular1": "Mon-Fri 09:00-17:00",
    "_bh_add1": "07-14 12:00-14:30",
    "username": "desk",
    "password": "secret",
    "_effective_dates1": "2024-01-01 to 2040-12-31",
}
TODAY = date(2024, 7, 1)
URL = "/manage/office-hours/business-hours/"


def week(**days: list[Period]) -> list[list[Period]]:
    return [days.get(day, []) for day in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")]


def form(**fields: str | list[str]) -> dict[str, list[str]]:
    """A posted form: one list per field, as request.POST.lists() gives it."""
    data = {"timezone": ["Europe/Paris"]}
    data |= {name: value if isinstance(value, list) else [value] for name, value in fields.items()}
    return data


# --- conversions ---------------------------------------------------------------------------


def test_round_trip_keeps_every_other_option_in_order():
    back = editor.options_from_editor(PARIS, editor.editor_from_options(PARIS, TODAY))
    assert back == PARIS
    assert list(back) == list(PARIS)


def test_new_rules_go_after_their_kind_and_old_ones_keep_their_place():
    options = {
        "_type": "builtin",
        "_service": "office-hours",
        "_bh_regular1": "Mon-Fri 09:00-17:00",
        "_holiday1": "2020-07-15",
        "_ttl": "30",
        "_bh_drop9": "12-25 10:00-12:00",
        "_timezone": "UTC",
    }
    loaded = editor.editor_from_options(options, TODAY)
    loaded.week[5].append(PeriodRow("10:00", "14:00"))
    back = editor.options_from_editor(options, loaded)
    # _holiday is the alias GMS tests use; a drop's ignored time suffix is not kept.
    assert list(back.items()) == [
        ("_type", "builtin"),
        ("_service", "office-hours"),
        ("_bh_regular1", "Mon-Fri 09:00-17:00"),
        ("_bh_regular2", "Sat 10:00-14:00"),
        ("_ttl", "30"),
        ("_timezone", "UTC"),
        ("_bh_drop1", "12-25"),
        ("_bh_drop2", "2020-07-15"),
    ]


def test_without_rules_before_they_are_written_at_the_end():
    options = {"_type": "builtin", "_service": "office-hours"}
    back = editor.options_from_editor(options, OfficeHoursEditor(timezone="Asia/Tokyo"))
    assert back == options | {"_timezone": "Asia/Tokyo"}


def test_days_sharing_a_period_are_grouped_into_runs():
    nine_to_five, late = Period(540, 1020), Period(1080, 1200)
    rules = editor.compact_rules(
        week(
            Mon=[nine_to_five],
            Tue=[nine_to_five],
            Wed=[nine_to_five, late],
            Thu=[nine_to_five],
            Fri=[nine_to_five, nine_to_five],
            Sun=[late],
        )
    )
    assert rules == ["Mon-Fri 09:00-17:00", "Wed 18:00-20:00", "Sun 18:00-20:00"]


def test_the_posted_week_is_written_compact_and_normalised():
    posted = form(
        open_Mon="9:00", close_Mon="17:00",
        open_Tue="09:00", close_Tue="17:00",
        open_Sat=["10:00", ""], close_Sat=["14:00", ""],
    )  # fmt: skip
    options = editor.options_from_editor({}, editor.editor_from_form(posted))
    assert options == {
        "_timezone": "Europe/Paris",
        "_bh_regular1": "Mon-Tue 09:00-17:00",
        "_bh_regular2": "Sat 10:00-14:00",
    }


def test_overnight_and_midnight_periods():
    options = {"_bh_regular1": "Fri 19:00-7:00", "_bh_regular2": "Sat-Sun 00:00-24:00"}
    loaded = editor.editor_from_options(options, TODAY)
    friday = loaded.week[4][0]
    assert (friday.open, friday.close, friday.overnight) == ("19:00", "07:00", True)
    assert (loaded.week[5][0].close, loaded.week[5][0].overnight) == ("24:00", False)
    assert editor.options_from_editor({}, loaded) == {
        "_timezone": "UTC",
        "_bh_regular1": "Fri 19:00-07:00",
        "_bh_regular2": "Sat-Sun 00:00-24:00",
    }


def test_yearly_holidays_are_month_and_day():
    edited = OfficeHoursEditor(
        holidays=[DateRow("2024-12-25", every_year=True), DateRow("2024-07-15", every_year=False)],
        special=[DateRow("2024-07-14", every_year=True, open="12:00", close="14:30")],
    )
    options = editor.options_from_editor({}, edited)
    assert options["_bh_drop1"] == "12-25"
    assert options["_bh_drop2"] == "2024-07-15"
    assert options["_bh_add1"] == "07-14 12:00-14:30"


def test_a_yearly_date_is_shown_at_its_next_occurrence():
    options = {"_bh_drop1": "12-25", "_bh_drop2": "02-29", "_bh_drop3": "2023-01-02"}
    loaded = editor.editor_from_options(options, date(2025, 12, 26))
    assert [(row.date, row.every_year) for row in loaded.holidays] == [
        ("2026-12-25", True),
        ("2028-02-29", True),
        ("2023-01-02", False),
    ]


def test_blank_rows_are_dropped_and_unreadable_ones_written_as_typed():
    posted = form(
        open_Mon=["", "25:00"], close_Mon=["", "17:00"],
        holiday_date=["", "2024-12-25"], holiday_repeat=["once", "once"],
        special_date=[""], special_repeat=["once"], special_open=[""], special_close=[""],
    )  # fmt: skip
    edited = editor.editor_from_form(posted)
    assert edited.week[0] == [PeriodRow("25:00", "17:00")]
    assert edited.special == []
    options = editor.options_from_editor({}, edited)
    assert options["_bh_regular1"] == "Mon 25:00-17:00"  # for the validator to name
    assert options["_bh_drop1"] == "2024-12-25"


def test_preview_shows_office_time_and_utc():
    options = {"_timezone": "Europe/Paris", "_bh_regular1": "Fri 20:00-2:00"}
    preview = editor.preview(options, datetime(2024, 7, 10, 12, 0, tzinfo=UTC))  # a Wednesday
    assert preview.timezone == "Europe/Paris"
    assert len(preview.days) == editor.PREVIEW_DAYS
    assert preview.days[0] == (date(2024, 7, 10), [])
    day, (period,) = preview.days[2]
    assert day == date(2024, 7, 12)
    assert period.local == "20:00-02:00 (+1)"
    assert (period.start_utc, period.end_utc) == (
        "2024-07-12T18:00:00.000Z",
        "2024-07-13T00:00:00.000Z",
    )
    assert period.utc_text == "Fri 12 Jul 18:00-00:00 UTC"


def test_summary():
    options = PARIS | {"_bh_regular2": "Mon-Fri 18:00-20:00", "_bh_drop1": "12-25"}
    assert editor.summary(options) == (
        "Mon-Fri 09:00-17:00, 18:00-20:00 · 1 holiday · 1 special date · effective dates set"
    )
    assert editor.summary({"_timezone": "Mars/Base"}).startswith("Invalid: _timezone")


# --- the page ------------------------------------------------------------------------------


@pytest.fixture
def staff_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("editor", is_staff=True))
    return client


@pytest.fixture
def business_hours(configure):
    configure({"service.business-hours": PARIS})


def calendar(client) -> list:
    response = client.get(
        "/genesys/1/service/business-hours",
        {"start": "2024-07-13T00:00:00Z", "number-of-days": "2"},  # Sat 13 .. Mon 15 July
        HTTP_AUTHORIZATION=basic("desk", "secret"),
    )
    return response.json()["days"]


def dump() -> str:
    out = StringIO()
    call_command("gms_config", "dump", stdout=out)
    return out.getvalue()


def week_post(**fields: str | list[str]) -> dict[str, list[str]]:
    """The editor's form for PARIS, with some fields changed."""
    posted = form(
        open_Mon="09:00", close_Mon="17:00", open_Tue="09:00", close_Tue="17:00",
        open_Wed="09:00", close_Wed="17:00", open_Thu="09:00", close_Thu="17:00",
        open_Fri="09:00", close_Fri="17:00",
        special_date="2024-07-14", special_repeat="yearly", special_open="12:00", special_close="14:30",
    )  # fmt: skip
    return posted | form(**fields)


@pytest.mark.django_db
def test_anonymous_is_sent_to_the_admin_login(client, business_hours):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"/admin/login/?next={URL}"


@pytest.mark.django_db
def test_a_user_who_is_not_staff_is_sent_to_the_login(client, business_hours, django_user_model):
    client.force_login(django_user_model.objects.create_user("caller"))
    assert client.get(URL).status_code == 302
    assert client.post(URL, week_post(open_Sat="10:00", close_Sat="14:00")).status_code == 302
    assert get_section("service.business-hours") == PARIS


@pytest.mark.django_db
def test_the_page_shows_the_stored_rules(staff_client, business_hours):
    response = staff_client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="open_Mon" value="09:00"' in page
    assert 'name="open_Sat"' not in page.split("<template")[0]  # Saturday is closed
    assert "<option selected>Europe/Paris</option>" in page
    assert "Next 14 days" in page and "data-start=" in page
    assert "_effective_dates1" in page  # listed among the options kept as they are


@pytest.mark.django_db
def test_bad_input_is_shown_with_the_users_values_and_changes_nothing(staff_client, business_hours):
    before = calendar(staff_client)
    response = staff_client.post(URL, week_post(open_Sat="10:00", close_Sat="25:00"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Not saved" in page
    assert "invalid time &#x27;25:00&#x27;" in page
    assert 'name="close_Sat" value="25:00"' in page
    assert get_section("service.business-hours") == PARIS
    assert calendar(staff_client) == before


@pytest.mark.django_db
def test_a_bad_timezone_is_refused(staff_client, business_hours):
    response = staff_client.post(URL, week_post(timezone="EST"))
    assert "Unknown timezone EST" in response.content.decode()
    assert get_section("service.business-hours") == PARIS


@pytest.mark.django_db
def test_a_save_changes_the_calendar_and_the_dump(staff_client, business_hours):
    before = calendar(staff_client)
    assert [day["periods"] for day in before[:1]] == [[]]
    posted = week_post(
        open_Sat="10:00", close_Sat="14:00", holiday_date="2024-07-15", holiday_repeat="once"
    )
    response = staff_client.post(URL, posted)
    assert response.status_code == 302
    assert response["Location"] == URL
    assert "Saved the office hours of business-hours." in staff_client.get(URL).content.decode()

    after = calendar(staff_client)
    assert after[0]["periods"] == [
        {"start": "2024-07-13T08:00:00.000Z", "end": "2024-07-13T12:00:00.000Z"}
    ]
    assert after[2] == {"date": "2024-07-15", "periods": []}
    assert list(get_section("service.business-hours").items()) == [
        ("_type", "builtin"),
        ("_service", "office-hours"),
        ("_timezone", "Europe/Paris"),
        ("_ttl", "30"),
        ("_bh_regular1", "Mon-Fri 09:00-17:00"),
        ("_bh_regular2", "Sat 10:00-14:00"),
        ("_bh_add1", "07-14 12:00-14:30"),
        ("_bh_drop1", "2024-07-15"),
        ("username", "desk"),
        ("password", "secret"),
        ("_effective_dates1", "2024-01-01 to 2040-12-31"),
    ]
    assert (
        "_bh_regular2=Sat 10:00-14:00\n_bh_add1=07-14 12:00-14:30\n_bh_drop1=2024-07-15\n" in dump()
    )


@pytest.mark.django_db
def test_a_new_service_opens_empty_and_is_created_on_save(staff_client):
    url = "/manage/office-hours/night-desk/"
    page = staff_client.get(url).content.decode()
    assert "<strong>new</strong>" in page and "Save to see" in page
    response = staff_client.post(
        url, form(timezone="America/Toronto", open_Fri="22:00", close_Fri="06:00")
    )
    assert response.status_code == 302
    assert get_section("service.night-desk") == {
        "_type": "builtin",
        "_service": "office-hours",
        "_timezone": "America/Toronto",
        "_bh_regular1": "Fri 22:00-06:00",
    }
    assert '<span class="overnight">next day</span>' in staff_client.get(url).content.decode()


@pytest.mark.django_db
def test_other_kinds_and_impossible_names_are_not_found(staff_client, configure):
    configure({"service.cap": {"_type": "builtin", "_service": "capacity"}})
    assert staff_client.get("/manage/office-hours/cap/").status_code == 404
    assert staff_client.get("/manage/office-hours/bad%20name/").status_code == 404
    assert staff_client.get("/manage/office-hours/../").status_code == 404


# --- the services list -----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_index_lists_services_with_their_summary(staff_client, business_hours, configure):
    configure(
        {
            "service.cb": {
                "_type": "builtin",
                "_service": "callback",
                "_business_hours_service": "business-hours",
            }
        }
    )
    page = staff_client.get("/manage/").content.decode()
    assert f'href="{URL}"' in page
    assert "Mon-Fri 09:00-17:00 · 1 special date · effective dates set" in page
    assert "<td>cb</td>" in page
    assert "No capacity service yet." in page


@pytest.mark.django_db
def test_the_index_creates_a_service_by_name(staff_client, business_hours):
    response = staff_client.post("/manage/", {"name": "late-desk", "kind": "office-hours"})
    assert response.status_code == 302
    assert response["Location"] == "/manage/office-hours/late-desk/"
    response = staff_client.post("/manage/", {"name": "cap-1", "kind": "capacity"})
    assert response["Location"] == "/manage/capacity/cap-1/"


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("", "Give the service a name."),
        ("two words", "A name uses letters"),
        ("..", "A name uses letters"),
        ("x" * 193, "A name uses letters"),
        ("business-hours", "A service named business-hours already exists."),
    ],
)
@pytest.mark.django_db
def test_the_index_refuses_a_bad_name(staff_client, business_hours, name, problem):
    response = staff_client.post("/manage/", {"name": name, "kind": "office-hours"})
    assert response.status_code == 200
    assert problem in response.content.decode()
    assert response.context["name"] == name
