"""The production topology on one machine survives faults under load: scripts/chaos --up.

scripts/cluster starts PostgreSQL, Redis (master, two replicas, three Sentinels), two Huddle
replicas of $HUDDLE_BIN and HAProxy in front; scripts/chaos then, one at a time, kill -9s a
replica, drains one with SIGTERM, kill -9s the Redis master and stops PostgreSQL, each under
a load of counter increments, published board events and reconnecting WebSocket
subscribers, and restarts what it stopped. Counts, never timings: no acknowledged event or
increment may be lost, no subscriber may see a gap or a duplicate, and every scenario must
recover (the load balancer serves again and every subscriber catches up).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from conftest import REPO_ROOT

CHAOS = Path(REPO_ROOT) / "scripts" / "chaos"
SCENARIOS = ["replica", "drain", "redis", "postgres"]
LIMIT = 900  # a hang guard for the whole run, not a measurement


def test_faults_under_load_lose_nothing(huddle_bin):
    missing = [tool for tool in ("haproxy", "redis-server", "redis-sentinel") if not shutil.which(tool)]
    if missing:
        pytest.fail(f"{', '.join(missing)} not installed: run scripts/install-deps", pytrace=False)
    # A short path of its own (the HAProxy admin socket lives in it) that the postgres
    # account can reach: scripts/cluster makes it afresh.
    directory = Path(tempfile.mkdtemp(prefix="huddle-chaos-"))
    report = directory.with_name(directory.name + ".json")
    env = {k: v for k, v in os.environ.items() if not k.startswith("HUDDLE_")} | {"HUDDLE_BIN": str(huddle_bin)}
    try:
        done = subprocess.run(
            [str(CHAOS), "--up", "--dir", str(directory), "--duration", "8", "--json", str(report)],
            env=env, capture_output=True, text=True, timeout=LIMIT)
        output = f"{done.stdout}\n{done.stderr}\n(logs of the run: {directory / 'logs'})"
        print(done.stdout)
        assert report.exists(), f"scripts/chaos wrote no report (exit {done.returncode}):\n{output}"
        results = json.loads(report.read_text())
        assert [r["scenario"] for r in results["scenarios"]] == SCENARIOS, output
        for r in results["scenarios"]:
            what = f"{r['scenario']}: {json.dumps(r, indent=1)}\n{output}"
            assert r["events"]["acknowledged"] > 0 and r["increments"]["acknowledged"] > 0, what
            assert r["events"]["lost"] == 0, what
            assert r["increments"]["lost"] == 0 and r["increments"]["consistent"], what
            assert r["events"]["subscriber_gaps"] == 0 and r["events"]["subscriber_duplicates"] == 0, what
            assert r["recovered"], what
        assert done.returncode == 0, output
    finally:
        # Whatever happened (a hang guard's kill included), nothing of the cluster stays up.
        subprocess.run([str(Path(REPO_ROOT) / "scripts" / "cluster"), "down", "--dir", str(directory)],
                       capture_output=True, timeout=120)
        passed = report.exists() and json.loads(report.read_text()).get("ok")
        report.unlink(missing_ok=True)
        if passed:  # otherwise the logs stay for a look
            shutil.rmtree(directory, ignore_errors=True)
