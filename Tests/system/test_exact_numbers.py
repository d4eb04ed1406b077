"""Numbers reach the others as the client sent them (docs/PROTOCOL.md, "Numbers"): 64-bit
integers beyond a Double's 2^53 in a signal's data, and a board's numbers through its stored
events (live, replayed, and read over HTTP). Python's json keeps integers exact, so `==`
compares what the server wrote, and `int` and `float` stay apart.
"""

from __future__ import annotations

import uuid

import requests

from clients import new_guest

HTTP_TIMEOUT = 30
EXACT = {"t": 2**53 + 1, "min": -(2**63), "max": 2**63 - 1, "u": 2**64 - 1, "x": 1.5, "big": 1e300}


def test_a_signal_carries_64_bit_integers_exactly(huddle, ws_connect):
    channel = f"counter:exact-{uuid.uuid4().hex[:8]}"
    ada, bob = ws_connect(huddle, name="Ada"), ws_connect(huddle, name="Bob")
    for client in (ada, bob):
        client.expect("welcome")
        client.send({"type": "subscribe", "channel": channel, "since": 0})
        client.expect("subscribed", channel=channel)
    bob.send({"type": "signal", "channel": channel, "name": "clock", "data": EXACT})
    signal = ada.expect("signal", channel=channel)
    assert signal["data"] == EXACT, signal
    assert isinstance(signal["data"]["t"], int), signal


def test_a_board_keeps_its_numbers_through_stored_events_and_http(huddle, ws_connect):
    guest = new_guest(huddle)
    created = requests.post(huddle.url("/api/v1/boards"), json={"name": "exact"}, headers=guest.headers,
                            timeout=HTTP_TIMEOUT)
    assert created.status_code == 201, created.text
    channel = f"board:{created.json()['id']}"
    ada = ws_connect(huddle)
    ada.expect("welcome")
    ada.send({"type": "subscribe", "channel": channel, "since": 0})
    ada.expect("subscribed", channel=channel)

    ada.send({"type": "command", "id": "a", "channel": channel, "name": "addBox",
              "data": {"x": 4096, "y": 0.5, "width": 300, "height": 200}})
    added = ada.expect("event", channel=channel, name="boxAdded")["data"]
    assert (added["x"], added["y"], added["width"]) == (4096, 0.5, 300), added
    assert isinstance(added["x"], int) and isinstance(added["z"], int), added
    ada.send({"type": "command", "id": "m", "channel": channel, "name": "moveBox",
              "data": {"boxId": added["id"], "x": 9999, "y": 1.25}})
    moved = ada.expect("event", channel=channel, name="boxMoved")
    assert (moved["data"]["x"], moved["data"]["y"]) == (9999, 1.25), moved
    assert isinstance(moved["data"]["at"], int), moved

    # A coordinate beyond the canvas is refused, not rounded into it.
    ada.send({"type": "command", "id": "far", "channel": channel, "name": "moveBox",
              "data": {"boxId": added["id"], "x": 2**53 + 1, "y": 0}})
    assert ada.expect("error", id="far")["code"] == "bad_request"

    late = ws_connect(huddle)
    late.expect("welcome")
    late.send({"type": "subscribe", "channel": channel, "since": 0})
    late.expect("subscribed", channel=channel)
    replayed = {m["offset"]: m for m in late.received if m.get("type") == "event"}
    assert replayed[moved["offset"]] == moved, "replayed as it went out live"

    r = requests.get(huddle.url(f"/api/v1/boards/{created.json()['id']}"), timeout=HTTP_TIMEOUT)
    assert r.status_code == 200, r.text
    box = r.json()["boxes"][0]
    assert (box["x"], box["y"], box["width"]) == (9999, 1.25, 300), box
