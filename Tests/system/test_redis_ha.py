"""The HA Counter (seed 003) on Redis with Sentinel: kill -9 the master under load.

Two Huddle replicas share a password-protected Redis master with one replica, watched by
three Sentinels (quorum 2, down-after 1000 ms) that this module starts with
scripts/redis-rig. A client increments through both replicas; the master is killed
mid-run; Sentinel promotes the replica; Huddle follows without a restart. Counts, never
timings: every increment acknowledged to the client must be in the final count, and a
WebSocket subscriber ends on the final count.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
import uuid
from pathlib import Path

import pytest
import requests

from conftest import REPO_ROOT, wait_until

RIG = Path(REPO_ROOT) / "scripts" / "redis-rig"
HTTP_TIMEOUT = 10


@pytest.fixture(scope="module")
def redis_rig():
    started = subprocess.run([str(RIG), "start"], capture_output=True, text=True, timeout=180)
    if started.returncode != 0:
        pytest.fail(f"scripts/redis-rig start failed:\n{started.stderr[-3000:]}")
    env = dict(re.findall(r"^export (\w+)=(.*)$", started.stdout, flags=re.M))
    yield env
    subprocess.run([str(RIG), "stop", env["HUDDLE_TEST_REDIS_RIG_DIR"]], timeout=120)


def huddle_env(rig: dict) -> dict:
    return {
        "HUDDLE_REDIS_SENTINELS": rig["HUDDLE_TEST_REDIS_SENTINELS"],
        "HUDDLE_REDIS_MASTER_NAME": rig["HUDDLE_TEST_REDIS_FAILOVER_MASTER_NAME"],
        "HUDDLE_REDIS_PASSWORD": rig["HUDDLE_TEST_REDIS_PASSWORD"],
        "HUDDLE_REDIS_SENTINEL_PASSWORD": rig["HUDDLE_TEST_REDIS_SENTINEL_PASSWORD"],
    }


def restart_old_master(rig: dict) -> None:
    """Brings the killed node back, as Kubernetes would; Sentinel makes it a replica."""
    directory = Path(rig["HUDDLE_TEST_REDIS_RIG_DIR"]) / "failover-master"
    subprocess.run(["redis-server", str(directory / "redis.conf")], check=True, timeout=30)
    assert wait_until(lambda: (directory / "redis.pid").exists(), limit=10)
    with open(Path(rig["HUDDLE_TEST_REDIS_RIG_DIR"]) / "pids", "a") as pids:  # so `stop` ends it
        pids.write((directory / "redis.pid").read_text().strip() + "\n")


def test_cluster_mode_refuses_redis_without_a_password(huddle_bin, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("HUDDLE_")}
    env["HUDDLE_REDIS_URL"] = "redis://127.0.0.1:6399"
    done = subprocess.run([huddle_bin, "serve", "--data-dir", str(tmp_path)], env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode != 0
    assert "password" in (done.stdout + done.stderr), done.stdout + done.stderr


def test_increments_survive_killing_the_master(redis_rig, huddle_factory, ws_connect):
    a = huddle_factory(env=huddle_env(redis_rig))
    b = huddle_factory(env=huddle_env(redis_rig))
    cid = f"ha-{uuid.uuid4().hex[:8]}"

    watcher = ws_connect(b)
    watcher.expect("welcome")
    watcher.send({"type": "subscribe", "channel": f"counter:{cid}", "since": 0})
    watcher.expect("subscribed")

    acknowledged: list[int] = []  # the counts the client was told
    ambiguous = 0                 # errors: the increment may or may not have happened
    killed = restarted = False
    deadline = time.monotonic() + 240  # a hang guard, not a measurement
    after_kill = 0
    n = 0
    while after_kill < 60 and time.monotonic() < deadline:
        replica = (a, b)[n % 2]
        n += 1
        try:
            r = requests.post(replica.url(f"/api/v1/counters/{cid}/increment"), timeout=HTTP_TIMEOUT)
        except requests.RequestException:
            ambiguous += 1
            continue
        if r.status_code == 200:
            acknowledged.append(r.json()["count"])
            if killed:
                after_kill += 1
        else:
            assert r.status_code == 503, (r.status_code, r.text)  # never a 500
            assert r.json()["requestId"] == r.headers["X-Request-Id"]
            ambiguous += 1
            time.sleep(0.05)
        if not killed and len(acknowledged) >= 40:
            os.kill(int(redis_rig["HUDDLE_TEST_REDIS_FAILOVER_MASTER_PID"]), signal.SIGKILL)
            killed = True
        if killed and not restarted and ambiguous > 0:
            restart_old_master(redis_rig)
            restarted = True

    assert killed and after_kill >= 60, (
        f"increments did not recover after the failover: {len(acknowledged)} acknowledged, "
        f"{after_kill} after the kill, {ambiguous} failed")
    assert len(set(acknowledged)) == len(acknowledged), "two increments were told the same count"

    final = requests.get(a.url(f"/api/v1/counters/{cid}"), timeout=HTTP_TIMEOUT).json()["count"]
    print(f"acknowledged {len(acknowledged)}, failed {ambiguous}, final count {final}")
    assert requests.get(b.url(f"/api/v1/counters/{cid}"), timeout=HTTP_TIMEOUT).json()["count"] == final
    assert max(acknowledged) <= final, "an acknowledged count is above the final count: increments were lost"
    assert len(acknowledged) <= final <= len(acknowledged) + ambiguous, (len(acknowledged), ambiguous, final)

    # The subscriber on replica B saw the broker fail over too: it ends on the final count,
    # by live events or by the catch-up its gap report triggered.
    seen = watcher.expect("event", where=lambda m: m["data"]["count"] == final, limit=60)
    assert seen["offset"] == final
    assert wait_until(lambda: requests.get(a.url("/health/ready"), timeout=HTTP_TIMEOUT).status_code == 200, limit=30)


def test_a_crashed_replicas_members_vanish_for_everyone(redis_rig, huddle_factory, ws_connect):
    env = huddle_env(redis_rig) | {"HUDDLE_REDIS_MASTER_NAME": redis_rig["HUDDLE_TEST_REDIS_MASTER_NAME"]}
    a = huddle_factory(env=env)
    b = huddle_factory(env=env)
    channel = f"counter:room-{uuid.uuid4().hex[:8]}"

    ada = ws_connect(a, name="Ada")
    ada.expect("welcome")
    ada.send({"type": "subscribe", "channel": channel})
    ada.expect("subscribed")
    bo = ws_connect(b, name="Bo")
    bo_id = bo.expect("welcome")["connectionId"]
    bo.send({"type": "subscribe", "channel": channel})
    bo.expect("subscribed")
    snapshot = bo.expect("presence", where=lambda m: "members" in m)
    assert sorted(m["name"] for m in snapshot["members"]) == ["Ada", "Bo"], snapshot
    ada.expect("presence", action="join", where=lambda m: m["member"]["id"] == bo_id)

    b.stop(signal.SIGKILL)  # no goodbye: only the expiry of Bo's entry can tell Ada
    left = ada.expect("presence", action="leave", where=lambda m: m["member"]["id"] == bo_id, limit=60)
    assert left["member"]["name"] == "Bo"


def test_ping_follows_redis_and_readiness_does_not(huddle_factory, tmp_path):
    # Nothing listens on this port: Redis is "down" from the start.
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    h = huddle_factory(env={"HUDDLE_REDIS_URL": f"redis://127.0.0.1:{port}", "HUDDLE_REDIS_PASSWORD": "x"}, start=False)
    h.start(wait_for="/health/live")  # it must serve, and say Redis is down
    assert requests.get(h.url("/health/live"), timeout=HTTP_TIMEOUT).status_code == 200
    assert requests.get(h.url("/ping"), timeout=HTTP_TIMEOUT).status_code == 500
    # Readiness is about the replica itself: a shared Redis being down is every replica's
    # problem, and taking them all out of the load balancer would fail what does not need it.
    assert wait_until(lambda: requests.get(h.url("/health/ready"), timeout=HTTP_TIMEOUT).status_code == 200, limit=30)
    r = requests.post(h.url("/api/v1/counters/x/increment"), timeout=HTTP_TIMEOUT)
    assert r.status_code == 503 and r.json()["error"] == "unavailable", r.text
