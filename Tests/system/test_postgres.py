"""Huddle replicas on PostgreSQL, as processes: shared data, an outage, and recovery.

Needs the throwaway cluster that scripts/test starts (scripts/postgres-rig), announced by
HUDDLE_TEST_POSTGRES_URL and HUDDLE_TEST_POSTGRES_RIG. In CI their absence is a failure.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import uuid
from pathlib import Path

import pytest
import requests

from conftest import REPO_ROOT, wait_until

URL = os.environ.get("HUDDLE_TEST_POSTGRES_URL")
RIG = os.environ.get("HUDDLE_TEST_POSTGRES_RIG")
HTTP_TIMEOUT = 30

if not (URL and RIG):
    if os.environ.get("CI"):
        raise RuntimeError("CI must run the PostgreSQL system tests: scripts/test starts the rig")
    pytest.skip("needs scripts/postgres-rig (run through scripts/test)", allow_module_level=True)


def rig(command: str) -> None:
    subprocess.run([str(Path(REPO_ROOT) / "scripts" / "postgres-rig"), command, RIG], check=True)


def increment(h, cid: str) -> requests.Response:
    return requests.post(h.url(f"/api/v1/counters/{cid}/increment"), timeout=HTTP_TIMEOUT)


def count(h, cid: str) -> int:
    r = requests.get(h.url(f"/api/v1/counters/{cid}"), timeout=HTTP_TIMEOUT)
    assert r.status_code == 200, r.text
    return r.json()["count"]


def ready_status(h) -> int:
    return requests.get(h.url("/health/ready"), timeout=HTTP_TIMEOUT).status_code


def ping_status(h) -> int:
    return requests.get(h.url("/ping"), timeout=HTTP_TIMEOUT).status_code


@pytest.fixture
def replicas(huddle_factory):
    """Two replicas on the rig's database, started together (they race to migrate)."""
    env = {"HUDDLE_POSTGRES_URL": URL, "HUDDLE_POSTGRES_TIMEOUT": "3"}
    made = [huddle_factory(env=env, start=False) for _ in range(2)]
    starters = [threading.Thread(target=h.start) for h in made]
    for t in starters:
        t.start()
    for t in starters:
        t.join()
    for h in made:
        assert h.running and ready_status(h) == 200, h.describe_output()
    return made


def test_replicas_share_counters_through_postgres(replicas):
    a, b = replicas
    cid = f"pg-{uuid.uuid4().hex[:8]}"
    seen = [increment(r, cid).json()["count"] for r in (a, b, a, b, b)]
    assert sorted(seen) == [1, 2, 3, 4, 5], seen
    assert count(a, cid) == count(b, cid) == 5


def test_an_outage_is_503_and_recovers_by_itself_without_losing_acknowledged_counts(replicas):
    a, _ = replicas
    cid = f"outage-{uuid.uuid4().hex[:8]}"
    acknowledged = [increment(a, cid).json()["count"] for _ in range(3)]
    assert acknowledged == [1, 2, 3]

    rig("down")
    try:
        assert wait_until(lambda: ping_status(a) == 500, limit=30), "/ping stayed 200 with PostgreSQL down"
        # Readiness is about the replica: every replica shares the outage, and the load
        # balancer must keep routing what does not need the database.
        assert ready_status(a) == 200
        r = increment(a, cid)
        assert r.status_code == 503, (r.status_code, r.text)
        body = r.json()
        assert body["error"] == "unavailable" and body["requestId"] == r.headers["X-Request-Id"], body
        assert requests.get(a.url("/health/live"), timeout=HTTP_TIMEOUT).status_code == 200
    finally:
        rig("up")

    assert wait_until(lambda: ping_status(a) == 200, limit=60), "/ping stayed 500 after PostgreSQL came back"
    assert count(a, cid) == 3, "an acknowledged increment was lost"
    assert wait_until(lambda: increment(a, cid).status_code == 200, limit=30)
    assert count(a, cid) == 4


def test_migrate_command_and_help(huddle_bin):
    env = {k: v for k, v in os.environ.items() if not k.startswith("HUDDLE_")}
    env["HUDDLE_POSTGRES_URL"] = URL
    done = subprocess.run([huddle_bin, "migrate"], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Schema is current" in done.stdout
    assert URL.split("@")[0].split(":")[-1] not in done.stdout + done.stderr, "the password was logged"


def test_a_replica_stopped_before_the_database_answered_exits_cleanly(huddle_factory):
    # Nothing listens on this port: the replica keeps retrying its migration, not ready.
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    h = huddle_factory(env={"HUDDLE_POSTGRES_URL": f"postgres://huddle:x@127.0.0.1:{port}/huddle?sslmode=disable"},
                       start=False)
    h.start(wait_for="/health/live")
    assert ready_status(h) == 503
    assert h.stop(signal.SIGTERM) == 0, h.describe_output()
