"""The Counter and the launcher in real headless Chromium against a real `huddle`.

Every wait is an explicit WebDriverWait with a generous upper bound; nothing asserts a
timing. Each test uses its own counter id, so tests never see each other's counts.
"""

from __future__ import annotations

import uuid
from typing import Callable
from urllib.parse import quote

import pytest
import requests
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

import browser

_why_not = browser.missing()
if _why_not:
    pytest.skip(f"no headless Chromium: {_why_not}", allow_module_level=True)

WAIT = 30.0  # upper bound for anything on a running server
RECONNECT_WAIT = 90.0  # restart + reconnect backoff (capped at 15 s by realtime.js)


# --- helpers -----------------------------------------------------------------------------


def unique_id(prefix: str = "t") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def browsers(request) -> Callable[[], WebDriver]:
    """browsers() -> a new headless Chromium; all are quit at teardown. Their console logs
    are printed at teardown (pytest shows them only when the test fails)."""
    drivers: list[WebDriver] = []

    def make() -> WebDriver:
        driver = browser.make_driver()
        drivers.append(driver)
        return driver

    yield make
    for i, driver in enumerate(drivers):
        for line in browser.console_log(driver):
            print(f"[browser {i}] {line}")
        try:
            driver.quit()
        except WebDriverException:
            pass


def wait_for(driver: WebDriver, check: Callable[[WebDriver], object], what: str, timeout: float = WAIT):
    """Waits until `check(driver)` is truthy; fails with `what` and the page's state."""

    def attempt(d: WebDriver):
        try:
            return check(d)
        except StaleElementReferenceException:
            return False

    try:
        return WebDriverWait(driver, timeout, poll_frequency=0.1).until(attempt)
    except Exception as error:  # TimeoutException, or the page went away
        pytest.fail(f"waited {timeout:.0f}s for {what}; page state: {page_state(driver)} ({error!r})")


def page_state(driver: WebDriver) -> dict:
    try:
        return driver.execute_script(
            """
            const text = (id) => document.getElementById(id)?.textContent ?? null;
            return {
              url: location.href,
              count: text('count'),
              status: document.getElementById('status')?.dataset.status ?? null,
              bannerHidden: document.getElementById('banner')?.hidden ?? null,
              incrementDisabled: document.getElementById('increment')?.disabled ?? null,
              presence: text('presence'),
              error: text('error'),
            };
            """
        )
    except WebDriverException as error:
        return {"unavailable": repr(error)}


def text_of(driver: WebDriver, element_id: str) -> str:
    return driver.find_element(By.ID, element_id).text


def prop(driver: WebDriver, element_id: str, name: str):
    return driver.find_element(By.ID, element_id).get_property(name)


def counter_url(huddle, counter_id: str, name: str | None = None) -> str:
    url = f"{huddle.base_url}/counter.html?id={quote(counter_id, safe='')}"
    if name is not None:
        url += f"&name={quote(name, safe='')}"
    return url


def open_counter(driver: WebDriver, huddle, counter_id: str, name: str | None = None) -> None:
    """Loads the counter page and waits until it is connected and shows a value."""
    driver.get(counter_url(huddle, counter_id, name))
    wait_for(driver, lambda d: not prop(d, "increment", "disabled"), "the Increment button to be enabled")
    wait_for(driver, lambda d: text_of(d, "count").isdigit(), "a value in #count")


def wait_count(driver: WebDriver, value: int, timeout: float = WAIT) -> None:
    wait_for(driver, lambda d: text_of(d, "count") == str(value), f"#count to show {value}", timeout)


def api_count(huddle, counter_id: str) -> int:
    r = requests.get(f"{huddle.base_url}/api/v1/counters/{counter_id}", timeout=10)
    r.raise_for_status()
    return r.json()["count"]


# --- tests -------------------------------------------------------------------------------


def test_an_increment_in_one_window_shows_in_the_other(huddle, browsers):
    counter_id = unique_id()
    first, second = browsers(), browsers()
    open_counter(first, huddle, counter_id)
    open_counter(second, huddle, counter_id)
    wait_count(first, 0)
    wait_count(second, 0)
    for driver in (first, second):
        wait_for(driver, lambda d: text_of(d, "presence") == "2 people here", "presence to say 2 people here")
    assert text_of(first, "counter-id") == counter_id

    # The "open another counter" field starts empty (typing does not append to an id).
    assert prop(first, "switch-id", "value") == ""
    first.find_element(By.ID, "increment").click()
    wait_count(second, 1)
    wait_count(first, 1)
    # The other window charts the +1 it saw, and says when it was.
    wait_for(second, lambda d: d.find_element(By.ID, "activity-chart").get_attribute("data-total") == "1", "the +1 in the chart")
    assert text_of(second, "last-increment").startswith("last +1")

    second.find_element(By.ID, "increment").click()
    wait_count(first, 2)
    wait_count(second, 2)
    assert api_count(huddle, counter_id) == 2

    second.get("about:blank")  # leaving the page closes its connection
    wait_for(first, lambda d: text_of(d, "presence") == "1 person here", "presence to drop to 1 person")


def test_the_launcher_lists_the_counter_and_opens_it(huddle, browsers):
    driver = browsers()
    driver.get(f"{huddle.base_url}/")
    links = wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#apps a"), "the app list")
    names = [link.find_element(By.TAG_NAME, "h2").text for link in links]
    assert "Counter" in names, names

    # Only apps that exist are listed: every card's page loads.
    for link in links:
        href = link.get_attribute("href")
        r = requests.get(href, timeout=10)
        assert r.status_code == 200, f"{href} -> {r.status_code}"

    counter = links[names.index("Counter")]
    counter.click()
    wait_for(driver, lambda d: "counter.html" in d.current_url, "the Counter page to open")
    wait_for(driver, lambda d: not prop(d, "increment", "disabled"), "the Counter to connect")
    assert text_of(driver, "counter-id") == "visits"
    wait_for(driver, lambda d: text_of(d, "count").replace(",", "").isdigit(), "a value in #count")


def test_the_page_survives_a_server_restart(huddle, browsers):
    counter_id = unique_id()
    driver = browsers()
    open_counter(driver, huddle, counter_id)
    assert prop(driver, "banner", "hidden") is True
    for expected in (1, 2):
        driver.find_element(By.ID, "increment").click()
        wait_count(driver, expected)

    code = huddle.stop()
    assert code == 0, f"huddle exited with {code} on SIGTERM\n{huddle.output()}"
    wait_for(driver, lambda d: prop(d, "banner", "hidden") is False, "the Reconnecting banner to show")
    assert driver.find_element(By.ID, "banner").is_displayed()
    assert "Reconnecting" in text_of(driver, "banner")
    wait_for(driver, lambda d: prop(d, "increment", "disabled") is True, "Increment to be disabled")

    huddle.start()
    # Someone else increments while this page may still be away: it must catch up either
    # through the replay on resubscribe or as a live event, whichever comes first.
    r = requests.post(f"{huddle.base_url}/api/v1/counters/{counter_id}/increment", timeout=10)
    assert r.status_code == 200 and r.json()["count"] == 3, r.text

    wait_for(driver, lambda d: prop(d, "banner", "hidden") is True, "the banner to hide", RECONNECT_WAIT)
    wait_for(driver, lambda d: not prop(d, "increment", "disabled"), "Increment to be enabled", RECONNECT_WAIT)
    wait_count(driver, 3)

    driver.find_element(By.ID, "increment").click()
    wait_count(driver, 4)
    assert api_count(huddle, counter_id) == 4


def test_bad_ids_are_refused_and_server_text_is_shown_as_text(huddle, browsers):
    driver = browsers()
    bad = "<img src=x onerror=window.__pwned=1>"
    driver.get(counter_url(huddle, bad))
    problem = wait_for(
        driver,
        lambda d: d.find_element(By.ID, "id-problem") if d.find_element(By.ID, "id-problem").is_displayed() else None,
        "the page to refuse the id",
    )
    assert "1–128" in problem.text
    assert text_of(driver, "counter-id") == bad
    assert bad in problem.text
    assert not driver.find_elements(By.CSS_SELECTOR, "main img"), "the id was parsed as HTML"
    assert driver.execute_script("return window.__pwned === undefined")
    assert prop(driver, "increment", "disabled") is True
    assert prop(driver, "banner", "hidden") is True

    # The switch form refuses an id outside the rule, with a message that goes away.
    field = driver.find_element(By.ID, "switch-id")
    field.clear()
    field.send_keys("no/slashes here")
    driver.find_element(By.CSS_SELECTOR, "#switch-form button[type=submit]").click()
    wait_for(driver, lambda d: d.find_element(By.ID, "switch-error").is_displayed(), "the error beside the field")
    assert "no/slashes here" in text_of(driver, "switch-error")
    assert field.get_attribute("aria-invalid") == "true"
    field.send_keys(Keys.BACKSPACE)
    wait_for(driver, lambda d: prop(d, "switch-error", "hidden") is True, "the error to go once the field changes")

    # ...and opens a valid one.
    counter_id = unique_id()
    field.clear()
    field.send_keys(counter_id)
    driver.find_element(By.CSS_SELECTOR, "#switch-form button[type=submit]").click()
    wait_for(driver, lambda d: f"id={counter_id}" in d.current_url, "the form to open the counter")
    wait_for(driver, lambda d: not prop(d, "increment", "disabled"), "the Counter to connect")
    assert text_of(driver, "counter-id") == counter_id

    # A display name from the server is rendered literally, never as markup.
    name = "<b>x</b>"
    other = browsers()
    open_counter(other, huddle, counter_id, name=name)
    wait_for(
        driver,
        lambda d: any(li.text == name for li in d.find_elements(By.CSS_SELECTOR, "#presence-list li")),
        f"{name!r} in the presence list",
    )
    assert not driver.find_elements(By.CSS_SELECTOR, "#presence-list b")
    wait_for(driver, lambda d: text_of(d, "presence") == "2 people here", "presence to say 2 people here")
