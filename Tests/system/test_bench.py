"""`huddle bench` load generators against a real server: they run, their JSON is complete,
and their correctness checks hold (every acknowledged increment counted, every
acknowledged event delivered to every subscriber). Small loads: measurements belong in
docs/BENCHMARKS.md, not here, and nothing asserts a speed.
"""

from __future__ import annotations

import json
import subprocess

import requests


def bench(huddle_bin, *args: str) -> dict:
    done = subprocess.run([str(huddle_bin), "bench", *args, "--json"], capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_counter_bench_counts_every_acknowledged_increment(huddle, huddle_bin):
    result = bench(huddle_bin, "counter", "--url", huddle.base_url, "--requests", "300", "--workers", "4",
                   "--counter", "bench-test")
    assert result["acknowledged"] == 300 and result["failed"] == 0 and result["lost"] == 0
    assert result["finalCount"] == 300
    assert requests.get(huddle.url("/api/v1/counters/bench-test"), timeout=10).json()["count"] == 300
    assert 0 < result["p50Ms"] <= result["p99Ms"] <= result["maxMs"]


def test_teams_bench_runs_its_three_scenarios_and_checks_every_join(huddle, huddle_bin):
    done = subprocess.run([str(huddle_bin), "bench", "teams", "--url", huddle.base_url, "--clients", "4",
                           "--requests", "40", "--iterations", "5", "--ramp", "0", "--json"],
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stdout + done.stderr
    results = {line["scenario"]: line for line in map(json.loads, done.stdout.strip().splitlines())}
    assert set(results) == {"create", "get", "join"}
    assert results["create"]["acknowledged"] == 40 and results["get"]["acknowledged"] == 40
    # Five iterations of one create and six joins, all acknowledged and all found afterwards.
    assert results["join"]["acknowledged"] == 5 * 7 and results["join"]["problems"] == 0
    for result in results.values():
        assert result["failed"] == 0 and 0 < result["p50Ms"] <= result["p95Ms"] <= result["maxMs"]
    guest = requests.post(huddle.url("/api/v1/auth/guest"), timeout=10).json()["accessToken"]
    assert requests.get(huddle.url("/api/v1/tournaments"), headers={"Authorization": f"Bearer {guest}"},
                        timeout=10).json() == {"tournaments": []}, "a new guest lists none of the bench's"


def test_fanout_bench_delivers_every_event_to_every_subscriber(huddle_factory, huddle_bin):
    # One replica listed twice: the round-robin over --url targets. Across replicas is
    # measured on scripts/cluster (docs/BENCHMARKS.md).
    server = huddle_factory()
    result = bench(huddle_bin, "fanout", "--url", server.base_url, "--url", server.base_url, "--clients", "6",
                   "--channels", "2", "--publishers", "2", "--rate", "10", "--duration", "3", "--warmup", "1")
    assert result["published"] > 0 and result["acknowledged"] == result["published"]
    assert result["expected"] > 0 and result["lost"] == 0 and result["errors"] == {}
    # Each measured event reaches the 3 subscribers of its board.
    assert result["delivered"] == result["expected"]


def test_connections_bench_holds_connections_and_measures_the_server(huddle, huddle_bin):
    result = bench(huddle_bin, "connections", "--url", huddle.base_url, "--connections", "40", "--hold", "1",
                   "--server-pid", str(huddle.pid))
    assert result["opened"] == 40 and result["failed"] == 0 and result["droppedEarly"] == 0
    assert result["rssAfterBytes"] > 0


def test_bench_refuses_a_bad_url(huddle_bin):
    done = subprocess.run([str(huddle_bin), "bench", "counter", "--url", "localhost:80"], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode != 0 and "http://host:port" in done.stderr


def test_signals_bench_delivers_every_signal_to_every_subscriber(huddle_factory, huddle_bin):
    server = huddle_factory()
    result = bench(huddle_bin, "signals", "--url", server.base_url, "--url", server.base_url, "--clients", "6",
                   "--channels", "2", "--publishers", "2", "--rate", "10", "--duration", "3", "--warmup", "1")
    assert result["sent"] > 0 and result["reported"] == 6
    # Each measured signal reaches the 3 subscribers of its channel, once.
    assert result["expected"] == 3 * result["sent"]
    assert result["delivered"] == result["expected"] and result["lost"] == 0 and result["duplicated"] == 0
    assert result["errors"] == {}
    assert 0 < result["p50Ms"] <= result["p99Ms"] <= result["maxMs"]
