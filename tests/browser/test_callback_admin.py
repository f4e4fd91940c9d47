"""An administrator finds, reschedules and cancels callbacks on /manage/callbacks/ in a real
browser that runs in another zone than UTC: the times it types are read as UTC.

The page is also saved as a full-page screenshot: in a temporary folder, or in
docs/screenshots/ when GMS_SCREENSHOTS=docs/screenshots is set.
"""

import os
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.test import Client
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.ui import WebDriverWait

from apps.callback.models import Callback, Reason, State
from apps.core.services import save_section
from apps.core.times import format_utc

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

SCREENSHOTS = Path(os.environ.get("GMS_SCREENSHOTS") or tempfile.mkdtemp(prefix="gms-shots-"))
PASSWORD = "a-staff-password"
SERVICE = "cb-sales"


def in_hours(hours: int) -> datetime:
    """A whole UTC hour at least ``hours`` ahead, so 15-minute buckets are stable."""
    return datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(hours=hours)


@pytest.fixture
def callbacks() -> dict[str, str]:
    """``cb-sales`` takes one callback per 15-minute bucket; three are booked through the API."""
    save_section(
        name=f"service.{SERVICE}",
        options={
            "_type": "builtin",
            "_service": "callback",
            "_default_country": "US",
            "_request_time_bucket": "15",
            "_max_request_by_time_bucket": "1",
        },
    )
    api = Client()
    booked = {}
    for name, number, desired in (
        ("ann", "+14155550101", in_hours(2)),
        ("bob", "+14155550102", in_hours(3)),
        ("cid", "+14155550103", in_hours(4)),
    ):
        response = api.post(
            f"/genesys/1/service/callback/{SERVICE}",
            {"_customer_number": number, "_desired_time": format_utc(desired)},
            content_type="application/json",
        )
        booked[name] = response.json()["_id"]
    return booked


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("editor", password=PASSWORD, is_staff=True)


def wait(browser):
    return WebDriverWait(browser, 10)


def row(browser, callback_id: str):
    return browser.find_element(By.CSS_SELECTOR, f'tr[data-id="{callback_id}"]')


def set_value(browser, element, value: str) -> None:
    """A datetime-local input's value (typing into it depends on the browser's locale)."""
    browser.execute_script("arguments[0].value = arguments[1];", element, value)


def reschedule(browser, callback_id: str, value: str) -> None:
    line = row(browser, callback_id)
    set_value(browser, line.find_element(By.NAME, "desired_time"), value)
    line.find_element(By.CSS_SELECTOR, "button[value=reschedule]").click()


def alert_text(browser, selector: str) -> str:
    located = (By.CSS_SELECTOR, selector)
    return wait(browser).until(expected_conditions.visibility_of_element_located(located)).text


def screenshot(browser, name: str) -> None:
    """The whole page: the window grows to the page's height for the shot."""
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(1400, max(1000, height + 140))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(SCREENSHOTS / name))
    browser.set_window_size(1400, 1000)


def test_admin_reschedules_and_cancels_callbacks(browser, live_server, callbacks, staff):
    path = "/manage/callbacks/"
    browser.get(f"{live_server.url}/admin/login/?next={path}")
    browser.find_element(By.ID, "id_username").send_keys("editor")
    browser.find_element(By.ID, "id_password").send_keys(PASSWORD, Keys.ENTER)
    wait(browser).until(expected_conditions.url_to_be(f"{live_server.url}{path}"))
    assert len(browser.find_elements(By.CSS_SELECTOR, "tr[data-id]")) == 3
    assert row(browser, callbacks["ann"]).find_element(
        By.CSS_SELECTOR, "[data-desired]"
    ).text == format_utc(in_hours(2))

    # Bob's bucket is full: the GMS message is shown and Ann keeps her time.
    bobs = in_hours(3)
    reschedule(browser, callbacks["ann"], bobs.strftime("%Y-%m-%dT%H:%M:%S"))
    refusal = alert_text(browser, "[data-refusal]")
    assert f"Requested time slot {format_utc(bobs)} is full" in refusal
    assert f"{format_utc(bobs + timedelta(minutes=15))} (1 free)" in refusal
    assert Callback.objects.get(pk=callbacks["ann"]).desired_time == in_hours(2)

    # A free time, typed in UTC by a browser in New York, is stored as that UTC time.
    moved = in_hours(3) + timedelta(minutes=30)
    reschedule(browser, callbacks["ann"], moved.strftime("%Y-%m-%dT%H:%M:%S"))
    assert alert_text(browser, ".messages li") == (
        f"Rescheduled callback {callbacks['ann']} to {format_utc(moved)}."
    )
    assert Callback.objects.get(pk=callbacks["ann"]).desired_time == moved
    desired = row(browser, callbacks["ann"]).find_element(By.CSS_SELECTOR, "[data-desired]")
    assert desired.text == format_utc(moved)

    # Only scheduled ones, then Cid is cancelled: he leaves the filtered list.
    Select(browser.find_element(By.NAME, "state")).select_by_visible_text("SCHEDULED")
    browser.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]").click()
    wait(browser).until(expected_conditions.url_contains("state=SCHEDULED"))
    row(browser, callbacks["cid"]).find_element(By.CSS_SELECTOR, "button[value=cancel]").click()
    assert alert_text(browser, ".messages li") == f"Cancelled callback {callbacks['cid']}."
    assert "state=SCHEDULED" in browser.current_url
    shown = [
        e.get_attribute("data-id") for e in browser.find_elements(By.CSS_SELECTOR, "[data-id]")
    ]
    assert shown == [callbacks["bob"], callbacks["ann"]]
    cid = Callback.objects.get(pk=callbacks["cid"])
    assert (cid.state, cid.reason) == (State.COMPLETED, Reason.CANCELLED_BY_ADMIN)

    Select(browser.find_element(By.NAME, "state")).select_by_visible_text("All states")
    browser.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]").click()
    wait(browser).until(lambda b: "state=&" in b.current_url or b.current_url.endswith("state="))
    cancelled = row(browser, callbacks["cid"])
    assert cancelled.find_element(By.CSS_SELECTOR, "[data-reason]").text == "CANCELLED_BY_ADMIN"
    assert not cancelled.find_elements(By.CSS_SELECTOR, "form")
    screenshot(browser, "callbacks.png")
