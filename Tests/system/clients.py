"""Callers of Huddle's HTTP API and its realtime endpoint, shared by the apps' helper modules
(teams.py, chat.py) and their tests: who calls (a guest, a registered user, an admin made by
`huddle user create --admin`), the error body every refusal has, a subscription from a
channel's start, and calls raced on threads released by one barrier.

Every call answers the raw response, so a test asserts the status itself. `http` is
`requests` or a `requests.Session` (a thread's own, already connected, when `at_once` races
calls).
"""

from __future__ import annotations

import subprocess
import threading
import uuid
from dataclasses import dataclass
from typing import Any, Callable

import requests

HTTP_TIMEOUT = 30
PASSWORD = "correct horse battery"


@dataclass(frozen=True)
class Caller:
    """Someone with an access token: a guest (`id` is `guest-…`) or a registered user."""

    token: str
    id: str
    expires_in: int

    @property
    def headers(self) -> dict[str, str]:
        return bearer(self.token)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def headers(who: Caller | None) -> dict[str, str]:
    """`who`'s Authorization header, or none."""
    return who.headers if who else {}


def granted(body: dict) -> Caller:
    """The caller of a grant (`{user, accessToken, expiresIn, …}`)."""
    return Caller(body["accessToken"], body["user"]["id"], body["expiresIn"])


def new_guest(replica, http: Any = requests) -> Caller:
    r = http.post(replica.url("/api/v1/auth/guest"), timeout=HTTP_TIMEOUT)
    assert r.status_code == 200, r.text
    return granted(r.json())


def new_user(replica, name: str | None = None) -> Caller:
    """A newly registered user (a unique username unless `name` is given, also the display name)."""
    username = f"u{uuid.uuid4().hex[:10]}"
    body = {"username": username, "email": f"{username}@example.com", "password": PASSWORD}
    if name:
        body["displayName"] = name
    r = requests.post(replica.url("/api/v1/auth/register"), timeout=HTTP_TIMEOUT, json=body)
    assert r.status_code == 201, r.text
    return granted(r.json())


def log_in(replica, login: str, password: str = PASSWORD) -> Caller:
    r = requests.post(replica.url("/api/v1/auth/login"), json={"login": login, "password": password},
                      timeout=HTTP_TIMEOUT)
    assert r.status_code == 200, r.text
    return granted(r.json())


def create_admin(replica, username: str | None = None) -> str:
    """Makes an admin with `huddle user create --admin` in `replica`'s store (before it starts:
    an embedded store belongs to one process) and answers the username (password `PASSWORD`)."""
    username = username or f"admin{uuid.uuid4().hex[:8]}"
    made = subprocess.run(
        [str(replica.binary), "user", "create", "--admin", "--username", username, "--email",
         f"{username}@example.com", "--data-dir", str(replica.data_dir)],
        input=PASSWORD + "\n", env=replica.environment, capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stdout + made.stderr
    return username


def set_role(replica, admin: Caller, user: Caller, role: str) -> dict:
    """An admin gives `user` the role `role` (PATCH /api/v1/users/{id}, asserting the 200)."""
    r = requests.patch(replica.url(f"/api/v1/users/{user.id}"), json={"role": role}, headers=admin.headers,
                       timeout=HTTP_TIMEOUT)
    assert r.status_code == 200, r.text
    assert r.json()["role"] == role, r.text
    return r.json()


def assert_error(r: requests.Response, status: int, code: str) -> dict:
    """The error body of `r`, asserting its status, its code and its requestId."""
    assert r.status_code == status, f"wanted {status} {code}, got {r.status_code}: {r.text}"
    body = r.json()
    assert body["error"] == code, body
    assert body["requestId"] == r.headers["X-Request-Id"], body
    assert body.get("message"), body
    return body


def subscribe(ws, channel: str, token: str | None = None) -> dict:
    """On a new WSClient: the welcome, an `auth` with `token` when given, then a subscription
    to `channel` from its start; answers the `subscribed` frame."""
    ws.expect("welcome")
    if token:
        ws.send({"type": "auth", "token": token})
        ws.expect("authenticated")
    ws.send({"type": "subscribe", "channel": channel, "since": 0})
    return ws.expect("subscribed", channel=channel)


def at_once(calls: list[tuple[Any, Callable[[requests.Session], requests.Response]]]) -> list[requests.Response]:
    """Runs each `call(session)` on its own thread, all released by one barrier, and returns
    the responses in order. Each thread's session connects to its replica beforehand, so
    that the barrier releases requests, not TCP handshakes."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(i: int, replica, call) -> None:
        with requests.Session() as session:
            try:
                session.get(replica.url("/health/live"), timeout=30)
                barrier.wait(timeout=60)
                results[i] = call(session)
            except BaseException as e:  # noqa: BLE001 - reported below, on the test's thread
                barrier.abort()
                results[i] = e

    threads = [threading.Thread(target=run, args=(i, replica, call)) for i, (replica, call) in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return results
