"""Every page at a phone's size (390×844) in real headless Chromium: none is wider than the
screen, every page has the one header, and nothing is logged as an error in the console.
Signed out and signed in as an admin (made with `huddle user create`); the agent console as an
agent.
"""

from __future__ import annotations

import subprocess

import pytest
import requests
from selenium.webdriver.common.by import By

import browser
from conftest import AUTH_ENV, wait_until
from test_browser_accounts import clean_env, driver, fill, wait_for  # noqa: F401 - driver is a fixture
from test_browser_board import board_command, create_board, guest_token

_why_not = browser.missing()
if _why_not:
    pytest.skip(f"no headless Chromium: {_why_not}", allow_module_level=True)

PHONE = (390, 844)
SIGNED_OUT = ["/", "/board.html", "/counter.html", "/teams.html", "/chat.html", "/agents.html", "/login.html", "/register.html",
              "/account.html", "/admin.html"]
SIGNED_IN = ["/", "/board.html", "/counter.html", "/teams.html", "/chat.html", "/agents.html", "/login.html", "/account.html",
             "/admin.html"]


def errors(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e.get("level") == "SEVERE"]


def phone(driver) -> None:
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": PHONE[0], "height": PHONE[1], "deviceScaleFactor": 1, "mobile": True},
    )


def load(driver, url: str) -> None:
    driver.get(url)
    wait_for(driver, lambda d: d.execute_script("return document.readyState") == "complete"
             and d.find_elements(By.CSS_SELECTOR, ".site-header .topbar #account-nav[data-state]"), f"{url} to load")
    # What a page fills in after loading (a board's boxes, the users) settles first.
    wait_for(driver, lambda d: d.execute_script(
        "return ![...document.querySelectorAll('#loading, #board-loading, #t-loading, #chat-loading')].some((e) => e.offsetParent !== null)"),
        f"{url} to finish loading")


def create_tournament(h, token: str) -> str:
    """A tournament with one player who picked, made through the API; its id."""
    auth = {"Authorization": f"Bearer {token}"}
    r = requests.post(f"{h.base_url}/api/v1/tournaments", json={"name": "A cup on a phone", "playerLimit": 4},
                      headers=auth, timeout=10)
    assert r.status_code == 201, r.text
    tournament = r.json()["id"]
    for path, body in (("players", {"name": "Ada", "surname": "Lovelace"}), ("picks", {"club": "Paris Saint-Germain"})):
        r = requests.post(f"{h.base_url}/api/v1/tournaments/{tournament}/{path}", json=body, headers=auth, timeout=10)
        assert r.status_code in (200, 201), r.text
    return tournament


def create_chat(h, token: str) -> str:
    """A conversation with the bot, made through the API; its id once the bot has answered."""
    auth = {"Authorization": f"Bearer {token}"}
    r = requests.post(f"{h.base_url}/api/v1/chats", json={"customerName": "Ada"}, headers=auth, timeout=10)
    assert r.status_code == 201, r.text
    chat = r.json()["id"]
    r = requests.post(f"{h.base_url}/api/v1/chats/{chat}/messages", json={"text": "How do I return an item?"}, headers=auth, timeout=10)
    assert r.status_code == 201, r.text
    assert wait_until(lambda: requests.get(f"{h.base_url}/api/v1/chats/{chat}", headers=auth, timeout=10).json()["messageCount"] >= 2,
                      60), "the bot did not answer"
    return chat


def width_problem(driver) -> str | None:
    sizes = driver.execute_script(
        "return [document.documentElement.scrollWidth, innerWidth, "
        "[...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > innerWidth + 0.5"
        " && getComputedStyle(e).position !== 'fixed').slice(0, 5).map((e) => e.id || e.className || e.tagName)]"
    )
    return None if sizes[0] <= sizes[1] else f"scrollWidth {sizes[0]} > innerWidth {sizes[1]}; too wide: {sizes[2]}"


@pytest.fixture
def admin_server(huddle_factory, huddle_bin, tmp_path):
    data_dir = tmp_path / "pages"
    data_dir.mkdir()
    made = subprocess.run(
        [str(huddle_bin), "user", "create", "--admin", "--username", "boss", "--email", "boss@example.com",
         "--data-dir", str(data_dir)],
        input="boss password 1\n", env={**clean_env(), **AUTH_ENV}, capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stdout + made.stderr
    made = subprocess.run(
        [str(huddle_bin), "user", "create", "--role", "agent", "--username", "helper", "--email", "helper@example.com",
         "--data-dir", str(data_dir)],
        input="helper password 1\n", env={**clean_env(), **AUTH_ENV}, capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stdout + made.stderr
    return huddle_factory(data_dir)


def test_every_page_fits_a_phone_and_logs_no_error(admin_server, driver):
    h = admin_server
    token = guest_token(h)
    board = create_board(h, "A board on a phone", token)
    for i in range(4):
        board_command(h, board["id"], token, "addBox", {"x": 80 + 260 * i, "y": 120 + 60 * i, "text": f"Box {i}"})
    tournament = create_tournament(h, token)
    live = [f"/board.html?id={board['id']}", f"/tournament.html?id={tournament}"]
    # Another guest's conversation: the admin may read it (signed out, it is not the browser's).
    chat = f"/chat.html?id={create_chat(h, token)}"
    pages = SIGNED_OUT + live
    phone(driver)
    problems, logged = [], []
    for path in pages:
        load(driver, h.base_url + path)
        if (why := width_problem(driver)):
            problems.append(f"{path} (signed out): {why}")
        logged += [(path, m) for m in errors(driver)]

    driver.get(f"{h.base_url}/login.html")
    fill(driver, {"login": "boss", "password": "boss password 1"})
    driver.find_element(By.ID, "submit").click()
    # Once the account page's own refresh is done: navigating away while it is in flight would
    # leave the browser with the refresh cookie it just rotated away (a 401 on the next page).
    wait_for(driver, lambda d: d.current_url.endswith("/account.html") and d.find_elements(
        By.CSS_SELECTOR, '#account-nav[data-state="signed-in"]'), "the account page after logging in")
    for path in SIGNED_IN + live + [chat]:
        load(driver, h.base_url + path)
        if (why := width_problem(driver)):
            problems.append(f"{path} (admin): {why}")
        logged += [(path, m) for m in errors(driver)]
    assert not problems, problems
    assert not logged, logged


def test_the_header_is_the_same_everywhere(admin_server, driver):
    h = admin_server
    for path in SIGNED_OUT:
        load(driver, h.base_url + path)
        apps = [a.text for a in driver.find_elements(By.CSS_SELECTOR, ".topbar .app-nav a")]
        assert apps == ["Board", "Counter", "Teams", "Chat"], (path, apps)
        assert driver.find_element(By.ID, "account-nav").get_attribute("data-state") == "signed-out", path
        if path != "/login.html":
            assert driver.find_element(By.ID, "nav-login").is_displayed(), path
    # The admin card is for admins only, the agent console's for agents; the launcher speaks plainly.
    load(driver, h.base_url + "/")
    assert driver.find_elements(By.CSS_SELECTOR, '#apps [data-app="chat"]')
    assert not driver.find_elements(By.CSS_SELECTOR, '#apps [data-app="admin"]')
    assert not driver.find_elements(By.CSS_SELECTOR, '#apps [data-app="agents"]')
    assert "durable" not in driver.find_element(By.TAG_NAME, "main").text.lower()
    # Logged out, the admin page offers a way in.
    load(driver, h.base_url + "/admin.html")
    assert driver.find_element(By.CSS_SELECTOR, "#denied-login a").get_attribute("href").endswith("login.html?next=admin.html")
    # So does the agent console, which is for agents only.
    load(driver, h.base_url + "/agents.html")
    wait_for(driver, lambda d: d.find_element(By.ID, "denied").is_displayed(), "the agents-only notice")
    assert "agents only" in driver.find_element(By.ID, "denied-text").text
    assert driver.find_element(By.CSS_SELECTOR, "#denied-login a").get_attribute("href").endswith("login.html?next=agents.html")

    driver.get(f"{h.base_url}/login.html?next=index.html")
    fill(driver, {"login": "boss", "password": "boss password 1"})
    toggle = driver.find_element(By.CSS_SELECTOR, ".password-toggle")
    toggle.click()
    assert driver.find_element(By.ID, "password").get_attribute("type") == "text", "Show did not show the password"
    toggle.click()
    assert driver.find_element(By.ID, "password").get_attribute("type") == "password"
    driver.find_element(By.ID, "submit").click()
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, '#apps [data-app="admin"]'), "the admin card for an admin")
    assert not driver.find_elements(By.CSS_SELECTOR, '#apps [data-app="agents"]'), "the agent console's card is for agents"
    assert driver.find_element(By.ID, "nav-account").text == "boss"
    # Signed in, the log-in page says so instead of showing the form.
    load(driver, h.base_url + "/login.html")
    wait_for(driver, lambda d: d.find_element(By.ID, "already").is_displayed(), "You are signed in as")
    assert "boss" in driver.find_element(By.ID, "already").text
    assert not driver.find_element(By.ID, "login-form").is_displayed()
    # The account page has one Log out.
    load(driver, h.base_url + "/account.html")
    wait_for(driver, lambda d: d.find_element(By.ID, "signed-in").is_displayed(), "the account")
    outs = [b for b in driver.find_elements(By.TAG_NAME, "button") if b.text == "Log out" and b.is_displayed()]
    assert len(outs) == 1, [b.get_attribute("id") for b in outs]
    assert requests.get(h.base_url + "/js/header.js", timeout=10).status_code == 200


def test_an_agent_has_the_console_in_the_launcher_and_on_a_phone(admin_server, driver):
    h = admin_server
    customer = guest_token(h)
    chat = create_chat(h, customer)
    r = requests.post(f"{h.base_url}/api/v1/chats/{chat}/escalate", headers={"Authorization": f"Bearer {customer}"}, timeout=10)
    assert r.status_code == 200, r.text
    driver.get(f"{h.base_url}/login.html?next=index.html")
    fill(driver, {"login": "helper", "password": "helper password 1"})
    driver.find_element(By.ID, "submit").click()
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, '#apps [data-app="agents"]'), "the agent console's card for an agent")
    assert not driver.find_elements(By.CSS_SELECTOR, '#apps [data-app="admin"]')
    assert driver.find_element(By.ID, "nav-agents").get_attribute("href").endswith("/agents.html")
    phone(driver)
    load(driver, h.base_url + "/agents.html")
    row = f'#queue li[data-chat-id="{chat}"] .chat-row-name'
    # The queue is drawn again every few seconds: find the row afresh until the click lands.
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, row) and (d.find_element(By.CSS_SELECTOR, row).click() or True),
             "the queued conversation, opened")
    wait_for(driver, lambda d: d.find_element(By.ID, "open-body").is_displayed(), "the open conversation")
    assert width_problem(driver) is None, width_problem(driver)
    assert not errors(driver)
