"""Redis over TLS against the real binary: a TLS-only Redis master, its replica (replicating
over TLS) and a TLS Sentinel, started by the test on loopback with a CA and a server
certificate made fresh by openssl for each run.

- `rediss://` with `redis.tls-ca-file`: counters (INCRBY + WAIT through the replica) and the
  broker's pub/sub work over TLS.
- Sentinels over TLS (`redis.tls on`): the master is found and used through them.
- A certificate that does not chain to a trusted CA is refused: `/ping` fails, requests that
  need Redis get 503, the log says why, and the password never reaches the log.
- A CA file that cannot be read stops the start with a message naming it.
"""

from __future__ import annotations

import secrets
import shutil
import subprocess
from pathlib import Path

import pytest
import requests

from conftest import free_port, wait_until

HTTP_TIMEOUT = 30
PASSWORD = "tls-" + secrets.token_hex(12)
SENTINEL_PASSWORD = "tls-sentinel-" + secrets.token_hex(12)


def _need(tool: str) -> None:
    if shutil.which(tool) is None:
        pytest.fail(f"{tool} is missing: scripts/install-deps installs it", pytrace=False)


class TLSRedis:
    """Master, replica and Sentinel speaking only TLS, with their certificates."""

    def __init__(self, root: Path) -> None:
        for tool in ("openssl", "redis-server", "redis-sentinel", "redis-cli"):
            _need(tool)
        self.root = root
        root.mkdir(parents=True)
        self.ca = root / "ca.crt"
        self._make_certificates()
        self.master_port, self.replica_port, self.sentinel_port = free_port(), free_port(), free_port()
        self.processes: list[subprocess.Popen] = []
        self._start("master", self.master_port)
        self._start("replica", self.replica_port, f"replicaof 127.0.0.1 {self.master_port}")
        wait_until(lambda: "master_link_status:up" in self.cli(self.replica_port, PASSWORD, "info", "replication"), 20)
        self._start("sentinel", self.sentinel_port, sentinel=True)
        wait_until(lambda: str(self.master_port) in self.cli(
            self.sentinel_port, SENTINEL_PASSWORD, "sentinel", "get-master-addr-by-name", "huddle"), 20)

    def _make_certificates(self) -> None:
        def openssl(*args: str) -> None:
            subprocess.run(["openssl", *args], cwd=self.root, check=True, capture_output=True)

        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
                "-days", "1", "-subj", "/CN=Huddle test CA")
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
                "-subj", "/CN=localhost")
        (self.root / "san.ext").write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
        openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "server.crt", "-days", "1", "-extfile", "san.ext")

    def _start(self, name: str, port: int, extra: str = "", sentinel: bool = False) -> None:
        directory = self.root / name
        directory.mkdir()
        lines = [
            "bind 127.0.0.1", "port 0", f"tls-port {port}", f"dir {directory}", "save \"\"", "appendonly no",
            f"tls-cert-file {self.root / 'server.crt'}", f"tls-key-file {self.root / 'server.key'}",
            f"tls-ca-cert-file {self.ca}", "tls-auth-clients no", "tls-replication yes",
            f"logfile {directory / 'log'}",
        ]
        if sentinel:
            lines += [f"requirepass {SENTINEL_PASSWORD}", f"sentinel monitor huddle 127.0.0.1 {self.master_port} 1",
                      f"sentinel auth-pass huddle {PASSWORD}", "sentinel down-after-milliseconds huddle 5000"]
        else:
            lines += [f"requirepass {PASSWORD}", f"masterauth {PASSWORD}", extra]
        # Written fresh each run: Sentinel rewrites its file.
        config = directory / "redis.conf"
        config.write_text("\n".join(lines) + "\n")
        binary = "redis-sentinel" if sentinel else "redis-server"
        self.processes.append(subprocess.Popen([binary, str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        wait_until(lambda: self.cli(port, SENTINEL_PASSWORD if sentinel else PASSWORD, "ping") == "PONG", 20)

    def cli(self, port: int, password: str, *command: str) -> str:
        done = subprocess.run(
            ["redis-cli", "-h", "127.0.0.1", "-p", str(port), "--tls", "--cacert", str(self.ca), "--no-auth-warning",
             "-a", password, *command], capture_output=True, text=True, timeout=10)
        return done.stdout.strip()

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture
def tls_redis(tmp_path):
    redis = TLSRedis(tmp_path / "redis")
    yield redis
    redis.stop()


def increment(huddle, counter: str) -> int:
    r = requests.post(huddle.url(f"/api/v1/counters/{counter}/increment"), timeout=HTTP_TIMEOUT)
    assert r.status_code == 200, r.text
    return r.json()["count"]


def test_counters_and_pub_sub_over_rediss(huddle_factory, ws_connect, tls_redis):
    env = {"HUDDLE_REDIS_URL": f"rediss://:{PASSWORD}@127.0.0.1:{tls_redis.master_port}/0",
           "HUDDLE_REDIS_TLS_CA_FILE": str(tls_redis.ca)}
    first, second = huddle_factory(env=env), huddle_factory(env=env)
    counter = "tls-" + secrets.token_hex(4)

    ws = ws_connect(second)
    ws.send({"type": "subscribe", "channel": f"counter:{counter}"})
    ws.expect("subscribed", channel=f"counter:{counter}")
    assert [increment(first, counter) for _ in range(3)] == [1, 2, 3]
    # The other replica hears of it through Redis pub/sub, over TLS.
    ws.expect("event", channel=f"counter:{counter}", where=lambda m: m.get("offset") == 3)
    # Acknowledged only once the replica had it: it is there.
    assert tls_redis.cli(tls_redis.replica_port, PASSWORD, "get", f"huddle:counter:{counter}") == "3"
    assert PASSWORD not in first.output() + second.output()


def test_sentinels_over_tls(huddle_factory, tls_redis):
    huddle = huddle_factory(env={
        "HUDDLE_REDIS_SENTINELS": f"127.0.0.1:{tls_redis.sentinel_port}",
        "HUDDLE_REDIS_MASTER_NAME": "huddle",
        "HUDDLE_REDIS_PASSWORD": PASSWORD,
        "HUDDLE_REDIS_SENTINEL_PASSWORD": SENTINEL_PASSWORD,
        "HUDDLE_REDIS_TLS": "on",
        "HUDDLE_REDIS_TLS_CA_FILE": str(tls_redis.ca),
    })
    counter = "tls-" + secrets.token_hex(4)
    assert [increment(huddle, counter) for _ in range(2)] == [1, 2]
    assert any(l.get("message") == "Using Redis" and "(tls)" in l.get("redis", "") for l in huddle.lines())


def test_a_certificate_from_an_untrusted_ca_is_refused(huddle_factory, tls_redis):
    # No CA file: the system's CAs do not include the test's own.
    huddle = huddle_factory(env={"HUDDLE_REDIS_URL": f"rediss://:{PASSWORD}@127.0.0.1:{tls_redis.master_port}/0"},
                            start=False)
    huddle.start()
    # Readiness leaves the shared Redis out (docs/OPERATIONS.md), but /ping includes it, and an
    # increment (which needs Redis) is refused rather than half done.
    assert requests.get(huddle.url("/ping"), timeout=HTTP_TIMEOUT).status_code == 500
    r = requests.post(huddle.url("/api/v1/counters/untrusted/increment"), timeout=HTTP_TIMEOUT)
    assert r.status_code == 503, r.text
    assert "requestId" in r.json()
    assert wait_until(lambda: "CERTIFICATE_VERIFY_FAILED" in huddle.output(), 15), huddle.describe_output()
    assert PASSWORD not in huddle.output()


def test_a_missing_ca_file_stops_the_start(huddle_factory, tmp_path):
    huddle = huddle_factory(env={"HUDDLE_REDIS_URL": "rediss://:pw@127.0.0.1:6379/0",
                                 "HUDDLE_REDIS_TLS_CA_FILE": str(tmp_path / "nope.pem")}, start=False)
    huddle.proc = subprocess.Popen(huddle.command, env=huddle.environment, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True)
    output, _ = huddle.proc.communicate(timeout=30)
    assert huddle.proc.returncode != 0
    assert "redis.tls-ca-file" in output and "nope.pem" in output
