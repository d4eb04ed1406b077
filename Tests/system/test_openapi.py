"""The API description (Public/openapi.yaml) and the code held to each other.

- the spec is valid OpenAPI 3.1, and Public/openapi.json is exactly its content;
- the set of (method, path) in the spec equals the routes registered in Sources/HuddleServer
  (parsed out of the Swift sources), so a route without a spec entry, or the reverse, fails;
- schemathesis runs every operation against a live server (`--store memory --dev`, a user's
  token) with a fixed seed and at most 25 examples per operation and mode (positive, and
  negative where there is input), and the admin-only operations again as an admin (a SQLite
  server whose admin `huddle user create` made): no server error, and every response matches
  the spec (schema, status code, content type, headers);
- the WebSocket upgrade, which schemathesis cannot drive, is checked by hand, and so are the
  answers about a tournament and a conversation that exist (schemathesis's made-up ids name
  none);
- the docs page (Public/api.html) renders every operation in headless Chromium.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import requests
import yaml

from conftest import REPO_ROOT, HuddleProcess
import chat
from clients import Caller, log_in, new_guest, new_user
from teams import create, draw, join, pick

SPEC_PATH = REPO_ROOT / "Public" / "openapi.yaml"
SOURCES = REPO_ROOT / "Sources" / "HuddleServer"
METHODS = ("get", "post", "put", "patch", "delete", "head", "options")


def load_spec() -> dict:
    with SPEC_PATH.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def spec_routes(spec: dict) -> set[tuple[str, str]]:
    return {(method.upper(), path) for path, item in spec["paths"].items() for method in item if method in METHODS}


# --- a. the spec is valid ----------------------------------------------------------------


def test_spec_is_valid_openapi_3_1():
    from openapi_spec_validator import validate
    from openapi_spec_validator.validation import OpenAPIV31SpecValidator

    spec = load_spec()
    assert spec["openapi"].startswith("3.1")
    validate(spec, cls=OpenAPIV31SpecValidator)


def test_openapi_json_is_the_yaml():
    """Public/openapi.json (what the docs page reads) is the YAML's content, byte for byte as
    scripts/openapi-json writes it."""
    result = subprocess.run([sys.executable, str(REPO_ROOT / "scripts" / "openapi-json"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert json.loads((REPO_ROOT / "Public" / "openapi.json").read_text()) == load_spec()


def test_every_operation_is_documented():
    """Each operation has an id, a tag, a summary and responses that name X-Request-Id."""
    spec = load_spec()
    tags = {t["name"] for t in spec["tags"]}
    ids = []
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method not in METHODS:
                continue
            where = f"{method.upper()} {path}"
            ids.append(op["operationId"])
            assert op.get("summary"), where
            assert op.get("tags") and set(op["tags"]) <= tags, where
            for status, response in op["responses"].items():
                if "$ref" in response:
                    response = spec["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
                assert "X-Request-Id" in response.get("headers", {}), f"{where} {status}"
    assert len(ids) == len(set(ids))


# --- b. the spec and the router agree ------------------------------------------------------

GROUP = re.compile(r'let\s+(\w+)\s*=\s*router\.group\(\s*"([^"]*)"\s*\)')
CALL = re.compile(r'\b(\w+)\.(get|post|put|patch|delete|head|options|ws)\s*(?:\(\s*"([^"]*)"|\(\s*\)|\{)')
# `for (action, command) in [("escalate", …), ("claim", …)] {` or `for name in ["a", "b"] {`:
# the strings a loop variable takes, for paths that interpolate it ("{id}/\(action)").
LOOP = re.compile(r'\bfor\s+\(?\s*(\w+)[^{]*?\bin\s*\[(.*?)\]\s*\{', re.S)
INTERPOLATION = re.compile(r'\\\((\w+)\)')


def _loop_values(text: str) -> dict[str, list[str]]:
    values = {}
    for name, items in LOOP.findall(text):
        values[name] = re.findall(r'\(\s*"([^"]*)"', items) if "(" in items else re.findall(r'"([^"]*)"', items)
    return values


def _expanded(path: str, loops: dict[str, list[str]], where: Path) -> list[str]:
    """`path` with each interpolated loop variable replaced by every value it takes; a path
    interpolating anything else fails, so that no route goes unseen."""
    match = INTERPOLATION.search(path)
    if not match:
        return [path]
    name = match.group(1)
    assert loops.get(name), f"{where}: cannot tell the routes of {path!r} (\\({name}) is no loop over literals)"
    return [p for value in loops[name] for p in _expanded(path.replace(match.group(0), value), loops, where)]


def code_routes(root: Path = SOURCES) -> set[tuple[str, str]]:
    """(method, path) of every route registered in Sources/HuddleServer: `router.get("x")`,
    `let g = router.group("a/b")` then `g.post("{id}")` or `g.post { … }`, `router.ws` (a GET
    with an upgrade), and paths interpolating a loop variable over string literals. Calls on
    other receivers (`queryParameters.get("limit")`) are not routes."""
    routes: set[tuple[str, str]] = set()
    files = sorted(root.rglob("*.swift"))
    assert files, f"no Swift sources under {root}"
    for file in files:
        text = re.sub(r"//[^\n]*", "", file.read_text(encoding="utf-8"))
        groups = {"router": ""}
        for name, prefix in GROUP.findall(text):
            groups[name] = prefix.strip("/")
        loops = _loop_values(text)
        for receiver, method, path in CALL.findall(text):
            if receiver not in groups:
                continue
            for each in _expanded((path or "").strip("/"), loops, file):
                parts = [p for p in (groups[receiver], each) if p]
                routes.add(("GET" if method == "ws" else method.upper(), "/" + "/".join(parts)))
    return routes


# Routes known to exist: a parser that finds none (or misses groups) cannot pass.
KNOWN_ROUTES = {
    ("GET", "/health/live"), ("GET", "/health/ready"), ("GET", "/ping"), ("GET", "/metrics"),
    ("GET", "/counter/{id}"), ("POST", "/api/v1/counters/{id}/increment"), ("GET", "/api/v1/counters/{id}"),
    ("POST", "/api/v1/boards"), ("GET", "/api/v1/boards"), ("GET", "/api/v1/boards/{id}"),
    ("PATCH", "/api/v1/boards/{id}"), ("DELETE", "/api/v1/boards/{id}"), ("POST", "/api/v1/boards/{id}/commands"),
    ("POST", "/api/v1/auth/register"), ("POST", "/api/v1/auth/login"), ("POST", "/api/v1/auth/refresh"),
    ("POST", "/api/v1/auth/logout"), ("GET", "/api/v1/auth/me"), ("POST", "/api/v1/auth/guest"),
    ("GET", "/api/v1/users"), ("POST", "/api/v1/users"), ("GET", "/api/v1/users/{id}"),
    ("PATCH", "/api/v1/users/{id}"), ("GET", "/api/v1/realtime"),
    ("POST", "/api/v1/chats"), ("GET", "/api/v1/chats"), ("GET", "/api/v1/chats/{id}"),
    ("POST", "/api/v1/chats/{id}/messages"), ("POST", "/api/v1/chats/{id}/escalate"), ("POST", "/api/v1/chats/{id}/claim"),
    ("POST", "/api/v1/chats/{id}/transfer"), ("POST", "/api/v1/chats/{id}/resolve"),
}


def test_route_parser_finds_the_known_routes():
    found = code_routes()
    assert KNOWN_ROUTES <= found, f"the parser missed {sorted(KNOWN_ROUTES - found)}"


def test_route_parser_sees_a_new_route(tmp_path):
    """A route added to the code (on the router or on a group) is found, so the comparison
    below would fail for it."""
    import shutil

    copy = tmp_path / "HuddleServer"
    shutil.copytree(SOURCES, copy)
    with (copy / "Apps" / "Board" / "BoardRoutes.swift").open("a", encoding="utf-8") as f:
        f.write('\nfunc extra(router: Router<AppRequestContext>) {\n'
                '    let extra = router.group("api/v1/extra")\n'
                '    extra.put("{id}") { _, _ in "" }\n'
                '    for (verb, _) in [("archive", 1), ("restore", 2)] {\n'
                '        extra.post("{id}/\\(verb)") { _, _ in "" }\n    }\n'
                '    router.delete("ping") { _, _ in "" }\n}\n')
    assert code_routes(copy) - code_routes() == {("PUT", "/api/v1/extra/{id}"), ("DELETE", "/ping"),
                                                 ("POST", "/api/v1/extra/{id}/archive"),
                                                 ("POST", "/api/v1/extra/{id}/restore")}


def test_spec_and_router_have_the_same_routes():
    code, spec = code_routes(), spec_routes(load_spec())
    assert code - spec == set(), f"routes in the code but not in Public/openapi.yaml: {sorted(code - spec)}"
    assert spec - code == set(), f"routes in Public/openapi.yaml but not in the code: {sorted(spec - code)}"


# --- c. schemathesis against a live server -------------------------------------------------


@pytest.fixture(scope="module")
def server():
    """One server for the module (the fuzzing needs no fresh state per operation)."""
    data = Path(tempfile.mkdtemp(prefix="huddle-openapi-"))
    proc = HuddleProcess(data, args=["--store", "memory", "--dev"], log_dir=data / "logs")
    proc.start()
    yield proc
    proc.stop()


@pytest.fixture(scope="module")
def token(server) -> str:
    """A registered user's access token (not an admin: `admin_token` is for the operations
    that answer admins differently)."""
    r = requests.post(server.url("/api/v1/auth/register"), timeout=10,
                      json={"username": "fuzzer", "email": "fuzzer@example.com", "password": "correct horse battery"})
    assert r.status_code == 201, r.text
    return r.json()["accessToken"]


@pytest.fixture(scope="module")
def admin_server():
    """A second server whose first admin was made by `huddle user create --admin` (a memory
    store cannot be reached from another process, so this one is SQLite in a temp dir)."""
    data = Path(tempfile.mkdtemp(prefix="huddle-openapi-admin-"))
    proc = HuddleProcess(data, args=["--store", "sqlite", "--dev"], log_dir=data / "logs")
    created = subprocess.run(
        [str(proc.binary), "user", "create", "--admin", "--username", "root", "--email", "root@example.com",
         "--data-dir", str(data), "--store", "sqlite"],
        input="correct horse battery\n", capture_output=True, text=True, env=proc.environment, timeout=120)
    assert created.returncode == 0, created.stdout + created.stderr
    proc.start()
    yield proc
    proc.stop()


@pytest.fixture(scope="module")
def admin_token(admin_server) -> str:
    r = requests.post(admin_server.url("/api/v1/auth/login"), timeout=10,
                      json={"login": "root", "password": "correct horse battery"})
    assert r.status_code == 200, r.text
    return r.json()["accessToken"]


# Operations that answer an admin differently from a user: run again with an admin's token.
ADMIN_OPERATIONS = {
    "GET /api/v1/users", "POST /api/v1/users", "GET /api/v1/users/{id}", "PATCH /api/v1/users/{id}",
    "GET /api/v1/boards", "GET /api/v1/tournaments", "GET /api/v1/chats",
}


def _operations() -> list:
    import schemathesis

    schema = schemathesis.openapi.from_path(str(SPEC_PATH))
    params = []
    for result in schema.get_all_operations():
        op = result.ok()
        if op.path == "/api/v1/realtime":
            # Excluded: a WebSocket upgrade, which schemathesis cannot perform (it would only
            # send plain GETs). test_realtime_upgrade checks the 101 and the `name` parameter.
            continue
        modes = ["positive"]
        if op.path_parameters or op.query or op.body:
            modes.append("negative")  # operations without input have no invalid input to send
        roles = ["user", "admin"] if op.label in ADMIN_OPERATIONS else ["user"]
        for role in roles:
            for mode in modes:
                params.append(pytest.param(op.label, mode, role, id=f"{op.label} [{mode}, {role}]"))
    return params


# Where schemathesis found the server at odds with the spec, as (operation, mode, role): the
# reason names the bug, and the test is xfail(strict=True) so that it fails once fixed.
# None at the moment.
KNOWN_BUGS: dict[tuple[str, str], str] = {}


def _params():
    out = []
    for param in _operations():
        label, mode, role = param.values
        bug = KNOWN_BUGS.get((label, mode, role))
        marks = [pytest.mark.xfail(strict=True, reason=bug)] if bug else []
        out.append(pytest.param(label, mode, role, id=param.id, marks=marks))
    return out


@pytest.mark.parametrize("label, mode, role", _params())
def test_schemathesis(request, label, mode, role):
    import schemathesis
    from hypothesis import HealthCheck, Phase, given, seed, settings
    from schemathesis import GenerationMode
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi import checks

    schema = schemathesis.openapi.from_path(str(SPEC_PATH))
    operation = schema.find_operation_by_label(label)
    assert operation is not None, label
    strategy = operation.as_strategy(generation_mode=GenerationMode(mode))
    conformance = [
        not_a_server_error,
        checks.response_schema_conformance,
        checks.status_code_conformance,
        checks.content_type_conformance,
        checks.response_headers_conformance,
    ]
    if role == "admin":
        server, token = request.getfixturevalue("admin_server"), request.getfixturevalue("admin_token")
    else:
        server, token = request.getfixturevalue("server"), request.getfixturevalue("token")
    headers = {"Authorization": f"Bearer {token}"}

    @seed(20261201)
    @settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck),
              phases=[Phase.explicit, Phase.generate])
    @given(strategy)
    def run(case):
        response = case.call(base_url=server.base_url, headers=headers, timeout=10)
        case.validate_response(response, checks=conformance)

    run()
    assert server.running


# --- what schemathesis cannot reach ---------------------------------------------------------


def test_realtime_upgrade(server):
    """GET /api/v1/realtime with the upgrade headers: 101, X-Request-Id, a `welcome` frame
    carrying the `name` asked for."""
    import websocket

    ws = websocket.create_connection(server.ws_url + "?name=Ada%20Lovelace", timeout=10)
    try:
        assert ws.getstatus() == 101
        assert ws.getheaders().get("x-request-id")
        welcome = json.loads(ws.recv())
        assert welcome["type"] == "welcome" and welcome["name"] == "Ada Lovelace"
    finally:
        ws.close()
    with pytest.raises(websocket.WebSocketBadStatusException):  # refused (status: see below)
        websocket.create_connection(server.ws_url, timeout=10, origin="https://evil.example")
    plain = requests.get(server.url("/api/v1/realtime"), timeout=10)
    assert plain.status_code == 200 and plain.content == b"" and plain.headers.get("X-Request-Id")


def conformance(spec_schema, spec: dict):
    """`conforms(label, response)`: asserts that `response`'s status is documented for the
    operation `label` and that it matches the spec; answers its JSON body (None for others)."""

    def conforms(label: str, response: requests.Response) -> dict | None:
        method, path = label.split(" ", 1)
        assert str(response.status_code) in spec["paths"][path][method.lower()]["responses"], (label, response.text)
        spec_schema.find_operation_by_label(label).validate_response(response)
        return response.json() if response.headers["Content-Type"].startswith("application/json") else None

    return conforms


def test_teams_answers_about_a_real_tournament_match_the_spec(server):
    """A tournament's whole life, as a guest organiser and guest players (with their passes):
    every answer, success or refusal, has a documented status and matches its schema."""
    import schemathesis

    conforms = conformance(schemathesis.openapi.from_path(str(SPEC_PATH)), load_spec())

    organiser = new_guest(server)
    made = conforms("POST /api/v1/tournaments", create(server, organiser, playerLimit=2, drawRule="noOwnClub"))
    assert "pass" in made
    tid, base = made["id"], server.url(f"/api/v1/tournaments/{made['id']}")
    conforms("POST /api/v1/tournaments", create(server, new_guest(server), name=made["name"]))  # 409
    conforms("POST /api/v1/tournaments", create(server, organiser, name=""))  # 400
    conforms("GET /api/v1/tournaments", requests.get(server.url("/api/v1/tournaments"), headers=organiser.headers,
                                                     timeout=10))
    conforms("POST /api/v1/tournaments/{id}/draw", draw(server, organiser, tid))  # 409 not_ready
    players = [new_guest(server), new_guest(server)]
    for i, player in enumerate(players):
        assert "playerId" in conforms("POST /api/v1/tournaments/{id}/players", join(server, player, tid, f"P{i}", "X"))
    conforms("POST /api/v1/tournaments/{id}/players", join(server, new_guest(server), tid, "Late", "Y"))  # 409
    conforms("POST /api/v1/tournaments/{id}/picks", pick(server, organiser, tid, "Chelsea"))  # 403
    conforms("POST /api/v1/tournaments/{id}/picks", pick(server, players[0], tid, "Ajax"))  # 400
    for player, club in zip(players, ("Chelsea", "Liverpool")):
        conforms("POST /api/v1/tournaments/{id}/picks", pick(server, player, tid, club))
    conforms("POST /api/v1/tournaments/{id}/draw", draw(server, players[0], tid))  # 403
    assert conforms("POST /api/v1/tournaments/{id}/draw", draw(server, organiser, tid))["drawn"]
    for path in ("", "/clubs", "/qr.svg"):
        conforms(f"GET /api/v1/tournaments/{{id}}{path}", requests.get(base + path, timeout=10))


def test_chat_answers_about_a_real_conversation_match_the_spec(admin_server, admin_token):
    """A conversation's whole life: a guest customer (with its pass), the bot's answer, an
    agent the admin made, each refusal the Chat routes document; every answer has a documented
    status and matches its schema."""
    import schemathesis

    h = admin_server
    conforms = conformance(schemathesis.openapi.from_path(str(SPEC_PATH)), load_spec())
    admin = Caller(admin_token, "", 0)
    agents = []
    for name in ("spec-agent-1", "spec-agent-2"):
        made = requests.post(h.url("/api/v1/users"), headers=admin.headers, timeout=10, json={
            "username": name, "email": f"{name}@example.com", "password": "correct horse battery", "role": "agent"})
        assert made.status_code == 201, made.text
        agents.append(log_in(h, name))
    grace, alan = agents
    guest, stranger, user = new_guest(h), new_guest(h), new_user(h)

    made = conforms("POST /api/v1/chats", chat.start(h, guest, customerName="Ada"))
    assert "pass" in made
    cid = made["id"]
    conforms("POST /api/v1/chats", chat.start(h, guest, customerName=""))  # 400
    conforms("POST /api/v1/chats", chat.start(h, None))  # 401
    assert "pass" not in conforms("POST /api/v1/chats", chat.start(h, user))
    for who, query in ((guest, ""), (grace, "?status=bot&limit=5"), (grace, "?status=nope")):
        conforms("GET /api/v1/chats", chat.listing(h, who, query))
    for who, target in ((guest, cid), (stranger, cid), (guest, "nope"), (grace, "a%20b")):
        conforms("GET /api/v1/chats/{id}", chat.get(h, who, target))  # 200, 403, 404, 400

    send = "POST /api/v1/chats/{id}/messages"
    mid = chat.message_id()
    conforms(send, chat.send(h, guest, cid, "Can you juggle?", mid))
    conforms(send, chat.send(h, guest, cid, "again", mid))  # 409 already_posted
    conforms(send, chat.send(h, guest, cid, "x" * 2001))  # 400
    conforms(send, chat.send(h, stranger, cid, "let me in"))  # 403
    assert chat.bot_reply(h, guest, cid, mid)["offersPerson"] is True
    conforms("GET /api/v1/chats/{id}", chat.get(h, guest, cid))  # with the bot's reply

    def act(verb: str, who, body=None) -> dict | None:
        return conforms(f"POST /api/v1/chats/{{id}}/{verb}", chat.action(h, who, cid, verb, body))

    act("claim", grace)  # 409 not_queued
    act("resolve", grace)  # 409 not_escalated
    assert act("escalate", guest)["status"] == "queued"
    act("escalate", guest)  # 409 already_escalated
    act("escalate", stranger)  # 403
    act("claim", user)  # 403
    assert act("claim", grace)["agent"]["id"] == grace.id
    act("claim", alan)  # 409 already_claimed
    conforms(send, chat.send(h, grace, cid, "Hello, Grace here"))
    act("transfer", grace, {"to": user.id})  # 400
    act("transfer", alan, {})  # 403
    assert act("transfer", grace, {"to": alan.id})["agent"]["id"] == alan.id
    assert act("transfer", alan, {})["status"] == "queued"
    conforms("GET /api/v1/chats", chat.listing(h, alan, "?status=queued"))
    act("claim", alan)
    act("resolve", guest)  # 403
    assert act("resolve", alan)["status"] == "bot"
    act("transfer", alan, {})  # 409 not_claimed


def test_documented_refusals_of_hostile_input(server):
    """What the spec documents for every body route and schemathesis's bounded bodies do not
    reach: 413 past 256 KiB, 415 for a body not declared JSON, 403 cross_origin for a page of
    another site on a cookie endpoint."""
    big = '{"username":"' + "a" * (300 * 1024) + '"}'
    r = requests.post(server.url("/api/v1/auth/register"), data=big,
                      headers={"Content-Type": "application/json"}, timeout=30)
    assert (r.status_code, r.json()["error"]) == (413, "payload_too_large"), r.text
    r = requests.post(server.url("/api/v1/auth/login"), data='{"login":"a","password":"b"}',
                      headers={"Content-Type": "text/plain"}, timeout=10)
    assert (r.status_code, r.json()["error"]) == (415, "unsupported_media_type"), r.text
    r = requests.post(server.url("/api/v1/auth/guest"), headers={"Origin": "https://evil.example"}, timeout=10)
    assert (r.status_code, r.json()["error"]) == (403, "cross_origin"), r.text
    assert r.headers.get("X-Request-Id")


def test_cross_origin_upgrade_is_403(server):
    import websocket

    with pytest.raises(websocket.WebSocketBadStatusException) as refused:
        websocket.create_connection(server.ws_url, timeout=10, origin="https://evil.example")
    assert refused.value.status_code == 403
    assert json.loads(refused.value.resp_body)["error"] == "cross_origin"
    assert refused.value.resp_headers.get("x-request-id")


def test_spec_is_served(server):
    r = requests.get(server.url("/openapi.yaml"), timeout=10)
    assert r.status_code == 200 and yaml.safe_load(r.text) == load_spec()
    j = requests.get(server.url("/openapi.json"), timeout=10)
    assert j.status_code == 200 and j.headers["Content-Type"].startswith("application/json")
    assert j.json() == load_spec()


def test_spec_is_served_as_yaml(server):
    r = requests.get(server.url("/openapi.yaml"), timeout=10)
    assert r.headers.get("Content-Type", "").startswith("application/yaml")


# --- d. the docs page -----------------------------------------------------------------------


def test_docs_page_renders_every_operation(server):
    import browser

    if reason := browser.missing():
        pytest.fail(reason, pytrace=False)
    spec = load_spec()
    expected = sorted(f"{m.upper()} {p}" for m, p in ((m, p) for p, item in spec["paths"].items() for m in item if m in METHODS))
    driver = browser.make_driver()
    try:
        driver.get(server.url("/api.html"))
        from selenium.webdriver.support.ui import WebDriverWait

        WebDriverWait(driver, 30).until(
            lambda d: d.execute_script("return document.body.dataset.state") in ("ready", "error"))
        assert driver.execute_script("return document.body.dataset.state") == "ready", browser.console_log(driver)
        shown = driver.execute_script(
            "return [...document.querySelectorAll('[data-operation]')].map(e => e.dataset.operation)")
        assert sorted(shown) == expected
        groups = driver.execute_script(
            "return [...document.querySelectorAll('section[data-tag]')].map(e => e.dataset.tag)")
        assert groups == [t["name"] for t in spec["tags"]]
        text = driver.execute_script("return document.querySelector('main').textContent")
        assert "huddle_refresh" in text and "X-Request-Id" in text and "minLength 3" in text
        log = browser.console_log(driver)
        assert not [line for line in log if line.startswith("SEVERE")], log
        # Linked from the launcher.
        driver.get(server.url("/"))
        assert driver.find_elements("css selector", "a[href='api.html']")
    finally:
        driver.quit()
