"""The chat bot backed by an OpenAI-compatible chat-completions endpoint: a small local HTTP
server in the test plays the endpoint. It is sent the conversation so far (the system
prompt, then the customer's messages as `user` and the bot's as `assistant`) with the key as
a bearer token; a failing or silent endpoint gets the customer a system message saying the
assistant is unavailable, in reply to their message; the key never reaches the log.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

HTTP_TIMEOUT = 30
KEY = "sk-test-0123456789abcdef-never-logged"


class FakeCompletions:
    """An endpoint that records each request and answers with `behaviour`: "reply" (a numbered
    answer), "fail" (HTTP 500) or "hang" (answers after 5 s)."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.headers: list[dict] = []
        self.behaviour = "reply"
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.requests.append(body)
                fake.headers.append(dict(self.headers))
                if fake.behaviour == "hang":
                    time.sleep(5)
                if fake.behaviour == "fail":
                    self.send_response(500)
                    self.end_headers()
                    return
                answer = {"choices": [{"message": {"role": "assistant", "content": f"answer {len(fake.requests)}"}}]}
                data = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1/chat/completions"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()


@pytest.fixture
def endpoint():
    fake = FakeCompletions()
    yield fake
    fake.close()


@pytest.fixture
def huddle(huddle_factory, endpoint, tmp_path):
    key_file = tmp_path / "llm-key"
    key_file.write_text(KEY + "\n")
    return huddle_factory(env={
        "HUDDLE_CHAT_LLM_URL": endpoint.url, "HUDDLE_CHAT_LLM_MODEL": "test-model",
        "HUDDLE_CHAT_LLM_KEY_FILE": str(key_file), "HUDDLE_CHAT_LLM_TIMEOUT": "1",
    })


def guest(h) -> dict:
    r = requests.post(h.url("/api/v1/auth/guest"), timeout=HTTP_TIMEOUT)
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['accessToken']}"}


def say(h, who: dict, chat: str, text: str) -> str:
    r = requests.post(h.url(f"/api/v1/chats/{chat}/messages"), json={"text": text}, headers=who, timeout=HTTP_TIMEOUT)
    assert r.status_code == 201, r.text
    return next(m["id"] for m in reversed(r.json()["messages"]) if m["role"] == "customer")


def answer_to(h, who: dict, chat: str, message: str) -> dict:
    """The bot's or the system's reply to `message`, waited for (the bot answers in the background)."""
    deadline = time.monotonic() + HTTP_TIMEOUT
    while time.monotonic() < deadline:
        messages = requests.get(h.url(f"/api/v1/chats/{chat}"), headers=who, timeout=HTTP_TIMEOUT).json()["messages"]
        replies = [m for m in messages if m.get("replyTo") == message]
        if replies:
            assert len(replies) == 1, replies
            return replies[0]
        time.sleep(0.1)
    raise AssertionError(f"no reply to {message}")


def test_the_endpoint_is_sent_the_conversation_so_far(huddle, endpoint):
    ada = guest(huddle)
    chat = requests.post(huddle.url("/api/v1/chats"), json={"customerName": "Ada"}, headers=ada,
                         timeout=HTTP_TIMEOUT).json()["id"]
    first = say(huddle, ada, chat, "Hello, my order is 4711")
    assert answer_to(huddle, ada, chat, first)["text"] == "answer 1"
    second = say(huddle, ada, chat, "Where is it?")
    reply = answer_to(huddle, ada, chat, second)
    assert reply["text"] == "answer 2" and reply["role"] == "bot"

    sent = endpoint.requests[-1]
    assert sent["model"] == "test-model"
    assert sent["messages"][0]["role"] == "system"
    assert [(m["role"], m["content"]) for m in sent["messages"][1:]] == [
        ("user", "Hello, my order is 4711"), ("assistant", "answer 1"), ("user", "Where is it?")]
    assert endpoint.headers[-1]["Authorization"] == f"Bearer {KEY}"
    assert KEY not in huddle.output(), "the key is never logged"


@pytest.mark.parametrize("behaviour", ["fail", "hang"])
def test_an_endpoint_that_fails_or_hangs_gets_the_customer_a_system_message(huddle, endpoint, behaviour):
    endpoint.behaviour = behaviour
    bo = guest(huddle)
    chat = requests.post(huddle.url("/api/v1/chats"), json={}, headers=bo, timeout=HTTP_TIMEOUT).json()["id"]
    message = say(huddle, bo, chat, "Can you help me?")
    note = answer_to(huddle, bo, chat, message)
    assert note["role"] == "system" and "unavailable" in note["text"] and "person" in note["text"]
    view = requests.get(huddle.url(f"/api/v1/chats/{chat}"), headers=bo, timeout=HTTP_TIMEOUT).json()
    assert view["unanswered"] == [], "answered (by the note), so not retried for ever"
    assert [m["text"] for m in view["messages"] if m["role"] == "customer"] == ["Can you help me?"], "the message is kept"
