"""The Teams app's HTTP API (docs/PROTOCOL.md, "The Teams app") as small helpers for
test_teams.py, test_teams_replicas.py and test_openapi.py: one call each, answering the raw
response, so a test asserts the status itself. `http` is `requests` or a `requests.Session`
(a thread's own, already connected, when `at_once` races calls).
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass
from typing import Any, Callable

import requests

HTTP_TIMEOUT = 30

DEFAULT_CLUBS = [
    "Bayern Munich", "Paris Saint-Germain", "Manchester City", "Liverpool", "Manchester United",
    "Real Madrid", "Chelsea", "Atlético Madrid", "Juventus", "Barcelona",
]


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


def unique(prefix: str = "Cup") -> str:
    """A tournament name no other test uses."""
    return f"{prefix} {uuid.uuid4().hex[:10]}"


def new_guest(replica, http: Any = requests) -> Caller:
    r = http.post(replica.url("/api/v1/auth/guest"), timeout=HTTP_TIMEOUT)
    assert r.status_code == 200, r.text
    body = r.json()
    return Caller(body["accessToken"], body["user"]["id"], body["expiresIn"])


def new_user(replica) -> Caller:
    """A newly registered user (a unique username)."""
    name = f"u{uuid.uuid4().hex[:10]}"
    r = requests.post(replica.url("/api/v1/auth/register"), timeout=HTTP_TIMEOUT,
                      json={"username": name, "email": f"{name}@example.com", "password": "correct horse battery"})
    assert r.status_code == 201, r.text
    body = r.json()
    return Caller(body["accessToken"], body["user"]["id"], body["expiresIn"])


def create(replica, who: Caller | None, http: Any = requests, **body: Any) -> requests.Response:
    """POST /api/v1/tournaments with `body` (a unique `name` and `playerLimit` 2 unless given)."""
    body.setdefault("name", unique())
    body.setdefault("playerLimit", 2)
    return http.post(replica.url("/api/v1/tournaments"), json=body, headers=who.headers if who else {},
                     timeout=HTTP_TIMEOUT)


def created(replica, who: Caller, **body: Any) -> dict:
    """A new tournament's body (asserting the 201)."""
    r = create(replica, who, **body)
    assert r.status_code == 201, r.text
    return r.json()


def join(replica, who: Caller | None, tournament: str, name: str, surname: str,
         http: Any = requests) -> requests.Response:
    return http.post(replica.url(f"/api/v1/tournaments/{tournament}/players"),
                     json={"name": name, "surname": surname}, headers=who.headers if who else {},
                     timeout=HTTP_TIMEOUT)


def joined(replica, who: Caller, tournament: str, name: str | None = None, surname: str = "Player") -> str:
    """The playerId of `who`, who joins now (asserting the 201)."""
    r = join(replica, who, tournament, name or f"N{uuid.uuid4().hex[:8]}", surname)
    assert r.status_code == 201, r.text
    return r.json()["playerId"]


def pick(replica, who: Caller | None, tournament: str, club: Any, http: Any = requests) -> requests.Response:
    return http.post(replica.url(f"/api/v1/tournaments/{tournament}/picks"), json={"club": club},
                     headers=who.headers if who else {}, timeout=HTTP_TIMEOUT)


def draw(replica, who: Caller | None, tournament: str) -> requests.Response:
    return requests.post(replica.url(f"/api/v1/tournaments/{tournament}/draw"),
                         headers=who.headers if who else {}, timeout=HTTP_TIMEOUT)


def read(replica, tournament: str) -> dict:
    """GET /api/v1/tournaments/{id} (asserting the 200)."""
    r = requests.get(replica.url(f"/api/v1/tournaments/{tournament}"), timeout=HTTP_TIMEOUT)
    assert r.status_code == 200, r.text
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


def everyone_joins_and_picks_at_once(replicas: list, players: int) -> None:
    """A tournament with a place and a club for each of `players`, who all join at once (one
    thread each, spread over `replicas`), then all pick a club of their own at once: every
    call must succeed. Contention alone refuses nobody: the Teams section of PROTOCOL.md
    names no refusal for a lost race (only the Board's documents `conflict` after five)."""
    clubs = [f"Club {i}" for i in range(players)]
    tournament = created(replicas[0], new_guest(replicas[0]), playerLimit=players, clubs=clubs)["id"]
    sides = [replicas[i % len(replicas)] for i in range(players)]
    guests = [new_guest(replica) for replica in sides]
    joins = at_once([
        (replica, lambda s, replica=replica, guest=guest, i=i: join(replica, guest, tournament, f"P{i}", "X", http=s))
        for i, (replica, guest) in enumerate(zip(sides, guests))
    ])
    assert [r.status_code for r in joins] == [201] * players, [r.text for r in joins if r.status_code != 201]
    picks = at_once([
        (replica, lambda s, replica=replica, guest=guest, i=i: pick(replica, guest, tournament, clubs[i], http=s))
        for i, (replica, guest) in enumerate(zip(sides, guests))
    ])
    assert [r.status_code for r in picks] == [200] * players, [r.text for r in picks if r.status_code != 200]
    for replica in replicas:
        assert read(replica, tournament)["ready"] is True
