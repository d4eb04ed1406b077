"""OpenTelemetry tracing against the real binary: a small OTLP/HTTP receiver in the test takes
what the server exports (protobuf, as a collector would) and the tests read the spans.

- Off unless an endpoint is configured: no `traceparent` on responses, nothing exported.
- An HTTP request's span continues the caller's W3C trace (`traceparent` in), is returned to
  the caller (`traceparent` out), and is the parent of the store write it caused; the
  request's log line carries the trace and span ids.
- A realtime command is a span of its own with the store write as its child.
- On PostgreSQL and Redis (the rigs of scripts/test): the Redis commands and the PostgreSQL
  append are children of the request or command that caused them.
"""

from __future__ import annotations

import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2
from opentelemetry.proto.trace.v1 import trace_pb2

from conftest import shared_backends, wait_until

HTTP_TIMEOUT = 30
EXPORT_LIMIT = 20  # seconds for spans to reach the receiver (the batch delay is 100 ms)


class Receiver:
    """An OTLP/HTTP trace receiver: `POST /v1/traces` with an ExportTraceServiceRequest."""

    def __init__(self) -> None:
        self.spans: list[dict] = []
        self.paths: list[str] = []
        self.resources: list[dict] = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers["Content-Length"]))
                request = trace_service_pb2.ExportTraceServiceRequest()
                request.ParseFromString(body)
                with receiver.lock:
                    receiver.paths.append(self.path)
                    for resource_spans in request.resource_spans:
                        receiver.resources.append(
                            {a.key: a.value.string_value for a in resource_spans.resource.attributes})
                        for scope_spans in resource_spans.scope_spans:
                            receiver.spans += [_span(s) for s in scope_spans.spans]
                reply = trace_service_pb2.ExportTraceServiceResponse().SerializeToString()
                self.send_response(200)
                self.send_header("Content-Type", "application/x-protobuf")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def find(self, **wanted) -> list[dict]:
        with self.lock:
            return [s for s in self.spans if all(s.get(k) == v for k, v in wanted.items())]

    def wait_for(self, what: str, **wanted) -> dict:
        found = wait_until(lambda: self.find(**wanted), EXPORT_LIMIT)
        assert found, f"no span {what} ({wanted}) among {self.spans}"
        return found[0]

    def close(self) -> None:
        self.server.shutdown()


def _span(span: trace_pb2.Span) -> dict:
    attributes = {}
    for a in span.attributes:
        kind = a.value.WhichOneof("value")
        attributes[a.key] = getattr(a.value, kind) if kind else None
    return {
        "name": span.name,
        "trace": span.trace_id.hex(),
        "id": span.span_id.hex(),
        "parent": span.parent_span_id.hex(),
        "kind": trace_pb2.Span.SpanKind.Name(span.kind),
        "status": trace_pb2.Status.StatusCode.Name(span.status.code),
        "attributes": attributes,
    }


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


def tracing_env(receiver: Receiver) -> dict[str, str]:
    # A short batch delay so that spans arrive within the test; the endpoint is the base URL
    # (the exporter adds /v1/traces), as the variable means for every OTLP exporter.
    return {"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint, "OTEL_BSP_SCHEDULE_DELAY": "100"}


def traceparent() -> tuple[str, str, str]:
    trace, parent = secrets.token_hex(16), secrets.token_hex(8)
    return f"00-{trace}-{parent}-01", trace, parent


def request_line(huddle, request_id: str) -> dict:
    line = wait_until(
        lambda: next((l for l in huddle.lines() if l.get("message") == "request" and l.get("requestId") == request_id), None),
        10)
    assert line, f"no log line for request {request_id}:\n{huddle.describe_output()}"
    return line


def test_tracing_is_off_without_an_endpoint(huddle):
    header, _, _ = traceparent()
    r = requests.get(huddle.url("/counter/off"), headers={"traceparent": header, "X-Request-Id": "off-1"},
                     timeout=HTTP_TIMEOUT)
    assert r.status_code == 200
    assert "traceparent" not in r.headers
    assert "traceId" not in request_line(huddle, "off-1")


def test_a_request_continues_the_callers_trace_and_parents_its_store_write(huddle_factory, receiver):
    huddle = huddle_factory(env=tracing_env(receiver))
    header, trace, parent = traceparent()
    r = requests.get(huddle.url("/counter/traced"), headers={"traceparent": header, "X-Request-Id": "traced-1"},
                     timeout=HTTP_TIMEOUT)
    assert r.status_code == 200, r.text

    # The caller learns the trace and the server span's id.
    version, returned_trace, span_id, flags = r.headers["traceparent"].split("-")
    assert (version, returned_trace, flags) == ("00", trace, "01")
    assert span_id != parent

    server = receiver.wait_for("for the request", trace=trace, kind="SPAN_KIND_SERVER")
    assert server["id"] == span_id
    assert server["parent"] == parent
    assert server["name"] == "GET /counter/{id}"
    assert server["attributes"]["http.response.status_code"] == 200
    assert server["attributes"]["http.route"] == "/counter/{id}"
    assert server["attributes"]["huddle.request_id"] == "traced-1"

    write = receiver.wait_for("for the increment", trace=trace, name="store.increment")
    assert write["parent"] == server["id"]
    assert write["kind"] == "SPAN_KIND_CLIENT"
    assert write["attributes"]["db.system.name"] == "sqlite"
    assert write["attributes"]["huddle.store.key"] == "traced"

    line = request_line(huddle, "traced-1")
    assert (line["traceId"], line["spanId"]) == (trace, span_id)
    assert receiver.paths and set(receiver.paths) == {"/v1/traces"}
    assert receiver.resources[0].get("service.name") == "huddle"


def test_a_request_without_a_trace_starts_one(huddle_factory, receiver):
    huddle = huddle_factory(args=["--otlp-endpoint", receiver.endpoint], env={"OTEL_BSP_SCHEDULE_DELAY": "100"})
    r = requests.get(huddle.url("/api/v1/boards/nope"), timeout=HTTP_TIMEOUT)
    assert r.status_code == 404
    _, trace, span_id, _ = r.headers["traceparent"].split("-")
    server = receiver.wait_for("for the request", trace=trace, id=span_id)
    assert server["parent"] == ""
    assert server["status"] != "STATUS_CODE_ERROR"  # a 404 is the client's, not the server's


def test_a_realtime_command_is_a_trace_with_its_store_write_inside(huddle_factory, receiver, ws_connect):
    huddle = huddle_factory(env=tracing_env(receiver))
    ws = ws_connect(huddle, name="Ada")
    ws.expect("welcome")
    ws.send({"type": "command", "id": "c1", "channel": "counter:traced-ws", "name": "increment", "data": {}})
    ws.expect("ack", id="c1")

    command = receiver.wait_for("for the command", name="realtime.command counter")
    assert command["parent"] == ""
    assert command["attributes"]["huddle.channel"] == "counter:traced-ws"
    assert command["attributes"]["huddle.command"] == "increment"
    write = receiver.wait_for("for the increment", trace=command["trace"], name="store.increment")
    assert write["parent"] == command["id"]


def test_redis_and_postgres_calls_are_children_of_what_caused_them(huddle_factory, receiver, ws_connect):
    env = shared_backends("the tracing test on PostgreSQL and Redis") | tracing_env(receiver)
    huddle = huddle_factory(env=env)

    # A counter increment on Redis: the increment (batched: INCRBY), the WAIT for a replica
    # and the PUBLISH of the new count, inside the request.
    header, trace, _ = traceparent()
    cid = "traced-" + secrets.token_hex(4)
    r = requests.post(huddle.url(f"/api/v1/counters/{cid}/increment"), headers={"traceparent": header},
                      timeout=HTTP_TIMEOUT)
    assert r.status_code == 200, r.text
    server = receiver.wait_for("for the request", trace=trace, kind="SPAN_KIND_SERVER")
    for command in ("INCRBY", "WAIT", "PUBLISH"):
        span = receiver.wait_for(f"for {command}", trace=trace, name=command)
        assert span["attributes"]["db.system.name"] == "redis"
        assert span["kind"] == "SPAN_KIND_CLIENT"
        assert _ancestors(receiver, span)[-1]["id"] == server["id"]

    # A board created over HTTP: the append to PostgreSQL inside the request.
    header, trace, _ = traceparent()
    token = requests.post(huddle.url("/api/v1/auth/guest"), timeout=HTTP_TIMEOUT).json()
    r = requests.post(huddle.url("/api/v1/boards"), json={"name": "Traced"}, timeout=HTTP_TIMEOUT,
                      headers={"traceparent": header, "Authorization": f"Bearer {token['accessToken']}"})
    assert r.status_code in (200, 201), r.text
    server = receiver.wait_for("for the board create", trace=trace, kind="SPAN_KIND_SERVER")
    append = receiver.wait_for("for the append", trace=trace, name="store.append")
    assert append["attributes"]["db.system.name"] == "postgresql"
    assert _ancestors(receiver, append)[-1]["id"] == server["id"]


def _ancestors(receiver: Receiver, span: dict) -> list[dict]:
    """The chain of parents of `span` that the receiver has, nearest first."""
    by_id = {s["id"]: s for s in receiver.find(trace=span["trace"])}
    chain, current = [], span
    while current["parent"] in by_id:
        current = by_id[current["parent"]]
        chain.append(current)
    return chain
