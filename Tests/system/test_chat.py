"""The Chat app (docs/PROTOCOL.md, "The Chat app") end to end against one real `huddle` on
its embedded store: the HTTP API (start, read, list and the queue, send, escalate, claim,
transfer, resolve) with each refusal it documents, the built-in bot (its FAQ, its memory of
the conversation, "I don't know" offering a person), the limits on a message, and who may
see and write a conversation, over HTTP and on the `chat:{id}` channel alike.

Each test has a server of its own, whose admin `huddle user create --admin` made before it
started; agents are registered users that admin gave the role `agent`. The bot answers
after the customer's message is acknowledged, so its replies are waited for (polling the
conversation, or as events on a subscription), within generous bounds.
"""

from __future__ import annotations

import pytest
import requests

from chat import (Staff, acted, action, ask, bot_reply, get, listed, listing, message_id, queued, read, replies, send,
                  sent, start, started)
from clients import HTTP_TIMEOUT, Caller, assert_error, bearer, new_guest, new_user, subscribe

CONVERSATION_KEYS = {"id", "customer", "customerName", "createdAt", "status", "agentsPresent", "messages",
                     "messageCount", "unanswered", "offset"}
MESSAGE_KEYS = {"id", "author", "authorName", "role", "text", "at", "offset"}


@pytest.fixture
def server(huddle_factory):
    """A server with an admin (`staff.admin`), who makes agents with `staff.agent(server)`."""
    h = huddle_factory(start=False)
    staff = Staff.before_start(h)
    h.start()
    h.staff = staff.signed_in(h)
    return h


def display_name(h, who: Caller) -> str:
    r = requests.get(h.url("/api/v1/auth/me"), headers=who.headers, timeout=HTTP_TIMEOUT)
    assert r.status_code == 200, r.text
    return r.json()["displayName"]


def two_agents(h) -> tuple[Caller, Caller]:
    return h.staff.agent(h, "Grace Hopper"), h.staff.agent(h, "Alan Turing")


def customer(h, kind: str) -> Caller:
    return new_guest(h) if kind == "guest" else new_user(h)


# --- start ----------------------------------------------------------------------------------


def test_a_guest_starts_a_conversation_with_the_bot_and_a_pass(server):
    guest = new_guest(server)
    r = start(server, guest)
    assert r.status_code == 201, r.text
    body = r.json()
    assert CONVERSATION_KEYS <= set(body), body
    assert (body["customer"], body["customerName"]) == (guest.id, display_name(server, guest)), "defaults to the display name"
    assert (body["status"], body["agentsPresent"], body["messages"], body["messageCount"], body["unanswered"]) == (
        "bot", [], [], 0, [])
    assert body["offset"] == 1, "conversationStarted is offset 1"
    assert not {"queuedSince", "agent", "lastMessage"} & set(body), body
    assert isinstance(body["createdAt"], int) and body["createdAt"] > 0
    assert read(server, guest, body["id"]) | {"pass": body["pass"]} == body

    # The pass: an access token for the same guest that lasts longer than a plain one.
    grant = body["pass"]
    assert grant["tokenType"] == "Bearer" and grant["user"]["id"] == guest.id, grant
    assert grant["expiresIn"] > guest.expires_in, (grant, guest)
    resumed = Caller(grant["accessToken"], guest.id, grant["expiresIn"])
    assert read(server, resumed, body["id"])["id"] == body["id"], "the page resumes the conversation after a reload"


def test_a_user_gets_no_pass_and_may_name_themselves(server):
    user = new_user(server, "Ada Lovelace")
    body = started(server, user)
    assert "pass" not in body
    assert (body["customer"], body["customerName"]) == (user.id, "Ada Lovelace")
    assert started(server, user, customerName="  Ada L.  ")["customerName"] == "Ada L.", "trimmed"
    assert started(server, user, customerName="x" * 40)["customerName"] == "x" * 40


def test_a_bad_customer_name_is_a_400(server):
    guest = new_guest(server)
    for name in ("", "   ", "x" * 41, "bell\u0007", "new\nline", 7, ["Ada"]):
        assert_error(start(server, guest, customerName=name), 400, "bad_request")
    r = requests.post(server.url("/api/v1/chats"), data="{", headers={**guest.headers, "Content-Type": "application/json"},
                      timeout=HTTP_TIMEOUT)
    assert_error(r, 400, "bad_request")


def test_every_call_needs_an_access_token(server):
    guest = new_guest(server)
    chat = started(server, guest)["id"]
    refused = [start(server, None), listing(server, None), get(server, None, chat), send(server, None, chat, "hi")]
    refused += [action(server, None, chat, verb) for verb in ("escalate", "claim", "transfer", "resolve")]
    refused.append(get(server, Caller(guest.token + "x", guest.id, 0), chat))  # an altered token
    for r in refused:
        assert_error(r, 401, "unauthorized")
        assert r.headers.get("WWW-Authenticate") == "Bearer"


def test_a_conversation_that_does_not_exist_is_a_404(server, ws_connect):
    agent = server.staff.agent(server)
    for who in (new_guest(server), agent, server.staff.admin):
        assert_error(get(server, who, "nope"), 404, "not_found")
        assert_error(send(server, who, "nope", "hello"), 404, "not_found")
        for verb in ("escalate", "claim", "transfer", "resolve"):
            assert_error(action(server, who, "nope", verb), 404, "not_found")
    ws = ws_connect(server)
    ws.expect("welcome")
    ws.send({"type": "auth", "token": agent.token})
    ws.expect("authenticated")
    ws.send({"type": "subscribe", "channel": "chat:nope", "since": 0})
    assert ws.expect("error", channel="chat:nope")["code"] == "not_found"
    for bad in ("a b", "x" * 129, "é"):
        assert_error(get(server, agent, requests.utils.quote(bad)), 400, "bad_request")


# --- the bot --------------------------------------------------------------------------------


def test_a_message_is_posted_and_the_bot_answers_it(server):
    guest = new_guest(server)
    chat = started(server, guest, customerName="Ada")["id"]
    mid = message_id()
    r = send(server, guest, chat, "  Hello there  ", mid)
    assert r.status_code == 201, r.text
    body = r.json()
    posted = next(m for m in body["messages"] if m["id"] == mid)
    assert MESSAGE_KEYS <= set(posted), posted
    assert (posted["author"], posted["authorName"], posted["role"], posted["text"]) == (guest.id, "Ada", "customer",
                                                                                        "Hello there")
    assert "replyTo" not in posted and not posted.get("offersPerson")
    assert posted["offset"] == 2 and isinstance(posted["at"], int)

    reply = bot_reply(server, guest, chat, mid)
    assert MESSAGE_KEYS <= set(reply), reply
    assert reply["text"].startswith("Hello Ada!"), reply
    assert reply["offset"] > posted["offset"]
    after = read(server, guest, chat)
    assert (after["messageCount"], after["lastMessage"], after["unanswered"]) == (2, reply, [])

    # Without an id, the server picks one.
    r = send(server, guest, chat, "thanks")
    assert r.status_code == 201, r.text
    mine = [m for m in r.json()["messages"] if m["role"] == "customer"]
    assert mine[-1]["text"] == "thanks" and mine[-1]["id"] and mine[-1]["id"] != mid
    assert "You're welcome, Ada!" in bot_reply(server, guest, chat, mine[-1]["id"])["text"]


def test_the_bot_remembers_a_name_and_an_order_number_said_earlier(server):
    user = new_user(server)
    chat = started(server, user, customerName="Customer")["id"]
    assert "Nice to meet you, Grace!" in ask(server, user, chat, "Hi, my name is Grace")["text"]
    assert "12345" in ask(server, user, chat, "My order number is 12345.")["text"]
    assert "Your name is Grace." in ask(server, user, chat, "Do you remember my name?")["text"]
    assert "Your order number is 12345." in ask(server, user, chat, "What is my order number?")["text"]
    delivery = ask(server, user, chat, "How long does delivery take?")["text"]
    assert "2–4 working days" in delivery and "order #12345" in delivery, delivery
    returns = ask(server, user, chat, "How do I return an item?")["text"]
    assert "within 30 days" in returns and "for order #12345" in returns, returns


def test_the_bot_answers_from_its_faq(server):
    guest = new_guest(server)
    chat = started(server, guest)["id"]
    payment = ask(server, guest, chat, "Which payment methods do you accept?")
    assert "PayPal" in payment["text"] and not payment.get("offersPerson"), payment
    assert "Monday to Friday" in ask(server, guest, chat, "What are your opening hours?")["text"]
    damaged = ask(server, guest, chat, "The item I got is damaged and broken")
    assert "Sorry about that" in damaged["text"] and damaged["offersPerson"] is True, damaged


def test_the_bot_says_when_it_does_not_know_and_offers_a_person(server):
    guest = new_guest(server)
    chat = started(server, guest)["id"]
    reply = ask(server, guest, chat, "Can you juggle?")
    assert "I don't know" in reply["text"] and "person" in reply["text"], reply
    assert reply["offersPerson"] is True
    assert read(server, guest, chat)["status"] == "bot", "offering is not escalating"


# --- escalation -----------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["escalate", "ESCALATE", "  Escalate \n", "eScAlAtE"])
def test_the_word_escalate_in_any_case_asks_for_a_person_instead_of_being_posted(server, ws_connect, typed):
    guest = new_guest(server)
    chat = started(server, guest)["id"]
    r = send(server, guest, chat, typed, message_id())
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["status"] == "queued" and isinstance(body.get("queuedSince"), int), body
    assert (body["messages"], body["messageCount"], body["unanswered"]) == ([], 0, []), "not posted"
    ws = ws_connect(server)
    subscribe(ws, f"chat:{chat}", guest.token)
    escalated = ws.expect("event", channel=f"chat:{chat}", name="escalated")
    assert escalated["data"] == {"by": guest.id, "reason": "keyword"}, escalated


def test_escalate_inside_a_sentence_is_a_question_for_the_bot(server):
    guest = new_guest(server)
    chat = started(server, guest)["id"]
    ask(server, guest, chat, "please escalate this")
    assert read(server, guest, chat)["status"] == "bot"


def test_the_button_queues_the_conversation_once(server, ws_connect):
    guest = new_guest(server)
    chat = started(server, guest)["id"]
    body = acted(server, guest, chat, "escalate")
    assert body["status"] == "queued" and body["queuedSince"] >= body["createdAt"], body
    assert_error(action(server, guest, chat, "escalate"), 409, "already_escalated")
    # While queued, "escalate" and anything else is a message for the person to come: posted,
    # not answered by the bot.
    for text in ("escalate", "hello? anyone?"):
        after = send(server, guest, chat, text, message_id())
        assert after.status_code == 201, after.text
        assert after.json()["messages"][-1]["text"] == text and after.json()["unanswered"] == []
    agent = server.staff.agent(server)
    acted(server, agent, chat, "claim")
    assert_error(action(server, guest, chat, "escalate"), 409, "already_escalated")
    ws = ws_connect(server)
    subscribe(ws, f"chat:{chat}", guest.token)
    assert ws.expect("event", channel=f"chat:{chat}", name="escalated")["data"] == {"by": guest.id, "reason": "button"}


# --- agents ---------------------------------------------------------------------------------


def test_an_agent_claims_a_queued_conversation_once(server):
    staff, (grace, alan) = server.staff, two_agents(server)
    guest = new_guest(server)
    chat = started(server, guest)["id"]
    assert_error(action(server, grace, chat, "claim"), 409, "not_queued")
    acted(server, guest, chat, "escalate")
    for nobody in (guest, new_guest(server), new_user(server)):
        assert_error(action(server, nobody, chat, "claim"), 403, "forbidden")
    assert_error(action(server, staff.admin, chat, "claim"), 403, "forbidden")  # claiming is for agents
    assert chat in listed(server, alan, "?status=queued")

    body = acted(server, grace, chat, "claim")
    assert body["status"] == "withAgent" and body["agent"] == {"id": grace.id, "name": "Grace Hopper"}, body
    assert "queuedSince" not in body
    refused = assert_error(action(server, alan, chat, "claim"), 409, "already_claimed")
    assert "Grace Hopper" in refused["message"], "naming who has it"
    assert_error(action(server, grace, chat, "claim"), 409, "already_claimed")
    assert chat not in listed(server, alan, "?status=queued"), "it left the queue"
    assert chat in listed(server, alan, "?status=withAgent")


def test_the_holding_agent_and_the_customer_write_and_the_bot_stays_out(server):
    staff, (grace, alan) = server.staff, two_agents(server)
    guest = new_guest(server)
    chat = queued(server, guest)
    assert_error(send(server, grace, chat, "Hello, I'm Grace"), 403, "forbidden")  # claim first
    acted(server, grace, chat, "claim")
    r = send(server, grace, chat, "Hello, I'm Grace", message_id())
    assert r.status_code == 201, r.text
    posted = r.json()["messages"][-1]
    assert (posted["author"], posted["authorName"], posted["role"]) == (grace.id, "Grace Hopper", "agent"), posted
    assert_error(send(server, alan, chat, "me too"), 403, "forbidden")
    assert_error(send(server, staff.admin, chat, "me too"), 403, "forbidden")
    question = sent(server, guest, chat, "How long does delivery take?")
    assert read(server, grace, chat)["unanswered"] == [], "the bot does not answer while an agent has it"
    assert replies(read(server, grace, chat), question) == []


def test_transfer_to_another_agent_and_back_to_the_queue(server):
    staff, (grace, alan) = server.staff, two_agents(server)
    guest, user = new_guest(server), new_user(server)
    chat = queued(server, guest)
    assert_error(action(server, grace, chat, "transfer", {"to": alan.id}), 409, "not_claimed")
    acted(server, grace, chat, "claim")
    for not_an_agent in (user.id, guest.id, staff.admin.id, "bot", "00000000-0000-0000-0000-000000000000", "a b", 7):
        assert_error(action(server, grace, chat, "transfer", {"to": not_an_agent}), 400, "bad_request")
    assert_error(action(server, alan, chat, "transfer", {"to": alan.id}), 403, "forbidden")  # not the holder
    assert_error(action(server, guest, chat, "transfer", {}), 403, "forbidden")

    body = acted(server, grace, chat, "transfer", {"to": alan.id})
    assert (body["status"], body["agent"]) == ("withAgent", {"id": alan.id, "name": "Alan Turing"}), body
    assert_error(send(server, grace, chat, "still here?"), 403, "forbidden")
    assert sent(server, alan, chat, "Alan here")
    assert_error(action(server, grace, chat, "transfer", {}), 403, "forbidden")

    body = acted(server, alan, chat, "transfer", {})
    assert body["status"] == "queued" and "agent" not in body and isinstance(body.get("queuedSince"), int), body
    assert chat in listed(server, grace, "?status=queued")
    acted(server, grace, chat, "claim")
    body = acted(server, staff.admin, chat, "transfer", {"to": alan.id})  # an admin hands it over too
    assert body["agent"]["id"] == alan.id
    assert acted(server, alan, chat, "transfer", {})["status"] == "queued"


def test_transfer_without_a_body_hands_back_to_the_queue(server):
    grace = server.staff.agent(server)
    chat = queued(server, new_guest(server))
    acted(server, grace, chat, "claim")
    assert acted(server, grace, chat, "transfer")["status"] == "queued"


def test_resolve_hands_the_conversation_back_to_the_bot(server):
    staff, (grace, alan) = server.staff, two_agents(server)
    guest = new_guest(server)
    chat = started(server, guest)["id"]
    assert_error(action(server, grace, chat, "resolve"), 409, "not_escalated")
    assert_error(action(server, grace, chat, "transfer", {}), 409, "not_claimed")
    acted(server, guest, chat, "escalate")
    assert_error(action(server, grace, chat, "resolve"), 409, "not_claimed")  # claim first
    acted(server, grace, chat, "claim")
    for nobody in (alan, guest, new_user(server)):
        assert_error(action(server, nobody, chat, "resolve"), 403, "forbidden")
    body = acted(server, grace, chat, "resolve")
    assert body["status"] == "bot" and not {"agent", "queuedSince"} & set(body), body
    assert "PayPal" in ask(server, guest, chat, "Which payment methods do you accept?")["text"], "the bot answers again"
    assert_error(action(server, grace, chat, "resolve"), 409, "not_escalated")

    # The customer may ask again; an admin may resolve a queued conversation (its customer left).
    assert acted(server, guest, chat, "escalate")["status"] == "queued"
    assert acted(server, staff.admin, chat, "resolve")["status"] == "bot"


# --- messages -------------------------------------------------------------------------------


def test_a_retried_message_id_is_posted_once(server):
    guest = new_guest(server)
    chat = started(server, guest)["id"]
    mid = message_id()
    assert send(server, guest, chat, "What are your opening hours?", mid).status_code == 201
    for text in ("What are your opening hours?", "something else"):
        assert_error(send(server, guest, chat, text, mid), 409, "already_posted")
    bot_reply(server, guest, chat, mid)
    body = read(server, guest, chat)
    assert [m["id"] for m in body["messages"]].count(mid) == 1
    assert body["messageCount"] == 2, body["messages"]


def test_message_ids_are_checked(server):
    guest = new_guest(server)
    chat = started(server, guest)["id"]
    for bad in ("", "a b", "x" * 65, "é", "a/b", 7):
        assert_error(send(server, guest, chat, "hi", bad), 400, "bad_request")
    assert send(server, guest, chat, "hi", "A-z_0.9" + "x" * 57).status_code == 201, "64 of the allowed characters"


def test_the_limits_on_a_message(server):
    guest = new_guest(server)
    chat = started(server, guest)["id"]
    allowed = ["x" * 2000, "😀" * 2000, "e\u0301" * 2000, "line\nbreak\ttab"]
    for text in allowed:
        assert send(server, guest, chat, text, message_id()).status_code == 201, text[:20]
    stored = [m["text"] for m in read(server, guest, chat)["messages"] if m["role"] == "customer"]
    assert stored == allowed
    refused = ["", "   ", "\n\t", "x" * 2001, "😀" * 2001, "a" + "\u0301" * 8000, "bell\u0007", "nul\u0000",
               "\u001b[31mred", "del\u007f", "c1\u0085c1", 7, None, ["hi"]]
    for text in refused:
        assert_error(send(server, guest, chat, text, message_id()), 400, "bad_request")
    r = requests.post(server.url(f"/api/v1/chats/{chat}/messages"), json={}, headers=guest.headers, timeout=HTTP_TIMEOUT)
    assert_error(r, 400, "bad_request")
    # Windows line ends become \n; the text is trimmed.
    mid = message_id()
    assert send(server, guest, chat, "  one\r\ntwo\rthree  ", mid).status_code == 201
    assert next(m for m in read(server, guest, chat)["messages"] if m["id"] == mid)["text"] == "one\ntwo\nthree"


# --- listings -------------------------------------------------------------------------------


def test_the_queue_is_oldest_first_and_listings_newest_first(server):
    staff = server.staff
    grace = staff.agent(server)
    ada, bob, cy = new_guest(server), new_user(server), new_guest(server)
    c1, c2, c3 = (started(server, who)["id"] for who in (ada, bob, cy))
    mine = started(server, ada)["id"]
    for chat, who in ((c2, bob), (c1, ada), (c3, cy)):
        acted(server, who, chat, "escalate")
    for who in (grace, staff.admin):
        assert listed(server, who, "?status=queued") == [c2, c1, c3], "the queue: oldest first"
        assert listed(server, who) == [mine, c3, c2, c1], "newest first"
        assert listed(server, who, "?status=bot") == [mine]
        assert listed(server, who, "?limit=1") == [mine]
    entry = listing(server, grace, "?status=queued").json()["chats"][0]
    assert CONVERSATION_KEYS <= set(entry) and entry["messages"] == [] and isinstance(entry["queuedSince"], int), entry

    acted(server, grace, c1, "claim")
    assert listed(server, grace, "?status=queued") == [c2, c3]
    assert listed(server, grace, "?status=withAgent") == [c1]
    for bad in ("?status=closed", "?status=", "?limit=0", "?limit=x", "?limit=-1"):
        assert_error(listing(server, grace, bad), 400, "bad_request")

    # A customer lists only their own, under any filter.
    assert listed(server, ada) == [mine, c1]
    assert listed(server, ada, "?status=withAgent") == [c1]
    assert listed(server, bob, "?status=queued") == [c2]
    assert listed(server, new_guest(server)) == []


def test_a_limited_queue_is_its_oldest_waiting(server):
    agent = server.staff.agent(server)
    customers = [new_guest(server) for _ in range(3)]
    chats = [started(server, who)["id"] for who in customers]
    for chat, who in zip(chats, customers):
        acted(server, who, chat, "escalate")
    assert listed(server, agent, "?status=queued") == chats
    assert listed(server, agent, "?status=queued&limit=2") == chats[:2]


def test_a_listing_shows_the_last_message(server):
    guest, agent = new_guest(server), server.staff.agent(server)
    chat = started(server, guest)["id"]
    reply = ask(server, guest, chat, "What are your opening hours?")
    entry = next(c for c in listing(server, agent, "?status=bot").json()["chats"] if c["id"] == chat)
    assert (entry["lastMessage"], entry["messageCount"], entry["messages"]) == (reply, 2, [])


# --- who may see and write a conversation ---------------------------------------------------


@pytest.mark.parametrize("owner_kind", ["guest", "user"])
@pytest.mark.parametrize("intruder_kind", ["guest", "user"])
def test_a_customer_cannot_read_subscribe_to_or_write_anothers_conversation(server, ws_connect, owner_kind,
                                                                           intruder_kind):
    owner, intruder = customer(server, owner_kind), customer(server, intruder_kind)
    chat = started(server, owner, customerName="Owner")["id"]
    secret = sent(server, owner, chat, "my order number is 99999")
    bot_reply(server, owner, chat, secret)
    channel = f"chat:{chat}"

    for r in (get(server, intruder, chat), send(server, intruder, chat, "let me in", message_id()),
              action(server, intruder, chat, "escalate"), action(server, intruder, chat, "claim"),
              action(server, intruder, chat, "transfer", {}), action(server, intruder, chat, "resolve")):
        body = assert_error(r, 403, "forbidden")
        assert "99999" not in r.text, body
    assert chat not in listed(server, intruder)
    assert listed(server, owner) == [chat]

    ws = ws_connect(server)
    ws.expect("welcome")
    ws.send({"type": "auth", "token": intruder.token})
    ws.expect("authenticated")
    ws.send({"type": "subscribe", "channel": channel, "since": 0})
    assert ws.expect("error", channel=channel)["code"] == "forbidden"
    for i, (name, data) in enumerate((("send", {"text": "let me in"}), ("escalate", {}))):
        ws.send({"type": "command", "id": f"c{i}", "channel": channel, "name": name, "data": data})
        assert ws.expect("error", id=f"c{i}")["code"] == "forbidden"
    anonymous = ws_connect(server)  # a connection that never authenticated is a guest of its own
    anonymous.expect("welcome")
    anonymous.send({"type": "subscribe", "channel": channel, "since": 0})
    assert anonymous.expect("error", channel=channel)["code"] == "forbidden"
    assert not [m for m in ws.received + anonymous.received if m.get("type") == "event"]

    body = read(server, owner, chat)
    assert [m["author"] for m in body["messages"]] == [owner.id, "bot"] and body["status"] == "bot", "nothing changed"


@pytest.mark.parametrize("role", ["agent", "admin"])
def test_agents_and_admins_read_and_subscribe_to_any_conversation(server, ws_connect, role):
    staff = server.staff
    reader = staff.agent(server) if role == "agent" else staff.admin
    owner = new_guest(server)
    chat = started(server, owner, customerName="Owner")["id"]
    question = sent(server, owner, chat, "my order number is 99999")
    bot_reply(server, owner, chat, question)
    body = read(server, reader, chat)
    assert [m["author"] for m in body["messages"]] == [owner.id, "bot"]
    assert chat in listed(server, reader)

    ws = ws_connect(server)
    subscribe(ws, f"chat:{chat}", reader.token)
    started_event = ws.expect("event", channel=f"chat:{chat}", offset=1)
    assert (started_event["name"], started_event["data"]) == ("conversationStarted",
                                                              {"customer": owner.id, "customerName": "Owner"})
    posted = ws.expect("event", channel=f"chat:{chat}", name="messagePosted", offset=2)["data"]
    assert (posted["id"], posted["author"], posted["role"], posted["text"]) == (question, owner.id, "customer",
                                                                                "my order number is 99999")
    # Reading is not writing: only the customer and the holding agent post, only the customer escalates.
    assert_error(send(server, reader, chat, "hello"), 403, "forbidden")
    assert_error(action(server, reader, chat, "escalate"), 403, "forbidden")


# --- the channel ----------------------------------------------------------------------------


def test_on_the_channel_a_customer_sends_and_the_bots_answer_arrives_as_an_event(server, ws_connect):
    guest = new_guest(server)
    chat = started(server, guest, customerName="Ada")["id"]
    channel = f"chat:{chat}"
    ws = ws_connect(server)
    subscribe(ws, channel, guest.token)
    ws.send({"type": "command", "id": "c1", "channel": channel, "name": "send",
             "data": {"text": "What are your opening hours?", "id": "q1"}})
    ack = ws.expect("ack", id="c1")
    posted = ws.expect("event", channel=channel, name="messagePosted", where=lambda m: m["data"]["id"] == "q1")
    assert posted["offset"] == ack["offset"] and posted["data"]["role"] == "customer", posted
    answer = ws.expect("event", channel=channel, name="messagePosted", where=lambda m: m["data"].get("replyTo") == "q1",
                       limit=30)
    data = answer["data"]
    assert (data["author"], data["role"]) == ("bot", "bot") and "Monday to Friday" in data["text"], answer
    assert isinstance(answer.get("time"), int)

    # The same id again is refused as over HTTP; a message sent over HTTP arrives here too.
    ws.send({"type": "command", "id": "c2", "channel": channel, "name": "send", "data": {"text": "again", "id": "q1"}})
    assert ws.expect("error", id="c2")["code"] == "already_posted"
    mid = sent(server, guest, chat, "thanks")
    ws.expect("event", channel=channel, name="messagePosted", where=lambda m: m["data"].get("replyTo") == mid, limit=30)
    ws.send({"type": "command", "id": "c3", "channel": channel, "name": "escalate", "data": {}})
    ws.expect("ack", id="c3")
    assert ws.expect("event", channel=channel, name="escalated")["data"] == {"by": guest.id, "reason": "button"}


def test_an_agent_claims_transfers_and_resolves_on_the_channel(server, ws_connect):
    staff, (grace, alan) = server.staff, two_agents(server)
    guest = new_guest(server)
    chat = queued(server, guest)
    channel = f"chat:{chat}"
    ws = ws_connect(server)
    subscribe(ws, channel, grace.token)

    def command(cid: str, name: str, **data) -> dict:
        ws.send({"type": "command", "id": cid, "channel": channel, "name": name, "data": data})
        return ws.expect(where=lambda m: m.get("id") == cid and m.get("type") in ("ack", "error"))

    assert command("c1", "claim")["type"] == "ack"
    assert ws.expect("event", channel=channel, name="claimed")["data"] == {"agent": grace.id, "agentName": "Grace Hopper"}
    assert command("c2", "claim")["code"] == "already_claimed"
    assert command("c3", "transfer", to=alan.id, toName="Alan Turing")["type"] == "ack"
    transferred = ws.expect("event", channel=channel, name="transferred")["data"]
    assert (transferred["from"], transferred["to"], transferred["by"]) == (grace.id, alan.id, grace.id), transferred
    assert read(server, alan, chat)["agent"] == {"id": alan.id, "name": "Alan Turing"}
    assert command("c4", "resolve")["code"] == "forbidden", "no longer the holder"
    acted(server, alan, chat, "resolve")
    assert ws.expect("event", channel=channel, name="resolved")["data"] == {"by": alan.id}


def test_an_agents_presence_markers_and_the_leave_the_server_writes(server, ws_connect):
    grace = server.staff.agent(server, "Grace Hopper")
    guest = new_guest(server)
    chat = queued(server, guest)
    channel = f"chat:{chat}"
    customer_side = ws_connect(server)
    subscribe(customer_side, channel, guest.token)
    console = ws_connect(server)
    subscribe(console, channel, grace.token)

    console.send({"type": "command", "id": "j1", "channel": channel, "name": "agentPresence", "data": {"joined": True}})
    console.expect("ack", id="j1")
    joined = customer_side.expect("event", channel=channel, name="agentPresence")["data"]
    assert joined == {"agent": grace.id, "agentName": "Grace Hopper", "joined": True}, joined
    assert read(server, guest, chat)["agentsPresent"] == [{"id": grace.id, "name": "Grace Hopper"}]
    console.send({"type": "command", "id": "j2", "channel": channel, "name": "agentPresence", "data": {"joined": True}})
    assert console.expect("error", id="j2")["code"] == "presence_unchanged"
    customer_side.send({"type": "command", "id": "j3", "channel": channel, "name": "agentPresence",
                        "data": {"joined": True}})
    assert customer_side.expect("error", id="j3")["code"] == "forbidden"

    console.close()  # the console goes without saying so: the server writes the leave
    left = customer_side.expect("event", channel=channel, name="agentPresence", limit=30)["data"]
    assert left == {"agent": grace.id, "agentName": "Grace Hopper", "joined": False}, left
    assert read(server, guest, chat)["agentsPresent"] == []


def test_typing_signals_name_their_sender_both_ways(server, ws_connect):
    grace = server.staff.agent(server)
    guest = new_guest(server)
    chat = queued(server, guest)
    acted(server, grace, chat, "claim")
    channel = f"chat:{chat}"
    customer_side, console = ws_connect(server), ws_connect(server)
    subscribe(customer_side, channel, guest.token)
    subscribe(console, channel, grace.token)
    for sender, receiver, who in ((customer_side, console, guest), (console, customer_side, grace)):
        for typing in (True, False):
            sender.send({"type": "signal", "channel": channel, "name": "typing", "data": {"typing": typing}})
            signal = receiver.expect("signal", channel=channel, name="typing", where=lambda m: m["data"] == {"typing": typing})
            assert signal["from"]["identity"] == who.id, signal
    assert read(server, guest, chat)["messageCount"] == 0, "signals are not stored"


def test_a_conversation_takes_a_thousand_messages(server):
    guest = new_guest(server)
    chat = queued(server, guest)  # (with a person to come, no bot replies to wait for)
    with requests.Session() as session:
        for i in range(1000):
            r = send(server, guest, chat, f"message {i}", f"n{i}", http=session)
            assert r.status_code == 201, (i, r.text[:300])
        assert_error(send(server, guest, chat, "one more", "n1000", http=session), 409, "conversation_full")
    assert read(server, guest, chat)["messageCount"] == 1000


def test_the_pass_lasts_auth_guest_pass_ttl(huddle_factory):
    h = huddle_factory(args=["--auth-guest-pass-ttl", "7200"])
    assert started(h, new_guest(h))["pass"]["expiresIn"] == 7200
