"""Greetings and thanks get a short friendly answer with what to try; questions are still answered."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("text", ["hi", "Hello!", "hey there", "morning", "Good afternoon", "hiya boardbot"])
async def test_a_greeting_gets_hello_and_examples_from_the_area(bot, text) -> None:
    reply = await bot(text, area="suffolk")
    assert reply.ok and reply.text.startswith("Hello!")
    assert "Suffolk" in reply.text and "who chairs the CTJCG?" in reply.text and "didn't understand" not in reply.text


@pytest.mark.parametrize("text", ["thanks!", "thank you", "Thank you so much", "cheers", "ta", "many thanks", "great, thanks",
                                  "thanks for that"])
async def test_thanks_gets_youre_welcome(bot, text) -> None:
    reply = await bot(text)
    assert reply.text.startswith("You're welcome") and "help" in reply.text


async def test_ok_and_bye_are_answered_too(bot) -> None:
    assert (await bot("ok")).text.startswith("Anything else?")
    assert (await bot("thanks, bye")).text.startswith("Bye")


async def test_a_greeting_with_a_question_answers_the_question(bot) -> None:
    reply = await bot("hi, who leads on CSE?")
    assert "BSCB" in reply.text and not reply.text.startswith("Hello")


async def test_a_greeting_needs_no_area(bot) -> None:
    reply = await bot("hello", area=None)
    assert reply.ok and "areas" in reply.text
