"""The Teams app's HTTP API (docs/PROTOCOL.md, "The Teams app") as small helpers for
test_teams.py, test_teams_replicas.py and test_openapi.py: one call each, answering the raw
response, so a test asserts the status itself. `http` is `requests` or a `requests.Session`
(a thread's own, already connected, when `at_once` races calls). Who calls, the error body
and the races are clients.py's.
"""

from __future__ import annotations

import uuid
from typing import Any

import requests

from clients import HTTP_TIMEOUT, Caller, at_once, new_guest

DEFAULT_CLUBS = [
    "Bayern Munich", "Paris Saint-Germain", "Manchester City", "Liverpool", "Manchester United",
    "Real Madrid", "Chelsea", "Atlético Madrid", "Juventus", "Barcelona",
]


def unique(prefix: str = "Cup") -> str:
    """A tournament name no other test uses."""
    return f"{prefix} {uuid.uuid4().hex[:10]}"


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
