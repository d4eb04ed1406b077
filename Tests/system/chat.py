"""The Chat app's HTTP API (docs/PROTOCOL.md, "The Chat app") as small helpers for
test_chat.py, test_chat_replicas.py and test_openapi.py: one call each, answering the raw
response, so a test asserts the status itself; `…ed` helpers assert the success and answer
the body. Who calls, the error body and the races are clients.py's.

The bot answers asynchronously (after the customer's message is acknowledged), so
`bot_reply` polls the conversation, within a bound, for the reply to one message.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

import requests

from clients import HTTP_TIMEOUT, Caller, create_admin, headers, log_in, new_user, set_role

# A generous upper bound on the wait for the bot's answer (never an assertion about speed):
# the storing replica answers at once; another one sweeps after a grace period.
BOT_LIMIT = 30.0


def message_id() -> str:
    """A client-chosen message id (1–64 of `A-Z a-z 0-9 _ . -`) no other message has."""
    return f"m-{uuid.uuid4().hex[:16]}"


def start(replica, who: Caller | None, http: Any = requests, **body: Any) -> requests.Response:
    """POST /api/v1/chats with `body` (`customerName`?)."""
    return http.post(replica.url("/api/v1/chats"), json=body, headers=headers(who), timeout=HTTP_TIMEOUT)


def started(replica, who: Caller, **body: Any) -> dict:
    """A new conversation's body (asserting the 201)."""
    r = start(replica, who, **body)
    assert r.status_code == 201, r.text
    return r.json()


def get(replica, who: Caller | None, chat: str, http: Any = requests) -> requests.Response:
    return http.get(replica.url(f"/api/v1/chats/{chat}"), headers=headers(who), timeout=HTTP_TIMEOUT)


def read(replica, who: Caller, chat: str) -> dict:
    """GET /api/v1/chats/{id} (asserting the 200)."""
    r = get(replica, who, chat)
    assert r.status_code == 200, r.text
    return r.json()


def listing(replica, who: Caller | None, query: str = "") -> requests.Response:
    """GET /api/v1/chats{query}, e.g. `?status=queued&limit=5`."""
    return requests.get(replica.url(f"/api/v1/chats{query}"), headers=headers(who), timeout=HTTP_TIMEOUT)


def listed(replica, who: Caller, query: str = "") -> list[str]:
    """The ids GET /api/v1/chats{query} lists, in its order (asserting the 200)."""
    r = listing(replica, who, query)
    assert r.status_code == 200, r.text
    return [c["id"] for c in r.json()["chats"]]


def send(replica, who: Caller | None, chat: str, text: Any, id: str | None = None,
         http: Any = requests) -> requests.Response:
    """POST /api/v1/chats/{id}/messages `{"text", "id"?}`."""
    body = {"text": text} if id is None else {"text": text, "id": id}
    return http.post(replica.url(f"/api/v1/chats/{chat}/messages"), json=body, headers=headers(who),
                     timeout=HTTP_TIMEOUT)


def sent(replica, who: Caller, chat: str, text: str) -> str:
    """Sends `text` with a new message id (asserting the 201) and answers that id."""
    mid = message_id()
    r = send(replica, who, chat, text, mid)
    assert r.status_code == 201, r.text
    assert mid in [m["id"] for m in r.json()["messages"]], r.text
    return mid


def action(replica, who: Caller | None, chat: str, verb: str, body: dict | None = None,
           http: Any = requests) -> requests.Response:
    """POST /api/v1/chats/{id}/{verb}: `escalate`, `claim`, `resolve` (no body), `transfer`
    (`{"to"?}`)."""
    return http.post(replica.url(f"/api/v1/chats/{chat}/{verb}"), json=body, headers=headers(who),
                     timeout=HTTP_TIMEOUT)


def acted(replica, who: Caller, chat: str, verb: str, body: dict | None = None) -> dict:
    """`action` asserting the 200; the conversation after it."""
    r = action(replica, who, chat, verb, body)
    assert r.status_code == 200, f"{verb}: {r.status_code} {r.text}"
    return r.json()


def replies(conversation: dict, to: str) -> list[dict]:
    """The messages of `conversation` that answer message `to`."""
    return [m for m in conversation["messages"] if m.get("replyTo") == to]


def bot_reply(replica, who: Caller, chat: str, to: str, limit: float = BOT_LIMIT) -> dict:
    """The bot's reply to message `to`, polling the conversation for up to `limit` seconds
    (asserting there is exactly one reply to it, by the bot)."""
    deadline = time.monotonic() + limit
    while True:
        conversation = read(replica, who, chat)
        found = replies(conversation, to)
        if found or time.monotonic() >= deadline:
            break
        time.sleep(0.1)
    assert len(found) == 1, f"wanted one reply to {to} within {limit:.0f}s: {conversation['messages']}"
    reply = found[0]
    assert (reply["role"], reply["author"]) == ("bot", "bot"), reply
    assert to not in conversation["unanswered"], conversation
    return reply


def ask(replica, who: Caller, chat: str, text: str) -> dict:
    """Sends `text` and answers the bot's reply to it."""
    return bot_reply(replica, who, chat, sent(replica, who, chat, text))


def queued(replica, customer: Caller, **body: Any) -> str:
    """A new conversation of `customer` that asked for a person (the button); its id."""
    chat = started(replica, customer, **body)["id"]
    assert acted(replica, customer, chat, "escalate")["status"] == "queued"
    return chat


class Staff:
    """The admin `huddle user create --admin` made in a replica's store before it started,
    and the agents that admin makes (a registered user given the role `agent`)."""

    def __init__(self, admin_name: str) -> None:
        self.admin_name = admin_name
        self.admin: Caller | None = None

    @classmethod
    def before_start(cls, replica) -> "Staff":
        return cls(create_admin(replica))

    def signed_in(self, replica) -> "Staff":
        """Signs the admin in (once `replica` is serving)."""
        self.admin = log_in(replica, self.admin_name)
        return self

    def agent(self, replica, name: str | None = None) -> Caller:
        """A new user (display name `name`) whom the admin made an agent."""
        assert self.admin is not None, "signed_in first"
        user = new_user(replica, name)
        set_role(replica, self.admin, user, "agent")
        return user
