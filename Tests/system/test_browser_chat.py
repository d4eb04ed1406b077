"""The Chat pages in real headless Chromium, across two replicas sharing PostgreSQL (the
conversations' streams) and Redis through Sentinel (the doorbell, presence and signals).

A customer (a guest) on replica A starts a conversation on chat.html, tells the bot their
name, gets an answer from the FAQ, and is later told their name back; they ask for a person.
An agent (a user given the role `agent` by `huddle user create --role agent`) on replica B
sees the conversation in the queue of agents.html, claims it and replies; the customer sees
the reply; each sees the other typing; an unread badge counts what came while the agent had
it closed; the agent hands it back to the queue and claims it again, then resolves it, and the
bot answers the customer again; while the customer's replica is down their page says NOT
CONNECTED and Send waits; after a reload the customer's history is all there. And two agents on the two replicas claim one conversation:
the second is told who has it, and it leaves their queue.

The replicas share the rigs scripts/test starts (conftest.shared_backends: skipped without
them, a failure in CI). Waits are WebDriverWaits with generous bounds; no timing is asserted.
"""

from __future__ import annotations

import json
import re
import subprocess
import uuid
from typing import Callable

import pytest
import requests
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

import browser
from conftest import AUTH_ENV, REPO_ROOT, shared_backends

browser.require()
SHARED = shared_backends("the cross-replica Chat browser test")

from test_browser_accounts import clean_env, fill  # noqa: E402
from test_browser_board import browsers, wait_for as board_wait_for  # noqa: E402,F401 - browsers: a fixture

WAIT = 60.0  # upper bound for anything on a running pair of replicas (the bot included)
HTTP_TIMEOUT = 30
PASSWORD = "agent password 1"
# The FAQ the server answers from: built into the binary, the same file as the repository's.
FAQ_FILE = REPO_ROOT / "Sources/HuddleServer/Apps/Chat/chat-faq.json"  # the built-in FAQ


@pytest.fixture
def replicas(huddle_factory):
    return huddle_factory(env=SHARED), huddle_factory(env=SHARED)


@pytest.fixture
def make_agent(replicas, huddle_bin, tmp_path) -> Callable[[], dict]:
    """make_agent() -> a new user with the role agent (on the shared database): `{login, name, id, token}`."""
    a, _ = replicas

    def make() -> dict:
        username = f"agent{uuid.uuid4().hex[:8]}"
        name = f"Agent {username[-4:].upper()}"
        made = subprocess.run(
            [str(huddle_bin), "user", "create", "--role", "agent", "--username", username, "--email", f"{username}@example.com",
             "--display-name", name, "--data-dir", str(tmp_path / "agent-data")],
            input=PASSWORD + "\n", env={**clean_env(), **AUTH_ENV, **SHARED}, capture_output=True, text=True, timeout=120)
        assert made.returncode == 0, made.stdout + made.stderr
        login = requests.post(a.url("/api/v1/auth/login"), json={"login": username, "password": PASSWORD}, timeout=HTTP_TIMEOUT)
        assert login.status_code == 200, login.text
        user = login.json()["user"]
        assert user["role"] == "agent", user
        return {"login": username, "name": name, "id": user["id"], "token": login.json()["accessToken"]}

    return make


@pytest.fixture
def agent(make_agent) -> dict:
    return make_agent()


def faq_entry() -> dict:
    """The payment methods' entry: its answer has nothing to fill in (no `{name}`, no `[…|…]`)."""
    entry = next(e for e in json.loads(FAQ_FILE.read_text()) if e["question"].startswith("Which payment"))
    assert not any(c in entry["answer"] for c in "[{"), entry
    return entry


# --- helpers -----------------------------------------------------------------------------


def page_state(driver: WebDriver) -> dict:
    """What a Chat page shows, for failure messages."""
    try:
        return driver.execute_script(
            """
            const data = (id) => { const e = document.getElementById(id); return e ? {...e.dataset} : null; };
            const shown = (id) => { const e = document.getElementById(id); return e && !e.hidden ? e.textContent : null; };
            return {
              url: location.href,
              chat: data('chat'), open: data('open'), console: data('console'),
              status: document.getElementById('status')?.dataset.status ?? null,
              standing: shown('standing') ?? shown('open-standing'),
              typing: shown('typing') ?? shown('open-typing'),
              messages: [...document.querySelectorAll('.msg-list > li')].map((li) => `${li.dataset.role ?? li.dataset.kind}: ${li.textContent}`),
              queue: [...document.querySelectorAll('#queue li')].map((li) => li.textContent),
              mine: [...document.querySelectorAll('#mine li')].map((li) => li.textContent),
              problems: ['start-problem', 'error'].map(shown).filter(Boolean),
            };
            """
        )
    except WebDriverException as error:
        return {"unavailable": repr(error)}


def wait_for(driver: WebDriver, check: Callable[[WebDriver], object], what: str, timeout: float = WAIT):
    return board_wait_for(driver, check, what, timeout, describe=page_state)


def data(driver: WebDriver, element_id: str, name: str) -> str | None:
    found = driver.find_elements(By.ID, element_id)
    return found[0].get_attribute(f"data-{name}") if found else None


def shown_text(driver: WebDriver, element_id: str) -> str:
    found = driver.find_elements(By.ID, element_id)
    return found[0].text if found and found[0].is_displayed() else ""


def texts(driver: WebDriver, selector: str) -> list[str]:
    """The text of each element `selector` finds, read at once (the lists are re-rendered as
    events arrive, so elements found one call earlier may be gone)."""
    return driver.execute_script("return [...document.querySelectorAll(arguments[0])].map((e) => e.textContent)", selector)


def messages(driver: WebDriver, list_id: str, role: str | None = None) -> list[str]:
    return texts(driver, f"#{list_id} > li.msg" + (f'[data-role="{role}"]' if role else "") + " .msg-text")


def notes(driver: WebDriver, list_id: str, kind: str) -> list[str]:
    return texts(driver, f'#{list_id} > li.chat-note[data-kind="{kind}"]')


def click(driver: WebDriver, selector: str, what: str) -> None:
    """Clicks what `selector` finds once it is there and enabled (found again if the list was
    re-rendered in between)."""
    def attempt(d: WebDriver) -> bool:
        found = d.find_elements(By.CSS_SELECTOR, selector)
        if not (found and found[0].is_displayed() and found[0].is_enabled()):
            return False
        found[0].click()
        return True

    wait_for(driver, attempt, what)


def say(driver: WebDriver, box: str, button: str, text: str) -> None:
    """Types `text` into the reply box and presses its Send once it is enabled."""
    field = driver.find_element(By.ID, box)
    field.clear()
    field.send_keys(text)
    wait_for(driver, lambda d: d.find_element(By.ID, button).is_enabled(), f"{button} to be enabled")
    driver.find_element(By.ID, button).click()
    wait_for(driver, lambda d: d.find_element(By.ID, box).get_attribute("value") == "", f"{box} emptied after sending")


def ask_bot(driver: WebDriver, text: str) -> str:
    """The customer sends `text`; returns the bot's reply to it."""
    before = len(messages(driver, "messages", "bot"))
    say(driver, "text", "send", text)
    wait_for(driver, lambda d: text in messages(d, "messages", "customer"), f"the customer's {text!r} in the list")
    wait_for(driver, lambda d: len(messages(d, "messages", "bot")) > before, f"the bot's answer to {text!r}")
    return messages(driver, "messages", "bot")[-1]


def open_console(driver: WebDriver, replica, agent: dict) -> None:
    """Logs `agent` in on `replica` and waits for their console."""
    driver.get(replica.url("/login.html?next=agents.html"))
    fill(driver, {"login": agent["login"], "password": PASSWORD})
    driver.find_element(By.ID, "submit").click()
    wait_for(driver, lambda d: d.current_url.endswith("/agents.html") and data(d, "console", "state") == "ready",
             f"{agent['name']}'s console")


def queued_chat(replica) -> str:
    """A guest's conversation that asks for a person, made through the API; its id."""
    guest = requests.post(replica.url("/api/v1/auth/guest"), timeout=HTTP_TIMEOUT).json()["accessToken"]
    auth = {"Authorization": f"Bearer {guest}"}
    r = requests.post(replica.url("/api/v1/chats"), json={"customerName": "Quinn"}, headers=auth, timeout=HTTP_TIMEOUT)
    assert r.status_code == 201, r.text
    chat = r.json()["id"]
    r = requests.post(replica.url(f"/api/v1/chats/{chat}/escalate"), headers=auth, timeout=HTTP_TIMEOUT)
    assert r.status_code == 200, r.text
    return chat


def chat_view(replica, chat_id: str, token: str) -> dict:
    r = requests.get(replica.url(f"/api/v1/chats/{chat_id}"), headers={"Authorization": f"Bearer {token}"}, timeout=HTTP_TIMEOUT)
    assert r.status_code == 200, r.text
    return r.json()


# --- the test ----------------------------------------------------------------------------


def test_a_customer_the_bot_and_an_agent_across_two_replicas(replicas, agent, browsers):
    a, b = replicas
    customer = browsers()

    # The customer starts a conversation on A, as a guest; the URL names it.
    customer.get(a.url("/chat.html"))
    wait_for(customer, lambda d: d.find_element(By.ID, "start").is_displayed(), "the start form")
    customer.find_element(By.ID, "start-submit").click()
    wait_for(customer, lambda d: "chat.html?id=" in d.current_url and data(d, "chat", "state") == "ready", "the conversation")
    chat_id = customer.current_url.split("id=", 1)[1]
    assert customer.execute_script(f"return localStorage.getItem('huddle.chat.pass.' + {json.dumps(chat_id)}) !== null"), \
        "a guest keeps the pass of their conversation"
    wait_for(customer, lambda d: data(d, "chat", "live") == "true", "a live connection")
    assert "assistant" in shown_text(customer, "standing")

    # The bot: it takes the customer's name, answers from the FAQ, and remembers the name.
    name = "Zoe"
    assert name in ask_bot(customer, f"Hello, my name is {name}")
    entry = faq_entry()
    assert entry["answer"] in ask_bot(customer, entry["question"])
    remembered = ask_bot(customer, "Do you remember my name?")
    assert name in remembered

    # "Ask for a person": the customer sees that they wait, and since when.
    customer.find_element(By.ID, "escalate").click()
    wait_for(customer, lambda d: data(d, "chat", "status") == "queued", "the conversation queued")
    assert re.fullmatch(r"Waiting for a person since \d\d:\d\d", shown_text(customer, "standing")), page_state(customer)

    # The agent on B: the queue has it, with its last message; they claim it.
    desk = browsers()
    open_console(desk, b, agent)
    row = f'#queue li[data-chat-id="{chat_id}"]'
    wait_for(desk, lambda d: d.find_elements(By.CSS_SELECTOR, row), "the conversation in the queue")
    queued = texts(desk, row)[0]
    assert "waiting" in queued and remembered in queued, queued
    click(desk, f"{row} .chat-claim", "Claim in the queue")
    wait_for(desk, lambda d: data(d, "open", "chat-id") == chat_id and data(d, "open", "status") == "withAgent"
             and data(d, "open", "agent") == agent["id"] and data(d, "open", "live") == "true", "the claimed conversation open")
    wait_for(desk, lambda d: not d.find_elements(By.CSS_SELECTOR, row), "the conversation gone from the queue")
    wait_for(desk, lambda d: d.find_elements(By.CSS_SELECTOR, f'#mine li[data-chat-id="{chat_id}"]'), "it in my conversations")
    assert "Do you remember my name?" in messages(desk, "open-messages", "customer"), "the agent sees the history"

    # The customer sees who they talk to, and that the agent joined.
    wait_for(customer, lambda d: shown_text(d, "standing") == f"You are talking to {agent['name']}", "who the customer talks to")
    wait_for(customer, lambda d: f"{agent['name']} (agent) joined" in notes(d, "messages", "joined"), "the agent's joined marker")

    # Typing, both ways.
    customer.find_element(By.ID, "text").send_keys("I am typing a question")
    wait_for(desk, lambda d: "is typing" in shown_text(d, "open-typing"), "the customer typing, on the agent's console")
    desk.find_element(By.ID, "reply").send_keys("Let me")
    wait_for(customer, lambda d: shown_text(d, "typing") == f"{agent['name']} is typing…", "the agent typing, on the customer's page")

    # The agent replies; the customer sees it (as text: nothing in it is markup).
    reply = "Hello Zoe, <b>I</b> can help you with that."
    say(desk, "reply", "reply-send", reply)
    wait_for(customer, lambda d: reply in messages(d, "messages", "agent"), "the agent's reply on the customer's page")
    assert not customer.find_elements(By.CSS_SELECTOR, "#messages b"), "a message was parsed as HTML"
    wait_for(customer, lambda d: not shown_text(d, "typing"), "the agent's typing gone with their message")
    say(customer, "text", "send", "Thank you, where is my parcel?")
    wait_for(desk, lambda d: "Thank you, where is my parcel?" in messages(d, "open-messages", "customer"), "the customer's answer")

    # Unread: what comes while the agent has the conversation closed is counted.
    badge = f'#mine li[data-chat-id="{chat_id}"] .unread-badge'
    desk.find_element(By.ID, "close-open").click()
    wait_for(customer, lambda d: f"{agent['name']} (agent) left" in notes(d, "messages", "left"), "the agent's left marker")
    say(customer, "text", "send", "Are you still there?")
    wait_for(desk, lambda d: d.find_element(By.CSS_SELECTOR, badge).get_attribute("data-unread") == "1", "one unread message")
    assert texts(desk, badge) == ["1"]
    click(desk, f'#mine li[data-chat-id="{chat_id}"] .chat-row-name', "the conversation in my list")
    wait_for(desk, lambda d: data(d, "open", "chat-id") == chat_id and data(d, "open", "live") == "true", "the conversation open again")
    wait_for(desk, lambda d: d.find_element(By.CSS_SELECTOR, badge).get_attribute("data-unread") == "0", "nothing unread once open")

    # Back to the queue, and claimed again from it.
    desk.find_element(By.ID, "requeue").click()
    wait_for(customer, lambda d: data(d, "chat", "status") == "queued"
             and shown_text(d, "standing").startswith("Waiting for a person since "), "the customer waiting again")
    wait_for(desk, lambda d: d.find_elements(By.CSS_SELECTOR, f"{row} .chat-claim"), "the conversation back in the queue")
    wait_for(desk, lambda d: d.find_element(By.ID, "claim").is_displayed(), "Claim on the open conversation")
    desk.find_element(By.ID, "claim").click()
    wait_for(desk, lambda d: data(d, "open", "agent") == agent["id"], "the conversation claimed again")
    wait_for(customer, lambda d: shown_text(d, "standing") == f"You are talking to {agent['name']}", "the agent back")

    # The agent resolves; the bot answers the customer again.
    wait_for(desk, lambda d: d.find_element(By.ID, "resolve").is_displayed(), "Resolve")
    desk.find_element(By.ID, "resolve").click()
    wait_for(customer, lambda d: data(d, "chat", "status") == "bot" and "assistant" in shown_text(d, "standing"), "back with the bot")
    wait_for(customer, lambda d: d.find_element(By.ID, "escalate").is_displayed(), "Ask for a person offered again")
    assert name in ask_bot(customer, "Do you remember my name?")

    # While the customer's replica is down: NOT CONNECTED, and Send waits; back, and live again.
    a.stop()
    wait_for(customer, lambda d: d.find_element(By.ID, "banner").is_displayed(), "the NOT CONNECTED banner", timeout=WAIT)
    assert "NOT CONNECTED" in customer.find_element(By.ID, "banner").text
    customer.find_element(By.ID, "text").send_keys("Hello?")
    assert not customer.find_element(By.ID, "send").is_enabled(), "Send while not connected"
    a.start()
    wait_for(customer, lambda d: not d.find_element(By.ID, "banner").is_displayed() and data(d, "chat", "live") == "true",
             "the page live again", timeout=WAIT)
    wait_for(customer, lambda d: d.find_element(By.ID, "send").is_enabled(), "Send enabled again")
    customer.find_element(By.ID, "text").clear()

    # A reload resumes the conversation with its whole history.
    view = chat_view(b, chat_id, agent["token"])
    customer.refresh()
    wait_for(customer, lambda d: data(d, "chat", "state") == "ready" and data(d, "chat", "live") == "true", "the page after a reload")
    wait_for(customer, lambda d: len(messages(d, "messages")) >= view["messageCount"], "the history after a reload")
    assert messages(customer, "messages")[: view["messageCount"]] == [m["text"] for m in view["messages"]]
    assert reply in messages(customer, "messages", "agent")
    assert data(customer, "chat", "identity") == view["customer"]


def test_an_agent_who_claims_second_is_told_who_has_it_and_it_leaves_their_queue(replicas, make_agent, browsers):
    a, b = replicas
    first, second = make_agent(), make_agent()
    desk_a, desk_b = browsers(), browsers()
    open_console(desk_a, a, first)
    open_console(desk_b, b, second)
    # The second console's queue is as old as its last poll: its Claim can be pressed once the
    # first has claimed. Should its poll come first, the round is tried again with another one.
    for _ in range(5):
        chat = queued_chat(a)
        row = f'#queue li[data-chat-id="{chat}"] .chat-claim'
        for desk in (desk_a, desk_b):
            wait_for(desk, lambda d: any(e.is_enabled() for e in d.find_elements(By.CSS_SELECTOR, row)), "Claim in the queue")
        desk_a.find_element(By.CSS_SELECTOR, row).click()
        wait_for(desk_a, lambda d: data(d, "open", "chat-id") == chat and data(d, "open", "agent") == first["id"], "the first claim")
        try:
            desk_b.find_element(By.CSS_SELECTOR, row).click()
        except WebDriverException:  # gone (or drawn again) with the second console's poll: another round
            continue
        wait_for(desk_b, lambda d: d.find_element(By.ID, "error").is_displayed(), "the refusal")
        assert f"{first['name']} has already claimed" in desk_b.find_element(By.ID, "error").text, page_state(desk_b)
        wait_for(desk_b, lambda d: not d.find_elements(By.CSS_SELECTOR, f'#queue li[data-chat-id="{chat}"]'), "it gone from the queue")
        assert data(desk_b, "open", "chat-id") != chat or data(desk_b, "open", "agent") == first["id"]
        wait_for(desk_b, lambda d: not d.find_element(By.ID, "error").is_displayed(), "the error to go by itself")
        break
    else:
        pytest.fail("the second console's queue was never older than the first claim")
