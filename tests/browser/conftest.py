"""A real headless Chromium driven by Selenium, against pytest-django's live server.

Debian's ``chromium`` and ``chromedriver`` only: Selenium Manager must never download a
browser or a driver, so it runs offline and is given both paths.
"""

import os
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
# The zone the browser runs in, unlike the offices it looks at: the preview converts to it.
VIEWER_TIMEZONE = "America/New_York"


@pytest.fixture
def browser(tmp_path, monkeypatch):
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.exists()]
    if missing:
        pytest.skip(
            f"browser tests need Debian's chromium and chromedriver: {', '.join(missing)} missing"
        )
    monkeypatch.setenv("SE_OFFLINE", "true")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--lang=en-US",
        f"--user-data-dir={tmp_path / 'chromium'}",
    ):
        options.add_argument(argument)
    service = Service(executable_path=str(CHROMEDRIVER), env={**os.environ, "TZ": VIEWER_TIMEZONE})
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_window_size(1400, 1000)
    yield driver
    driver.quit()
