"""Garbage at ``POST /api/messages`` is 400, 401 or 413 with nothing stored and nothing sent.

Through the real server and botbuilder, with real JWT validation against the stand-in's key
set: first what was found (a body parsed before the token, deep nesting), then a fuzz of a
few hundred malformed variants of saved activities (messages, card invokes, legacy submits,
conversation updates: wrong types at every level, deep nesting, huge strings, bad encodings,
content-type mix-ups, bodies cut short), each sent with a valid token.
"""

from __future__ import annotations

import logging

import fuzzing
import pytest
from sqlalchemy import func, select

from storage.models import Base

from .standin import payload

pytestmark = pytest.mark.e2e

DEEP = b"[" * 100_000


async def counts(services) -> dict[str, int]:
    async with services.store.session() as s:
        return {t.name: (await s.execute(select(func.count()).select_from(t))).scalar_one()
                for t in Base.metadata.sorted_tables}


async def post(client, body: bytes, headers: dict[str, str]) -> int:
    resp = await client.post("/api/messages", data=body, headers=headers)
    await resp.read()
    return resp.status


async def test_deep_nesting_and_non_utf8_are_refused_before_and_after_the_token(teams_auth, connector, services):
    before = await counts(services)
    bearer = {"Authorization": f"Bearer {connector.sign()}", "Content-Type": "application/json"}
    for body in (DEEP, b'{"type": "message", "text": "\xff\xfe"}', b'{"type": "message", "serviceUrl": '):
        assert await post(teams_auth, body, {"Content-Type": "application/json"}) == 401
        assert await post(teams_auth, body, bearer) == 400
    huge = b'{"type": "message", "text": "' + b"A" * (1024 * 1024) + b'"}'
    assert await post(teams_auth, huge, bearer) == 413
    assert await counts(services) == before
    assert connector.posts == []


@pytest.mark.parametrize("escape", ["\\ud800", "\\u0000"])
async def test_text_no_database_can_hold_is_400_with_a_valid_token(teams_auth, connector, services, escape):
    import json

    before = await counts(services)
    body = payload("personal_message", connector)
    body["id"] = "m" + escape
    raw = json.dumps(body).replace(json.dumps(escape)[1:-1], escape).encode()
    bearer = {"Authorization": f"Bearer {connector.sign()}", "Content-Type": "application/json"}
    assert await post(teams_auth, raw, bearer) == 400
    assert await counts(services) == before
    assert connector.posts == []


async def test_unknown_invokes_are_400_not_501(teams_auth, connector, services):
    body = payload("card_action_invoke", connector)
    body["name"] = "task/fetch"
    resp = await teams_auth.post("/api/messages", json=body, headers={"Authorization": f"Bearer {connector.sign()}"})
    assert resp.status == 400
    assert connector.posts == []


BASES = ("personal_message", "channel_mention", "channel_mention_other_user", "card_action_invoke", "legacy_submit",
         "bot_added_to_team", "bot_added_personal")


async def _fuzz(client, connector, services, caplog, *, token: bool) -> dict[int, int]:
    bases = {name: payload(name, connector) for name in BASES}
    cases = fuzzing.collect(bases, n=300, encodings=("json", "json", "json", "no-type", "text-plain", "not-utf8",
                                                     "truncated", "bom", "json-as-form"))
    caplog.set_level(logging.ERROR, logger="boardbot")
    seen: dict[int, int] = {}
    for case in cases:
        before = await counts(services)
        posted = len(connector.posts)
        headers = {"Authorization": f"Bearer {connector.sign()}"} if token else {}
        if case.content_type:
            headers["Content-Type"] = case.content_type
        status = await post(client, case.body, headers)
        seen[status] = seen.get(status, 0) + 1
        assert status in (200, 400, 401, 413), case
        if status != 200:
            assert await counts(services) == before, case
            assert len(connector.posts) == posted, case
    crashed = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert crashed == [], [r.getMessage() for r in crashed][:5]
    return seen


async def test_malformed_activities_with_a_valid_token_are_never_a_500(teams_auth, connector, services, caplog):
    seen = await _fuzz(teams_auth, connector, services, caplog, token=True)
    assert seen.get(400, 0) > 80 and seen.get(200, 0) > 20, seen


async def test_malformed_activities_in_local_mode_are_never_a_500(teams, connector, services, caplog):
    seen = await _fuzz(teams, connector, services, caplog, token=False)
    assert seen.get(400, 0) > 80 and seen.get(200, 0) > 20, seen
