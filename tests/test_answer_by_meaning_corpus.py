"""Answering by meaning changes no answer: every question of the understanding sets, in its own
area, and the benchmark's lead questions in every area, each asked twice, get the same replies
and the same Slack acks as when every answer is worked out and rendered afresh."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from bot.messages import Actor, Request

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
AREAS = {"cb": "central-bedfordshire", "sf": "suffolk", "bk": "buckinghamshire", "ln": "lancashire"}


def _questions() -> list[tuple[str, str, list[str]]]:
    import sys

    sys.path.insert(0, str(ROOT))
    from benchmarks.common import new_questions

    items = []
    for name in ("understanding_corpus", "understanding_dev", "understanding_heldout", "understanding_probe", "understanding_unseen"):
        for raw in yaml.safe_load((ROOT / "benchmarks" / f"{name}.yaml").read_text())["items"]:
            items.append((AREAS[raw["a"]], raw["q"], list(raw.get("before", []))))
    leads = new_questions(600)
    for area in AREAS.values():
        items += [(area, q, []) for q in leads]
    return items + items  # twice: the second time of each is answered from memory


async def _answers(knowledge, items) -> list[str]:
    from bot.platforms.slack.app import _ack_response
    from bot.platforms.slack.blocks import button_value, message
    from bot.router import handle
    from bot.services import Services

    services = Services(knowledge=knowledge)
    out = []
    for i, (area, q, before) in enumerate(items):
        actor = Actor.holding("slack", "T1", "U1", "u", area=area, roles=frozenset())
        conversation = f"corpus:{i % (len(items) // 2)}"
        for b in before:
            await handle(Request(text=b, actor=actor, area=area, conversation=conversation), services)
        r = await handle(Request(text=q, actor=actor, area=area, conversation=conversation), services)
        values = [button_value(b.action, b.value) for b in r.buttons] or None
        ack = json.loads(_ack_response({"response_type": "ephemeral", **message(r, button_values=values)}).body)
        seen = json.dumps([r.text, r.title, repr(r.sections), repr(r.buttons), repr(r.citations), r.ok, r.data, ack],
                          sort_keys=True, default=str)
        out.append(re.sub(r"bb-[0-9a-f]{12}-", "bb-", seen))  # each rendering's button nonce is its own
    return out


async def test_every_answer_given_by_meaning_is_the_answer_worked_out_afresh(protocols, monkeypatch):
    from bot import router
    from bot.commands import questions
    from bot.knowledge import Knowledge
    from bot.platforms.slack import blocks

    items = _questions()
    remembered = await _answers(Knowledge(protocols), items)
    monkeypatch.setattr(questions, "lead_meaning", lambda ctx, u: None)
    monkeypatch.setattr(blocks, "message", lambda reply, **kw: blocks._message(reply, kw.get("extra", ()), kw.get("button_values")))
    monkeypatch.setattr(router, "_CACHE", type(router._CACHE)())
    monkeypatch.setattr(router, "_ASKED", type(router._ASKED)(65_536))
    afresh = await _answers(Knowledge(protocols), items)
    differ = [(items[i], a[:300], b[:300]) for i, (a, b) in enumerate(zip(remembered, afresh, strict=True)) if a != b]
    assert len(items) > 4000 and not differ, differ[:3]
