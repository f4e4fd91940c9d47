"""An administrator edits office hours and capacity in a real browser; the API answers the edit.

Each page is also saved as a full-page screenshot: in a temporary folder, or in
docs/screenshots/ (the README's pictures) when GMS_SCREENSHOTS=docs/screenshots is set.
"""

import json
import os
import tempfile
from pathlib import Path
from urllib.parse import urlencode
from urllib.request import urlopen

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.ui import WebDriverWait

from apps.capacity.editor import weekday_keys
from apps.core.services import save_section
from tests.browser.conftest import VIEWER_TIMEZONE

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

SCREENSHOTS = Path(os.environ.get("GMS_SCREENSHOTS") or tempfile.mkdtemp(prefix="gms-shots-"))
PASSWORD = "a-staff-password"
WEEKDAYS = ",".join(
    f'"{hour:02d}00":{n}'
    for hour, n in zip(range(8, 18), (2, 4, 6, 6, 3, 3, 6, 6, 4, 2), strict=True)
)


@pytest.fixture
def services():
    """An office in Paris, its capacity, and the callback service booking 15-minute buckets."""
    save_section(
        name="service.front-desk",
        options={
            "_type": "builtin",
            "_service": "office-hours",
            "_timezone": "Europe/Paris",
            "_ttl": "30",
            "_bh_regular1": "Mon-Fri 09:00-12:30",
            "_bh_regular2": "Mon-Fri 13:30-18:00",
            "_bh_regular3": "Fri 20:00-2:00",
            "_bh_drop1": "12-25",
            "_bh_drop2": "01-01",
            "_bh_add1": "2030-12-24 09:00-12:00",
        },
    )
    days = {key: "{}" for key in weekday_keys()}
    for key in weekday_keys()[:5]:
        days[key] = f'{{"{key}":{{{WEEKDAYS}}}}}'
    save_section(
        name="service.front-desk-capacity",
        options={
            "_type": "builtin",
            "_service": "capacity",
            "_timezone": "Europe/Paris",
            "_capacity": "[Mon, Tue, Wed, Thu, Fri, Sat, Sun]",
            **{f"_capacity_{key}": value for key, value in days.items()},
            "_capacity_add": '{"2030-12-24":{"0900":2,"1000":2,"1100":2}}',
            "_max_capacity": "50",
        },
    )
    save_section(
        name="service.callback-sales",
        options={
            "_type": "builtin",
            "_service": "callback",
            "_business_hours_service": "front-desk",
            "_capacity_service": "front-desk-capacity",
            "_request_time_bucket": "15",
        },
    )


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("editor", password=PASSWORD, is_staff=True)


def api(live_server, name: str, **params: str) -> dict:
    with urlopen(f"{live_server.url}/genesys/1/service/{name}?{urlencode(params)}") as response:
        return json.loads(response.read())


def wait(browser):
    return WebDriverWait(browser, 10)


def log_in(browser, live_server, path: str) -> None:
    browser.get(f"{live_server.url}/admin/login/?next={path}")
    browser.find_element(By.ID, "id_username").send_keys("editor")
    browser.find_element(By.ID, "id_password").send_keys(PASSWORD, Keys.ENTER)
    wait(browser).until(expected_conditions.url_to_be(f"{live_server.url}{path}"))


def save(browser) -> str:
    """Submit the editor; the page comes back (PRG) with its success message."""
    browser.find_element(By.CSS_SELECTOR, "form.editor button[type=submit]").click()
    message = wait(browser).until(
        expected_conditions.visibility_of_element_located((By.CSS_SELECTOR, ".messages li"))
    )
    return message.text


def screenshot(browser, name: str) -> None:
    """The whole page: the window grows to the page's height for the shot."""
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(1400, max(1000, height + 140))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(SCREENSHOTS / name))
    browser.set_window_size(1400, 1000)


def set_date(browser, element, value: str) -> None:
    """A date input's value (typing into it depends on the browser's locale)."""
    browser.execute_script(
        "arguments[0].value = arguments[1];"
        "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));",
        element,
        value,
    )


def test_office_hours_edit_changes_the_calendar(browser, live_server, services, staff):
    days = {"start": "2030-07-13T00:00:00Z", "number-of-days": "2"}  # Sat 13 .. Mon 15 July
    before = api(live_server, "front-desk", **days)["days"]
    assert [d["periods"] for d in before[:2]] == [[], []]
    assert len(before[2]["periods"]) == 2

    log_in(browser, live_server, "/manage/office-hours/front-desk/")
    assert browser.find_element(By.CSS_SELECTOR, "[data-viewer-zone]").text == VIEWER_TIMEZONE

    browser.find_element(By.CSS_SELECTOR, "[data-add=new-period-Sat]").click()
    saturday = browser.find_elements(By.CSS_SELECTOR, "#periods-Sat .period")
    assert len(saturday) == 1
    saturday[0].find_element(By.NAME, "open_Sat").send_keys("10:00")
    saturday[0].find_element(By.NAME, "close_Sat").send_keys("14:00")

    browser.find_element(By.CSS_SELECTOR, "[data-add=new-holiday]").click()
    holiday = browser.find_elements(By.CSS_SELECTOR, "#holidays tr")[-1]
    set_date(browser, holiday.find_element(By.NAME, "holiday_date"), "2030-07-15")
    Select(holiday.find_element(By.NAME, "holiday_repeat")).select_by_visible_text("That year only")

    assert save(browser) == "Saved the office hours of front-desk."
    screenshot(browser, "office-hours.png")

    after = api(live_server, "front-desk", **days)["days"]
    assert after[0] == {
        "date": "2030-07-13",
        "periods": [{"start": "2030-07-13T08:00:00.000Z", "end": "2030-07-13T12:00:00.000Z"}],
    }
    assert after[2] == {"date": "2030-07-15", "periods": []}
    # The page shows what was saved: the new period and holiday are there after the redirect.
    assert browser.find_element(By.NAME, "open_Sat").get_attribute("value") == "10:00"
    dates = [e.get_attribute("value") for e in browser.find_elements(By.NAME, "holiday_date")]
    assert "2030-07-15" in dates


def test_capacity_edit_updates_totals_live_and_the_capacity_query(
    browser, live_server, services, staff
):
    monday = weekday_keys()[0]
    hour = {"start": "2030-07-15T19:00:00", "end": "2030-07-15T20:00:00"}  # a Monday evening
    assert [p["capacity"] for p in api(live_server, "front-desk-capacity", **hour)["periods"]] == [
        0
    ]

    log_in(browser, live_server, "/manage/capacity/front-desk-capacity/")
    assert (
        "N\N{MULTIPLICATION SIGN}4 per hour"
        in browser.find_element(By.CSS_SELECTOR, ".bucket").text
    )
    row = browser.find_element(By.XPATH, "//tbody[@id='week']/tr[th[normalize-space()='Mon']]")
    day_total = row.find_element(By.CSS_SELECTOR, "[data-total]")
    weekly_total = browser.find_element(By.CSS_SELECTOR, "[data-weekly-total]")
    assert (day_total.text, weekly_total.text) == ("42", "210")

    cell = row.find_elements(By.NAME, f"capacity_{monday}")[19]
    cell.send_keys(Keys.CONTROL, "a")
    cell.send_keys("3")
    assert (day_total.text, weekly_total.text) == ("45", "213")  # before any save

    assert save(browser) == "Saved the capacity of front-desk-capacity."
    screenshot(browser, "capacity.png")
    assert [p["capacity"] for p in api(live_server, "front-desk-capacity", **hour)["periods"]] == [
        3
    ]

    browser.get(f"{live_server.url}/manage/")
    links = [
        a.text for a in browser.find_elements(By.CSS_SELECTOR, "table.services td:first-child a")
    ]
    assert links == ["front-desk", "front-desk-capacity"]
    screenshot(browser, "services.png")
