"""Forms in the terminal: one bad answer asks only that question again, every other answer kept;
the same in the core for Slack and Teams (the form comes back filled in, the problem named)."""

from __future__ import annotations

import io

from bot.messages import Actor
from bot.platforms.console.terminal import chat


def script(*lines: str):
    it = iter(lines)
    asked: list[str] = []

    def read(prompt: str) -> str:
        asked.append(prompt)
        try:
            return next(it)
        except StopIteration:
            raise EOFError from None

    return read, asked


async def test_a_bad_answer_asks_only_that_question_again(services):
    chair = Actor.holding("console", "console", "chair", "BSCB Chair", roles={"chair:bscb"})
    manager = Actor.holding("console", "console", "bm", "HWB Manager", roles={"business_manager:hwb"})
    read, _ = script("challenge HWB", "", "CSE profiling", "No CSE profile.", "A plan.", "", "quit")
    out = io.StringIO()
    await chat(services, chair, "buckinghamshire", read=read, out=out)
    assert "Challenge C1 raised" in out.getvalue(), out.getvalue()

    read, asked = script("more time C1", "the board meets late in January", "about 3 weeks", "15", "quit")
    out = io.StringIO()
    await chat(services, manager, "buckinghamshire", read=read, out=out)
    text = out.getvalue()
    assert "A whole number of working days from 1 to 60" in text and "Your other answers are kept" in text, text
    assert "Asked the BSCB for 15 more working day(s)" in text, text
    # the reason was asked once; only the number of days twice
    assert sum("Why more time is needed" in p for p in asked) == 1
    assert sum("Extra working days" in p for p in asked) == 2


async def test_the_core_gives_the_form_back_filled_in_with_every_problem_named(services):
    from bot.actions import handle_action
    from bot.messages import Request

    chair = Actor.holding("console", "console", "chair", "BSCB Chair", roles={"chair:bscb"})
    reply = await handle_action(Request(text="", actor=chair, area="buckinghamshire", platform="console",
                                        action="challenge.submit",
                                        value={"area": "buckinghamshire", "to_board": "hwb", "subject": "",
                                               "concern": "No CSE profile.", "response_sought": "x" * 3001}), services)
    assert not reply.ok and set(reply.data["field_errors"]) == {"subject", "response_sought"}
    kept = {f.name: f.initial for f in reply.form.fields}
    assert kept["concern"] == "No CSE profile." and kept["to_board"] == "hwb"
