"""Accounts on PostgreSQL with two replicas: a session started on one replica refreshes on
the other, and a stolen (reused) refresh token ends the session on both.

Needs the throwaway cluster that scripts/test starts (scripts/postgres-rig).
"""

from __future__ import annotations

import os
import threading
import uuid

import pytest
import requests

URL = os.environ.get("HUDDLE_TEST_POSTGRES_URL")
HTTP_TIMEOUT = 30

if not URL:
    if os.environ.get("CI"):
        raise RuntimeError("CI must run the PostgreSQL system tests: scripts/test starts the rig")
    pytest.skip("needs scripts/postgres-rig (run through scripts/test)", allow_module_level=True)


@pytest.fixture
def replicas(huddle_factory):
    # No reuse interval, so that a replay is theft at once (its grace: test_hostile.py).
    made = [huddle_factory(env={"HUDDLE_POSTGRES_URL": URL}, args=["--auth-refresh-reuse-interval", "0"], start=False)
            for _ in range(2)]
    starters = [threading.Thread(target=h.start) for h in made]
    for t in starters:
        t.start()
    for t in starters:
        t.join()
    return made


def test_sessions_are_shared_by_replicas_and_reuse_is_detected_across_them(replicas):
    a, b = replicas
    name = f"pg{uuid.uuid4().hex[:10]}"
    registered = requests.post(a.url("/api/v1/auth/register"),
                               json={"username": name, "email": f"{name}@example.com", "password": "correct horse battery"},
                               timeout=HTTP_TIMEOUT)
    assert registered.status_code == 201, registered.text
    first = registered.cookies["huddle_refresh"]

    # The other replica knows the user, the token (same key) and the session.
    token = registered.json()["accessToken"]
    me = requests.get(b.url("/api/v1/auth/me"), headers={"Authorization": f"Bearer {token}"}, timeout=HTTP_TIMEOUT)
    assert me.status_code == 200 and me.json()["username"] == name
    refreshed = requests.post(b.url("/api/v1/auth/refresh"), cookies={"huddle_refresh": first}, timeout=HTTP_TIMEOUT)
    assert refreshed.status_code == 200, refreshed.text
    second = refreshed.cookies["huddle_refresh"]
    assert second != first

    # The first token again, on the first replica: the family is revoked everywhere.
    replay = requests.post(a.url("/api/v1/auth/refresh"), cookies={"huddle_refresh": first}, timeout=HTTP_TIMEOUT)
    assert replay.status_code == 401
    for replica in (a, b):
        r = requests.post(replica.url("/api/v1/auth/refresh"), cookies={"huddle_refresh": second}, timeout=HTTP_TIMEOUT)
        assert r.status_code == 401, replica
