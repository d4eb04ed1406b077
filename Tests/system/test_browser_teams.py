"""The Teams pages in real headless Chromium, across two replicas sharing PostgreSQL (the
tournaments' streams) and Redis through Sentinel (the doorbell, presence and signals).

An organiser creates a tournament on replica A through teams.html; the join link is read
from its QR code by a real decoder (rsvg-convert, zbarimg); three players in their own
browsers open it (one on replica B, as a load balancer would send them), join, hover, pick
and see each other live; the organiser draws, and every page shows the result the API holds;
a reload resumes as the same player.

Needs the throwaway PostgreSQL cluster and Redis rig that scripts/test starts (their
HUDDLE_TEST_* variables); in CI their absence is a failure. Every wait is an explicit
WebDriverWait with a generous upper bound; nothing asserts a timing.
"""

from __future__ import annotations

import os
import subprocess
import uuid
from typing import Callable
from urllib.parse import urlsplit

import pytest
import requests
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

import browser

_why_not = browser.missing()
if _why_not:
    pytest.skip(f"no headless Chromium: {_why_not}", allow_module_level=True)
if not (os.environ.get("HUDDLE_TEST_POSTGRES_URL") and os.environ.get("HUDDLE_TEST_REDIS_SENTINELS")):
    if os.environ.get("CI"):
        raise RuntimeError("CI must run the cross-replica Teams browser test: scripts/test starts both rigs")
    pytest.skip("needs scripts/postgres-rig and scripts/redis-rig (run through scripts/test)", allow_module_level=True)

from test_board_replicas import replicas  # noqa: E402,F401 - the two-replica fixture
from test_browser_board import browsers, wait_for as board_wait_for  # noqa: E402,F401 - browsers: a fixture
from test_qr import decoder_tools  # noqa: E402,F401 - fails when rsvg-convert or zbarimg is missing

WAIT = 60.0  # upper bound for anything on a running pair of replicas
HTTP_TIMEOUT = 30


# --- helpers -----------------------------------------------------------------------------


def page_state(driver: WebDriver) -> dict:
    """What the page shows, for failure messages."""
    try:
        return driver.execute_script(
            """
            const root = document.getElementById('tournament');
            const shown = (id) => { const e = document.getElementById(id); return e && !e.hidden ? e.textContent : null; };
            return {
              url: location.href,
              root: root ? {...root.dataset} : null,
              status: document.getElementById('status')?.dataset.status ?? null,
              rows: [...document.querySelectorAll('#player-rows tr')].map((r) => ({...r.dataset})),
              clubs: [...document.querySelectorAll('#club-grid .club-button')].map((b) => ({...b.dataset})),
              result: [...document.querySelectorAll('#result-list li')].map((li) => ({...li.dataset})),
              problems: ['join-problem', 'pick-problem', 'draw-problem', 'create-problem', 'error'].map(shown).filter(Boolean),
            };
            """
        )
    except WebDriverException as error:
        return {"unavailable": repr(error)}


def wait_for(driver: WebDriver, check: Callable[[WebDriver], object], what: str, timeout: float = WAIT):
    """Waits until `check(driver)` is truthy; fails with `what` and the Teams page's state."""
    return board_wait_for(driver, check, what, timeout, describe=page_state)


def root(driver: WebDriver, name: str) -> str | None:
    return driver.find_element(By.ID, "tournament").get_attribute(f"data-{name}")


def shown(driver: WebDriver, element_id: str) -> bool:
    found = driver.find_elements(By.ID, element_id)
    return bool(found) and found[0].is_displayed()


def row(driver: WebDriver, player_id: str, name: str) -> str | None:
    """`data-{name}` of the player's row in the players table (None: no such row)."""
    found = driver.find_elements(By.CSS_SELECTOR, f'#player-rows tr[data-player-id="{player_id}"]')
    return found[0].get_attribute(f"data-{name}") if found else None


def club(driver: WebDriver, name: str):
    return driver.find_element(By.CSS_SELECTOR, f'#club-grid .club-button[data-club="{name}"]')


def fill(driver: WebDriver, values: dict[str, str]) -> None:
    for field, value in values.items():
        element = driver.find_element(By.ID, field)
        element.clear()
        element.send_keys(value)


def api_tournament(replica, tournament_id: str) -> dict:
    r = requests.get(replica.url(f"/api/v1/tournaments/{tournament_id}"), timeout=HTTP_TIMEOUT)
    assert r.status_code == 200, r.text
    return r.json()


def decode_qr(svg: bytes, tmp_path) -> str:
    """The text of the QR code in `svg`, read by zbar from a PNG rendering of it."""
    svg_path, png_path = tmp_path / "join.svg", tmp_path / "join.png"
    svg_path.write_bytes(svg)
    subprocess.run(["rsvg-convert", str(svg_path), "-o", str(png_path)], check=True, timeout=60)
    read = subprocess.run(["zbarimg", "--raw", "-q", "-Sbinary", str(png_path)], capture_output=True, timeout=60)
    assert read.returncode == 0, read.stderr.decode()
    return read.stdout.decode("utf-8").strip()


def on(replica, link: str) -> str:
    """The same path and query on `replica`'s origin (a load balancer's choice of replica)."""
    parts = urlsplit(link)
    return f"{replica.base_url}{parts.path}?{parts.query}"


def join(driver: WebDriver, link: str, name: str, surname: str) -> str:
    """Opens the join link, joins, and returns the player id the page now acts as."""
    driver.get(link)
    wait_for(driver, lambda d: root(d, "view") == "newcomer" and shown(d, "join-form"), f"the join form for {name}")
    wait_for(driver, lambda d: root(d, "live") == "true", f"{name}'s page to be live")
    fill(driver, {"name": name, "surname": surname})
    driver.find_element(By.ID, "join-submit").click()
    wait_for(driver, lambda d: root(d, "view") == "player" and root(d, "player-id"), f"{name} to be a player")
    wait_for(driver, lambda d: shown(d, "club-grid") and not shown(d, "join"), f"{name}'s club grid")
    return root(driver, "player-id")


def hover(driver: WebDriver, name: str) -> None:
    ActionChains(driver).move_to_element(club(driver, name)).perform()


def look_away(driver: WebDriver) -> None:
    """Moves the pointer off the clubs (after Join, it rests where a club button now is)."""
    ActionChains(driver).move_to_element(driver.find_element(By.ID, "t-name")).perform()


def pick(driver: WebDriver, name: str) -> None:
    club(driver, name).click()


# --- the test ----------------------------------------------------------------------------


def test_a_tournament_from_qr_code_to_draw_across_two_replicas(replicas, browsers, decoder_tools, tmp_path):
    a, b = replicas
    organiser = browsers()

    # The organiser creates it on A; a 400's per-field problems are shown by their fields.
    organiser.get(a.url("/teams.html"))
    wait_for(organiser, lambda d: d.find_element(By.ID, "mine-list").get_attribute("data-loaded") == "true", "the list")
    name = f"Cup <b>{uuid.uuid4().hex[:6]}</b>"
    fill(organiser, {"name": name, "playerLimit": "3", "clubs": "Chelsea\nchelsea\nJuventus"})
    organiser.find_element(By.ID, "create").click()
    wait_for(organiser, lambda d: shown(d, "clubs-error"), "the server's problem with the clubs")
    assert "twice" in organiser.find_element(By.ID, "clubs-error").text
    organiser.find_element(By.ID, "clubs").clear()
    organiser.find_element(By.ID, "create").click()
    wait_for(organiser, lambda d: "/tournament.html?id=" in d.current_url, "the tournament's page")
    tournament_id = organiser.current_url.split("id=", 1)[1]
    wait_for(organiser, lambda d: root(d, "view") == "organiser" and root(d, "live") == "true", "the organiser's view")
    assert organiser.find_element(By.ID, "t-name").text == name
    assert not organiser.find_elements(By.CSS_SELECTOR, "#t-name b"), "the name was parsed as HTML"
    assert organiser.find_element(By.ID, "draw").get_attribute("disabled") is not None

    # The QR code is shown large and crisp, and a real decoder reads the join link from it.
    qr = organiser.find_element(By.ID, "qr")
    wait_for(organiser, lambda d: d.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", qr),
             "the QR code to load")
    assert qr.size["width"] >= 300, qr.size
    assert qr.value_of_css_property("image-rendering") == "pixelated"
    svg = requests.get(a.url(f"/api/v1/tournaments/{tournament_id}/qr.svg"), timeout=HTTP_TIMEOUT)
    assert svg.status_code == 200 and svg.headers["Content-Type"].startswith("image/svg+xml"), svg.text[:200]
    link = decode_qr(svg.content, tmp_path)
    assert link == api_tournament(a, tournament_id)["joinUrl"] == organiser.find_element(By.ID, "join-url").get_attribute("value")
    assert urlsplit(link).path == "/tournament.html"

    # Three players, each in their own browser; Bob's is sent to replica B.
    ada, bob, cy = browsers(), browsers(), browsers()
    ids = {
        "ada": join(ada, link, "Ada", "Lovelace"),
        "bob": join(bob, on(b, link), "Bob", "Marley"),
        "cy": join(cy, link, "Cy", "Young"),
    }
    assert sorted(ids.values()) == ["p1", "p2", "p3"]
    for player in ids.values():
        wait_for(organiser, lambda d, p=player: row(d, p, "picked") == "", f"{player} in the organiser's table")
    assert organiser.find_element(By.ID, "draw").get_attribute("disabled") is not None

    # Hovering: Ada's pointer over a club shows on the organiser's page and on Bob's (on B).
    for driver in (ada, bob, cy):
        wait_for(driver, lambda d: root(d, "live") == "true" and d.find_element(By.ID, "status").get_attribute("data-status") == "open",
                 "a live connection")
        look_away(driver)
    for player in ids.values():
        wait_for(organiser, lambda d, p=player: row(d, p, "hover") == "", f"{player} looking at no club")
    hover(ada, "Chelsea")
    wait_for(organiser, lambda d: row(d, ids["ada"], "hover") == "Chelsea", "Ada's hover on the organiser's page")
    wait_for(bob, lambda d: ids["ada"] in (club(d, "Chelsea").get_attribute("data-lookers") or "").split(),
             "Ada's hover on Bob's club grid")
    assert club(bob, "Chelsea").find_element(By.CSS_SELECTOR, ".club-lookers").text == "Ada L. is looking"
    hover(ada, "Juventus")
    wait_for(organiser, lambda d: row(d, ids["ada"], "hover") == "Juventus", "Ada's hover moving on")
    wait_for(bob, lambda d: club(d, "Chelsea").get_attribute("data-lookers") == "", "Ada no longer looking at Chelsea")

    # Picks, seen live everywhere; a hover goes when its player picks.
    pick(ada, "Juventus")
    wait_for(ada, lambda d: club(d, "Juventus").get_attribute("data-mine") == "true", "Ada's own pick")
    for driver in (organiser, bob, cy):
        wait_for(driver, lambda d: row(d, ids["ada"], "picked") == "Juventus", "Ada's pick in the table")
    wait_for(organiser, lambda d: row(d, ids["ada"], "hover") == "", "Ada's hover gone with her pick")
    for driver in (bob, cy):
        wait_for(driver, lambda d: club(d, "Juventus").get_attribute("data-taken-by") == ids["ada"], "Juventus taken")
        assert "Ada Lovelace" in club(driver, "Juventus").text

    # Bob tries the club Ada took: the server refuses it, and the page says so.
    pick(bob, "Juventus")
    wait_for(bob, lambda d: shown(d, "pick-problem"), "Bob's refusal")
    problem = bob.find_element(By.ID, "pick-problem")
    assert problem.get_attribute("data-code") == "club_taken", page_state(bob)
    assert "Juventus" in problem.text
    assert root(bob, "view") == "player"

    pick(bob, "Real Madrid")
    pick(cy, "Barcelona")
    for driver in (organiser, ada, bob, cy):
        wait_for(driver, lambda d: row(d, ids["bob"], "picked") == "Real Madrid" and row(d, ids["cy"], "picked") == "Barcelona",
                 "every pick everywhere")
    wait_for(ada, lambda d: "organiser to draw" in d.find_element(By.ID, "clubs-note").text, "Ada's waiting note")

    # The organiser's Draw is enabled once everyone picked; the result reaches every page.
    wait_for(organiser, lambda d: d.find_element(By.ID, "draw").get_attribute("disabled") is None, "Draw enabled")
    organiser.find_element(By.ID, "draw").click()
    wait_for(organiser, lambda d: root(d, "drawn") == "true" and shown(d, "result"), "the organiser's result")
    pairs = {p["playerId"]: p["club"] for p in api_tournament(b, tournament_id)["pairs"]}
    assert sorted(pairs) == sorted(ids.values())
    assert sorted(pairs.values()) == ["Barcelona", "Juventus", "Real Madrid"]
    for driver, who in ((ada, "ada"), (bob, "bob"), (cy, "cy")):
        wait_for(driver, lambda d: root(d, "drawn") == "true" and shown(d, "my-draw"), f"{who}'s result")
        assert driver.find_element(By.ID, "my-club").text == pairs[ids[who]]
        assert not shown(driver, "clubs")
    for driver in (organiser, ada, bob, cy):
        shown_pairs = {li.get_attribute("data-player-id"): li.get_attribute("data-club")
                       for li in driver.find_elements(By.CSS_SELECTOR, "#result-list li")}
        assert shown_pairs == pairs, page_state(driver)
    assert organiser.find_element(By.ID, "draw").get_attribute("disabled") is not None

    # A reload resumes as the same player (their pass is kept): their club, no join form.
    bob.refresh()
    wait_for(bob, lambda d: root(d, "view") == "player" and root(d, "drawn") == "true", "Bob's page after a reload")
    assert root(bob, "player-id") == ids["bob"]
    wait_for(bob, lambda d: d.find_element(By.ID, "my-club").text == pairs[ids["bob"]], "Bob's drawn club after the reload")
    assert not shown(bob, "join")

    # The organiser's list on teams.html has it.
    organiser.get(a.url("/teams.html"))
    wait_for(organiser, lambda d: d.find_elements(By.CSS_SELECTOR, f'#mine-list [data-tournament-id="{tournament_id}"]'),
             "the tournament in the organiser's list")
