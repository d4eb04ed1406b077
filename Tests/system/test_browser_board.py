"""The Board page in real headless Chromium against a real `huddle`.

Two browsers (two guests) on one board see each other's boxes, drags, cursors, text and
presence; the list page creates a board and opens it. Every wait is an explicit
WebDriverWait with a generous upper bound; nothing asserts a timing. Each test makes its
own boards.
"""

from __future__ import annotations

from typing import Callable
from urllib.parse import quote

import pytest
import requests
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

import browser

_why_not = browser.missing()
if _why_not:
    pytest.skip(f"no headless Chromium: {_why_not}", allow_module_level=True)

WAIT = 30.0  # upper bound for anything on a running server


# --- helpers -----------------------------------------------------------------------------


@pytest.fixture
def browsers(request) -> Callable[[], WebDriver]:
    """browsers() -> a new headless Chromium (its own guest); all are quit at teardown.
    Their console logs are printed at teardown (pytest shows them only on failure)."""
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


def wait_for(driver: WebDriver, check: Callable[[WebDriver], object], what: str, timeout: float = WAIT,
             describe: Callable[[WebDriver], object] | None = None):
    """Waits until `check(driver)` is truthy; fails with `what` and the page's state
    (`describe(driver)`, by default the board page's)."""

    def attempt(d: WebDriver):
        try:
            return check(d)
        except StaleElementReferenceException:
            return False

    try:
        return WebDriverWait(driver, timeout, poll_frequency=0.1).until(attempt)
    except Exception as error:  # TimeoutException, or the page went away
        pytest.fail(f"waited {timeout:.0f}s for {what}; page state: {(describe or page_state)(driver)} ({error!r})")


def page_state(driver: WebDriver) -> dict:
    try:
        return driver.execute_script(
            """
            const root = document.getElementById('board-view');
            const text = (id) => document.getElementById(id)?.textContent ?? null;
            return {
              url: location.href,
              state: root?.dataset.state ?? null,
              offset: root?.dataset.offset ?? null,
              editable: root?.dataset.editable ?? null,
              status: document.getElementById('status')?.dataset.status ?? null,
              name: text('board-name'),
              presence: text('presence'),
              boxes: [...document.querySelectorAll('.box')].map((b) => ({...b.dataset, text: b.textContent})),
              cursors: [...document.querySelectorAll('.cursor')].map((c) => [c.dataset.memberId, c.textContent]),
              error: document.getElementById('error')?.hidden ? null : text('error'),
              mine: text('mine-status'),
            };
            """
        )
    except WebDriverException as error:
        return {"unavailable": repr(error)}


def guest_token(huddle) -> str:
    r = requests.post(f"{huddle.base_url}/api/v1/auth/guest", timeout=10)
    assert r.status_code == 200, r.text
    return r.json()["accessToken"]


def create_board(huddle, name: str, token: str | None = None) -> dict:
    token = token or guest_token(huddle)
    r = requests.post(
        f"{huddle.base_url}/api/v1/boards",
        json={"name": name},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert r.status_code == 201, r.text
    return r.json()


def board_url(huddle, board_id: str) -> str:
    return f"{huddle.base_url}/board.html?id={quote(board_id, safe='')}"


def root_data(driver: WebDriver, name: str) -> str | None:
    return driver.find_element(By.ID, "board-view").get_attribute(f"data-{name}")


def open_board(driver: WebDriver, huddle, board_id: str) -> None:
    """Loads a board and waits until it is live and editable."""
    driver.get(board_url(huddle, board_id))
    wait_for(driver, lambda d: root_data(d, "state") == "ready", "the board to load")
    wait_for(driver, lambda d: root_data(d, "editable") == "true", "the board to be editable")


def boxes(driver: WebDriver) -> list:
    return driver.find_elements(By.CSS_SELECTOR, "#boxes .box")


def box(driver: WebDriver, box_id: str):
    found = driver.find_elements(By.CSS_SELECTOR, f'#boxes .box[data-box-id="{box_id}"]')
    return found[0] if found else None


def box_data(driver: WebDriver, box_id: str, name: str) -> str | None:
    element = box(driver, box_id)
    return element.get_attribute(f"data-{name}") if element is not None else None


def presence_count(driver: WebDriver) -> str | None:
    return driver.find_element(By.ID, "presence").get_attribute("data-count")


def my_member(driver: WebDriver) -> tuple[str, str]:
    """(member id, display name) of this page's own connection, from its presence avatar."""
    me = wait_for(
        driver,
        lambda d: d.find_elements(By.CSS_SELECTOR, "#presence-list .avatar.is-you"),
        "this page's own avatar",
    )[0]
    return me.get_attribute("data-member-id"), me.get_attribute("data-name")


def api_board(huddle, board_id: str) -> dict:
    r = requests.get(f"{huddle.base_url}/api/v1/boards/{board_id}", timeout=10)
    r.raise_for_status()
    return r.json()


def drag(driver: WebDriver, element, *steps: tuple[int, int], handle: bool = False) -> None:
    """Presses on `element` (its centre, or its resize handle), moves by each step, releases."""
    target = element.find_element(By.CSS_SELECTOR, ".box-handle") if handle else element
    chain = ActionChains(driver, duration=50).click_and_hold(target)
    for dx, dy in steps:
        chain = chain.move_by_offset(dx, dy)
    chain.release().perform()


def centre(driver: WebDriver, element) -> tuple[float, float]:
    """The element's centre in CSS pixels of the window."""
    rect = driver.execute_script("const r = arguments[0].getBoundingClientRect(); return [r.x, r.y, r.width, r.height]", element)
    return rect[0] + rect[2] / 2, rect[1] + rect[3] / 2


def mouse(driver: WebDriver, kind: str, x: float, y: float) -> None:
    """A mouse event with the left button (held from mousePressed until mouseReleased)
    through the DevTools protocol."""
    buttons = 0 if kind == "mouseReleased" else 1
    driver.execute_cdp_cmd(
        "Input.dispatchMouseEvent",
        {"type": kind, "x": x, "y": y, "button": "left", "buttons": buttons, "clickCount": 1},
    )


# --- tests -------------------------------------------------------------------------------


def test_two_windows_share_a_board_live(huddle, browsers):
    board = create_board(huddle, "Live <b>board</b>")
    first, second = browsers(), browsers()
    open_board(first, huddle, board["id"])
    open_board(second, huddle, board["id"])
    assert first.find_element(By.ID, "board-name").text == "Live <b>board</b>"
    assert not first.find_elements(By.CSS_SELECTOR, "#board-name b"), "the name was parsed as HTML"
    for driver in (first, second):
        wait_for(driver, lambda d: presence_count(d) == "2", "presence to show 2 people")
        assert len(driver.find_elements(By.CSS_SELECTOR, "#presence-list .avatar")) == 2
        assert driver.find_element(By.ID, "empty-hint").is_displayed()

    # A box added in one window shows in the other.
    first.find_element(By.ID, "add-box").click()
    wait_for(second, lambda d: len(boxes(d)) == 1, "the new box in the second window")
    box_id = boxes(second)[0].get_attribute("data-box-id")
    wait_for(first, lambda d: box(d, box_id) is not None, "the new box in the first window")
    # The window that added it selects it (whether the ack or the event came first).
    wait_for(first, lambda d: "is-selected" in box(d, box_id).get_attribute("class").split(), "the new box selected")
    assert "is-selected" not in box(second, box_id).get_attribute("class").split()
    # A new box is empty: its "Double-click to write" is a placeholder, not its text.
    assert box(second, box_id).get_attribute("data-text") is None
    assert "is-empty" in box(second, box_id).get_attribute("class").split()
    assert next(b for b in api_board(huddle, board["id"])["boxes"] if b["id"] == box_id)["text"] == ""
    wait_for(second, lambda d: not d.find_element(By.ID, "empty-hint").is_displayed(), "the empty hint to go")
    x0, y0 = int(box_data(first, box_id, "x")), int(box_data(first, box_id, "y"))
    assert (box_data(second, box_id, "x"), box_data(second, box_id, "y")) == (str(x0), str(y0))

    # Dragging it in the first window moves it in the second (to the new stored position).
    drag(first, box(first, box_id), (30, 20), (40, 30), (30, 30))
    wait_for(first, lambda d: box_data(d, box_id, "x") == str(x0 + 100), "the drop to be stored (first)")
    assert box_data(first, box_id, "y") == str(y0 + 80)
    wait_for(
        second,
        lambda d: (box_data(d, box_id, "x"), box_data(d, box_id, "y")) == (str(x0 + 100), str(y0 + 80)),
        "the second window to show the box moved",
    )
    stored = next(b for b in api_board(huddle, board["id"])["boxes"] if b["id"] == box_id)
    assert (stored["x"], stored["y"]) == (x0 + 100, y0 + 80)
    wait_for(second, lambda d: root_data(d, "offset") == root_data(first, "offset"), "both at the same offset")

    # The second window sees the first one's cursor, labelled with its name, while it moves.
    member_id, member_name = my_member(first)
    assert member_name
    viewport = first.find_element(By.ID, "viewport")

    def sees_cursor(d: WebDriver):
        ActionChains(first, duration=50).move_to_element_with_offset(viewport, -200, -150).move_by_offset(
            15, 10
        ).perform()
        cursors = d.find_elements(By.CSS_SELECTOR, f'#cursors .cursor[data-member-id="{member_id}"]')
        return cursors and cursors[0].find_element(By.CSS_SELECTOR, ".cursor-label").text == member_name

    wait_for(second, sees_cursor, "the first window's labelled cursor in the second")

    # Resize with the corner handle.
    width0, height0 = int(box_data(first, box_id, "width")), int(box_data(first, box_id, "height"))
    drag(first, box(first, box_id), (40, 30), handle=True)
    wait_for(
        second,
        lambda d: (box_data(d, box_id, "width"), box_data(d, box_id, "height")) == (str(width0 + 40), str(height0 + 30)),
        "the second window to show the new size",
    )

    # While a box is held and dragged, the other window previews it following (signals), and
    # its stored position changes only with the drop. (Through CDP: chromedriver lets go of
    # the button between two ActionChains, and the hold must last while the other is checked.)
    x1, y1 = box_data(first, box_id, "x"), box_data(first, box_id, "y")
    cx, cy = centre(first, box(first, box_id))
    mouse(first, "mousePressed", cx, cy)
    mouse(first, "mouseMoved", cx + 60, cy)
    mouse(first, "mouseMoved", cx + 120, cy + 40)
    nudge = [1]

    def previews_the_drag(d: WebDriver):
        nudge[0] = -nudge[0]  # keep the drag alive: previews expire without news
        mouse(first, "mouseMoved", cx + 120 + (nudge[0] + 1) // 2, cy + 40)
        element = box(d, box_id)
        return (
            "is-remote" in element.get_attribute("class").split()
            and f"translate({int(x1) + 120}" in element.get_attribute("style")
            and (element.get_attribute("data-x"), element.get_attribute("data-y")) == (x1, y1)
        )

    wait_for(second, previews_the_drag, "the second window to preview the drag in progress")
    mouse(first, "mouseMoved", cx + 120, cy + 40)
    mouse(first, "mouseReleased", cx + 120, cy + 40)
    wait_for(
        second,
        lambda d: (box_data(d, box_id, "x"), box_data(d, box_id, "y")) == (str(int(x1) + 120), str(int(y1) + 40)),
        "the drop in the second window",
    )
    wait_for(
        second,
        lambda d: "is-remote" not in box(d, box_id).get_attribute("class").split(),
        "the preview to give way to the stored position",
    )

    # Editing the text in one shows in the other, as text.
    ActionChains(first).double_click(box(first, box_id).find_element(By.CSS_SELECTOR, ".box-text")).perform()
    editor = wait_for(first, lambda d: d.find_elements(By.CSS_SELECTOR, ".box-editor"), "the text editor")[0]
    editor.send_keys(Keys.CONTROL, "a")
    editor.send_keys("Plan <b>A</b> & more")
    editor.send_keys(Keys.CONTROL, Keys.ENTER)
    wait_for(second, lambda d: box(d, box_id).text == "Plan <b>A</b> & more", "the edited text in the second window")
    assert not second.find_elements(By.CSS_SELECTOR, "#boxes b"), "box text was parsed as HTML"
    wait_for(first, lambda d: not d.find_elements(By.CSS_SELECTOR, ".box-editor"), "the editor to close")

    # Recolour with a swatch (the box is selected in the first window).
    first.find_element(By.CSS_SELECTOR, '#swatches .swatch[data-color="#bfdbfe"]').click()
    wait_for(second, lambda d: box_data(d, box_id, "color") == "#bfdbfe", "the new colour in the second window")

    # The Delete key deletes the selected box, everywhere.
    box(first, box_id).click()
    ActionChains(first).send_keys(Keys.DELETE).perform()
    wait_for(second, lambda d: box(d, box_id) is None, "the box to be deleted in the second window")
    wait_for(second, lambda d: d.find_element(By.ID, "empty-hint").is_displayed(), "the empty hint again")

    # When the second window leaves, the first shows 1 person and no cursor of it (no ghost).
    other_id, _ = my_member(second)
    other_viewport = second.find_element(By.ID, "viewport")

    def sees_other_cursor(d: WebDriver):
        ActionChains(second, duration=50).move_to_element_with_offset(other_viewport, 100, 80).move_by_offset(
            10, 10
        ).perform()
        return d.find_elements(By.CSS_SELECTOR, f'#cursors .cursor[data-member-id="{other_id}"]')

    wait_for(first, sees_other_cursor, "the second window's cursor in the first")
    second.get("about:blank")
    wait_for(first, lambda d: presence_count(d) == "1", "presence to drop to 1")
    wait_for(
        first,
        lambda d: not d.find_elements(By.CSS_SELECTOR, f'#cursors .cursor[data-member-id="{other_id}"]'),
        "the departed member's cursor to go",
    )


def test_the_list_creates_a_board_and_opens_it(huddle, browsers):
    driver = browsers()
    driver.get(f"{huddle.base_url}/board.html")
    field = wait_for(driver, lambda d: d.find_element(By.ID, "new-board-name"), "the New board form")

    # An empty name is refused on the page.
    driver.find_element(By.ID, "create-board").click()
    wait_for(driver, lambda d: d.find_element(By.ID, "new-board-problem").is_displayed(), "the name problem")
    assert field.get_attribute("aria-invalid") == "true"

    name = "Retro <i>notes</i>"
    field.send_keys(name)
    driver.find_element(By.ID, "create-board").click()
    wait_for(driver, lambda d: "board.html?id=" in d.current_url, "the new board to open")
    wait_for(driver, lambda d: root_data(d, "state") == "ready", "the board to load")
    assert driver.find_element(By.ID, "board-name").text == name
    board_id = driver.execute_script("return new URLSearchParams(location.search).get('id')")
    assert api_board(huddle, board_id)["name"] == name
    wait_for(driver, lambda d: d.find_element(By.ID, "empty-hint").is_displayed(), "the empty-state hint")
    # The creator (a guest, same tab) owns it: rename and delete are offered.
    wait_for(driver, lambda d: d.find_element(By.ID, "rename").is_displayed(), "the Rename button for the owner")
    assert driver.find_element(By.ID, "delete-board").is_displayed()

    # Back on the list, it is among the recently opened boards.
    driver.find_element(By.ID, "back-to-list").click()
    wait_for(
        driver,
        lambda d: d.find_elements(By.CSS_SELECTOR, f'#recent-list [data-board-id="{board_id}"]'),
        "the board among the recently opened",
    )
    link = driver.find_element(By.CSS_SELECTOR, f'#recent-list [data-board-id="{board_id}"] a')
    assert link.text == name
    link.click()
    wait_for(driver, lambda d: root_data(d, "state") == "ready", "the board to open from the list")


def test_the_list_shows_your_boards(huddle, browsers):
    """Needs `GET /api/v1/boards`."""
    driver = browsers()
    driver.get(f"{huddle.base_url}/board.html")
    field = wait_for(driver, lambda d: d.find_element(By.ID, "new-board-name"), "the New board form")
    field.send_keys("Mine")
    driver.find_element(By.ID, "create-board").click()
    wait_for(driver, lambda d: root_data(d, "state") == "ready", "the board to load")
    board_id = driver.execute_script("return new URLSearchParams(location.search).get('id')")
    driver.get(f"{huddle.base_url}/board.html")
    wait_for(
        driver,
        lambda d: d.find_element(By.ID, "mine-list").get_attribute("data-loaded") in ("true", "error"),
        "the list of your boards",
    )
    assert driver.find_element(By.ID, "mine-list").get_attribute("data-loaded") == "true", page_state(driver)
    rows = driver.find_elements(By.CSS_SELECTOR, f'#mine-list [data-board-id="{board_id}"]')
    assert rows and rows[0].text.startswith("Mine"), page_state(driver)


def test_the_owner_renames_and_deletes_a_board(huddle, browsers):
    """Needs `PATCH` and `DELETE /api/v1/boards/{id}` and the boardRenamed/boardDeleted events."""
    token = guest_token(huddle)
    owner, other = browsers(), browsers()
    # The owner's page acts as the guest who made the board: hand it that grant.
    owner.get(f"{huddle.base_url}/favicon.svg")
    me = requests.get(
        f"{huddle.base_url}/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"}, timeout=10
    ).json()
    board = create_board(huddle, "Before", token)
    owner.execute_script(
        "sessionStorage.setItem('huddle.board.guest', JSON.stringify(arguments[0]))",
        {"accessToken": token, "user": {"id": me["id"], "displayName": me["displayName"]},
         "expiresAt": 4102444800000},
    )
    open_board(owner, huddle, board["id"])
    open_board(other, huddle, board["id"])
    wait_for(owner, lambda d: d.find_element(By.ID, "rename").is_displayed(), "Rename for the owner")
    assert not other.find_element(By.ID, "rename").is_displayed(), "Rename offered to someone else"
    assert not other.find_element(By.ID, "delete-board").is_displayed()

    owner.find_element(By.ID, "rename").click()
    field = wait_for(owner, lambda d: d.find_element(By.ID, "rename-input"), "the rename field")
    field.clear()
    field.send_keys("After", Keys.ENTER)
    wait_for(other, lambda d: d.find_element(By.ID, "board-name").text == "After", "the new name in the other window")
    assert api_board(huddle, board["id"])["name"] == "After"

    # Someone else may not rename it over HTTP either.
    r = requests.patch(
        f"{huddle.base_url}/api/v1/boards/{board['id']}",
        json={"name": "Hijacked"},
        headers={"Authorization": f"Bearer {guest_token(huddle)}"},
        timeout=10,
    )
    assert r.status_code == 403, r.text

    owner.find_element(By.ID, "delete-board").click()
    owner.switch_to.alert.accept()
    wait_for(other, lambda d: root_data(d, "state") == "deleted", "the deleted state in the other window")
    assert other.find_element(By.ID, "board-deleted").is_displayed()
    assert "deleted" in other.find_element(By.ID, "board-deleted").text
    wait_for(owner, lambda d: root_data(d, "state") == "deleted", "the deleted state for the owner")
    assert requests.get(f"{huddle.base_url}/api/v1/boards/{board['id']}", timeout=10).status_code == 404

    # Opened again later, it still says so (its stream ends with boardDeleted).
    other.refresh()
    wait_for(other, lambda d: root_data(d, "state") == "deleted", "the deleted state after a reload")
    assert other.find_element(By.ID, "board-deleted").is_displayed()


def test_an_unknown_board_says_so(huddle, browsers):
    driver = browsers()
    driver.get(board_url(huddle, "no-such-board"))
    wait_for(driver, lambda d: root_data(d, "state") == "missing", "the page to say there is no such board")
    message = driver.find_element(By.ID, "board-missing")
    assert message.is_displayed() and "No such board" in message.text
    assert message.find_element(By.TAG_NAME, "a").get_attribute("href").endswith("/board.html")

    # An id the server would refuse never reaches it, and is shown as text.
    bad = "<img src=x onerror=window.__pwned=1>"
    driver.get(board_url(huddle, bad))
    wait_for(driver, lambda d: root_data(d, "state") == "missing", "the page to refuse the id")
    assert bad in driver.find_element(By.ID, "board-missing").text
    assert not driver.find_elements(By.CSS_SELECTOR, "main img")
    assert driver.execute_script("return window.__pwned === undefined")


def test_the_launcher_lists_the_board_first(huddle, browsers):
    driver = browsers()
    driver.get(f"{huddle.base_url}/")
    links = wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#apps a"), "the app list")
    assert links[0].get_attribute("data-app") == "board"
    links[0].click()
    wait_for(driver, lambda d: d.find_element(By.ID, "list-view").is_displayed(), "the board list")


def test_the_board_catches_up_after_a_server_restart(huddle, browsers):
    token = guest_token(huddle)
    board = create_board(huddle, "Durable", token)
    headers = {"Authorization": f"Bearer {token}"}

    def command(name: str, data: dict) -> dict:
        r = requests.post(
            f"{huddle.base_url}/api/v1/boards/{board['id']}/commands",
            json={"name": name, "data": data},
            headers=headers,
            timeout=10,
        )
        assert r.status_code == 200, r.text
        return r.json()

    first = command("addBox", {"x": 40, "y": 40, "text": "before"})["data"]["id"]
    driver = browsers()
    open_board(driver, huddle, board["id"])
    wait_for(driver, lambda d: box(d, first) is not None, "the first box")
    assert driver.find_element(By.ID, "banner").get_property("hidden") is True

    code = huddle.stop()
    assert code == 0, f"huddle exited with {code} on SIGTERM\n{huddle.output()}"
    wait_for(driver, lambda d: d.find_element(By.ID, "banner").is_displayed(), "the Reconnecting banner")
    wait_for(driver, lambda d: root_data(d, "editable") == "false", "editing to be paused")
    assert driver.find_element(By.ID, "add-box").get_property("disabled") is True

    huddle.start()
    # Changes made while the page may still be away arrive by replay from its last offset.
    command("moveBox", {"boxId": first, "x": 400, "y": 300})
    second = command("addBox", {"x": 700, "y": 80, "text": "while away"})
    wait_for(driver, lambda d: root_data(d, "editable") == "true", "the board to be live again", 120)
    assert not driver.find_element(By.ID, "banner").is_displayed()
    wait_for(driver, lambda d: box(d, second["data"]["id"]) is not None, "the box added while away")
    wait_for(driver, lambda d: (box_data(d, first, "x"), box_data(d, first, "y")) == ("400", "300"), "the move")
    assert root_data(driver, "offset") == str(api_board(huddle, board["id"])["offset"])
    assert len(boxes(driver)) == 2

    driver.find_element(By.ID, "add-box").click()
    wait_for(driver, lambda d: len(boxes(d)) == 3, "a box added after the restart")


# What the page sends on its WebSocket, recorded from before its scripts run.
RECORD_SENT = """
window.__sent = [];
const send = WebSocket.prototype.send;
WebSocket.prototype.send = function (data) {
  window.__sent.push(String(data));
  return send.call(this, data);
};
"""


def board_command(huddle, board_id: str, token: str, name: str, data: dict) -> dict:
    r = requests.post(
        f"{huddle.base_url}/api/v1/boards/{board_id}/commands",
        json={"name": name, "data": data},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert r.status_code == 200, r.text
    return r.json()


def test_a_box_deleted_while_being_edited_says_so(huddle, browsers):
    token = guest_token(huddle)
    board = create_board(huddle, "Edit race", token)
    box_id = board_command(huddle, board["id"], token, "addBox", {"x": 60, "y": 60, "text": "before"})["data"]["id"]
    driver = browsers()
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_SENT})
    open_board(driver, huddle, board["id"])
    wait_for(driver, lambda d: box(d, box_id) is not None, "the box")

    ActionChains(driver).double_click(box(driver, box_id).find_element(By.CSS_SELECTOR, ".box-text")).perform()
    editor = wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".box-editor"), "the text editor")[0]
    editor.send_keys(" and after")
    assert driver.execute_script("return document.activeElement?.classList.contains('box-editor')")

    # Someone else deletes the box while this page is typing in it.
    board_command(huddle, board["id"], token, "deleteBox", {"boxId": box_id})
    wait_for(driver, lambda d: box(d, box_id) is None, "the box to go")
    error = wait_for(driver, lambda d: d.find_element(By.ID, "error") if d.find_element(By.ID, "error").is_displayed() else None, "the error toast")
    assert error.text == "Someone deleted the box you were editing."
    assert not driver.find_elements(By.CSS_SELECTOR, ".box-editor")
    sent = driver.execute_script("return window.__sent")
    assert sent, "the recorder saw nothing: it was not installed"
    assert not [frame for frame in sent if '"editBox"' in frame], f"an edit of a deleted box was sent: {sent}"


def touch(driver: WebDriver, kind: str, points: list[tuple[float, float, int]] = ()) -> None:
    """A touch event through the DevTools protocol. `points` are all the fingers down, as
    (x, y, id); touchEnd and touchCancel take none and lift every finger, one by one."""
    driver.execute_cdp_cmd(
        "Input.dispatchTouchEvent",
        {"type": kind, "touchPoints": [{"x": x, "y": y, "id": i} for x, y, i in points]},
    )


def test_a_pinch_zooms_and_leaves_no_panning_mark(huddle, browsers):
    board = create_board(huddle, "Pinch")
    driver = browsers()
    open_board(driver, huddle, board["id"])
    viewport = driver.find_element(By.ID, "viewport")
    left, top = driver.execute_script("const r = arguments[0].getBoundingClientRect(); return [r.x, r.y]", viewport)

    def panning() -> bool:
        return "is-panning" in viewport.get_attribute("class").split()

    # One finger starts a pan, a second turns it into a pinch; then both are lifted, in
    # either order (the protocol lifts them by id).
    for first, second in ((0, 1), (1, 0)):
        zoom = float(root_data(driver, "zoom"))
        ax, bx, y = left + 300, left + 400, top + 200
        touch(driver, "touchStart", [(ax, y, first)])
        wait_for(driver, lambda d: panning(), "a one-finger pan to mark the viewport")
        touch(driver, "touchStart", [(ax, y, first), (bx, y, second)])
        for step in range(1, 6):
            touch(driver, "touchMove", [(ax - 10 * step, y, first), (bx + 10 * step, y, second)])
        wait_for(driver, lambda d: float(root_data(d, "zoom")) > zoom, "the pinch to zoom in")
        touch(driver, "touchEnd")
        wait_for(driver, lambda d: not panning(), "the panning mark to go after the pinch")
        driver.find_element(By.ID, "zoom-reset").click()

    # A pinch the browser cancels ends the same way.
    touch(driver, "touchStart", [(left + 300, top + 200, 0)])
    touch(driver, "touchStart", [(left + 300, top + 200, 0), (left + 400, top + 250, 1)])
    touch(driver, "touchCancel")
    wait_for(driver, lambda d: not panning(), "the panning mark to go after a cancelled pinch")
