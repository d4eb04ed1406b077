"""Fixtures for Huddle's system tests: the real `huddle` binary as a child process.

The binary is `$HUDDLE_BIN`, by default `.build/debug/huddle` under the repository root
(`scripts/test` sets it to `$(swift build --show-bin-path)/huddle`).

Fixtures
--------
huddle          a started `HuddleProcess` on a free loopback port with a fresh data dir
                (function scope); stopped with SIGTERM at teardown.
huddle_factory  `huddle_factory(**kwargs)` makes (and by default starts) more processes;
                every one is stopped at teardown. Keyword arguments are those of
                `HuddleProcess` (`data_dir`, `port`, `host`, `args`, `env`, `flags`,
                `ready_limit`) plus `start=True`.
ws_connect      `ws_connect(target, name=None, timeout=15)` opens a `WSClient` to a
                `HuddleProcess` (its `/api/v1/realtime`) or to a ws:// URL; closed at
                teardown.
huddle_bin      the binary's Path (fails the test when it is missing).

No test here asserts a timing: every limit below is a generous upper bound on a wait.
When a test fails, the output of the processes it started is printed with the failure.
"""

from __future__ import annotations

import atexit
import itertools
import json
import os
import signal as signals  # (HuddleProcess.signal is a method)
import socket
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping
from urllib.parse import quote

import pytest
import requests
import websocket  # websocket-client

REPO_ROOT = Path(__file__).resolve().parents[2]
PUBLIC_DIR = REPO_ROOT / "Public"
HUDDLE_BIN = Path(os.environ.get("HUDDLE_BIN") or REPO_ROOT / ".build" / "debug" / "huddle")

# Generous upper bounds on waits (seconds). Never assertions about speed.
READY_LIMIT = float(os.environ.get("HUDDLE_READY_LIMIT", "120"))
STOP_LIMIT = 15.0
WS_LIMIT = 15.0

_live: set["HuddleProcess"] = set()
_counter = itertools.count(1)


def _make_signing_key() -> Path:
    """A token-signing key made for this test run (never committed), removed at exit."""
    import secrets
    import shutil

    directory = Path(tempfile.mkdtemp(prefix="huddle-test-key-"))
    atexit.register(shutil.rmtree, directory, True)
    path = directory / "jwt.key"
    path.write_text(secrets.token_urlsafe(48) + "\n")
    path.chmod(0o600)
    return path


SIGNING_KEY_FILE = _make_signing_key()
# What every test server gets unless the test sets its own HUDDLE_AUTH_* variables: the
# run's signing key (a real server refuses to start without one) and the cheapest bcrypt.
AUTH_ENV = {"HUDDLE_AUTH_JWT_KEY_FILE": str(SIGNING_KEY_FILE), "HUDDLE_AUTH_BCRYPT_COST": "4"}


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that is free on `host` right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def wait_until(check: Callable[[], Any], limit: float, interval: float = 0.1) -> Any:
    """Calls `check` until it returns something truthy (returned) or `limit` seconds pass
    (returns the last falsy value)."""
    deadline = time.monotonic() + limit
    while True:
        value = check()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(interval)


def shared_backends(what: str) -> dict[str, str]:
    """The environment of a replica on the PostgreSQL cluster and the Redis Sentinel rig that
    scripts/test starts (announced by its HUDDLE_TEST_* variables). Called at a test module's
    top: without the rigs the module is skipped, and in CI it fails (`what` says which tests
    CI must run)."""
    url, sentinels = os.environ.get("HUDDLE_TEST_POSTGRES_URL"), os.environ.get("HUDDLE_TEST_REDIS_SENTINELS")
    if not (url and sentinels):
        if os.environ.get("CI"):
            raise RuntimeError(f"CI must run {what}: scripts/test starts both rigs")
        pytest.skip("needs scripts/postgres-rig and scripts/redis-rig (run through scripts/test)",
                    allow_module_level=True)
    return {
        "HUDDLE_POSTGRES_URL": url,
        "HUDDLE_REDIS_SENTINELS": sentinels,
        "HUDDLE_REDIS_MASTER_NAME": os.environ["HUDDLE_TEST_REDIS_MASTER_NAME"],
        "HUDDLE_REDIS_PASSWORD": os.environ["HUDDLE_TEST_REDIS_PASSWORD"],
        "HUDDLE_REDIS_SENTINEL_PASSWORD": os.environ["HUDDLE_TEST_REDIS_SENTINEL_PASSWORD"],
    }


def _tail(text: str, lines: int = 200) -> str:
    parts = text.splitlines()
    if len(parts) <= lines:
        return text
    return f"[... {len(parts) - lines} earlier lines ...]\n" + "\n".join(parts[-lines:])


class HuddleProcess:
    """One `huddle serve` child process.

    With `flags=True` (the default) it runs
        HUDDLE_BIN serve --host HOST --port PORT --data-dir DATA_DIR --public-dir <repo>/Public ARGS...
    With `flags=False` it runs `HUDDLE_BIN serve ARGS...`, and `host`/`port` only tell
    where the server is expected to listen (e.g. as set through `HUDDLE_PORT` in `env`).

    The environment is the test run's own without any `HUDDLE_*` variable, plus the run's
    signing key and bcrypt cost (`AUTH_ENV`, unless `env` names any `HUDDLE_AUTH_*`), plus `env`.
    The working directory is the repository root. stdout and stderr go to files in
    `log_dir` (appended to across restarts).
    """

    def __init__(
        self,
        data_dir: os.PathLike | str,
        port: int | None = None,
        *,
        host: str = "127.0.0.1",
        args: Iterable[str] = (),
        env: Mapping[str, str] | None = None,
        flags: bool = True,
        log_dir: os.PathLike | str | None = None,
        ready_limit: float = READY_LIMIT,
        binary: os.PathLike | str | None = None,
    ) -> None:
        self.host = host
        self.port = port if port is not None else free_port(host)
        self.data_dir = Path(data_dir)
        self.args = list(args)
        self.extra_env = dict(env or {})
        self.flags = flags
        self.ready_limit = ready_limit
        self.binary = Path(binary) if binary is not None else HUDDLE_BIN
        self.log_dir = Path(log_dir) if log_dir is not None else Path(
            tempfile.mkdtemp(prefix="huddle-logs-")
        )
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.stdout_path = self.log_dir / "stdout.log"
        self.stderr_path = self.log_dir / "stderr.log"
        self.proc: subprocess.Popen | None = None
        self._files: list[Any] = []

    # --- addresses ------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://{self.host}:{self.port}/api/v1/realtime"

    def url(self, path: str) -> str:
        return self.base_url + path

    # --- lifecycle ------------------------------------------------------------
    @property
    def command(self) -> list[str]:
        cmd = [str(self.binary), "serve"]
        if self.flags:
            cmd += [
                "--host", self.host,
                "--port", str(self.port),
                "--data-dir", str(self.data_dir),
                "--public-dir", str(PUBLIC_DIR),
            ]
        return cmd + self.args

    @property
    def environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("HUDDLE_")}
        if not any(k.startswith("HUDDLE_AUTH_") for k in self.extra_env):
            env.update(AUTH_ENV)
        env.update(self.extra_env)
        return env

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    @property
    def returncode(self) -> int | None:
        return self.proc.poll() if self.proc else None

    def start(self, wait_for: str = "/health/ready") -> "HuddleProcess":
        """Spawns the process and waits until `GET wait_for` answers 200 (`/health/live` for
        a replica that is expected to stay not-ready)."""
        if self.running:
            raise RuntimeError("huddle is already running")
        if _terminating:
            raise KeyboardInterrupt("SIGTERM: not starting another huddle")
        if not (self.binary.is_file() and os.access(self.binary, os.X_OK)):
            pytest.fail(
                f"huddle binary not found at {self.binary}: run `swift build` or set HUDDLE_BIN",
                pytrace=False,
            )
        self._close_files()
        out = open(self.stdout_path, "ab")
        err = open(self.stderr_path, "ab")
        self._files = [out, err]
        self.proc = subprocess.Popen(
            self.command,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            env=self.environment,
            cwd=REPO_ROOT,
            start_new_session=True,  # a Ctrl-C of pytest does not reach it directly
        )
        _live.add(self)
        deadline = time.monotonic() + self.ready_limit
        last = "no answer yet"
        while True:
            rc = self.proc.poll()
            if rc is not None:
                self._close_files()
                pytest.fail(
                    f"huddle exited with code {rc} before it was ready\n"
                    f"command: {self.command}\n{self.describe_output()}",
                    pytrace=False,
                )
            try:
                r = requests.get(self.url(wait_for), timeout=5)
                if r.status_code == 200:
                    return self
                last = f"HTTP {r.status_code}: {r.text[:200]}"
            except requests.RequestException as e:
                last = repr(e)
            if time.monotonic() >= deadline:
                self.kill()
                pytest.fail(
                    f"huddle was not ready at {self.url(wait_for)} within "
                    f"{self.ready_limit:.0f}s (last: {last})\n"
                    f"command: {self.command}\n{self.describe_output()}",
                    pytrace=False,
                )
            time.sleep(0.1)

    def signal(self, sig: int = signals.SIGTERM) -> None:
        """Sends `sig` to the process (if it is still running) without waiting."""
        if self.running:
            self.proc.send_signal(sig)

    def wait(self, timeout: float = STOP_LIMIT) -> int:
        """Waits for the process to exit and returns its exit code (negative: the signal
        that ended it). Kills it with SIGKILL and fails the test if it is still running
        after `timeout` seconds."""
        if self.proc is None:
            raise RuntimeError("huddle was never started")
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            pytest.fail(
                f"huddle (pid {self.proc.pid}) did not exit within {timeout:.0f}s; killed it\n"
                f"{self.describe_output()}",
                pytrace=False,
            )
        self._close_files()
        _live.discard(self)
        return rc

    def stop(self, sig: int = signals.SIGTERM, timeout: float = STOP_LIMIT) -> int | None:
        """Sends `sig`, waits up to `timeout` seconds, returns the exit code. Fails the test
        (after SIGKILL) if it did not exit in time. Returns the earlier exit code if it had
        already exited, None if it was never started."""
        if self.proc is None:
            return None
        if not self.running:
            self._close_files()
            _live.discard(self)
            return self.proc.returncode
        self.signal(sig)
        return self.wait(timeout)

    def kill(self) -> None:
        """SIGKILL and reap, no questions asked (cleanup)."""
        if self.running:
            try:
                self.proc.kill()
            except ProcessLookupError:
                pass
        if self.proc is not None:
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                pass
        self._close_files()
        _live.discard(self)

    def _close_files(self) -> None:
        for f in self._files:
            try:
                f.close()
            except OSError:
                pass
        self._files = []

    # --- output ---------------------------------------------------------------
    def stdout(self) -> str:
        return self._read(self.stdout_path)

    def stderr(self) -> str:
        return self._read(self.stderr_path)

    def output(self) -> str:
        """stdout followed by stderr, as text, so far."""
        out, err = self.stdout(), self.stderr()
        if out and err and not out.endswith("\n"):
            out += "\n"
        return out + err

    def lines(self) -> list[dict]:
        """stdout's lines that parse as JSON objects, in order."""
        result = []
        for line in self.stdout().splitlines():
            line = line.strip()
            if not line.startswith("{"):
                continue
            try:
                value = json.loads(line)
            except ValueError:
                continue
            if isinstance(value, dict):
                result.append(value)
        return result

    def describe_output(self) -> str:
        return (
            f"--- huddle stdout ({self.stdout_path}) ---\n{_tail(self.stdout())}\n"
            f"--- huddle stderr ({self.stderr_path}) ---\n{_tail(self.stderr())}"
        )

    @staticmethod
    def _read(path: Path) -> str:
        try:
            return path.read_bytes().decode("utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    def __repr__(self) -> str:
        return f"<HuddleProcess {self.base_url} pid={self.pid} data_dir={self.data_dir}>"


@atexit.register
def _kill_leftovers() -> None:
    for p in list(_live):
        p.kill()


_terminating = False


def _on_sigterm(signum, frame) -> None:
    # A hang guard (scripts/test's `timeout`) or CI stopping pytest: leave no server behind
    # and stop the session like Ctrl-C does (KeyboardInterrupt is not caught by tests'
    # `except Exception`).
    global _terminating
    _terminating = True
    _kill_leftovers()
    raise KeyboardInterrupt("SIGTERM")


def pytest_configure(config) -> None:
    try:
        signals.signal(signals.SIGTERM, _on_sigterm)
    except ValueError:  # not the main thread (e.g. under xdist): skip
        pass


# --- WebSocket client ------------------------------------------------------------


class WSClosed(Exception):
    """The server closed the WebSocket (a close frame was received)."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(f"closed by server with code {code} {reason!r}")
        self.code = code
        self.reason = reason


class WSClient:
    """A websocket-client connection speaking Huddle's JSON frames.

    `expect(...)` waits for a matching message, keeping the others it reads in `pending`
    for later `expect`s, so tests don't depend on the order of unrelated frames (e.g.
    `presence` after `subscribed`). `received` holds every message in arrival order.
    Close frames are read raw, so the close code is always seen (`expect_close()`).
    """

    def __init__(self, url: str, timeout: float = WS_LIMIT, header: list[str] | None = None) -> None:
        self.url = url
        self.timeout = timeout
        self.ws = websocket.create_connection(url, timeout=timeout, header=header or [])
        self.received: list[dict] = []
        self.pending: list[dict] = []
        self.close_code: int | None = None
        self.close_reason: str | None = None
        self._fragments: list[bytes] = []

    # sending
    def send(self, message: Mapping[str, Any]) -> None:
        self.send_text(json.dumps(message))

    def send_text(self, text: str) -> None:
        self.ws.send(text)

    # receiving
    def recv(self, timeout: float | None = None) -> dict:
        """The next JSON message from the socket (not from `pending`). Raises WSClosed on a
        close frame, websocket.WebSocketTimeoutException after `timeout` seconds."""
        if self.close_code is not None:
            raise WSClosed(self.close_code, self.close_reason or "")
        self.ws.settimeout(timeout if timeout is not None else self.timeout)
        while True:
            frame = self.ws.recv_frame()
            op = frame.opcode
            if op in (websocket.ABNF.OPCODE_TEXT, websocket.ABNF.OPCODE_BINARY, websocket.ABNF.OPCODE_CONT):
                self._fragments.append(bytes(frame.data))
                if not frame.fin:
                    continue
                data, self._fragments = b"".join(self._fragments), []
                text = data.decode("utf-8")
                try:
                    message = json.loads(text)
                except ValueError:
                    pytest.fail(f"server sent a frame that is not JSON: {text[:500]!r}")
                self.received.append(message)
                return message
            if op == websocket.ABNF.OPCODE_PING:
                try:
                    self.ws.pong(frame.data)
                except (OSError, websocket.WebSocketException):
                    pass
                continue
            if op == websocket.ABNF.OPCODE_PONG:
                continue
            if op == websocket.ABNF.OPCODE_CLOSE:
                data = bytes(frame.data)
                code = struct.unpack("!H", data[:2])[0] if len(data) >= 2 else 1005
                reason = data[2:].decode("utf-8", errors="replace")
                self.close_code, self.close_reason = code, reason
                try:  # answer the close handshake; the server may already be gone
                    self.ws.send_close(code if code not in (1005, 1006) else 1000)
                except (OSError, websocket.WebSocketException):
                    pass
                self.ws.shutdown()
                raise WSClosed(code, reason)

    def expect(
        self,
        type_: str | None = None,
        where: Callable[[dict], bool] | None = None,
        limit: float | None = None,
        **fields: Any,
    ) -> dict:
        """The first message (pending ones first) whose `type` is `type_`, whose top-level
        fields equal `fields`, and for which `where(message)` is true. Fails the test if
        none arrives within `limit` seconds or the connection closes first."""

        def matches(m: dict) -> bool:
            if type_ is not None and m.get("type") != type_:
                return False
            if any(m.get(k) != v for k, v in fields.items()):
                return False
            return where is None or bool(where(m))

        for i, m in enumerate(self.pending):
            if matches(m):
                return self.pending.pop(i)
        limit = self.timeout if limit is None else limit
        deadline = time.monotonic() + limit
        wanted = f"type={type_!r} {fields}" + (" +where" if where else "")
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            try:
                m = self.recv(timeout=remaining)
            except websocket.WebSocketTimeoutException:
                break
            except WSClosed as e:
                pytest.fail(f"waiting for {wanted}: {e}; got before: {self.received[-20:]}")
            except (OSError, websocket.WebSocketConnectionClosedException) as e:
                pytest.fail(f"waiting for {wanted}: connection lost ({e!r}); got before: {self.received[-20:]}")
            if matches(m):
                return m
            self.pending.append(m)
        pytest.fail(f"no message {wanted} within {limit:.0f}s; got: {self.received[-20:]}")

    def expect_close(self, limit: float | None = None) -> int:
        """Reads until the server's close frame and returns its code (other messages go to
        `pending`). Fails if the connection ends without a close frame or stays open."""
        if self.close_code is not None:
            return self.close_code
        limit = self.timeout if limit is None else limit
        deadline = time.monotonic() + limit
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            try:
                self.pending.append(self.recv(timeout=remaining))
            except WSClosed as e:
                return e.code
            except websocket.WebSocketTimeoutException:
                break
            except (OSError, websocket.WebSocketConnectionClosedException) as e:
                pytest.fail(f"connection ended without a close frame ({e!r}); got: {self.received[-20:]}")
        pytest.fail(f"connection still open after {limit:.0f}s; got: {self.received[-20:]}")

    def close(self) -> None:
        try:
            if self.ws.connected:
                self.ws.close(timeout=2)
            else:
                self.ws.shutdown()
        except (OSError, websocket.WebSocketException):
            pass


# --- fixtures --------------------------------------------------------------------


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"_huddle_rep_{report.when}", report)


def _failed(request) -> bool:
    return any(
        getattr(getattr(request.node, f"_huddle_rep_{when}", None), "failed", False)
        for when in ("setup", "call")
    )


@pytest.fixture
def huddle_factory(tmp_path, request):
    """huddle_factory(data_dir=None, port=None, *, host="127.0.0.1", args=(), env=None,
    flags=True, ready_limit=READY_LIMIT, start=True) -> HuddleProcess.

    Without `data_dir`, each process gets a new empty directory under `tmp_path`. Pass an
    earlier process's `data_dir` to restart on it."""
    made: list[HuddleProcess] = []

    def make(data_dir: os.PathLike | str | None = None, port: int | None = None, *, start: bool = True,
             **kwargs: Any) -> HuddleProcess:
        n = next(_counter)
        if data_dir is None:
            data_dir = tmp_path / f"data-{n}"
            data_dir.mkdir()
        kwargs.setdefault("log_dir", tmp_path / f"logs-{n}")
        proc = HuddleProcess(data_dir, port, **kwargs)
        made.append(proc)
        if start:
            proc.start()
        return proc

    yield make

    failed = _failed(request)
    error: BaseException | None = None
    for proc in made:
        try:
            proc.stop()
        except BaseException as e:  # noqa: BLE001 - clean up every process, then report
            proc.kill()
            error = error or e
        if (failed or error) and proc.proc is not None:
            sys.stderr.write(f"\n=== {proc!r} command: {proc.command}\n{proc.describe_output()}\n")
    if error is not None:
        raise error


@pytest.fixture
def huddle_bin() -> Path:
    """Path of the huddle binary; fails the test if it is not there."""
    if not (HUDDLE_BIN.is_file() and os.access(HUDDLE_BIN, os.X_OK)):
        pytest.fail(f"huddle binary not found at {HUDDLE_BIN}: run `swift build` or set HUDDLE_BIN",
                    pytrace=False)
    return HUDDLE_BIN


@pytest.fixture
def huddle(huddle_factory) -> HuddleProcess:
    """A started huddle on a free loopback port with a fresh data dir."""
    return huddle_factory()


@pytest.fixture
def ws_connect():
    """ws_connect(target, name=None, timeout=15) -> WSClient; target is a HuddleProcess
    or a ws:// URL. Every client is closed at teardown."""
    clients: list[WSClient] = []

    def connect(target: HuddleProcess | str, name: str | None = None, timeout: float = WS_LIMIT) -> WSClient:
        url = target.ws_url if isinstance(target, HuddleProcess) else str(target)
        if name is not None:
            url += ("&" if "?" in url else "?") + "name=" + quote(name)
        client = WSClient(url, timeout=timeout)
        clients.append(client)
        return client

    yield connect
    for c in clients:
        c.close()
