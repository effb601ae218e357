"""Natural questions through Teams end to end: follow-ups, yes/no, "More", clarifying buttons.

Activities as Teams sends them go through the real botbuilder SDK to ``POST /api/messages``;
answers are asserted on the stand-in Bot Connector, card presses as ``adaptiveCard/action``
invokes carrying the data of the button boardbot drew. The conversation is the Teams chat.
"""

from __future__ import annotations

import copy

import pytest

from .standin import card_text, payload

pytestmark = pytest.mark.e2e


def _message(connector, text: str, n: int) -> dict:
    body = payload("personal_message", connector, id=f"17323741{n:05d}")
    body["text"] = text
    return body


def _action(card: dict, title: str) -> dict:
    for a in card.get("actions", []):
        if a.get("title") == title:
            return a
    raise AssertionError(f"no action {title!r} in {[a.get('title') for a in card.get('actions', [])]}")


def _press(connector, data: dict, activity_id: str) -> dict:
    body = payload("card_action_invoke", connector, id=activity_id)
    body["value"]["action"]["verb"] = "boardbot"
    body["value"]["action"]["data"] = copy.deepcopy(data)
    return body


async def test_a_follow_up_in_a_personal_chat_uses_the_question_before_it(teams, connector):
    await teams.post("/api/messages", json=_message(connector, "who chairs the adults board?", 1))
    await teams.post("/api/messages", json=_message(connector, "what about the children's board?", 2))
    first, second = connector.posts
    assert "BSAB" in card_text(first.card)
    text = card_text(second.card)
    assert "BSCB" in text and "Independent Chair" in text  # still a chair question, now about the BSCB


async def test_a_yes_no_question_gets_yes_or_no_first(teams, connector):
    await teams.post("/api/messages", json=_message(connector, "does the HWB lead on FGM?", 3))
    [post] = connector.posts
    assert post.card["fallbackText"].startswith("Yes \u2014")
    assert "Health and Wellbeing Board (HWB)" in card_text(post.card)


async def test_more_turns_the_short_answer_into_the_full_entry(teams, connector):
    await teams.post("/api/messages", json=_message(connector, "who leads on CSE?", 4))
    [post] = connector.posts
    more = _action(post.card, "More")
    resp = await teams.post("/api/messages", json=_press(connector, more["data"], "f:more-1"))
    assert resp.status == 200
    card = (await resp.json())["value"]
    text = card_text(card)
    assert "prevention, disruption and enforcement" in text and "Supporting" in text


async def test_a_clarifying_question_has_a_button_per_option(teams, connector):
    await teams.post("/api/messages", json=_message(connector, "who leads on safeguarding?", 5))
    [post] = connector.posts
    titles = [a.get("title") for a in post.card.get("actions", [])]
    assert "Safeguarding children" in titles and "Safeguarding adults at risk" in titles
    resp = await teams.post("/api/messages", json=_press(connector, _action(post.card, "Safeguarding children")["data"], "f:pick-1"))
    card = (await resp.json())["value"]
    assert "Buckinghamshire Safeguarding Children Board (BSCB)" in card_text(card)


async def test_typing_an_option_in_the_same_chat_answers_the_clarifying_question(teams, connector):
    await teams.post("/api/messages", json=_message(connector, "who leads on safeguarding?", 6))
    await teams.post("/api/messages", json=_message(connector, "adults", 7))
    _, answer = connector.posts
    assert "Lead: Buckinghamshire Safeguarding Adults Board (BSAB)" in answer.card["fallbackText"]
