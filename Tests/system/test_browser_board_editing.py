"""Editing a board in real headless Chromium: undo and redo (seen by a second browser), the
keyboard, and several boxes selected and changed together. Helpers and the `browsers`
fixture are those of test_browser_board.py; every wait has a generous upper bound.
"""

from __future__ import annotations

import requests
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.actions.wheel_input import ScrollOrigin
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from test_browser_board import (  # noqa: F401 - browsers is a fixture
    api_board,
    board_command,
    box,
    box_data,
    boxes,
    browsers,
    centre,
    create_board,
    drag,
    guest_token,
    open_board,
    wait_for,
)


def keys(driver, *sequence, modifier=None) -> None:
    """Presses keys on the focused element, with `modifier` held if given."""
    chain = ActionChains(driver)
    if modifier:
        chain = chain.key_down(modifier)
    chain = chain.send_keys(*sequence)
    if modifier:
        chain = chain.key_up(modifier)
    chain.perform()


def selected(driver) -> set[str]:
    return {b.get_attribute("data-box-id") for b in driver.find_elements(By.CSS_SELECTOR, "#boxes .box.is-selected")}


def the_only_box(driver):
    found = boxes(driver)
    return found[0] if len(found) == 1 else None


def test_undo_and_redo_are_seen_by_the_other_browser(huddle, browsers):
    token = guest_token(huddle)
    board = create_board(huddle, "Undo", token)
    added = {"x": 120, "y": 90, "width": 220, "height": 140, "text": "keep me", "color": "#bbf7d0"}
    box_id = board_command(huddle, board["id"], token, "addBox", added)["data"]["id"]
    first, second = browsers(), browsers()
    open_board(first, huddle, board["id"])
    open_board(second, huddle, board["id"])
    wait_for(first, lambda d: box(d, box_id) is not None, "the box")
    assert first.find_element(By.ID, "undo").get_property("disabled") is True, "nothing to undo yet"

    # Delete it; the message offers Undo, which brings it back for everyone, as it was.
    box(first, box_id).click()
    keys(first, Keys.DELETE)
    wait_for(second, lambda d: box(d, box_id) is None, "the deletion in the second window")
    toast = wait_for(first, lambda d: d.find_element(By.ID, "toast") if d.find_element(By.ID, "toast").is_displayed() else None,
                     "the Box deleted message")
    assert toast.text.startswith("Box deleted")
    toast.find_element(By.CSS_SELECTOR, ".toast-action").click()
    back = wait_for(second, the_only_box, "the box back in the second window")
    assert back.text == "keep me"
    restored = api_board(huddle, board["id"])["boxes"]
    assert len(restored) == 1
    assert {k: restored[0][k] for k in added} == added
    new_id = restored[0]["id"]

    # Redo deletes it again (the box under its new id); undo brings it back once more.
    ActionChains(first).key_down(Keys.CONTROL).key_down(Keys.SHIFT).send_keys("z").key_up(Keys.SHIFT).key_up(Keys.CONTROL).perform()
    wait_for(second, lambda d: box(d, new_id) is None and not boxes(d), "the redo in the second window")
    keys(first, "z", modifier=Keys.CONTROL)
    again = wait_for(second, the_only_box, "the box back after a second undo")
    again_id = again.get_attribute("data-box-id")
    assert again.text == "keep me"

    # Arrow-key nudges in a row are one step: undone together.
    wait_for(first, lambda d: box(d, again_id) is not None, "the box in the first window")
    box(first, again_id).click()
    keys(first, Keys.ARROW_RIGHT, Keys.ARROW_RIGHT, Keys.ARROW_DOWN)
    wait_for(second, lambda d: (box_data(d, again_id, "x"), box_data(d, again_id, "y")) == ("136", "98"),
             "the nudges in the second window")
    keys(first, "z", modifier=Keys.CONTROL)
    wait_for(second, lambda d: (box_data(d, again_id, "x"), box_data(d, again_id, "y")) == ("120", "90"),
             "the nudges undone in the second window")
    keys(first, "y", modifier=Keys.CONTROL)
    wait_for(second, lambda d: (box_data(d, again_id, "x"), box_data(d, again_id, "y")) == ("136", "98"),
             "the nudges redone (Ctrl+Y) in the second window")


def test_the_keyboard_reaches_moves_edits_and_deletes_boxes(huddle, browsers):
    token = guest_token(huddle)
    board = create_board(huddle, "Keys", token)
    one = board_command(huddle, board["id"], token, "addBox", {"x": 40, "y": 40, "width": 160, "height": 100, "text": "one"})["data"]["id"]
    two = board_command(huddle, board["id"], token, "addBox", {"x": 260, "y": 40, "width": 160, "height": 100, "text": "two"})["data"]["id"]
    driver = browsers()
    open_board(driver, huddle, board["id"])
    wait_for(driver, lambda d: box(d, two) is not None, "the boxes")

    # Tab from the canvas goes to the first box, then the next; focus selects.
    driver.find_element(By.ID, "viewport").click()
    keys(driver, Keys.TAB)
    wait_for(driver, lambda d: d.execute_script("return document.activeElement.dataset.boxId") == one, "focus on the first box")
    assert selected(driver) == {one}
    keys(driver, Keys.TAB)
    wait_for(driver, lambda d: selected(d) == {two}, "the second box selected by Tab")

    # Shift+arrow nudges by one pixel, an arrow by eight.
    ActionChains(driver).key_down(Keys.SHIFT).send_keys(Keys.ARROW_DOWN).key_up(Keys.SHIFT).perform()
    keys(driver, Keys.ARROW_LEFT)
    wait_for(driver, lambda d: (box_data(d, two, "x"), box_data(d, two, "y")) == ("252", "41"), "the nudged position")

    # Enter edits; Ctrl+Enter saves; Escape deselects.
    keys(driver, Keys.ENTER)
    editor = wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".box-editor"), "the editor")[0]
    editor.send_keys(" and more")
    editor.send_keys(Keys.CONTROL, Keys.ENTER)
    wait_for(driver, lambda d: next(b for b in api_board(huddle, board["id"])["boxes"] if b["id"] == two)["text"] == "two and more",
             "the edit stored")
    box(driver, two).click()
    keys(driver, Keys.ESCAPE)
    wait_for(driver, lambda d: not selected(d), "Escape to deselect")

    # Delete removes the focused box.
    box(driver, one).click()
    keys(driver, Keys.DELETE)
    wait_for(driver, lambda d: box(d, one) is None, "the box deleted by the Delete key")
    assert [b["id"] for b in api_board(huddle, board["id"])["boxes"]] == [two]


def test_several_boxes_move_and_recolour_together(huddle, browsers):
    token = guest_token(huddle)
    board = create_board(huddle, "Together", token)
    specs = [{"x": 100, "y": 100}, {"x": 340, "y": 100}, {"x": 100, "y": 600}]
    ids = [board_command(huddle, board["id"], token, "addBox", {**s, "width": 160, "height": 100, "text": f"b{i}"})["data"]["id"]
           for i, s in enumerate(specs)]
    a, b, far = ids
    driver, other = browsers(), browsers()
    open_board(driver, huddle, board["id"])
    open_board(other, huddle, board["id"])
    wait_for(driver, lambda d: all(box(d, i) is not None for i in ids), "the boxes")

    # Shift-click adds to the selection; dragging one of them moves both.
    box(driver, a).click()
    ActionChains(driver).key_down(Keys.SHIFT).click(box(driver, b)).key_up(Keys.SHIFT).perform()
    wait_for(driver, lambda d: selected(d) == {a, b}, "two boxes selected")
    zoom = float(driver.find_element(By.ID, "board-view").get_attribute("data-zoom"))
    drag(driver, box(driver, a), (40, 20), (40, 20))
    dx, dy = round(80 / zoom), round(40 / zoom)

    def moved(d):
        stored = {x["id"]: (x["x"], x["y"]) for x in api_board(huddle, board["id"])["boxes"]}
        return stored[a] == (100 + dx, 100 + dy) and stored[b] == (340 + dx, 100 + dy) and stored[far] == (100, 600)

    wait_for(driver, moved, "both boxes moved by the same amount, the third not")
    wait_for(other, lambda d: box_data(d, b, "x") == str(340 + dx), "the group move in the other window")

    # A marquee (Shift and a drag on the empty canvas) selects what it touches.
    keys(driver, Keys.ESCAPE)
    wait_for(driver, lambda d: not selected(d), "nothing selected")
    ax, ay = centre(driver, box(driver, a))
    bx, by = centre(driver, box(driver, b))
    viewport = driver.find_element(By.ID, "viewport")
    left, top = driver.execute_script("const r = arguments[0].getBoundingClientRect(); return [r.x, r.y]", viewport)
    start = (ax - 80 * zoom - 15, ay - 50 * zoom - 15)
    end = (bx, by)
    (ActionChains(driver, duration=50).key_down(Keys.SHIFT)
     .move_to_element_with_offset(viewport, 0, 0)
     .move_by_offset(int(start[0] - (left + viewport.size["width"] / 2)), int(start[1] - (top + viewport.size["height"] / 2)))
     .click_and_hold().move_by_offset(int(end[0] - start[0]) // 2, int(end[1] - start[1]) // 2)
     .move_by_offset(int(end[0] - start[0]) // 2, int(end[1] - start[1]) // 2).release().key_up(Keys.SHIFT).perform())
    wait_for(driver, lambda d: selected(d) == {a, b}, "the marquee to select the two boxes it touches")

    # Recolouring colours both, and one undo takes both back.
    driver.find_element(By.CSS_SELECTOR, '#swatches .swatch[data-color="#fecaca"]').click()
    wait_for(other, lambda d: box_data(d, a, "color") == box_data(d, b, "color") == "#fecaca", "both recoloured")
    assert box_data(other, far, "color") != "#fecaca"
    driver.find_element(By.ID, "undo").click()
    wait_for(other, lambda d: box_data(d, a, "color") == box_data(d, b, "color") == "#fde68a", "both colours undone")


def test_a_cursor_out_of_view_has_an_edge_marker_that_goes_there(huddle, browsers):
    board = create_board(huddle, "Far away")
    first, second = browsers(), browsers()
    open_board(first, huddle, board["id"])
    open_board(second, huddle, board["id"])
    wait_for(first, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#presence-list .avatar")) == 2, "two avatars")

    # The second window looks far to the right and points there.
    viewport = second.find_element(By.ID, "viewport")
    for _ in range(6):
        ActionChains(second).scroll_from_origin(ScrollOrigin.from_element(viewport), 1500, 0).perform()
    member = second.find_element(By.CSS_SELECTOR, "#presence-list .avatar.is-you").get_attribute("data-member-id")

    def marker(d):
        ActionChains(second, duration=50).move_to_element_with_offset(viewport, 10, 10).move_by_offset(5, 5).perform()
        found = d.find_elements(By.CSS_SELECTOR, f'.edge-marker[data-member-id="{member}"]')
        return found[0] if found and found[0].is_displayed() else None

    found = wait_for(first, marker, "an edge marker for the cursor out of view")
    assert found.get_attribute("data-side") == "right"
    found.click()
    wait_for(first, lambda d: not d.find_elements(By.CSS_SELECTOR, f'.edge-marker[data-member-id="{member}"]'),
             "the view to go to the cursor (its marker gone)")
    inside = first.execute_script(
        "const c = document.querySelector(`#cursors .cursor[data-member-id='${arguments[0]}']`).getBoundingClientRect();"
        "const v = document.getElementById('viewport').getBoundingClientRect();"
        "return c.left >= v.left && c.left <= v.right && c.top >= v.top && c.top <= v.bottom", member)
    assert inside, "the cursor is not in view after the jump"

    # The view follows that cursor now: it moves on, far, and stays in view.
    assert "is-followed" in first.find_element(
        By.CSS_SELECTOR, f'#presence-list .avatar[data-member-id="{member}"]').get_attribute("class").split()
    for _ in range(3):
        ActionChains(second).scroll_from_origin(ScrollOrigin.from_element(viewport), 0, 1500).perform()

    def followed(d):
        ActionChains(second, duration=50).move_to_element_with_offset(viewport, 20, 20).move_by_offset(5, 5).perform()
        return d.execute_script(
            "const c = document.querySelector(`#cursors .cursor[data-member-id='${arguments[0]}']`)?.getBoundingClientRect();"
            "const v = document.getElementById('viewport').getBoundingClientRect();"
            "return Boolean(c) && c.top >= v.top && c.top <= v.bottom && c.left >= v.left && c.left <= v.right"
            " && !document.querySelector('.edge-marker')", member)

    wait_for(first, followed, "the view to follow the cursor")
    # Panning stops following.
    ActionChains(first, duration=50).move_to_element_with_offset(first.find_element(By.ID, "viewport"), 0, 0).click_and_hold() \
        .move_by_offset(30, 30).release().perform()
    wait_for(first, lambda d: not d.find_elements(By.CSS_SELECTOR, "#presence-list .avatar.is-followed"), "following to stop")


def test_a_guest_keeps_their_colour_across_visits(huddle, browsers):
    board = create_board(huddle, "Colours")
    driver = browsers()
    open_board(driver, huddle, board["id"])

    def my_colour(d):
        found = d.find_elements(By.CSS_SELECTOR, "#presence-list .avatar.is-you")
        return found[0].value_of_css_property("background-color") if found else None

    before = wait_for(driver, my_colour, "this page's avatar")
    initials = driver.find_element(By.CSS_SELECTOR, "#presence-list .avatar.is-you").text
    assert len(initials) <= 2 and not any(ch.isdigit() for ch in initials[1:]), initials
    driver.refresh()
    open_board(driver, huddle, board["id"])
    assert wait_for(driver, my_colour, "the avatar after a reload") == before


def test_undo_passes_over_a_change_to_a_box_someone_deleted(huddle, browsers):
    token = guest_token(huddle)
    board = create_board(huddle, "Gone", token)
    kept = board_command(huddle, board["id"], token, "addBox", {"x": 40, "y": 40, "width": 160, "height": 100})["data"]["id"]
    gone = board_command(huddle, board["id"], token, "addBox", {"x": 300, "y": 40, "width": 160, "height": 100})["data"]["id"]
    driver = browsers()
    open_board(driver, huddle, board["id"])
    wait_for(driver, lambda d: box(d, gone) is not None, "the boxes")
    box(driver, kept).click()
    keys(driver, Keys.ARROW_DOWN)
    wait_for(driver, lambda d: box_data(d, kept, "y") == "48", "the first nudge stored")
    box(driver, gone).click()
    keys(driver, Keys.ARROW_DOWN)
    wait_for(driver, lambda d: box_data(d, gone, "y") == "48", "the second nudge stored")
    # Someone else deletes it, once the soft lock of the page's own nudge (2 s) lets them.
    def delete(_):
        r = requests.post(f"{huddle.base_url}/api/v1/boards/{board['id']}/commands",
                          json={"name": "deleteBox", "data": {"boxId": gone}},
                          headers={"Authorization": f"Bearer {token}"}, timeout=10)
        assert r.status_code in (200, 409), r.text
        return r.status_code == 200

    wait_for(driver, delete, "the other's deletion to be accepted")
    wait_for(driver, lambda d: box(d, gone) is None, "the other's deletion")
    # The newest step moved a box that is gone: Ctrl+Z undoes the one before it instead.
    keys(driver, "z", modifier=Keys.CONTROL)
    wait_for(driver, lambda d: box_data(d, kept, "y") == "40", "the earlier nudge undone")
