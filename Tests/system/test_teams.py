"""The Teams app (docs/PROTOCOL.md, "The Teams app") end to end against one real `huddle`
on its embedded store: the HTTP API (create, read, list, clubs, the QR code, join, pick,
draw) with each refusal it documents, and the `tournament:{id}` channel (its events in
order, the `hover` signal naming its sender's identity, no channel for a tournament that
does not exist).

Each test has a server of its own, and every player is a guest of their own (players are
told apart by identity). Where the server is at odds with PROTOCOL.md, the test says so: a
strict xfail naming the difference, which fails once it is resolved.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest
import requests

from clients import HTTP_TIMEOUT, Caller, assert_error, bearer, new_guest, new_user, subscribe
from teams import DEFAULT_CLUBS, create, created, draw, everyone_joins_and_picks_at_once, join, joined, pick, read

TOURNAMENT_KEYS = {"id", "name", "playerLimit", "organiser", "drawRule", "createdAt", "clubs", "players", "pairs",
                   "ready", "drawn", "offset", "joinUrl"}


def full_tournament(h, players: int = 2, **body) -> tuple[dict, Caller, list[tuple[Caller, str]]]:
    """A tournament of `players` that all joined: (its body, the organiser, [(guest, playerId)])."""
    organiser = new_guest(h)
    tournament = created(h, organiser, playerLimit=players, **body)
    joiners = []
    for i in range(players):
        guest = new_guest(h)
        joiners.append((guest, joined(h, guest, tournament["id"], f"Player{i}", "Test")))
    return tournament, organiser, joiners


# --- create ---------------------------------------------------------------------------------


def test_a_guest_creates_a_tournament_with_the_documented_defaults_and_a_longer_pass(huddle):
    organiser = new_guest(huddle)
    r = create(huddle, organiser, name="  Spring Cup  ", playerLimit=4)
    assert r.status_code == 201, r.text
    body = r.json()
    assert TOURNAMENT_KEYS <= set(body), body
    assert body["name"] == "Spring Cup", "trimmed"
    assert (body["playerLimit"], body["drawRule"], body["organiser"]) == (4, "random", organiser.id)
    assert [c["name"] for c in body["clubs"]] == DEFAULT_CLUBS
    assert not any("takenBy" in c for c in body["clubs"])
    assert (body["players"], body["pairs"], body["ready"], body["drawn"], body["offset"]) == ([], [], False, False, 1)
    assert isinstance(body["createdAt"], int) and body["createdAt"] > 0
    assert body["joinUrl"] == f"{huddle.base_url}/tournament.html?id={body['id']}"
    assert read(huddle, body["id"]) | {"pass": body["pass"]} == body

    # The pass is an access token for the same guest that lasts longer than a plain one.
    grant = body["pass"]
    assert grant["expiresIn"] > organiser.expires_in, (grant, organiser)
    me = requests.get(huddle.url("/api/v1/auth/me"), headers=bearer(grant["accessToken"]), timeout=HTTP_TIMEOUT)
    assert me.status_code == 200 and me.json()["id"] == organiser.id, me.text
    # It acts as the organiser: the draw is refused for not being ready, not as forbidden.
    assert_error(draw(huddle, Caller(grant["accessToken"], organiser.id, 0), body["id"]), 409, "not_ready")


def test_the_pass_lasts_auth_guest_pass_ttl(huddle_factory):
    h = huddle_factory(args=["--auth-guest-pass-ttl", "7200"])
    assert created(h, new_guest(h))["pass"]["expiresIn"] == 7200


def test_a_user_gets_no_pass_and_may_choose_clubs_and_the_rule(huddle):
    user = new_user(huddle)
    body = created(huddle, user, name="Derby", playerLimit=3, clubs=[" Ajax ", "PSV", "Feyenoord"],
                   drawRule="noOwnClub")
    assert "pass" not in body
    assert body["organiser"] == user.id
    assert [c["name"] for c in body["clubs"]] == ["Ajax", "PSV", "Feyenoord"], "in the organiser's order, trimmed"
    assert body["drawRule"] == "noOwnClub"


INVALID = [
    ({"name": ""}, {"name"}),
    ({"name": "   "}, {"name"}),
    ({"name": "x" * 81}, {"name"}),
    ({"name": "bell\u0007cup"}, {"name"}),
    ({"name": "new\nline"}, {"name"}),
    ({"playerLimit": 1}, {"playerLimit"}),
    ({"playerLimit": 11}, {"playerLimit"}),  # more than the ten default clubs
    ({"playerLimit": 4, "clubs": ["Ajax", "PSV", "Feyenoord"]}, {"playerLimit"}),
    ({"clubs": ["Ajax", "AJAX", "PSV"]}, {"clubs"}),
    ({"clubs": ["Ajax", " ajax"]}, {"clubs"}),
    ({"clubs": ["Ajax"]}, {"clubs"}),
    ({"clubs": []}, {"clubs"}),
    ({"clubs": [f"Club {i}" for i in range(65)], "playerLimit": 2}, {"clubs"}),
    ({"clubs": ["Ajax", "y" * 41]}, {"clubs"}),
    ({"clubs": ["Ajax", ""]}, {"clubs"}),
    ({"drawRule": "mostly"}, {"drawRule"}),
    ({"name": "", "playerLimit": 1}, {"name", "playerLimit"}),
]


def test_each_invalid_field_is_a_400_naming_it(huddle):
    organiser = new_guest(huddle)
    for fields, named in INVALID:
        r = create(huddle, organiser, **fields)
        body = assert_error(r, 400, "bad_request")
        assert set(body.get("fields", {})) == named, (fields, body)
    # The bounds themselves are allowed.
    assert create(huddle, organiser, name="x" * 80).status_code == 201
    assert create(huddle, organiser, playerLimit=10).status_code == 201
    assert create(huddle, organiser, clubs=[f"Club {i}" for i in range(64)], playerLimit=64).status_code == 201
    assert create(huddle, organiser, clubs=["A", "z" * 40]).status_code == 201


def test_a_field_of_the_wrong_type_is_named_too(huddle):
    organiser = new_guest(huddle)
    for fields, named in (({"playerLimit": "4"}, {"playerLimit"}), ({"name": 7}, {"name"}),
                          ({"clubs": "Ajax"}, {"clubs"}), ({"drawRule": 1}, {"drawRule"})):
        body = assert_error(create(huddle, organiser, **fields), 400, "bad_request")
        assert set(body.get("fields", {})) == named, (fields, body)


def test_acting_needs_a_token_and_reading_does_not(huddle):
    organiser = new_guest(huddle)
    tournament = created(huddle, organiser)["id"]
    refused = [
        create(huddle, None),
        requests.get(huddle.url("/api/v1/tournaments"), timeout=HTTP_TIMEOUT),
        join(huddle, None, tournament, "Ada", "Lovelace"),
        pick(huddle, None, tournament, "Chelsea"),
        draw(huddle, None, tournament),
    ]
    refused.append(create(huddle, Caller(organiser.token + "x", organiser.id, 0)))  # an altered token
    for r in refused:
        assert_error(r, 401, "unauthorized")
        assert r.headers.get("WWW-Authenticate") == "Bearer"
    for path in ("", "/clubs", "/qr.svg"):
        r = requests.get(huddle.url(f"/api/v1/tournaments/{tournament}{path}"), timeout=HTTP_TIMEOUT)
        assert r.status_code == 200, (path, r.text)


def test_a_name_is_taken_case_insensitively_after_trimming(huddle):
    ada, bob = new_guest(huddle), new_guest(huddle)
    created(huddle, ada, name="Summer Cup")
    for name in ("Summer Cup", "summer cup", "  SUMMER CUP\t", "Summer Cup "):
        for who in (ada, bob):
            body = assert_error(create(huddle, who, name=name), 409, "name_taken")
            assert "Summer Cup" in body["message"], body
    assert create(huddle, bob, name="Summer  Cup").status_code == 201, "inner white space is part of the name"


# --- read -----------------------------------------------------------------------------------


def test_unknown_and_impossible_ids(huddle):
    guest = new_guest(huddle)
    for path in ("", "/clubs", "/qr.svg"):
        assert_error(requests.get(huddle.url(f"/api/v1/tournaments/nosuch{path}"), timeout=HTTP_TIMEOUT), 404,
                     "not_found")
        for bad in ("a%20b", "x" * 129):
            r = requests.get(huddle.url(f"/api/v1/tournaments/{bad}{path}"), timeout=HTTP_TIMEOUT)
            assert_error(r, 400, "bad_request")
    assert_error(join(huddle, guest, "nosuch", "Ada", "Lovelace"), 404, "not_found")
    assert_error(pick(huddle, guest, "nosuch", "Chelsea"), 404, "not_found")
    assert_error(draw(huddle, guest, "nosuch"), 404, "not_found")
    assert_error(join(huddle, guest, "a%20b", "Ada", "Lovelace"), 400, "bad_request")


def test_the_list_is_the_callers_own_newest_first(huddle):
    ada, bob = new_guest(huddle), new_guest(huddle)
    mine = [created(huddle, ada, playerLimit=2 + i)["id"] for i in range(3)]
    theirs = created(huddle, bob)["id"]
    joined(huddle, bob, mine[0])

    def listing(who, query: str = "") -> requests.Response:
        return requests.get(huddle.url(f"/api/v1/tournaments{query}"), headers=who.headers, timeout=HTTP_TIMEOUT)

    r = listing(ada)
    assert r.status_code == 200, r.text
    entries = r.json()["tournaments"]
    assert [t["id"] for t in entries] == mine[::-1]
    for entry in entries:
        assert set(entry) == {"id", "name", "playerLimit", "players", "drawn", "createdAt"}, entry
    assert {t["id"]: t["players"] for t in entries}[mine[0]] == 1
    assert {t["id"]: t["playerLimit"] for t in entries} == {mine[0]: 2, mine[1]: 3, mine[2]: 4}
    assert [t["id"] for t in listing(bob).json()["tournaments"]] == [theirs]
    assert listing(new_guest(huddle)).json() == {"tournaments": []}

    assert [t["id"] for t in listing(ada, "?limit=2").json()["tournaments"]] == mine[:0:-1]
    assert len(listing(ada, "?limit=1").json()["tournaments"]) == 1
    assert len(listing(ada, "?limit=200").json()["tournaments"]) == 3
    for bad in ("0", "201", "-1", "x", ""):
        assert_error(listing(ada, f"?limit={bad}"), 400, "bad_request")

    many = [created(huddle, bob)["id"] for _ in range(50)]
    assert [t["id"] for t in listing(bob).json()["tournaments"]] == many[::-1], "50 without a limit"
    assert len(listing(bob, "?limit=51").json()["tournaments"]) == 51


def test_an_admin_lists_their_own_tournaments_too(huddle_factory, huddle_bin, tmp_path):
    # Listings are per organiser (one stream each, so that creates never queue on a shared one).
    data_dir = tmp_path / "admin-data"
    data_dir.mkdir()
    h = huddle_factory(data_dir, start=False)
    made = subprocess.run(
        [str(huddle_bin), "user", "create", "--admin", "--username", "boss", "--email", "boss@example.com",
         "--data-dir", str(data_dir)],
        input="admin password 1\n", env=h.environment, capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stdout + made.stderr
    h.start()
    created(h, new_guest(h))
    login = requests.post(h.url("/api/v1/auth/login"), json={"login": "boss", "password": "admin password 1"},
                          timeout=HTTP_TIMEOUT)
    assert login.status_code == 200, login.text
    body = login.json()
    boss = Caller(body["accessToken"], body["user"]["id"], body["expiresIn"])
    mine = created(h, boss)["id"]
    r = requests.get(h.url("/api/v1/tournaments"), headers=boss.headers, timeout=HTTP_TIMEOUT)
    assert r.status_code == 200, r.text
    assert [t["id"] for t in r.json()["tournaments"]] == [mine]


def test_clubs_say_which_are_taken_and_by_whom(huddle):
    organiser = new_guest(huddle)
    tournament = created(huddle, organiser, playerLimit=3)["id"]
    ada = new_guest(huddle)
    player = joined(huddle, ada, tournament, "Ada", "Lovelace")
    assert pick(huddle, ada, tournament, "Chelsea").status_code == 200

    r = requests.get(huddle.url(f"/api/v1/tournaments/{tournament}/clubs"), timeout=HTTP_TIMEOUT)
    assert r.status_code == 200, r.text
    clubs = r.json()["clubs"]
    assert [c["name"] for c in clubs] == DEFAULT_CLUBS
    for club in clubs:
        if club["name"] == "Chelsea":
            assert club["taken"] is True
            assert club["takenBy"] == {"playerId": player, "name": "Ada", "surname": "Lovelace"}
        else:
            assert club["taken"] is False and "takenBy" not in club, club
    assert [c.get("takenBy") for c in read(huddle, tournament)["clubs"]] == [c.get("takenBy") for c in clubs]


@pytest.fixture(scope="module")
def decoder_tools() -> None:
    for tool in ("rsvg-convert", "zbarimg"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is missing: run scripts/install-deps", pytrace=False)


def decode_qr(svg: bytes, tmp_path) -> str:
    """The text of the QR code drawn by `svg` (rendered by rsvg-convert, read by zbar)."""
    source, png = tmp_path / "code.svg", tmp_path / "code.png"
    source.write_bytes(svg)
    subprocess.run(["rsvg-convert", str(source), "-o", str(png)], check=True, timeout=60)
    read_back = subprocess.run(["zbarimg", "--raw", "-q", "-Sbinary", str(png)], capture_output=True, timeout=60)
    assert read_back.returncode == 0, read_back.stderr.decode()
    return read_back.stdout.decode("utf-8")


def test_the_qr_code_is_the_join_link(huddle, decoder_tools, tmp_path):
    tournament = created(huddle, new_guest(huddle))
    assert tournament["id"] in tournament["joinUrl"]
    r = requests.get(huddle.url(f"/api/v1/tournaments/{tournament['id']}/qr.svg"), timeout=HTTP_TIMEOUT)
    assert r.status_code == 200
    assert r.headers["Content-Type"].split(";")[0].strip() == "image/svg+xml"
    assert r.headers.get("X-Request-Id")
    assert decode_qr(r.content, tmp_path) == tournament["joinUrl"]
    # Byte mode, error correction M: the symbol `huddle qr` draws for the link (test_qr.py
    # holds that one to a reference encoder).
    qr = subprocess.run([str(huddle.binary), "qr", "--error-correction", "m", "--", tournament["joinUrl"]],
                        capture_output=True, timeout=60, stdin=subprocess.DEVNULL)
    assert qr.returncode == 0, qr.stderr.decode()
    assert r.content == qr.stdout


def test_the_join_link_follows_the_host_the_request_came_with(huddle, decoder_tools, tmp_path):
    tournament = created(huddle, new_guest(huddle))["id"]
    host = {"Host": "teams.example:8443"}
    body = requests.get(huddle.url(f"/api/v1/tournaments/{tournament}"), headers=host, timeout=HTTP_TIMEOUT).json()
    assert body["joinUrl"] == f"http://teams.example:8443/tournament.html?id={tournament}"
    svg = requests.get(huddle.url(f"/api/v1/tournaments/{tournament}/qr.svg"), headers=host, timeout=HTTP_TIMEOUT)
    assert decode_qr(svg.content, tmp_path) == body["joinUrl"]


def test_the_join_link_is_https_only_when_a_trusted_proxy_says_so(huddle, huddle_factory):
    forwarded = {"X-Forwarded-Proto": "https", "Host": "teams.example"}
    for h, scheme in ((huddle_factory(args=["--trusted-proxies", "127.0.0.1"]), "https"), (huddle, "http")):
        tournament = created(h, new_guest(h))["id"]
        body = requests.get(h.url(f"/api/v1/tournaments/{tournament}"), headers=forwarded, timeout=HTTP_TIMEOUT).json()
        assert body["joinUrl"] == f"{scheme}://teams.example/tournament.html?id={tournament}"


def test_a_host_that_cannot_be_linked_is_refused_before_anything_is_stored(huddle):
    organiser, player = new_guest(huddle), new_guest(huddle)
    bad = {"Host": "bad_host"}
    refused = requests.post(huddle.url("/api/v1/tournaments"), json={"name": "Host Cup", "playerLimit": 2},
                            headers=organiser.headers | bad, timeout=HTTP_TIMEOUT)
    assert_error(refused, 400, "bad_request")
    assert requests.get(huddle.url("/api/v1/tournaments"), headers=organiser.headers,
                        timeout=HTTP_TIMEOUT).json() == {"tournaments": []}
    tournament = created(huddle, organiser, name="Host Cup")["id"]
    refused = requests.post(huddle.url(f"/api/v1/tournaments/{tournament}/players"),
                            json={"name": "Ada", "surname": "Lovelace"}, headers=player.headers | bad,
                            timeout=HTTP_TIMEOUT)
    assert_error(refused, 400, "bad_request")
    assert read(huddle, tournament)["players"] == []


def test_the_join_link_is_the_public_url_when_set(huddle_factory):
    h = huddle_factory(args=["--public-url", "https://huddle.example"])
    tournament = created(h, new_guest(h))
    assert tournament["joinUrl"] == f"https://huddle.example/tournament.html?id={tournament['id']}"


# --- join -----------------------------------------------------------------------------------


def test_joining(huddle):
    tournament = created(huddle, new_guest(huddle), playerLimit=3)["id"]
    ada = new_guest(huddle)
    r = join(huddle, ada, tournament, " Ada ", "Lovelace")
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["playerId"] == "p1"
    assert body["players"] == [{"id": "p1", "name": "Ada", "surname": "Lovelace", "identity": ada.id}]
    assert body["offset"] == 2
    me = requests.get(huddle.url("/api/v1/auth/me"), headers=bearer(body["pass"]["accessToken"]), timeout=HTTP_TIMEOUT)
    assert me.json()["id"] == ada.id
    assert body["pass"]["expiresIn"] > ada.expires_in

    # The same pair, in other cases and spacing, and the same identity under another name.
    assert_error(join(huddle, new_guest(huddle), tournament, "ADA", " lovelace "), 409, "already_joined")
    assert_error(join(huddle, ada, tournament, "Augusta", "King"), 409, "already_joined")

    user = new_user(huddle)
    r = join(huddle, user, tournament, "Ada", "Byron")  # another surname: another pair
    assert r.status_code == 201, r.text
    assert r.json()["playerId"] == "p2" and "pass" not in r.json()

    for fields, named in (({"name": ""}, {"name"}), ({"surname": "s" * 41}, {"surname"}),
                          ({"name": "a\u0000b"}, {"name"}), ({"name": " ", "surname": ""}, {"name", "surname"})):
        names = {"name": "Grace", "surname": "Hopper"} | fields
        body = assert_error(join(huddle, new_guest(huddle), tournament, names["name"], names["surname"]), 400,
                            "bad_request")
        assert set(body.get("fields", {})) == named, (fields, body)
    assert join(huddle, new_guest(huddle), tournament, "n" * 40, "s" * 40).status_code == 201

    assert_error(join(huddle, new_guest(huddle), tournament, "Late", "Comer"), 409, "tournament_full")
    assert [p["id"] for p in read(huddle, tournament)["players"]] == ["p1", "p2", "p3"]


# --- pick -----------------------------------------------------------------------------------


def test_picking(huddle):
    organiser = new_guest(huddle)
    tournament = created(huddle, organiser, playerLimit=3)["id"]
    ada, bob = new_guest(huddle), new_guest(huddle)
    p1 = joined(huddle, ada, tournament, "Ada", "Lovelace")
    joined(huddle, bob, tournament, "Bob", "Smith")

    assert_error(pick(huddle, new_guest(huddle), tournament, "Chelsea"), 403, "forbidden")
    assert_error(pick(huddle, organiser, tournament, "Chelsea"), 403, "forbidden")
    assert_error(pick(huddle, ada, tournament, "Ajax"), 400, "bad_request")
    assert_error(pick(huddle, ada, tournament, ""), 400, "bad_request")
    r = requests.post(huddle.url(f"/api/v1/tournaments/{tournament}/picks"), json={}, headers=ada.headers,
                      timeout=HTTP_TIMEOUT)
    assert_error(r, 400, "bad_request")

    r = pick(huddle, ada, tournament, "  atlético MADRID ")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["players"][0]["pickedClub"] == "Atlético Madrid", "the club as the list spells it"
    holder = next(c for c in body["clubs"] if c["name"] == "Atlético Madrid")["takenBy"]
    assert holder == {"playerId": p1, "name": "Ada", "surname": "Lovelace"}

    assert_error(pick(huddle, ada, tournament, "Chelsea"), 409, "already_picked")
    assert_error(pick(huddle, bob, tournament, "ATLÉTICO MADRID"), 409, "club_taken")
    assert pick(huddle, bob, tournament, "chelsea").status_code == 200
    assert [p.get("pickedClub") for p in read(huddle, tournament)["players"]] == ["Atlético Madrid", "Chelsea"]


# --- draw -----------------------------------------------------------------------------------


def test_the_draw(huddle):
    organiser = new_guest(huddle)
    tournament = created(huddle, organiser, playerLimit=3)["id"]
    assert_error(draw(huddle, organiser, tournament), 409, "not_ready")
    players = [new_guest(huddle) for _ in range(3)]
    ids = [joined(huddle, p, tournament) for p in players]
    assert_error(draw(huddle, organiser, tournament), 409, "not_ready")  # full, nobody picked
    picks = ["Liverpool", "Juventus", "Barcelona"]
    for player, club in zip(players[:2], picks):
        assert pick(huddle, player, tournament, club).status_code == 200
    assert read(huddle, tournament)["ready"] is False
    assert_error(draw(huddle, organiser, tournament), 409, "not_ready")  # one has not picked
    assert pick(huddle, players[2], tournament, picks[2]).status_code == 200
    assert read(huddle, tournament)["ready"] is True

    assert_error(draw(huddle, players[0], tournament), 403, "forbidden")
    assert_error(draw(huddle, new_guest(huddle), tournament), 403, "forbidden")
    r = draw(huddle, organiser, tournament)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["drawn"] is True
    assert [p["playerId"] for p in body["pairs"]] == ids, "in the order they joined"
    assert sorted(p["club"] for p in body["pairs"]) == sorted(picks), "a permutation of the picked clubs"
    assert {p["id"]: p["drawnClub"] for p in body["players"]} == {p["playerId"]: p["club"] for p in body["pairs"]}

    assert_error(draw(huddle, organiser, tournament), 409, "already_drawn")
    assert read(huddle, tournament)["pairs"] == body["pairs"], "the result never changes"


def test_no_own_club_gives_nobody_their_own_pick(huddle):
    for players in (2, 3, 3, 4, 4, 5):
        tournament, organiser, joiners = full_tournament(huddle, players, drawRule="noOwnClub")
        for (guest, _), club in zip(joiners, DEFAULT_CLUBS):
            assert pick(huddle, guest, tournament["id"], club).status_code == 200
        r = draw(huddle, organiser, tournament["id"])
        assert r.status_code == 200, r.text
        picked = {p["id"]: p["pickedClub"] for p in r.json()["players"]}
        pairs = r.json()["pairs"]
        assert sorted(p["club"] for p in pairs) == sorted(picked.values())
        assert all(p["club"] != picked[p["playerId"]] for p in pairs), (picked, pairs)


def test_sixteen_players_at_once_all_join_and_all_pick(huddle):
    for _ in range(3):
        everyone_joins_and_picks_at_once([huddle], 16)


# --- the channel ----------------------------------------------------------------------------


def test_a_subscriber_sees_every_event_in_order(huddle, ws_connect):
    organiser = new_guest(huddle)
    tournament = created(huddle, organiser, name="Live Cup", playerLimit=2)
    channel = f"tournament:{tournament['id']}"
    ws = ws_connect(huddle)
    assert subscribe(ws, channel)["offset"] == 1

    players = [new_guest(huddle), new_guest(huddle)]
    joined(huddle, players[0], tournament["id"], "Ada", "Lovelace")
    joined(huddle, players[1], tournament["id"], "Bob", "Smith")
    assert pick(huddle, players[0], tournament["id"], "Chelsea").status_code == 200
    assert pick(huddle, players[1], tournament["id"], "Juventus").status_code == 200
    pairs = draw(huddle, organiser, tournament["id"]).json()["pairs"]

    ws.expect("event", channel=channel, offset=6)
    events = [(m["offset"], m["name"], m["data"]) for m in ws.received if m.get("type") == "event"]
    assert events == [
        (1, "tournamentCreated", {"name": "Live Cup", "playerLimit": 2, "clubs": DEFAULT_CLUBS, "drawRule": "random",
                                  "organiser": organiser.id}),
        (2, "playerJoined", {"playerId": "p1", "name": "Ada", "surname": "Lovelace", "by": players[0].id}),
        (3, "playerJoined", {"playerId": "p2", "name": "Bob", "surname": "Smith", "by": players[1].id}),
        (4, "clubPicked", {"playerId": "p1", "club": "Chelsea"}),
        (5, "clubPicked", {"playerId": "p2", "club": "Juventus"}),
        (6, "drawn", {"pairs": pairs}),
    ]
    assert read(huddle, tournament["id"])["offset"] == 6


def test_commands_over_the_websocket_are_decided_as_over_http(huddle, ws_connect):
    tournament = created(huddle, new_guest(huddle), playerLimit=2)["id"]
    channel = f"tournament:{tournament}"
    ada, bob = new_guest(huddle), new_guest(huddle)
    joined(huddle, bob, tournament, "Bob", "Smith")
    assert pick(huddle, bob, tournament, "Chelsea").status_code == 200
    ws = ws_connect(huddle)
    subscribe(ws, channel, ada.token)

    def command(cid: str, name: str, /, **data) -> dict:
        ws.send({"type": "command", "id": cid, "channel": channel, "name": name, "data": data})
        return ws.expect(where=lambda m: m.get("id") == cid and m.get("type") in ("ack", "error"))

    assert command("c1", "join", name="Ada", surname="Lovelace") == {"type": "ack", "id": "c1", "offset": 4}
    assert command("c2", "pick", club="CHELSEA")["code"] == "club_taken"
    assert command("c3", "pick", club="Liverpool", playerId="p1")["code"] == "forbidden", "p1 is Bob"
    assert command("c4", "draw")["code"] == "forbidden"
    assert command("c5", "pick", club="Liverpool", playerId="p2")["type"] == "ack"
    assert read(huddle, tournament)["players"][1] == {"id": "p2", "name": "Ada", "surname": "Lovelace",
                                                     "identity": ada.id, "pickedClub": "Liverpool"}


def test_a_hover_reaches_others_with_the_senders_identity(huddle, ws_connect):
    organiser = new_guest(huddle)
    tournament = created(huddle, organiser, playerLimit=2)["id"]
    channel = f"tournament:{tournament}"
    ada = new_guest(huddle)
    r = join(huddle, ada, tournament, "Ada", "Lovelace")
    assert r.status_code == 201, r.text
    player = r.json()["playerId"]

    watcher = ws_connect(huddle)
    subscribe(watcher, channel, organiser.token)
    hoverer = ws_connect(huddle)
    subscribe(hoverer, channel, r.json()["pass"]["accessToken"])  # the page resumes with its pass
    hoverer_id = hoverer.received[0]["connectionId"]

    hoverer.send({"type": "signal", "channel": channel, "name": "hover", "data": {"playerId": player, "club": "Chelsea"}})
    signal = watcher.expect("signal", channel=channel, name="hover")
    assert signal["data"] == {"playerId": player, "club": "Chelsea"}
    assert signal["from"]["identity"] == ada.id
    assert signal["from"]["id"] == hoverer_id

    hoverer.send({"type": "signal", "channel": channel, "name": "hover", "data": {"playerId": player, "club": None}})
    assert watcher.expect("signal", channel=channel, name="hover")["data"] == {"playerId": player, "club": None}


def test_there_is_no_channel_for_a_tournament_that_does_not_exist(huddle, ws_connect):
    ws = ws_connect(huddle)
    ws.expect("welcome")
    ws.send({"type": "subscribe", "channel": "tournament:nosuch"})
    assert ws.expect("error", channel="tournament:nosuch")["code"] == "not_found"
    ws.send({"type": "signal", "channel": "tournament:nosuch", "name": "hover", "data": {"playerId": "p1", "club": "x"}})
    assert ws.expect("error", channel="tournament:nosuch")["code"] == "not_subscribed"
    assert not [m for m in ws.received if m.get("type") in ("subscribed", "presence")]
    tournament = created(huddle, new_guest(huddle))["id"]  # the connection still works
    ws.send({"type": "subscribe", "channel": f"tournament:{tournament}"})
    ws.expect("subscribed", channel=f"tournament:{tournament}")
