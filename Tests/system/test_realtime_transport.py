"""The realtime transport over real sockets, byte by byte (docs/PROTOCOL.md, "Connection").

A raw client (`RawSocket`) speaks RFC 6455 itself, so that it can do what a library would not:
send an unmasked frame, a header that announces 10 MB, invalid UTF-8, fragments; stop reading;
or go silent without closing (a half-open peer). No test asserts a timing: every wait is a
generous upper bound.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import struct
import threading
import time
import uuid

import requests

from clients import new_guest
from conftest import WSClosed, wait_until

LIMIT = 30.0


class RawSocket:
    """A WebSocket client on a plain socket: frames in and out as the test builds them."""

    def __init__(self, huddle, *, receive_buffer: int | None = None, headers: dict[str, str] | None = None) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if receive_buffer is not None:  # before connect, so that the window stays small
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
        self.sock.settimeout(LIMIT)
        self.sock.connect((huddle.host, huddle.port))
        key = base64.b64encode(os.urandom(16)).decode()
        extra = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
        self.sock.sendall(
            (f"GET /api/v1/realtime HTTP/1.1\r\nHost: {huddle.host}:{huddle.port}\r\nUpgrade: websocket\r\n"
             f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n{extra}\r\n").encode())
        self.buffer = b""
        head = self._read_until(b"\r\n\r\n")
        self.status = int(head.split(b" ", 2)[1])
        self.head = head.decode("latin-1")

    def _read_until(self, marker: bytes) -> bytes:
        while marker not in self.buffer:
            chunk = self.sock.recv(65536)
            assert chunk, f"connection closed; got {self.buffer[:300]!r}"
            self.buffer += chunk
        head, self.buffer = self.buffer.split(marker, 1)
        return head

    def _read_exactly(self, n: int) -> bytes:
        while len(self.buffer) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError("the server closed the socket")
            self.buffer += chunk
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    # sending
    def send_frame(self, opcode: int, payload: bytes, *, fin: bool = True, masked: bool = True, length: int | None = None) -> None:
        """One frame; `length` overrides the announced payload length (the payload is sent as given)."""
        announced = len(payload) if length is None else length
        first = (0x80 if fin else 0) | opcode
        mask_bit = 0x80 if masked else 0
        if announced < 126:
            header = struct.pack("!BB", first, mask_bit | announced)
        elif announced <= 0xFFFF:
            header = struct.pack("!BBH", first, mask_bit | 126, announced)
        else:
            header = struct.pack("!BBQ", first, mask_bit | 127, announced)
        if masked:
            key = os.urandom(4)
            payload = bytes(b ^ key[i % 4] for i, b in enumerate(payload))
            header += key
        self.sock.sendall(header + payload)

    def send_json(self, message: dict) -> None:
        self.send_frame(0x1, json.dumps(message).encode())

    # receiving
    def recv_frame(self) -> tuple[int, bytes]:
        first, second = self._read_exactly(2)
        assert second & 0x80 == 0, "a server frame is never masked"
        length = second & 0x7F
        if length == 126:
            length = struct.unpack("!H", self._read_exactly(2))[0]
        elif length == 127:
            length = struct.unpack("!Q", self._read_exactly(8))[0]
        return first & 0x0F, self._read_exactly(length)

    def expect(self, type_: str) -> dict:
        while True:
            opcode, payload = self.recv_frame()
            if opcode == 0x8:
                raise WSClosed(*self.close_of(payload))
            if opcode == 0x1:
                message = json.loads(payload)
                if message.get("type") == type_:
                    return message

    @staticmethod
    def close_of(payload: bytes) -> tuple[int, str]:
        code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else 1005
        return code, payload[2:].decode("utf-8", "replace")

    def expect_close(self) -> int:
        """Reads (answering nothing) until the server's close frame; its code."""
        while True:
            opcode, payload = self.recv_frame()
            if opcode == 0x8:
                return self.close_of(payload)[0]

    def closed_by_server(self) -> bool:
        """True once the server has closed the TCP connection (reads what is left)."""
        try:
            while True:
                if not self.sock.recv(65536):
                    return True
        except (ConnectionResetError, BrokenPipeError):
            return True

    def close(self) -> None:
        self.sock.close()


def subscribe(client: RawSocket, channel: str, since: int = 0) -> dict:
    client.send_json({"type": "subscribe", "channel": channel, "since": since})
    return client.expect("subscribed")


def test_the_upgrade_answers_101_with_the_accept_key_and_a_request_id(huddle):
    client = RawSocket(huddle)
    assert client.status == 101, client.head
    assert "sec-websocket-accept:" in client.head.lower() and "x-request-id:" in client.head.lower(), client.head
    assert client.expect("welcome")["connectionId"]
    client.close()


def test_a_ping_is_answered_with_a_pong_carrying_its_payload(huddle):
    client = RawSocket(huddle)
    client.expect("welcome")
    client.send_frame(0x9, b"are you there")
    assert client.recv_frame() == (0xA, b"are you there")
    client.close()


def test_a_fragmented_message_is_reassembled(huddle):
    client = RawSocket(huddle)
    client.expect("welcome")
    text = json.dumps({"type": "ping", "id": "in-three-parts"}).encode()
    client.send_frame(0x1, text[:5], fin=False)
    client.send_frame(0x9, b"between")  # a control frame may come between fragments
    client.send_frame(0x0, text[5:12], fin=False)
    client.send_frame(0x0, text[12:])
    assert client.recv_frame() == (0xA, b"between")
    assert client.expect("pong")["id"] == "in-three-parts"
    client.close()


def test_an_unmasked_frame_is_a_protocol_error(huddle):
    client = RawSocket(huddle)
    client.expect("welcome")
    client.send_frame(0x1, b'{"type":"ping"}', masked=False)
    assert client.expect_close() == 1002
    assert client.closed_by_server()


def test_text_that_is_not_utf8_is_closed_with_1007(huddle):
    client = RawSocket(huddle)
    client.expect("welcome")
    client.send_frame(0x1, b'{"type":"ping","id":"\xff\xfe"}')
    assert client.expect_close() == 1007


def test_a_frame_announcing_more_than_the_limit_is_closed_with_1009_before_its_payload(huddle):
    """Only the header is sent: the server refuses on what it announces, without buffering it."""
    client = RawSocket(huddle)
    client.expect("welcome")
    client.send_frame(0x1, b"", length=10 * 1024 * 1024)
    assert client.expect_close() == 1009
    assert client.closed_by_server()


def test_fragments_adding_up_past_the_limit_are_closed_with_1009(huddle):
    client = RawSocket(huddle)
    client.expect("welcome")
    part = b"x" * 40_000
    client.send_frame(0x1, part, fin=False)
    client.send_frame(0x0, part, fin=False)  # 80,000 bytes > the 65,536 of ws.max-message
    assert client.expect_close() == 1009


def test_repeated_bad_frames_close_with_1008_even_with_good_ones_between(huddle):
    client = RawSocket(huddle)
    client.expect("welcome")
    code = None
    for n in range(200):
        try:
            client.send_frame(0x1, b"not json")
            if n % 2 == 0:
                client.send_json({"type": "ping", "id": f"good-{n}"})
        except (BrokenPipeError, ConnectionResetError):
            break
    code = client.expect_close()
    assert code == 1008


def test_the_closing_handshake_is_echoed_then_the_socket_closed(huddle):
    client = RawSocket(huddle)
    client.expect("welcome")
    client.send_frame(0x8, struct.pack("!H", 1000) + b"bye")
    assert client.expect_close() == 1000
    assert client.closed_by_server()


def test_a_half_open_client_is_reaped_and_one_that_answers_pings_is_not(huddle_factory):
    huddle = huddle_factory(args=["--ws-ping-interval", "1"])
    silent = RawSocket(huddle)  # reads, but never answers a ping nor sends anything
    silent.expect("welcome")
    lively = RawSocket(huddle)
    lively.expect("welcome")
    pings = 0
    deadline = time.monotonic() + LIMIT
    while pings < 4 and time.monotonic() < deadline:
        opcode, payload = lively.recv_frame()
        if opcode == 0x9:
            pings += 1
            lively.send_frame(0xA, payload)
    assert pings == 4, "the server pings every ws.ping-interval"
    saw_ping = False
    while True:
        try:
            opcode, _ = silent.recv_frame()
        except EOFError:
            break
        saw_ping = saw_ping or opcode == 0x9
    assert saw_ping, "pinged before being dropped"
    # The one that answered is still served.
    lively.send_json({"type": "ping", "id": "still-here"})
    assert lively.expect("pong")["id"] == "still-here"
    lively.close()


def test_a_client_that_half_closes_is_closed_and_ends_its_session(huddle_factory):
    """A client that shuts its side (FIN, no close frame, as websocket-client's shutdown does
    after a 1012) sends nothing more: the server closes the socket and the session ends, rather
    than holding it until the next ping finds it silent (which made every drain wait its whole
    timeout for such clients)."""
    huddle = huddle_factory(args=["--ws-ping-interval", "600"])
    client = RawSocket(huddle)
    client.expect("welcome")
    client.send_json({"type": "subscribe", "channel": f"counter:half-{uuid.uuid4().hex[:8]}"})
    client.expect("subscribed")
    client.sock.shutdown(socket.SHUT_WR)
    while True:  # until the server's FIN: anything before it is read and dropped
        try:
            client.recv_frame()
        except EOFError:
            break

    def connections() -> float:
        text = requests.get(huddle.url("/metrics"), timeout=LIMIT).text
        return next(float(line.split()[-1]) for line in text.splitlines() if line.startswith("huddle_websocket_connections "))

    assert wait_until(lambda: connections() == 0, limit=LIMIT), connections()


def _rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


def _drain_in_background(client: RawSocket) -> threading.Thread:
    def run() -> None:
        try:
            while True:
                client.recv_frame()
        except (EOFError, OSError):
            pass

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_a_client_that_stops_reading_is_closed_with_4000_and_memory_stays_bounded(huddle):
    """Signals of 60 KB go to a subscriber that never reads. The server cuts it off once its
    unsent bytes pass ws.send-buffer (1 MB) instead of holding what it cannot send: a queue of
    1,024 such frames would be 60 MB."""
    channel = f"counter:flood-{uuid.uuid4().hex[:8]}"
    stalled = RawSocket(huddle, receive_buffer=4096)
    stalled.expect("welcome")
    subscribe(stalled, channel, since=-1)
    publishers = []
    for _ in range(3):
        publisher = RawSocket(huddle)
        publisher.expect("welcome")
        subscribe(publisher, channel, since=-1)
        _drain_in_background(publisher)  # they read each other's signals
        publishers.append(publisher)
    baseline = _rss_kib(huddle.pid)
    peak = baseline
    blob = "x" * 60_000
    closes = 0
    deadline = time.monotonic() + 60
    sent = 0
    while time.monotonic() < deadline and closes == 0:
        for publisher in publishers:
            publisher.send_json({"type": "signal", "channel": channel, "name": "blob", "data": {"b": blob}})
            sent += 1
        time.sleep(1 / 40)  # under the 50 signals a second a connection may send
        peak = max(peak, _rss_kib(huddle.pid))
        if sent % 30 == 0:
            metrics = requests.get(huddle.url("/metrics"), timeout=LIMIT).text
            closes = sum(float(line.rsplit(" ", 1)[1]) for line in metrics.splitlines()
                         if line.startswith("huddle_websocket_forced_closes_total") and 'reason="slow_consumer"' in line)
    assert closes == 1, f"the stalled client was not cut off after {sent} signals"
    assert stalled.expect_close() == 4000
    assert (peak - baseline) < 32 * 1024, f"RSS grew by {(peak - baseline) // 1024} MB while a client did not read"
    for publisher in publishers:
        publisher.close()


def test_replay_then_live_has_no_gap_and_no_duplicate_while_appends_race(huddle):
    """Boxes are added over HTTP while clients subscribe from offset 0 at different moments:
    each sees every stored offset exactly once, in order (replay, then live, with no seam)."""
    guest = new_guest(huddle)
    board = requests.post(huddle.url("/api/v1/boards"), json={"name": "race"}, headers=guest.headers,
                          timeout=LIMIT)
    assert board.status_code == 201, board.text
    board_id = board.json()["id"]
    stop = threading.Event()
    head = {"offset": 1}
    lock = threading.Lock()

    def append() -> None:
        with requests.Session() as http:
            while not stop.is_set():
                r = http.post(huddle.url(f"/api/v1/boards/{board_id}/commands"), headers=guest.headers,
                              json={"name": "addBox", "data": {}}, timeout=LIMIT)
                assert r.status_code == 200, r.text
                with lock:
                    head["offset"] = max(head["offset"], r.json()["offset"])

    writers = [threading.Thread(target=append, daemon=True) for _ in range(3)]
    for writer in writers:
        writer.start()
    clients = []
    for _ in range(4):
        wait_until(lambda: head["offset"] >= 20 * (len(clients) + 1), LIMIT, interval=0.01)
        client = RawSocket(huddle)
        client.expect("welcome")
        client.send_json({"type": "subscribe", "channel": f"board:{board_id}", "since": 0})
        clients.append(client)
    wait_until(lambda: head["offset"] >= 200, LIMIT, interval=0.01)
    stop.set()
    for writer in writers:
        writer.join(LIMIT)
    final = head["offset"]
    for client in clients:
        offsets = []
        while not offsets or offsets[-1] < final:
            opcode, payload = client.recv_frame()
            if opcode == 0x1 and json.loads(payload).get("type") == "event":
                offsets.append(json.loads(payload)["offset"])
        assert offsets == list(range(1, final + 1)), f"a gap or a duplicate: {offsets}"
        client.close()
