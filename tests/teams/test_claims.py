"""Acting once on activities that arrive together: each is answered once, their keys written together.

The end-to-end test posts through the real botbuilder SDK to the stand-in Bot Connector; the
others drive :class:`bot.platforms.teams.once.ActivityClaims` against a real database
(SQLite, and PostgreSQL when one answers), as several replicas share it.
"""

from __future__ import annotations

import asyncio

import pytest

from .standin import payload


async def test_messages_arriving_together_are_each_answered_once_in_fewer_transactions(teams, connector, services):
    from sqlalchemy import event

    await teams.post("/api/messages", json=payload("personal_message", connector, text="boards"))  # the asker known
    checkouts: list[int] = []
    event.listen(services.store.engine.sync_engine.pool, "checkout", lambda *_: checkouts.append(1))
    bodies = [payload("personal_message", connector, id=f"17323741400{n:02d}", text="boards") for n in range(8)]

    results = await asyncio.gather(*(teams.post("/api/messages", json=b) for b in bodies + bodies))  # each sent twice

    assert {r.status for r in results} == {200}
    assert len(connector.posts) == 1 + 8  # every message answered, none twice
    assert len(checkouts) < 8  # one transaction each before (16); the ones waiting together now share one


@pytest.fixture
async def claims(db_url):
    from bot.platforms.teams.once import ActivityClaims
    from bot.services import Services
    from storage.store import Store

    store = await Store.open(db_url, load_bundled=False)
    try:
        yield ActivityClaims(Services(knowledge=None, store=store))  # type: ignore[arg-type]
    finally:
        await store.close()


REF = {"conversation": {"id": "a:conv-1"}, "serviceUrl": "https://smba.trafficmanager.net/uk/"}


async def test_a_key_claimed_twice_at_once_is_fresh_for_one_claim_only(claims):
    first, second, other = await asyncio.gather(claims.claim("teams:msg:1"), claims.claim("teams:msg:1"),
                                                claims.claim("teams:msg:2"))

    assert (first[0], second[0], other[0]) == (True, False, True)
    assert (await claims.claim("teams:msg:1"))[0] is False  # and for ever after


async def test_a_new_conversations_reference_is_stored_with_its_first_key(claims):
    from storage import directory

    a, b, repeat = await asyncio.gather(
        claims.claim("teams:msg:1", reference=REF, conversation_id="a:conv-1", tenant="t1"),
        claims.claim("teams:msg:2", reference={**REF, "channelId": "msteams"}, conversation_id="a:conv-1", tenant="t1"),
        claims.claim("teams:msg:1", reference={**REF, "serviceUrl": "https://elsewhere.example/"},
                     conversation_id="a:conv-1", tenant="t1"),
    )

    assert a == (True, True) and b == (True, True)
    assert repeat == (False, False)  # a re-sent activity stores nothing
    async with claims.services.store.session() as s:
        assert await directory.conversation_ref(s, "a:conv-1") == {**REF, "channelId": "msteams"}  # the latest wins


async def test_one_claim_that_cannot_be_written_fails_alone(claims):
    bad = {"conversation": {"id": "a:conv-2"}, "serviceUrl": object()}  # not JSON: its insert fails

    results = await asyncio.gather(claims.claim("teams:msg:1"),
                                   claims.claim("teams:msg:2", reference=bad, conversation_id="a:conv-2"),
                                   claims.claim("teams:msg:3"), return_exceptions=True)

    assert results[0] == (True, False) and results[2] == (True, False)
    assert isinstance(results[1], Exception)
    assert (await claims.claim("teams:msg:2"))[0] is True  # its key was not recorded: a re-send is answered


async def test_a_reference_another_replica_stored_first_leaves_the_key_recorded(claims, monkeypatch):
    from sqlalchemy.exc import IntegrityError

    from storage import directory

    async def lost_the_race(*_args, **_kwargs):
        raise IntegrityError("INSERT INTO conversation_refs", {}, Exception("UNIQUE constraint failed"))

    monkeypatch.setattr(directory, "save_conversation_ref", lost_the_race)

    assert await claims.claim("teams:msg:1", reference=REF, conversation_id="a:conv-1") == (True, False)
    assert (await claims.claim("teams:msg:1"))[0] is False
