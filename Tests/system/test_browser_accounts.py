"""The account pages in real headless Chromium against a real `huddle`.

The session lives in an HttpOnly cookie plus an in-memory access token, so these tests
check what only a browser shows: a reload or a new tab is still signed in, and logging out
in one tab signs out the others. Every wait has a generous upper bound; nothing asserts a
timing.
"""

from __future__ import annotations

import os
import subprocess
import uuid
from typing import Callable

import pytest
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import Select, WebDriverWait

import browser
from conftest import AUTH_ENV

_why_not = browser.missing()
if _why_not:
    pytest.skip(f"no headless Chromium: {_why_not}", allow_module_level=True)

WAIT = 30.0


def clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("HUDDLE_")}


@pytest.fixture
def driver(request) -> WebDriver:
    made = browser.make_driver()
    yield made
    for line in browser.console_log(made):
        print(f"[browser] {line}")
    try:
        made.quit()
    except WebDriverException:
        pass


def wait_for(driver: WebDriver, check: Callable[[WebDriver], object], what: str):
    def attempt(d: WebDriver):
        try:
            return check(d)
        except StaleElementReferenceException:
            return False

    try:
        return WebDriverWait(driver, WAIT, poll_frequency=0.1).until(attempt)
    except Exception as error:  # noqa: BLE001 - report the page with the failure
        state = driver.execute_script("return {url: location.href, body: document.body.innerText.slice(0, 800)}")
        pytest.fail(f"waited {WAIT:.0f}s for {what}; page: {state} ({error!r})")


def visible(driver: WebDriver, element_id: str) -> bool:
    elements = driver.find_elements(By.ID, element_id)
    return bool(elements) and elements[0].is_displayed()


def d_text(driver: WebDriver, selector: str) -> str:
    return driver.find_element(By.CSS_SELECTOR, selector).text


def fill(driver: WebDriver, values: dict[str, str]) -> None:
    for field, value in values.items():
        element = driver.find_element(By.ID, field)
        element.clear()
        element.send_keys(value)


def register(driver: WebDriver, base_url: str) -> str:
    name = f"u{uuid.uuid4().hex[:8]}"
    driver.get(f"{base_url}/register.html")
    fill(driver, {"username": name, "email": f"{name}@example.com", "password": "correct horse battery"})
    driver.find_element(By.ID, "submit").click()
    wait_for(driver, lambda d: visible(d, "signed-in") and d.find_element(By.ID, "account-username").text == name,
             "the account page after registering")
    return name


def test_register_then_reload_and_a_new_tab_are_still_logged_in(huddle, driver):
    name = register(driver, huddle.base_url)
    # The access token was in memory only: nothing in storage.
    assert driver.execute_script("return localStorage.length + sessionStorage.length") == 0

    driver.refresh()
    wait_for(driver, lambda d: visible(d, "signed-in") and d.find_element(By.ID, "account-username").text == name,
             "the account page after a reload")

    driver.switch_to.new_window("tab")
    driver.get(f"{huddle.base_url}/account.html")
    wait_for(driver, lambda d: visible(d, "signed-in") and d.find_element(By.ID, "account-username").text == name,
             "the account page in a new tab")
    # Page scripts cannot read the refresh cookie.
    assert "huddle_refresh" not in driver.execute_script("return document.cookie")


def test_logging_out_in_one_tab_logs_out_the_others(huddle, driver):
    register(driver, huddle.base_url)
    first = driver.current_window_handle
    driver.switch_to.new_window("tab")
    driver.get(f"{huddle.base_url}/account.html")
    wait_for(driver, lambda d: visible(d, "signed-in"), "the second tab signed in")
    second = driver.current_window_handle

    driver.switch_to.window(first)
    driver.find_element(By.ID, "logout").click()
    wait_for(driver, lambda d: visible(d, "signed-out"), "the first tab signed out")

    driver.switch_to.window(second)
    wait_for(driver, lambda d: visible(d, "signed-out"), "the second tab signed out without a reload")
    assert driver.find_element(By.ID, "account-nav").get_attribute("data-state") == "signed-out"

    # And the server ended the session: a reload stays signed out.
    driver.refresh()
    wait_for(driver, lambda d: visible(d, "signed-out"), "signed out after a reload")


def test_forms_show_inline_validation_and_server_errors(huddle, driver):
    driver.get(f"{huddle.base_url}/register.html")
    fill(driver, {"username": "x!", "email": "not-an-email", "password": "short"})
    driver.find_element(By.ID, "submit").click()
    for field in ("username", "email", "password"):
        wait_for(driver, lambda d, f=field: visible(d, f"{f}-error"), f"the {field} message")
        assert driver.find_element(By.ID, field).get_attribute("aria-invalid") == "true"

    # A taken username is the server's to say, next to the field.
    name = register(driver, huddle.base_url)
    driver.find_element(By.ID, "logout").click()
    wait_for(driver, lambda d: visible(d, "signed-out"), "signed out")
    driver.get(f"{huddle.base_url}/register.html")
    fill(driver, {"username": name, "email": f"other-{name}@example.com", "password": "correct horse battery"})
    driver.find_element(By.ID, "submit").click()
    wait_for(driver, lambda d: "taken" in d.find_element(By.ID, "username-error").text.lower(), "the taken-username message")

    driver.get(f"{huddle.base_url}/login.html")
    fill(driver, {"login": name, "password": "wrong password!"})
    driver.find_element(By.ID, "submit").click()
    wait_for(driver, lambda d: visible(d, "form-error") and "wrong" in d.find_element(By.ID, "form-error").text.lower(),
             "the wrong-password message")
    fill(driver, {"password": "correct horse battery"})
    driver.find_element(By.ID, "submit").click()
    wait_for(driver, lambda d: d.current_url.endswith("/account.html") and visible(d, "signed-in"), "logged in")


def test_an_admin_lists_creates_deactivates_and_changes_roles(huddle_factory, huddle_bin, tmp_path, driver):
    data_dir = tmp_path / "admin-browser"
    data_dir.mkdir()
    created = subprocess.run(
        [str(huddle_bin), "user", "create", "--admin", "--username", "chief", "--email", "chief@example.com",
         "--data-dir", str(data_dir)],
        input="chief password 1\n", env={**clean_env(), **AUTH_ENV}, capture_output=True, text=True,
        timeout=120)
    assert created.returncode == 0, created.stdout + created.stderr
    h = huddle_factory(data_dir)

    driver.get(f"{h.base_url}/login.html?next=admin.html")
    fill(driver, {"login": "chief", "password": "chief password 1"})
    driver.find_element(By.ID, "submit").click()
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, 'tr[data-user="chief"]'), "the users table")

    fill(driver, {"username": "worker", "email": "worker@example.com", "password": "worker password"})
    Select(driver.find_element(By.ID, "role")).select_by_value("agent")
    driver.find_element(By.ID, "create").click()
    row = 'tr[data-user="worker"]'
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, row), "the new user in the table")

    # A role change asks first: refused, nothing changes; accepted, it is done and said.
    Select(driver.find_element(By.CSS_SELECTOR, f"{row} select")).select_by_value("admin")
    assert "admin" in driver.switch_to.alert.text
    driver.switch_to.alert.dismiss()
    assert Select(driver.find_element(By.CSS_SELECTOR, f"{row} select")).first_selected_option.get_attribute("value") == "agent"
    Select(driver.find_element(By.CSS_SELECTOR, f"{row} select")).select_by_value("admin")
    driver.switch_to.alert.accept()
    wait_for(driver, lambda d: Select(d.find_element(By.CSS_SELECTOR, f"{row} select")).first_selected_option
             .get_attribute("value") == "admin", "the role change")
    wait_for(driver, lambda d: visible(d, "admin-status") and "worker is now an admin" in d.find_element(By.ID, "admin-status").text,
             "the role change's message")
    driver.find_element(By.CSS_SELECTOR, f"{row} button").click()
    assert "Deactivate worker" in driver.switch_to.alert.text
    driver.switch_to.alert.accept()
    wait_for(driver, lambda d: d.find_element(By.CSS_SELECTOR, row).get_attribute("data-active") == "false",
             "the deactivation")
    wait_for(driver, lambda d: "deactivated" in d.find_element(By.ID, "admin-status").text, "the deactivation's message")
    assert d_text(driver, f"{row} .badge-off") == "Deactivated"

    # The search keeps only the matching rows.
    driver.find_element(By.ID, "user-search").send_keys("work")
    wait_for(driver, lambda d: not d.find_element(By.CSS_SELECTOR, 'tr[data-user="chief"]').is_displayed(), "the search")
    assert driver.find_element(By.CSS_SELECTOR, row).is_displayed()

    # The deactivated user cannot log in.
    driver.find_element(By.ID, "nav-logout").click()
    wait_for(driver, lambda d: d.find_element(By.ID, "account-nav").get_attribute("data-state") == "signed-out", "logged out")
    driver.get(f"{h.base_url}/login.html")
    fill(driver, {"login": "worker", "password": "worker password"})
    driver.find_element(By.ID, "submit").click()
    wait_for(driver, lambda d: "deactivated" in d.find_element(By.ID, "form-error").text.lower(), "the refusal")


def test_a_signed_in_user_appears_under_their_name_on_the_counter(huddle, driver):
    name = register(driver, huddle.base_url)
    driver.get(f"{huddle.base_url}/counter.html?id=acct-{uuid.uuid4().hex[:8]}")
    wait_for(driver, lambda d: any(name in li.text for li in d.find_elements(By.CSS_SELECTOR, "#presence-list li.is-you")),
             "the user's own name in the counter's presence list")
    driver.find_element(By.ID, "increment").click()
    wait_for(driver, lambda d: d.find_element(By.ID, "count").text == "1", "the increment")


def signed_in_as(driver: WebDriver, username: str) -> bool:
    return visible(driver, "signed-in") and driver.find_element(By.ID, "account-username").text == username


def log_in(driver: WebDriver, base_url: str, login: str, password: str) -> None:
    driver.get(f"{base_url}/login.html")
    wait_for(driver, lambda d: visible(d, "login-form"), "the login form")
    fill(driver, {"login": login, "password": password})
    driver.find_element(By.ID, "submit").click()


def test_a_user_changes_name_and_email_and_sees_them_after_a_reload(huddle, driver):
    name = register(driver, huddle.base_url)
    wait_for(driver, lambda d: d.find_element(By.ID, "displayName").get_attribute("value") == name, "the form filled in")
    fill(driver, {"displayName": "Ada Example", "email": f"Ada-{name}@Example.org"})
    driver.find_element(By.ID, "profile-submit").click()
    wait_for(driver, lambda d: visible(d, "profile-status") and "Saved" in d.find_element(By.ID, "profile-status").text,
             "the saved message")
    assert driver.find_element(By.ID, "profile-status").get_attribute("role") == "status"
    assert driver.find_element(By.ID, "account-heading").text == "Ada Example"
    assert driver.find_element(By.ID, "nav-account").text == "Ada Example", "the header follows"

    driver.refresh()
    wait_for(driver, lambda d: signed_in_as(d, name) and d.find_element(By.ID, "account-email").text == f"ada-{name}@example.org",
             "the new email after a reload")
    assert driver.find_element(By.ID, "account-heading").text == "Ada Example"
    assert driver.find_element(By.ID, "displayName").get_attribute("value") == "Ada Example"

    # An invalid email is refused by its field, and nothing is saved.
    fill(driver, {"email": "not an email"})
    driver.find_element(By.ID, "profile-submit").click()
    wait_for(driver, lambda d: visible(d, "email-error"), "the email message")
    assert driver.find_element(By.ID, "email").get_attribute("aria-invalid") == "true"
    assert not visible(driver, "profile-status")


def test_changing_the_password_signs_out_the_other_sessions_only(huddle, driver):
    name = register(driver, huddle.base_url)
    # A second browser (its own cookies), signed in as the same user.
    other = browser.make_driver()
    try:
        log_in(other, huddle.base_url, name, "correct horse battery")
        wait_for(other, lambda d: signed_in_as(d, name), "the second browser signed in")

        # A wrong current password is shown by its field, and changes nothing.
        fill(driver, {"currentPassword": "not my password", "newPassword": "a new horse battery"})
        driver.find_element(By.ID, "password-submit").click()
        wait_for(driver, lambda d: visible(d, "currentPassword-error"), "the wrong-password message by its field")
        assert driver.find_element(By.ID, "currentPassword").get_attribute("aria-invalid") == "true"
        assert not visible(driver, "password-status")

        # The toggle shows what is typed.
        toggle = driver.find_element(By.CSS_SELECTOR, '[aria-controls="newPassword"]')
        toggle.click()
        assert driver.find_element(By.ID, "newPassword").get_attribute("type") == "text"
        toggle.click()

        fill(driver, {"currentPassword": "correct horse battery", "newPassword": "a new horse battery"})
        driver.find_element(By.ID, "password-submit").click()
        wait_for(driver, lambda d: visible(d, "password-status") and "signed out" in d.find_element(By.ID, "password-status").text,
                 "the password-changed message")
        assert not visible(driver, "currentPassword-error")

        # This browser stays signed in, across a reload (its refresh still works)…
        driver.refresh()
        wait_for(driver, lambda d: signed_in_as(d, name), "this browser still signed in after a reload")
        # …the other one's refresh is refused: a reload finds it signed out.
        refused = other.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "fetch('api/v1/auth/refresh', {method: 'POST', credentials: 'same-origin'}).then(r => done(r.status));")
        assert refused == 401
        other.refresh()
        wait_for(other, lambda d: visible(d, "signed-out"), "the other browser signed out")

        # The old password no longer logs in; the new one does.
        log_in(other, huddle.base_url, name, "correct horse battery")
        wait_for(other, lambda d: visible(d, "form-error") and "wrong" in d.find_element(By.ID, "form-error").text.lower(),
                 "the old password refused")
        log_in(other, huddle.base_url, name, "a new horse battery")
        wait_for(other, lambda d: signed_in_as(d, name), "signed in with the new password")
    finally:
        try:
            other.quit()
        except WebDriverException:
            pass
