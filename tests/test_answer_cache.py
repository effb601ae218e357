"""An answer given once is given again from memory, inside a conversation too, without changing
what the conversation means: the same words, the same answer; a follow-up leans on it; an option
of a clarifying question is still taken as that option."""

from __future__ import annotations

import pytest

from bot.messages import Actor, Request


@pytest.fixture
def services(knowledge):
    from bot.services import Services

    return Services(knowledge=knowledge)


async def ask(services, text: str, conversation: str, area: str = "buckinghamshire"):
    from bot.router import handle

    actor = Actor.holding("console", "console", "tester", "tester", area=area, roles=frozenset())
    return await handle(Request(text=text, actor=actor, area=area, conversation=conversation), services)


async def test_a_question_asked_again_inside_a_conversation_gets_the_same_answer_and_moves_the_conversation_on(services):
    first = await ask(services, "who leads on CSE?", "cache:one")
    await ask(services, "who leads on CSE?", "cache:eight")  # kept from its second asking
    await ask(services, "and in Suffolk?", "cache:five")  # the follow-up's words, answered once outside this conversation
    await ask(services, "who chairs the adults board?", "cache:two")
    again = await ask(services, "who leads on CSE?", "cache:two")  # answered from memory
    assert (again.text, again.sections, again.citations) == (first.text, first.sections, first.citations)
    follow = await ask(services, "and in Suffolk?", "cache:two")
    assert follow.data.get("area") == "suffolk" or "Suffolk" in follow.title
    assert follow.data.get("kind") == "lead" and "chair" not in follow.text.lower()[:80]


async def test_an_option_of_a_clarifying_question_is_taken_as_that_option_even_when_its_words_were_asked_before(services):
    plain = await ask(services, "child sexual exploitation", "cache:three")
    offered = await ask(services, "who leads on exploitation?", "cache:four")
    assert offered.data.get("clarify") and any("child sexual exploitation" in q for _, q in offered.data["options"])
    chosen = await ask(services, "child sexual exploitation", "cache:four")
    option = next(q for _, q in offered.data["options"] if "child sexual exploitation" in q)
    assert [e["text"] for e in chosen.data["entities"]] != [e["text"] for e in plain.data["entities"]]
    assert " ".join(e["text"] for e in chosen.data["entities"]) in option.replace("(", "").replace(")", "").replace("?", "")


async def test_an_option_typed_in_one_conversation_is_not_what_the_same_words_mean_in_another(services):
    await ask(services, "who leads on exploitation?", "cache:six")
    chosen = await ask(services, "child sexual exploitation", "cache:six")  # the option, here
    elsewhere = await ask(services, "child sexual exploitation", "cache:seven")  # the plain words, elsewhere
    assert [e["text"] for e in chosen.data["entities"]] != [e["text"] for e in elsewhere.data["entities"]]
    assert [e["text"] for e in elsewhere.data["entities"]] == ["child sexual exploitation"]


async def test_a_question_asked_once_leaves_no_answer_behind_and_one_asked_again_is_kept(services, monkeypatch):
    from collections import OrderedDict

    from bot import router
    from bot.recently import SeenBefore

    # a cache of its own: one other tests have filled to its bound would drop as many as it keeps
    monkeypatch.setattr(router, "_CACHE", OrderedDict())
    monkeypatch.setattr(router, "_ASKED", SeenBefore(65_536))
    text = "who leads on county lines in Buckinghamshire today?"
    before = len(router._CACHE)
    await ask(services, text, "cache:nine")
    assert len(router._CACHE) == before  # most free questions are asked once: keeping them only feeds the collector
    await ask(services, text, "cache:ten")
    assert len(router._CACHE) == before + 1
