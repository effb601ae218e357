"""A topic the protocol never mentions is named as the question typed it ("SSAB", not "ssab")."""

from __future__ import annotations

import pytest

from bot.knowledge import Knowledge
from bot.messages import Actor, Request
from bot.services import Services
from storage.protocol.loader import bundled_protocol_paths, load_protocol_file


@pytest.fixture(scope="module")
def services() -> Services:
    return Services(knowledge=Knowledge([load_protocol_file(p).protocol for p in bundled_protocol_paths()]))


@pytest.mark.parametrize(("area", "text", "said"), [
    ("lancashire", "what's the relationship between the LSCB and the SSAB?", "doesn't say anything about SSAB."),
    ("suffolk", "how does GDPR affect what we share?", "doesn't say anything about GDPR"),
])
async def test_a_topic_the_protocol_never_mentions_is_named_as_typed(services, area, text, said):
    from bot.router import handle

    actor = Actor.holding("console", "console", "member", "member", area=area)
    reply = await handle(Request(text=text, actor=actor, area=area), services)
    assert said in reply.text, reply.text
