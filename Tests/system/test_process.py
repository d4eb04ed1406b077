"""Process-level tests of the real `huddle` binary (see conftest.py for the fixtures).

Each test starts its own server(s) on free loopback ports with fresh data dirs. No test
asserts a timing: every limit is a generous upper bound on a wait.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import threading
import time
import uuid
from pathlib import Path

import requests
import websocket

from conftest import wait_until

HTTP_TIMEOUT = 15  # seconds, an upper bound for one request
SQLITE_MAGIC = b"SQLite format 3\x00"


# --- helpers ---------------------------------------------------------------------


def rand() -> str:
    return uuid.uuid4().hex[:10]


def can_bind(host: str) -> bool:
    try:
        with socket.socket() as s:
            s.bind((host, 0))
        return True
    except OSError:
        return False


def port_free_on(*hosts: str) -> int:
    """A port that is free on every one of `hosts`."""
    for _ in range(50):
        with socket.socket() as s:
            s.bind((hosts[0], 0))
            port = s.getsockname()[1]
        ok = True
        for h in hosts[1:]:
            try:
                with socket.socket() as s:
                    s.bind((h, port))
            except OSError:
                ok = False
        if ok:
            return port
    raise RuntimeError(f"no port free on all of {hosts}")


def accepts_connections(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=5):
            return True
    except OSError:
        return False


def sqlite_files(directory: Path) -> list[Path]:
    """Files under `directory` that are SQLite databases (by their header, or by name)."""
    if not directory.is_dir():
        return []
    found = []
    for p in directory.rglob("*"):
        if not p.is_file():
            continue
        try:
            with open(p, "rb") as f:
                head = f.read(16)
        except OSError:
            continue
        if head == SQLITE_MAGIC or p.suffix in (".sqlite", ".sqlite3", ".db"):
            found.append(p)
    return found


def post_increment(h, cid: str) -> int:
    r = requests.post(h.url(f"/api/v1/counters/{cid}/increment"), timeout=HTTP_TIMEOUT)
    assert r.status_code == 200, (r.status_code, r.text)
    body = r.json()
    assert body["id"] == cid, body
    return body["count"]


def get_count(h, cid: str) -> int:
    r = requests.get(h.url(f"/api/v1/counters/{cid}"), timeout=HTTP_TIMEOUT)
    assert r.status_code == 200, (r.status_code, r.text)
    body = r.json()
    assert body["id"] == cid, body
    return body["count"]


def seed_counter(h, cid: str) -> int:
    """The seed-compatible `GET /counter/{id}`: increments and returns the new count."""
    r = requests.get(h.url(f"/counter/{cid}"), timeout=HTTP_TIMEOUT)
    assert r.status_code == 200, (r.status_code, r.text)
    return r.json()["count"]


def assert_error_body(r: requests.Response, status: int, error: str | None = None) -> dict:
    assert r.status_code == status, (r.status_code, r.text)
    body = r.json()
    assert isinstance(body, dict), body
    assert isinstance(body.get("error"), str) and body["error"], body
    if error is not None:
        assert body["error"] == error, body
    assert isinstance(body.get("message"), str), body
    assert body.get("requestId"), body
    assert body["requestId"] == r.headers.get("X-Request-Id"), (body, dict(r.headers))
    return body


def clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("HUDDLE_")}


# --- durability ------------------------------------------------------------------


def test_counters_survive_a_sigterm_restart(huddle, huddle_factory):
    cid = f"durable-{rand()}"
    assert get_count(huddle, cid) == 0
    assert [post_increment(huddle, cid) for _ in range(5)] == [1, 2, 3, 4, 5]
    assert get_count(huddle, cid) == 5

    seed = f"seed-{rand()}"
    assert [seed_counter(huddle, seed) for _ in range(3)] == [1, 2, 3]

    assert huddle.stop(signal.SIGTERM) == 0, huddle.describe_output()

    again = huddle_factory(data_dir=huddle.data_dir)
    assert get_count(again, cid) == 5
    assert post_increment(again, cid) == 6
    assert get_count(again, cid) == 6
    assert seed_counter(again, seed) == 4
    assert get_count(again, f"never-{rand()}") == 0


def test_acknowledged_increments_survive_kill_9(huddle, huddle_factory):
    cid = f"kill9-{rand()}"
    url = huddle.url(f"/api/v1/counters/{cid}/increment")
    acked: list[int] = []
    problems: list[str] = []
    done = threading.Event()

    def hammer():
        # One request at a time, so at most one increment is in flight when the kill lands.
        session = requests.Session()
        try:
            for _ in range(5000):
                if done.is_set():
                    return
                try:
                    r = session.post(url, timeout=HTTP_TIMEOUT)
                except requests.RequestException:
                    return  # the server is gone
                if r.status_code != 200:
                    problems.append(f"{r.status_code} {r.text[:200]}")
                    return
                acked.append(r.json()["count"])
        finally:
            done.set()

    worker = threading.Thread(target=hammer, daemon=True)
    worker.start()
    wait_until(lambda: len(acked) >= 25 or done.is_set(), limit=120)
    assert not problems, problems
    assert len(acked) >= 25, f"only {len(acked)} increments acknowledged"

    assert huddle.stop(signal.SIGKILL) == -signal.SIGKILL
    done.set()
    worker.join(timeout=60)
    assert not worker.is_alive()
    assert not problems, problems
    n = len(acked)
    assert acked == list(range(1, n + 1)), acked

    again = huddle_factory(data_dir=huddle.data_dir)
    count = get_count(again, cid)
    # Every acknowledged increment is there; at most the one in flight may also be.
    assert n <= count <= n + 1, (n, count)
    assert post_increment(again, cid) == count + 1


def test_acknowledged_writes_of_concurrent_batches_survive_kill_9(huddle, huddle_factory):
    """Many writers at once, so the store commits them in batches: increments of one hot
    counter and of counters of their own, box additions on boards of their own and on one
    shared board. kill -9 in the middle; every acknowledged write must be there after."""
    token = requests.post(huddle.url("/api/v1/auth/guest"), timeout=HTTP_TIMEOUT).json()["accessToken"]
    auth = {"Authorization": f"Bearer {token}"}

    def new_board() -> str:
        r = requests.post(huddle.url("/api/v1/boards"), json={"name": f"b-{rand()}"}, headers=auth, timeout=HTTP_TIMEOUT)
        assert r.status_code == 201, r.text
        return r.json()["id"]

    hot = f"hot-{rand()}"
    shared_board = new_board()
    lock = threading.Lock()
    acked_counts: dict[str, list[int]] = {}
    acked_boxes: dict[str, list[tuple[int, str]]] = {}
    problems: list[str] = []
    stop = threading.Event()

    def increments(cid: str):
        session = requests.Session()
        while not stop.is_set():
            try:
                r = session.post(huddle.url(f"/api/v1/counters/{cid}/increment"), timeout=HTTP_TIMEOUT)
            except requests.RequestException:
                return  # the server is gone; the request in flight has an unknown outcome
            if r.status_code != 200:
                problems.append(f"increment: {r.status_code} {r.text[:200]}")
                return
            with lock:
                acked_counts.setdefault(cid, []).append(r.json()["count"])

    def boxes(board: str, writer: str):
        session = requests.Session()
        n = 0
        while not stop.is_set() and n < 1500:
            n += 1
            text = f"{writer}-{n}"
            try:
                r = session.post(huddle.url(f"/api/v1/boards/{board}/commands"), headers=auth, timeout=HTTP_TIMEOUT,
                                 json={"name": "addBox", "data": {"text": text}})
            except requests.RequestException:
                return
            if r.status_code != 200:
                problems.append(f"addBox: {r.status_code} {r.text[:200]}")
                return
            with lock:
                acked_boxes.setdefault(board, []).append((r.json()["offset"], text))

    workers = [threading.Thread(target=increments, args=(hot,), daemon=True) for _ in range(8)]
    workers += [threading.Thread(target=increments, args=(f"own-{i}-{rand()}",), daemon=True) for i in range(4)]
    workers += [threading.Thread(target=boxes, args=(new_board(), f"own{i}"), daemon=True) for i in range(4)]
    workers += [threading.Thread(target=boxes, args=(shared_board, f"shared{i}"), daemon=True) for i in range(2)]
    for worker in workers:
        worker.start()

    def acknowledged() -> int:
        with lock:
            return sum(map(len, acked_counts.values())) + sum(map(len, acked_boxes.values()))

    wait_until(lambda: acknowledged() >= 600 or problems, limit=120)
    assert not problems, problems
    assert huddle.stop(signal.SIGKILL) == -signal.SIGKILL
    stop.set()
    for worker in workers:
        worker.join(timeout=60)
        assert not worker.is_alive()
    assert not problems, problems

    again = huddle_factory(data_dir=huddle.data_dir)
    for cid, values in acked_counts.items():
        assert len(set(values)) == len(values), f"{cid}: a value was acknowledged twice"
        count = get_count(again, cid)
        # Every acknowledged increment is there (the ones in flight may be too).
        assert count >= max(values) and count >= len(values), (cid, count, len(values), max(values))
    for board, added in acked_boxes.items():
        r = requests.get(again.url(f"/api/v1/boards/{board}"), timeout=HTTP_TIMEOUT)
        assert r.status_code == 200, r.text
        texts = {box["text"] for box in r.json()["boxes"]}
        offsets = [offset for offset, _ in added]
        assert len(set(offsets)) == len(offsets), f"{board}: an offset was acknowledged twice"
        missing = [text for _, text in added if text not in texts]
        assert not missing, f"{board}: acknowledged boxes lost after kill -9: {missing[:10]}"


# --- graceful shutdown -----------------------------------------------------------


def test_sigterm_closes_websockets_with_1012_and_exits_0(huddle, ws_connect):
    client = ws_connect(huddle)
    assert client.recv()["type"] == "welcome"
    client.send({"type": "subscribe", "channel": "counter:x", "since": 0})
    client.expect("subscribed", channel="counter:x")

    huddle.signal(signal.SIGTERM)
    assert client.expect_close(limit=30) == 1012
    assert huddle.wait(timeout=30) == 0, huddle.describe_output()


def test_drain_delay_keeps_serving_not_ready_before_closing(huddle_factory, ws_connect):
    # The delay is far longer than the checks below take: they run inside it.
    h = huddle_factory(args=["--drain-delay", "20"])
    client = ws_connect(h)
    assert client.recv()["type"] == "welcome"

    h.signal(signal.SIGTERM)
    assert wait_until(
        lambda: requests.get(h.url("/health/ready"), timeout=HTTP_TIMEOUT).status_code == 503, limit=10
    ), h.describe_output()
    r = requests.get(h.url("/health/ready"), timeout=HTTP_TIMEOUT)
    assert r.json()["status"] == "draining", r.text
    # Still serving: a load balancer that has not yet polled loses nothing.
    assert requests.get(h.url("/health/live"), timeout=HTTP_TIMEOUT).status_code == 200
    client.send({"type": "ping", "id": "p1"})
    assert client.expect("pong")["id"] == "p1"

    assert client.expect_close(limit=60) == 1012
    assert h.wait(timeout=60) == 0, h.describe_output()


# --- configuration ---------------------------------------------------------------


def test_environment_configures_host_port_and_data_dir(tmp_path, huddle_factory):
    # Another loopback address proves HUDDLE_HOST is used (not a wildcard or default).
    host = "127.0.0.2" if can_bind("127.0.0.2") else "127.0.0.1"
    port = port_free_on(host, "127.0.0.1") if host != "127.0.0.1" else port_free_on(host)
    data_dir = tmp_path / "env-config" / "new-data"
    assert not data_dir.exists()

    h = huddle_factory(
        data_dir=data_dir,
        port=port,
        host=host,
        flags=False,
        env={"HUDDLE_HOST": host, "HUDDLE_PORT": str(port), "HUDDLE_DATA_DIR": str(data_dir)},
    )
    r = requests.get(h.url("/health/live"), timeout=HTTP_TIMEOUT)
    assert r.status_code == 200, r.text
    if host != "127.0.0.1":
        assert not accepts_connections("127.0.0.1", port), "listening beyond HUDDLE_HOST"
    assert data_dir.is_dir(), "HUDDLE_DATA_DIR was not created"
    assert sqlite_files(data_dir), f"no SQLite file in {data_dir}: {list(data_dir.rglob('*'))}"

    cid = f"env-{rand()}"
    assert post_increment(h, cid) == 1


def test_flags_win_over_environment(tmp_path, huddle_factory):
    other_host = "127.0.0.2" if can_bind("127.0.0.2") else "127.0.0.1"
    env_port = port_free_on("127.0.0.1", other_host)
    flag_port = port_free_on("127.0.0.1")
    while flag_port == env_port:
        flag_port = port_free_on("127.0.0.1")
    env_dir = tmp_path / "from-env"
    flag_dir = tmp_path / "from-flag"

    h = huddle_factory(
        data_dir=flag_dir,
        port=flag_port,
        host="127.0.0.1",  # flags: --host 127.0.0.1 --port flag_port --data-dir flag_dir
        env={"HUDDLE_HOST": other_host, "HUDDLE_PORT": str(env_port), "HUDDLE_DATA_DIR": str(env_dir)},
    )
    assert requests.get(h.url("/health/live"), timeout=HTTP_TIMEOUT).status_code == 200
    assert not accepts_connections(other_host, env_port), "listening on HUDDLE_PORT despite --port"
    assert sqlite_files(flag_dir), f"no SQLite file in --data-dir {flag_dir}"
    assert not sqlite_files(env_dir), f"SQLite file in HUDDLE_DATA_DIR {env_dir} despite --data-dir"


def test_help_lists_the_serve_options(huddle_bin):
    def run(*argv: str) -> str:
        r = subprocess.run(
            [str(huddle_bin), *argv],
            capture_output=True,
            text=True,
            timeout=60,
            env=clean_env(),
            stdin=subprocess.DEVNULL,
        )
        assert r.returncode == 0, (argv, r.returncode, r.stdout, r.stderr)
        return r.stdout + r.stderr

    root = run("--help")
    assert "serve" in root, root

    serve = run("serve", "--help")
    for option in ("--host", "--port", "--data-dir", "--log-level"):
        assert re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", serve), f"{option} missing:\n{serve}"


# --- logs ------------------------------------------------------------------------


def test_one_json_log_line_per_request_with_its_request_id(huddle):
    cid = f"logs-{rand()}"
    s = requests.Session()
    calls = [
        ("GET", "/health/live"),
        ("GET", f"/api/v1/counters/{cid}"),
        ("POST", f"/api/v1/counters/{cid}/increment"),
        ("GET", "/api/v1/nope"),
    ]
    seen = []
    for method, path in calls:
        r = s.request(method, huddle.url(path), timeout=HTTP_TIMEOUT)
        rid = r.headers.get("X-Request-Id")
        assert rid, f"{method} {path}: no X-Request-Id header"
        seen.append((method, path, r.status_code, rid))

    r = s.get(huddle.url("/health/live"), headers={"X-Request-Id": "abc-123"}, timeout=HTTP_TIMEOUT)
    assert r.headers.get("X-Request-Id") == "abc-123"
    seen.append(("GET", "/health/live", r.status_code, "abc-123"))

    ids = [rid for *_, rid in seen]
    assert len(set(ids)) == len(ids), f"request ids are not unique: {ids}"

    def records(rid):
        return [line for line in huddle.lines() if line.get("requestId") == rid and "status" in line]

    # Log lines may be written just after the response: wait (generously) for all of them.
    wait_until(lambda: all(records(rid) for rid in ids), limit=15)
    for method, path, status, rid in seen:
        found = records(rid)
        assert len(found) == 1, f"{method} {path}: {len(found)} request log lines for {rid}\n{huddle.stdout()[-3000:]}"
        rec = found[0]
        assert rec.get("method") == method, rec
        assert rec.get("path") == path, rec
        assert str(rec.get("status")) == str(status), rec
        assert "elapsedMs" in rec, rec
        assert float(rec["elapsedMs"]) >= 0, rec


# --- errors ----------------------------------------------------------------------


def test_errors_are_json_with_the_request_id(huddle):
    assert_error_body(requests.get(huddle.url("/api/v1/nope"), timeout=HTTP_TIMEOUT), 404, "not_found")

    for bad in ("a%20b", "a" * 200, "a" * 129):
        assert_error_body(requests.get(huddle.url(f"/api/v1/counters/{bad}"), timeout=HTTP_TIMEOUT), 400)
        assert_error_body(
            requests.post(huddle.url(f"/api/v1/counters/{bad}/increment"), timeout=HTTP_TIMEOUT), 400
        )

    # The longest allowed id and every allowed character class are fine.
    assert get_count(huddle, "a" * 128) == 0
    assert post_increment(huddle, "Az09_.-x") == 1


# --- metrics ---------------------------------------------------------------------

_SAMPLE = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)")


def metric_sums(text: str) -> dict[str, float]:
    """Sum of every sample's value per metric name (labels summed over)."""
    sums: dict[str, float] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = _SAMPLE.match(line)
        if not m:
            continue
        try:
            value = float(m.group(3))
        except ValueError:
            continue
        sums[m.group(1)] = sums.get(m.group(1), 0.0) + value
    return sums


def test_metrics_are_prometheus_text_after_traffic(huddle, ws_connect):
    assert requests.get(huddle.url("/health/live"), timeout=HTTP_TIMEOUT).status_code == 200
    channel = f"counter:metrics-{rand()}"
    client = ws_connect(huddle)
    client.expect("welcome")
    client.send({"type": "subscribe", "channel": channel, "since": 0})
    client.expect("subscribed", channel=channel)
    client.send({"type": "command", "id": "m1", "channel": channel, "name": "increment", "data": {}})
    client.expect("ack", id="m1")
    client.expect("event", channel=channel)

    # name -> the sample to read and the least value it must have by now
    wanted = {
        "huddle_http_requests_total": ("huddle_http_requests_total", 1),
        "huddle_http_request_duration_seconds": ("huddle_http_request_duration_seconds_count", 1),
        "huddle_websocket_connections": ("huddle_websocket_connections", 1),  # the client is open
        "huddle_websocket_frames_in_total": ("huddle_websocket_frames_in_total", 2),
        "huddle_websocket_frames_out_total": ("huddle_websocket_frames_out_total", 4),
        "huddle_broker_publishes_total": ("huddle_broker_publishes_total", 1),
    }
    last: dict = {}

    def scrape_ok() -> bool:
        r = requests.get(huddle.url("/metrics"), timeout=HTTP_TIMEOUT)
        last["response"] = r
        if r.status_code != 200:
            return False
        sums = metric_sums(r.text)
        return all(sums.get(sample, 0) >= least for sample, least in wanted.values())

    # Counters may be updated just after a frame is written: re-scrape (generously).
    wait_until(scrape_ok, limit=15, interval=0.2)
    r = last["response"]
    assert r.status_code == 200, r.text
    assert r.headers.get("Content-Type", "").startswith("text/plain"), r.headers.get("Content-Type")
    sums = metric_sums(r.text)
    for name, (sample, least) in wanted.items():
        assert sample in sums, f"{name}: no sample {sample} in /metrics:\n{r.text[:4000]}"
        assert sums[sample] >= least, f"{sample} = {sums[sample]}, expected at least {least}"


# --- realtime end to end ---------------------------------------------------------


def test_realtime_subscribe_command_ack_and_fan_out(huddle, ws_connect):
    channel = f"counter:e2e-{rand()}"

    bob = ws_connect(huddle, name="Bob")
    welcome_b = bob.recv()
    assert welcome_b["type"] == "welcome", welcome_b
    assert welcome_b.get("connectionId"), welcome_b
    assert welcome_b.get("name") == "Bob", welcome_b
    bob.send({"type": "subscribe", "channel": channel, "since": 0})
    bob.expect("subscribed", channel=channel)

    ada = ws_connect(huddle)
    welcome_a = ada.recv()
    assert welcome_a["type"] == "welcome", welcome_a
    assert welcome_a.get("connectionId") and welcome_a["connectionId"] != welcome_b["connectionId"]
    assert isinstance(welcome_a.get("name"), str) and welcome_a["name"], welcome_a  # a guest name
    ada.send({"type": "subscribe", "channel": channel, "since": 0})
    subscribed = ada.expect("subscribed", channel=channel)
    assert subscribed.get("offset") == 0, subscribed
    assert not [m for m in ada.received if m.get("type") == "event"], "replay of a new counter"

    ada.send({"type": "command", "id": "c1", "channel": channel, "name": "increment", "data": {}})
    ack = ada.expect("ack", id="c1")
    assert ack.get("offset") == 1, ack
    for client in (ada, bob):
        event = client.expect("event", channel=channel)
        assert event.get("offset") == 1, event
        assert event.get("name") == "incremented", event
        assert event.get("data", {}).get("count") == 1, event
        assert isinstance(event.get("time"), int), event

    ada.send({"type": "command", "id": "c2", "channel": channel, "name": "increment", "data": {}})
    assert ada.expect("ack", id="c2").get("offset") == 2
    assert bob.expect("event", channel=channel, offset=2)["data"]["count"] == 2

    # A late subscriber from 0 gets the current value replayed, then `subscribed`.
    cy = ws_connect(huddle)
    cy.expect("welcome")
    cy.send({"type": "subscribe", "channel": channel, "since": 0})
    subscribed = cy.expect("subscribed", channel=channel)
    assert subscribed.get("offset") == 2, subscribed
    replay = [m for m in cy.received if m.get("type") == "event" and m.get("channel") == channel]
    assert replay and replay[-1]["offset"] == 2 and replay[-1]["data"]["count"] == 2, replay
    assert cy.received.index(replay[-1]) < cy.received.index(subscribed)


def test_malformed_json_gets_bad_request_and_the_connection_stays_open(huddle, ws_connect):
    client = ws_connect(huddle)
    client.expect("welcome")
    client.send_text("{this is not json")
    error = client.expect("error")
    assert error.get("code") == "bad_request", error
    client.send({"type": "ping", "id": "p1"})
    client.expect("pong", id="p1")


def test_a_70_kib_message_closes_the_connection_with_1009(huddle, ws_connect):
    client = ws_connect(huddle)
    client.expect("welcome")
    big = json.dumps({"type": "ping", "id": "big", "pad": "x" * (70 * 1024)})
    assert len(big.encode()) > 70 * 1024
    try:
        client.send_text(big)
    except (OSError, websocket.WebSocketException):
        pass  # the server may close while we are still sending; its close frame still counts
    assert client.expect_close() == 1009

    # The server itself is fine.
    assert requests.get(huddle.url("/health/ready"), timeout=HTTP_TIMEOUT).status_code == 200


def test_help_advertises_only_apps_that_have_a_page(huddle_bin):
    """`huddle --help` names the apps it hosts; each must exist (a page in Public/), so the
    help never promises an app that has not landed."""
    out = subprocess.run([str(huddle_bin), "--help"], capture_output=True, text=True, timeout=60, check=True).stdout
    named = re.search(r"real-time application server \(([^)]*)\)", out)
    assert named, out
    pages = {"accounts": "account.html"}
    public = Path(__file__).resolve().parents[2] / "Public"
    for app in (a.strip() for a in named.group(1).split(",")):
        page = pages.get(app, f"{app}.html")
        assert (public / page).exists(), f"--help names '{app}', which has no page ({page})"
