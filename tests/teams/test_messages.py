"""Teams messages through the real botbuilder SDK, answered on the stand-in Bot Connector.

Each test posts an activity exactly as Teams sends it (a saved sample, ``serviceUrl`` pointed
at the stand-in) to ``POST /api/messages`` and asserts on what reached the stand-in: the
card a person in Teams would see.
"""

from __future__ import annotations

import asyncio

import pytest

from .standin import TENANT, card_text, payload


async def test_personal_chat_question_is_answered_with_a_card_naming_the_lead_and_the_clause(teams, connector):
    resp = await teams.post("/api/messages", json=payload("personal_message", connector))

    assert resp.status == 200
    [post] = connector.posts
    assert post.kind == "reply" and post.activity_id == "1732374131357"
    assert post.conversation_id.startswith("a:1pQ7mZ3k")
    card = post.card
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.5"  # 1.5: it carries a "More" button
    title = card["body"][0]
    assert title["weight"] == "Bolder" and "Child sexual exploitation (CSE)" in title["text"]
    text = card_text(card)
    assert "BSCB: Buckinghamshire Safeguarding Children Board" in text  # the lead board, as a fact
    assert "Source: 002_3d7253e4d784d0af.txt, 4 Themes of common interest table (Child Sexual Exploitation)" in text
    source = next(b for b in card["body"] if b.get("text", "").startswith("Source:"))
    assert source["isSubtle"] is True and source["size"] == "Small"
    # the plain-text answer travels with the card, for notifications and clients without cards
    assert "Lead: Buckinghamshire Safeguarding Children Board (BSCB)." in card["fallbackText"]
    assert post.body["summary"].startswith("Lead: Buckinghamshire Safeguarding Children Board")
    assert post.body["replyToId"] == "1732374131357"
    assert post.body["from"]["id"] == "28:6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"


async def test_channel_mention_is_answered_in_its_thread_without_the_mention_text(teams, connector):
    resp = await teams.post("/api/messages", json=payload("channel_mention", connector))

    assert resp.status == 200
    [post] = connector.posts
    assert post.conversation_id == "19:8d1e5b0c6a2f4e7b9c3d1a5f7e9b2c4d@thread.tacv2;messageid=1732374642118"
    assert post.activity_id == "1732374642118"  # a reply in the asker's thread
    text = card_text(post.card)
    assert "The BSAB's chair: the Independent Chair." in text
    assert "doesn't name who holds the post" in text
    assert "Source: 002_3d7253e4d784d0af.txt, 2.2 Governance and Accountability" in text


async def test_a_resent_activity_is_answered_once(teams, connector):
    body = payload("personal_message", connector)
    first = await teams.post("/api/messages", json=body)
    again = await teams.post("/api/messages", json=body)

    assert first.status == 200 and again.status == 200
    assert len(connector.posts) == 1


async def test_the_same_question_sent_again_with_a_new_id_is_answered_again(teams, connector):
    await teams.post("/api/messages", json=payload("personal_message", connector))
    await teams.post("/api/messages", json=payload("personal_message", connector, id="1732374139999"))

    assert len(connector.posts) == 2


async def test_simultaneous_resends_are_answered_once(teams, connector):
    body = payload("personal_message", connector)
    results = await asyncio.gather(*(teams.post("/api/messages", json=body) for _ in range(5)))

    assert {r.status for r in results} == {200}
    assert len(connector.posts) == 1


async def test_bot_added_to_a_team_posts_a_welcome_card_in_the_channel(teams, connector):
    resp = await teams.post("/api/messages", json=payload("bot_added_to_team", connector))

    assert resp.status == 200
    [post] = connector.posts
    assert post.kind == "send"  # a new post in the General channel, not a reply
    assert post.conversation_id == "19:Qm3x7Kp2Zt9Lw4Rv8Ns1Yc6Hd0Jf5Bg2@thread.tacv2"
    text = card_text(post.card)
    assert "boardbot" in text and "who leads on CSE?" in text and "help" in text
    assert "@mention boardbot" in text
    assert "Buckinghamshire" in text  # the tenant is linked, so it says which area it answers for
    examples = [a for a in post.card["actions"] if a["type"] == "Action.Submit"]
    assert {a["data"]["msteams"]["value"] for a in examples} >= {"who leads on CSE?", "boards", "help"}


async def test_bot_added_to_a_personal_chat_says_hello_once(teams, connector):
    body = payload("bot_added_personal", connector)
    await teams.post("/api/messages", json=body)
    await teams.post("/api/messages", json=body)

    [post] = connector.posts
    assert "Ask your question here" in card_text(post.card)


async def test_someone_else_joining_gets_no_welcome(teams, connector):
    body = payload("bot_added_to_team", connector, membersAdded=[{"id": "29:someone-else", "aadObjectId": "aad-x"}])
    resp = await teams.post("/api/messages", json=body)

    assert resp.status == 200
    assert connector.posts == []


async def test_help_is_a_card_listing_commands_with_examples(teams, connector):
    await teams.post("/api/messages", json=payload("personal_message", connector, text="help"))

    [post] = connector.posts
    card = post.card
    assert card["body"][0]["text"] == "boardbot help"
    text = card_text(card)
    assert "who leads on" in text.lower()
    assert "`" not in text  # Teams cannot show code spans; examples are quoted instead


async def test_every_conversation_is_remembered_for_proactive_posts(teams, connector, services):
    from storage import directory

    await teams.post("/api/messages", json=payload("channel_mention", connector))
    await teams.post("/api/messages", json=payload("personal_message", connector))

    async with services.store.session() as s:
        channel = await directory.conversation_ref(s, "19:8d1e5b0c6a2f4e7b9c3d1a5f7e9b2c4d@thread.tacv2")
        personal = await directory.conversation_ref(s, payload("personal_message", connector)["conversation"]["id"])
    assert channel["serviceUrl"] == connector.url + "/"
    assert channel["conversation"]["tenantId"] == TENANT
    assert channel["bot"]["id"] == "28:6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
    assert personal["user"]["aadObjectId"] == "3f2a8c61-5b7d-4e9a-9c1f-2d6e8b4a7c05"


async def test_mentions_of_other_people_reach_the_core_with_their_ids(teams, connector, services):
    """An administrator links a colleague by @mentioning them; the colleague then asks as chair."""
    from storage import directory

    async with services.store.session() as s, s.begin():
        await directory.upsert_person(s, area_slug="buckinghamshire", platform="teams", workspace=TENANT,
                                      user_id="3f2a8c61-5b7d-4e9a-9c1f-2d6e8b4a7c05", is_admin=True)
    await teams.post("/api/messages", json=payload("channel_mention_other_user", connector))

    [post] = connector.posts
    sam = "29:1Hr9Tz0Wq4Ly7Nc2Xv5Bm8Kp3Jd6Fs1Ga4Qe7Uo0Ri3Ew6Yt9Pl2Kj5Hg8Fd1Sa4"
    assert sam in post.card["fallbackText"] and "chair of the BSCB" in post.card["fallbackText"]
    async with services.store.session() as s:
        person = await directory.get_person(s, "teams", TENANT, sam)
    assert person is not None and "chair:bscb" in person.roles


async def test_an_unlinked_tenant_is_asked_which_area(teams, connector):
    body = payload("personal_message", connector, channelData={"tenant": {"id": "00000000-aaaa-bbbb-cccc-000000000000"}})
    body["conversation"]["tenantId"] = "00000000-aaaa-bbbb-cccc-000000000000"
    await teams.post("/api/messages", json=body)

    [post] = connector.posts
    card = post.card
    assert card["body"][0]["type"] == "Container" and card["body"][0]["style"] == "attention"
    assert "Which area is this about?" in card_text(card)


@pytest.mark.parametrize(
    "raw",
    [
        b"{not json",
        b"[]",
        b'"message"',
        b'{"type": "message"}',
        b'{"type": 5, "serviceUrl": "http://x/", "conversation": {"id": "c"}}',
        b'{"type": "message", "serviceUrl": "http://x/", "conversation": "c"}',
        b'{"type": "message", "serviceUrl": "ftp://x/", "conversation": {"id": "c"}, "from": {"id": "u"}, "recipient": {"id": "b"}}',
        b'{"type": "message", "serviceUrl": "http://x/", "conversation": {"id": "c"}, "entities": "x"}',
        b"\xff\xfe",
    ],
)
async def test_malformed_bodies_get_400_and_change_nothing(teams, connector, services, raw):
    from sqlalchemy import func, select

    from storage.models import ConversationRef, ProcessedRequest

    resp = await teams.post("/api/messages", data=raw, headers={"Content-Type": "application/json"})

    assert resp.status == 400
    assert connector.calls == []
    async with services.store.session() as s:
        assert (await s.execute(select(func.count()).select_from(ConversationRef))).scalar_one() == 0
        assert (await s.execute(select(func.count()).select_from(ProcessedRequest))).scalar_one() == 0
    assert (await teams.get("/healthz")).status == 200  # and the server is fine


async def test_calendar_link_is_refused_in_a_channel_and_given_in_a_1_1_chat(teams, connector):
    """A channel cannot answer one person privately, so the core is told and makes no secret there."""
    await teams.post("/api/messages", json=payload("channel_mention", connector, text="<at>boardbot</at> calendar link"))
    await teams.post("/api/messages", json=payload("personal_message", connector, text="calendar link"))

    channel, personal = connector.posts
    assert channel.conversation_id.startswith("19:")
    assert "1:1 chat" in card_text(channel.card) and "/calendar/personal/" not in channel.card["fallbackText"]
    assert personal.conversation_id.startswith("a:")
    assert "/calendar/personal/" in personal.card["fallbackText"]  # the secret, where only its owner sees it


async def test_a_known_persons_question_costs_one_database_session(teams, connector, services):
    """De-duplication and the conversation reference share one transaction; who is asking is cached."""
    from sqlalchemy import event

    await teams.post("/api/messages", json=payload("personal_message", connector, text="boards"))
    checkouts: list[int] = []
    event.listen(services.store.engine.sync_engine.pool, "checkout", lambda *_: checkouts.append(1))

    await teams.post("/api/messages", json=payload("personal_message", connector, id="1732374130002", text="boards"))
    answered = len(checkouts)
    await teams.post("/api/messages", json=payload("personal_message", connector, id="1732374130002", text="boards"))

    assert len(connector.posts) == 2
    assert answered == 1  # was 2: the reference saved apart from the de-duplication
    assert len(checkouts) - answered == 1  # a re-sent activity: the de-duplication only

