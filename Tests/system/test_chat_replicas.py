"""The Chat app across replicas sharing PostgreSQL (the conversations' streams and the index)
and Redis through Sentinel: what a conversation promises beyond one process.

- Messages, the bot's answers and an agent's replies reach a subscriber on the other replica,
  and the bot on one replica remembers what the customer said on the other.
- Two agents, one on each replica, claim one queued conversation at once (released by a
  barrier), many rounds: exactly one wins, the other is told `already_claimed`, and both
  replicas agree on the holder.
- A replica that dies (`kill -9`) between storing a customer's message and answering it: the
  message is answered exactly once, by another replica. The kill lands in between
  deterministically because the storing replica runs with `chat.bot off` (it stores, and
  leaves answering to the others): its 201 already shows the message stored and
  unanswered, and nothing it could still do would answer it.

Needs the throwaway PostgreSQL cluster and Redis rig that scripts/test starts (their
HUDDLE_TEST_* variables). In CI their absence is a failure. Nothing here asserts a timing.
"""

from __future__ import annotations

import signal
import time
from collections import Counter

from chat import (BOT_LIMIT, Staff, acted, action, ask, bot_reply, listed, message_id, queued, read, replies, send, sent,
                  started)
from clients import assert_error, at_once, new_guest, subscribe
from conftest import shared_backends

SHARED = shared_backends("the cross-replica Chat tests")
ROUNDS = 20
BOT_OFF = {**SHARED, "HUDDLE_CHAT_BOT": "off"}


def staffed(huddle_factory, *envs: dict) -> tuple[list, Staff]:
    """Replicas with environments `envs` on the shared backends, started, and an admin that
    `huddle user create --admin` made in the shared store before they started."""
    replicas = [huddle_factory(env=env, start=False) for env in envs]
    staff = Staff.before_start(replicas[0])
    for replica in replicas:
        replica.start()
    return replicas, staff.signed_in(replicas[0])


def test_messages_on_one_replica_reach_a_subscriber_of_the_other(huddle_factory, ws_connect):
    (a, b), staff = staffed(huddle_factory, SHARED, SHARED)
    guest = new_guest(a)
    chat = started(a, guest, customerName="Ada")["id"]
    channel = f"chat:{chat}"
    watcher = ws_connect(b)
    subscribe(watcher, channel, guest.token)

    question = sent(a, guest, chat, "What are your opening hours?")
    assert watcher.expect("event", channel=channel, name="messagePosted",
                          where=lambda m: m["data"]["id"] == question)["data"]["author"] == guest.id
    answer = watcher.expect("event", channel=channel, name="messagePosted",
                            where=lambda m: m["data"].get("replyTo") == question, limit=BOT_LIMIT)["data"]
    assert answer["role"] == "bot" and "Monday to Friday" in answer["text"], answer

    # What was said on A is the memory of the bot on B: the conversation's stream is the memory.
    assert "Grace" in ask(a, guest, chat, "My name is Grace")["text"]
    assert "Your name is Grace." in ask(b, guest, chat, "Do you remember my name?")["text"]

    # An agent on B answers a customer on A.
    agent = staff.agent(b, "Alan Turing")
    acted(a, guest, chat, "escalate")
    acted(b, agent, chat, "claim")
    customer_side = ws_connect(a)
    subscribe(customer_side, channel, guest.token)
    reply = sent(b, agent, chat, "Hello, Alan here")
    posted = customer_side.expect("event", channel=channel, name="messagePosted", where=lambda m: m["data"]["id"] == reply)
    assert (posted["data"]["role"], posted["data"]["authorName"]) == ("agent", "Alan Turing"), posted
    assert [m["id"] for m in read(a, guest, chat)["messages"]][-1] == reply


def test_two_agents_claiming_one_conversation_on_two_replicas_one_wins(huddle_factory):
    (a, b), staff = staffed(huddle_factory, SHARED, SHARED)
    on_a, on_b = staff.agent(a, "Agent on A"), staff.agent(b, "Agent on B")
    wins = Counter()
    for _ in range(ROUNDS):
        chat = queued(a, new_guest(a))
        answers = at_once([
            (a, lambda s: action(a, on_a, chat, "claim", http=s)),
            (b, lambda s: action(b, on_b, chat, "claim", http=s)),
        ])
        assert Counter(r.status_code for r in answers) == Counter({200: 1, 409: 1}), [r.text for r in answers]
        won = 0 if answers[0].status_code == 200 else 1
        winner, loser = (on_a, on_b)[won], (on_a, on_b)[1 - won]
        wins[won] += 1
        refused = assert_error(answers[1 - won], 409, "already_claimed")
        assert ("Agent on A", "Agent on B")[won] in refused["message"], "naming who has it"
        assert answers[won].json()["agent"]["id"] == winner.id
        for replica in (a, b):
            body = read(replica, loser, chat)
            assert (body["status"], body["agent"]["id"]) == ("withAgent", winner.id), body
            assert chat not in listed(replica, loser, "?status=queued"), "it left the loser's queue"
    assert sum(wins.values()) == ROUNDS


def unanswered_on(replica, who, chat: str, mid: str) -> None:
    body = read(replica, who, chat)
    assert body["unanswered"] == [mid] and replies(body, mid) == [], body


def test_a_message_whose_replica_is_killed_before_answering_is_answered_once_by_another(huddle_factory):
    """A (the bot off) stores the message; B (the bot on) is running all along. A is killed
    with SIGKILL right after its 201, which shows the message stored and unanswered."""
    a, b = huddle_factory(env=BOT_OFF), huddle_factory(env=SHARED)
    guest = new_guest(a)
    chat = started(a, guest)["id"]
    mid = message_id()
    r = send(a, guest, chat, "What are your opening hours?", mid)
    assert r.status_code == 201, r.text
    assert r.json()["unanswered"] == [mid], "stored, and not answered by the replica that stored it"
    a.signal(signal.SIGKILL)
    assert a.wait() == -signal.SIGKILL

    reply = bot_reply(b, guest, chat, mid)
    assert "Monday to Friday" in reply["text"], reply
    # And it stays answered once (no second sweep answers it again), also to what comes next.
    nxt = sent(b, guest, chat, "thanks")
    bot_reply(b, guest, chat, nxt)
    assert len(replies(read(b, guest, chat), mid)) == 1


def test_messages_of_a_killed_replica_are_answered_once_when_two_others_sweep(huddle_factory):
    """A (the bot off) is alone when it stores a message in each of several conversations, and
    is killed; then B and C start, both sweeping for what the bot owes: each message is
    answered exactly once, though both may try."""
    a = huddle_factory(env=BOT_OFF)
    guests = [new_guest(a) for _ in range(6)]
    asked = []
    for i, guest in enumerate(guests):
        chat = started(a, guest)["id"]
        mid = sent(a, guest, chat, "Which payment methods do you accept?" if i % 2 else "How do I return an item?")
        asked.append((guest, chat, mid))
    # Not a timing assertion: a pause past the sweep's grace and interval, after which A (the
    # bot off) has still answered nothing, so the answers below can only be B's or C's.
    time.sleep(4)
    for guest, chat, mid in asked:
        unanswered_on(a, guest, chat, mid)
    a.signal(signal.SIGKILL)
    assert a.wait() == -signal.SIGKILL

    b, c = huddle_factory(env=SHARED), huddle_factory(env=SHARED)
    for guest, chat, mid in asked:
        bot_reply(b, guest, chat, mid)

    # Not a timing assertion: a pause in which each survivor sweeps a few more times (every
    # 2 s), so that an answer given twice would be there to see.
    time.sleep(6)
    for replica in (b, c):
        for guest, chat, mid in asked:
            body = read(replica, guest, chat)
            assert len(replies(body, mid)) == 1 and body["unanswered"] == [], body["messages"]
