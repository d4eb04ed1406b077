"""Headless Chromium for the browser system tests, from Debian's packages.

`apt-get install -y chromium chromium-driver` provides `/usr/bin/chromium` and
`/usr/bin/chromedriver`; selenium cannot download drivers here, so both paths are given
explicitly (override with `HUDDLE_CHROMIUM` / `HUDDLE_CHROMEDRIVER`).
"""

from __future__ import annotations

import os
import shutil

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

CHROMIUM = os.environ.get("HUDDLE_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("HUDDLE_CHROMEDRIVER", "/usr/bin/chromedriver")

ARGUMENTS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-dev-shm-usage",
    "--window-size=1280,900",
)


def missing() -> str | None:
    """Why a browser cannot be started here, or None when it can."""
    for path in (CHROMIUM, CHROMEDRIVER):
        if not (os.path.isfile(path) and os.access(path, os.X_OK)) and shutil.which(path) is None:
            return f"{path} not found (apt-get install -y chromium chromium-driver)"
    return None


def require() -> None:
    """Skips the calling test module (at its top) when no browser can be started here."""
    why = missing()
    if why:
        import pytest

        pytest.skip(f"no headless Chromium: {why}", allow_module_level=True)


def make_driver() -> webdriver.Chrome:
    """A new headless Chromium driven through chromedriver. The caller must `quit()` it."""
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ARGUMENTS:
        options.add_argument(argument)
    # Keeps the page's console, so a failing test can show what the page logged.
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(30)
    return driver


def console_log(driver: webdriver.Chrome) -> list[str]:
    """What the page wrote to its console since the last call (best effort)."""
    try:
        return [f"{entry.get('level')}: {entry.get('message')}" for entry in driver.get_log("browser")]
    except Exception:  # noqa: BLE001 - diagnostics only; the driver may be gone
        return []
