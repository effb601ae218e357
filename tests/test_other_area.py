"""Answers come from an area's data, not from the protocols boardbot ships with.

Fenmoor (tests/areas/fenmoor.yaml) is made up: its boards, themes, chairs, ladder and
dates are found in no bundled protocol, so each answer here can only have come from
reading that file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge import Knowledge
from bot.messages import Actor, Request
from bot.services import Services
from storage.protocol.loader import bundled_protocol_paths, load_protocol_file

FENMOOR = Path(__file__).parent / "areas" / "fenmoor.yaml"


@pytest.fixture(scope="module")
def services() -> Services:
    protocols = [load_protocol_file(p).protocol for p in [*bundled_protocol_paths(), FENMOOR]]
    return Services(knowledge=Knowledge(protocols))


async def ask(services: Services, text: str, *, conversation: str | None = None) -> dict:
    from bot.router import handle

    actor = Actor.holding("console", "console", "member", "member", area="fenmoor")
    reply = await handle(Request(text=text, actor=actor, area="fenmoor", conversation=conversation), services)
    return {**reply.data, "text": reply.text}


def leads(data: dict) -> set[str]:
    return {b["key"] for b in data.get("leads") or []}


@pytest.mark.parametrize(("text", "lead"), [
    ("who leads on county lines", "sfp"),
    ("who's got the lead for hoarding in fenmoor", "fsab"),
    ("loneliness - which partnership", "hwb"),
    ("a lad of 15 is being made to sell drugs for a gang, which partnership leads", "sfp"),
    ("isolated older people - which board", "hwb"),
    ("her partner keeps hitting her, who do we go to", "sfp"),  # domestic abuse, which Fenmoor calls VAWG  # the area's "social isolation", in another form
    ("which board should i go to about an old man who won't let anyone in and his house is full of rubbish", "fsab"),
])
async def test_the_lead_is_the_area_s_own(services, text, lead):
    assert leads(await ask(services, text)) == {lead}


@pytest.mark.parametrize("text", [
    "who leads on homelessness",  # the protocol says no one does
    "who leads on FGM",  # other areas name a lead; Fenmoor's protocol does not
    "who leads on domestic abuse",
])
async def test_where_fenmoor_names_no_lead_no_board_is_named(services, text):
    data = await ask(services, text)
    assert not leads(data)
    assert "Fenmoor" in data["text"] and ("no " in data["text"] or "doesn't" in data["text"])


@pytest.mark.parametrize(("text", "words"), [
    ("who chairs the children's partnership", ["Priya Natarajan"]),
    ("who is the SAB chair", ["Marion Oduya"]),
    ("who's the independent scrutineer", ["Priya Natarajan"]),  # an office by its own title
    ("how often do the chairs meet", ["twice a year"]),
    ("how often does the FSCP meet", ["six weeks"]),
    ("when is the protocol due for review", ["March 2027"]),
    ("when are minutes shared", ["ten working days"]),
    ("where does the adults board annual report go", ["HWB", "spring"]),
    ("who can challenge another partnership", ["chair of any partnership"]),
    ("if the chairs meeting doesn't settle it what happens next", ["Resolution panel"]),
    ("what happens at the resolution panel", ["Step 3", "Chief Executive decides"]),
    ("when are the chairs' meetings", ["April and October"]),  # the meeting, though it is also a step of the ladder
])
async def test_facts_are_read_from_the_area_s_file(services, text, words):
    data = await ask(services, text)
    for w in words:
        assert w.lower() in data["text"].lower(), data["text"]


async def test_a_case_told_in_a_sentence_finds_the_area_s_own_name_for_it(services):
    data = await ask(services, "a 17 year old in care is about to turn 18 and move to adult services, who leads")
    assert leads(data) == {"fscp", "fsab"}


async def test_a_yes_no_question_is_answered_yes_or_no_first(services):
    data = await ask(services, "is the DPH on the FSCP")
    assert data["text"].startswith("Yes") and "attends" in data["text"]


async def test_a_follow_up_keeps_the_area_s_board(services):
    await ask(services, "who chairs the HWB", conversation="fen-1")
    data = await ask(services, "and the adults board?", conversation="fen-1")
    assert "Marion Oduya" in data["text"]


async def test_a_question_naming_its_board_is_not_taken_for_a_follow_up(services):
    await ask(services, "what version is the protocol", conversation="fen-2")
    data = await ask(services, "what is the FSCP for", conversation="fen-2")
    assert "protect children" in data["text"]
