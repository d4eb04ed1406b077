"""Accounts against the real binary over real HTTP: the cookie session end to end, the
signing-key rules at start, `huddle user create`, and identity on the WebSocket.

Each test registers its own users (unique names), so tests never see each other's.
"""

from __future__ import annotations

import json
import os
import subprocess
import uuid

import requests

from conftest import AUTH_ENV, HuddleProcess, WSClient, wait_until

HTTP_TIMEOUT = 30


def rand() -> str:
    return uuid.uuid4().hex[:10]


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HUDDLE_")}
    env.update(extra)
    return env


def register(h: HuddleProcess, session: requests.Session | None = None, name: str | None = None) -> tuple[requests.Response, str]:
    name = name or f"u{rand()}"
    r = (session or requests).post(
        h.url("/api/v1/auth/register"),
        json={"username": name, "email": f"{name}@example.com", "password": "correct horse battery"},
        timeout=HTTP_TIMEOUT,
    )
    return r, name


def test_a_cookie_session_survives_refreshes_and_ends_at_logout(huddle_factory):
    # No reuse interval, so that the replay below is theft at once (the interval's grace for a
    # lost answer: test_hostile.py).
    huddle = huddle_factory(args=["--auth-refresh-reuse-interval", "0"])
    browser = requests.Session()
    r, name = register(huddle, browser)
    assert r.status_code == 201, r.text
    cookie = r.headers["Set-Cookie"]
    for attribute in ("HttpOnly", "SameSite=Strict", "Path=/api/v1/auth"):
        assert attribute in cookie, cookie
    assert "Secure" not in cookie, "plain-HTTP localhost keeps the cookie usable without TLS"
    first_cookie = browser.cookies.get("huddle_refresh")
    assert first_cookie

    # A "reload": no access token in hand, only the cookie.
    refreshed = browser.post(huddle.url("/api/v1/auth/refresh"), timeout=HTTP_TIMEOUT)
    assert refreshed.status_code == 200, refreshed.text
    assert refreshed.json()["user"]["username"] == name
    assert browser.cookies.get("huddle_refresh") != first_cookie, "the refresh token rotated"
    token = refreshed.json()["accessToken"]
    me = requests.get(huddle.url("/api/v1/auth/me"), headers={"Authorization": f"Bearer {token}"}, timeout=HTTP_TIMEOUT)
    assert me.status_code == 200 and me.json()["username"] == name
    # The request log line names the user behind the request.
    user_id = me.json()["id"]
    assert wait_until(lambda: any(line.get("path") == "/api/v1/auth/me" and line.get("user") == user_id
                                  for line in huddle.lines()), 10), huddle.stdout()

    # The first cookie again (a thief's copy): the whole session ends.
    thief = requests.post(huddle.url("/api/v1/auth/refresh"), cookies={"huddle_refresh": first_cookie}, timeout=HTTP_TIMEOUT)
    assert thief.status_code == 401
    assert browser.post(huddle.url("/api/v1/auth/refresh"), timeout=HTTP_TIMEOUT).status_code == 401

    # A new login, then logout: the cookie no longer refreshes.
    login = browser.post(huddle.url("/api/v1/auth/login"), json={"login": name, "password": "correct horse battery"},
                         timeout=HTTP_TIMEOUT)
    assert login.status_code == 200
    live = browser.cookies.get("huddle_refresh")
    assert browser.post(huddle.url("/api/v1/auth/logout"), timeout=HTTP_TIMEOUT).status_code == 204
    again = requests.post(huddle.url("/api/v1/auth/refresh"), cookies={"huddle_refresh": live}, timeout=HTTP_TIMEOUT)
    assert again.status_code == 401


def test_errors_are_json_with_fields_and_the_request_id(huddle):
    r = requests.post(huddle.url("/api/v1/auth/register"), json={"username": "x", "email": "no", "password": "short"},
                      timeout=HTTP_TIMEOUT)
    assert r.status_code == 400
    body = r.json()
    assert body["error"] == "bad_request"
    assert set(body["fields"]) == {"username", "email", "password"}
    assert body["requestId"] == r.headers["X-Request-Id"]

    name = f"u{rand()}"
    for _ in range(5):
        r = requests.post(huddle.url("/api/v1/auth/login"), json={"login": name, "password": "wrong password"},
                          timeout=HTTP_TIMEOUT)
        assert r.status_code == 401
    limited = requests.post(huddle.url("/api/v1/auth/login"), json={"login": name, "password": "wrong password"},
                            timeout=HTTP_TIMEOUT)
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) > 0
    assert limited.json()["requestId"] == limited.headers["X-Request-Id"]


def test_refuses_to_start_without_a_signing_key_or_with_a_short_one(huddle_bin, tmp_path):
    base = ["serve", "--port", "0", "--data-dir", str(tmp_path / "data")]
    missing = subprocess.run([str(huddle_bin), *base], env=clean_env(), capture_output=True, text=True, timeout=120,
                             stdin=subprocess.DEVNULL)
    assert missing.returncode != 0
    assert "HUDDLE_AUTH_JWT_KEY_FILE" in missing.stdout + missing.stderr, missing.stdout + missing.stderr

    short = tmp_path / "short.key"
    short.write_text("too short\n")
    refused = subprocess.run([str(huddle_bin), *base, "--auth-jwt-key-file", str(short)], env=clean_env(),
                             capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert refused.returncode != 0
    assert "at least 32 bytes" in refused.stdout + refused.stderr


def test_dev_mode_generates_a_key_and_says_so(huddle_factory):
    h = huddle_factory(args=["--dev"], env={"HUDDLE_AUTH_BCRYPT_COST": "4"})
    r, _ = register(h)
    assert r.status_code == 201
    assert wait_until(lambda: any("Development mode" in line.get("message", "") for line in h.lines()), 10), h.stdout()


def test_user_create_bootstraps_an_admin(huddle_factory, huddle_bin, tmp_path):
    data_dir = tmp_path / "admin-data"
    data_dir.mkdir()
    password = "admin password 1"
    created = subprocess.run(
        [str(huddle_bin), "user", "create", "--admin", "--username", "Boss", "--email", "boss@example.com",
         "--data-dir", str(data_dir)],
        input=password + "\n", env=clean_env(**AUTH_ENV), capture_output=True, text=True, timeout=120)
    assert created.returncode == 0, created.stdout + created.stderr
    assert "Created admin boss" in created.stdout

    password_file = tmp_path / "pw"
    password_file.write_text("agent password 1\n")
    agent = subprocess.run(
        [str(huddle_bin), "user", "create", "--role", "agent", "--username", "helper", "--email", "helper@example.com",
         "--password-file", str(password_file), "--data-dir", str(data_dir)],
        env=clean_env(**AUTH_ENV), capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert agent.returncode == 0, agent.stdout + agent.stderr

    taken = subprocess.run(
        [str(huddle_bin), "user", "create", "--username", "boss", "--email", "x@example.com", "--data-dir", str(data_dir)],
        input="another password\n", env=clean_env(**AUTH_ENV), capture_output=True, text=True, timeout=120)
    assert taken.returncode != 0 and "taken" in taken.stdout + taken.stderr

    h = huddle_factory(data_dir)
    login = requests.post(h.url("/api/v1/auth/login"), json={"login": "boss@example.com", "password": password},
                          timeout=HTTP_TIMEOUT)
    assert login.status_code == 200, login.text
    assert login.json()["user"]["role"] == "admin"
    users = requests.get(h.url("/api/v1/users"), headers={"Authorization": f"Bearer {login.json()['accessToken']}"},
                         timeout=HTTP_TIMEOUT)
    assert users.status_code == 200
    assert {u["username"]: u["role"] for u in users.json()["users"]} == {"boss": "admin", "helper": "agent"}

    # The list searches every user on the server: by name for anyone signed in, by email only
    # for admins (nobody else sees emails, so nobody else may probe them).
    admin = {"Authorization": f"Bearer {login.json()['accessToken']}"}
    def found(query: str, headers: dict) -> list[str]:
        r = requests.get(h.url("/api/v1/users"), params={"q": query}, headers=headers, timeout=HTTP_TIMEOUT)
        assert r.status_code == 200, r.text
        assert r.json()["total"] == len(r.json()["users"])
        return [u["username"] for u in r.json()["users"]]
    assert found("HELP", admin) == ["helper"]
    assert found("boss@example", admin) == ["boss"]
    agent = requests.post(h.url("/api/v1/auth/login"), json={"login": "helper", "password": "agent password 1"},
                          timeout=HTTP_TIMEOUT)
    assert agent.status_code == 200, agent.text
    helper = {"Authorization": f"Bearer {agent.json()['accessToken']}"}
    assert found("boss", helper) == ["boss"] and found("boss@example", helper) == []
    too_long = requests.get(h.url("/api/v1/users"), params={"q": "x" * 101}, headers=admin, timeout=HTTP_TIMEOUT)
    assert too_long.status_code == 400 and too_long.json()["requestId"]


def test_the_websocket_knows_who_is_connected(huddle):
    r, name = register(huddle)
    token = r.json()["accessToken"]

    guest = WSClient(huddle.ws_url)
    try:
        assert guest.expect("welcome")["name"]
        guest.send({"type": "auth", "token": token + "x"})
        assert guest.expect("error")["code"] == "unauthorized"
        guest.send({"type": "auth", "token": token})
        authenticated = guest.expect("authenticated")
        assert authenticated["username"] == name and authenticated["guest"] is False
    finally:
        guest.close()

    bearer = WSClient(huddle.ws_url, header=[f"Authorization: Bearer {token}"])
    try:
        assert bearer.expect("welcome")["name"] == name
        assert bearer.expect("authenticated")["username"] == name
    finally:
        bearer.close()
