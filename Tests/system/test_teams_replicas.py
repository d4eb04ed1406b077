"""The Teams app across two replicas sharing PostgreSQL (the tournaments' streams and the
name index) and Redis through Sentinel: the races docs/PROTOCOL.md promises one winner for
(two players picking one club, joins at the player limit, two creates of one name) are run
many times, each with its calls released together by a barrier, one side on each replica.

Needs the throwaway PostgreSQL cluster and Redis rig that scripts/test starts (their
HUDDLE_TEST_* variables). In CI their absence is a failure. Nothing here asserts a timing:
a round whose calls happen not to overlap still has to give exactly one winner.
"""

from __future__ import annotations

from collections import Counter

import pytest
import requests

from conftest import shared_backends
from clients import assert_error, at_once, new_guest, subscribe
from teams import create, created, everyone_joins_and_picks_at_once, join, joined, pick, read, unique

SHARED = shared_backends("the cross-replica Teams tests")
ROUNDS = 30


@pytest.fixture
def replicas(huddle_factory):
    return huddle_factory(env=SHARED), huddle_factory(env=SHARED)


def statuses(responses: list[requests.Response]) -> Counter:
    return Counter(r.status_code for r in responses)


def test_events_and_hovers_on_one_replica_reach_a_subscriber_of_the_other(replicas, ws_connect):
    a, b = replicas
    tournament = created(a, new_guest(a))["id"]
    channel = f"tournament:{tournament}"
    ada = new_guest(a)
    watcher = ws_connect(b)
    subscribe(watcher, channel)
    player = joined(a, ada, tournament, "Ada", "Lovelace")
    assert watcher.expect("event", channel=channel, offset=2)["data"]["by"] == ada.id

    hoverer = ws_connect(a)
    subscribe(hoverer, channel, ada.token)
    hoverer.send({"type": "signal", "channel": channel, "name": "hover", "data": {"playerId": player, "club": "Chelsea"}})
    signal = watcher.expect("signal", channel=channel, name="hover")
    assert (signal["from"]["identity"], signal["data"]) == (ada.id, {"playerId": player, "club": "Chelsea"})


def test_two_players_picking_one_club_on_two_replicas_one_wins(replicas):
    a, b = replicas
    for _ in range(ROUNDS):
        tournament = created(a, new_guest(a))["id"]
        ada, bob = new_guest(a), new_guest(b)
        players = {joined(a, ada, tournament): ada, joined(b, bob, tournament): bob}
        answers = at_once([
            (a, lambda s: pick(a, ada, tournament, "Real Madrid", http=s)),
            (b, lambda s: pick(b, bob, tournament, "real madrid", http=s)),
        ])
        assert statuses(answers) == Counter({200: 1, 409: 1}), [r.text for r in answers]
        loser = next(r for r in answers if r.status_code == 409)
        assert_error(loser, 409, "club_taken")
        winner = next(r for r in answers if r.status_code == 200).json()
        holder = next(c for c in winner["clubs"] if c["name"] == "Real Madrid")["takenBy"]["playerId"]
        assert players[holder] is (ada if answers[0].status_code == 200 else bob)
        for replica in (a, b):
            state = read(replica, tournament)
            assert next(c for c in state["clubs"] if c["name"] == "Real Madrid")["takenBy"]["playerId"] == holder
            assert [p.get("pickedClub") for p in state["players"] if p["id"] != holder] == [None]


def test_two_joins_for_the_last_place_on_two_replicas_one_wins(replicas):
    a, b = replicas
    for _ in range(ROUNDS):
        tournament = created(a, new_guest(a))["id"]
        joined(b, new_guest(b), tournament)
        ada, bob = new_guest(a), new_guest(b)
        answers = at_once([
            (a, lambda s: join(a, ada, tournament, "Ada", "Lovelace", http=s)),
            (b, lambda s: join(b, bob, tournament, "Bob", "Smith", http=s)),
        ])
        assert statuses(answers) == Counter({201: 1, 409: 1}), [r.text for r in answers]
        assert_error(next(r for r in answers if r.status_code == 409), 409, "tournament_full")
        winner = ada if answers[0].status_code == 201 else bob
        for replica in (a, b):
            players = read(replica, tournament)["players"]
            assert [(p["id"], p["identity"]) for p in players][1:] == [("p2", winner.id)]


def test_eight_joins_at_once_for_four_places_four_win(replicas):
    a, b = replicas
    for _ in range(5):
        tournament = created(a, new_guest(a), playerLimit=4)["id"]
        sides = [a, b] * 4
        guests = [new_guest(replica) for replica in sides]
        answers = at_once([
            (replica, lambda s, replica=replica, guest=guest, i=i: join(replica, guest, tournament, f"P{i}", "X", http=s))
            for i, (replica, guest) in enumerate(zip(sides, guests))
        ])
        assert statuses(answers) == Counter({201: 4, 409: 4}), [r.text for r in answers]
        for r in answers:
            if r.status_code == 409:
                assert_error(r, 409, "tournament_full")
        winners = {r.json()["playerId"]: guest.id for r, guest in zip(answers, guests) if r.status_code == 201}
        assert sorted(winners) == ["p1", "p2", "p3", "p4"]
        for replica in (a, b):
            assert {p["id"]: p["identity"] for p in read(replica, tournament)["players"]} == winners


def test_sixteen_players_at_once_all_join_and_all_pick(replicas):
    """As test_teams.py's on one replica, with the calls spread over two."""
    for _ in range(3):
        everyone_joins_and_picks_at_once(replicas, 16)


def test_two_creates_of_one_name_on_two_replicas_one_wins(replicas):
    a, b = replicas
    for _ in range(ROUNDS):
        name = unique("Race")
        ada, bob = new_guest(a), new_guest(b)
        answers = at_once([
            (a, lambda s: create(a, ada, http=s, name=name)),
            (b, lambda s: create(b, bob, http=s, name=name.upper())),
        ])
        assert statuses(answers) == Counter({201: 1, 409: 1}), [r.text for r in answers]
        assert_error(next(r for r in answers if r.status_code == 409), 409, "name_taken")
        won = next(r for r in answers if r.status_code == 201).json()
        organiser = ada if answers[0].status_code == 201 else bob
        assert won["organiser"] == organiser.id
        for replica, who in ((a, ada), (b, bob)):
            assert read(replica, won["id"])["organiser"] == organiser.id
            assert_error(create(replica, who, name=name.lower()), 409, "name_taken")
