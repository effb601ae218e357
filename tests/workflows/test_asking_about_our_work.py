"""Questions whose answer depends on who asks: a chair's own challenges, in plain words."""

from __future__ import annotations


async def raise_challenge(world, area: str, chair, to_board: str):
    form = await world.say(chair, f"challenge {to_board}", area)
    assert form.form is not None, form.text
    values = {"to_board": to_board, "subject": "CSE profiling", "concern": "The JSNA has no CSE profile.",
              "response_sought": "A plan to add one by spring."}
    return await world.submit(chair, form, area, request_id="view-1", **values)


async def test_a_chair_asking_what_next_gets_their_own_challenge_s_next_step(world):
    chair = world.person("Raising Chair", "chair:bscb")
    await raise_challenge(world, "buckinghamshire", chair, "ssbpb")
    reply = await world.say(chair, "what's the next step for our challenge?", "buckinghamshire")
    assert reply.data["kind"] == "challenge"
    assert "C1" in reply.text and "step 1" in reply.text.lower()
    assert "Item on another partnership's agenda" in reply.text  # the next rung of Buckinghamshire's ladder
    # someone with no part in it is told the route, not another board's business
    member = world.person("A Member")
    other = await world.say(member, "what's the next step for our challenge?", "buckinghamshire")
    assert "C1" not in other.text


async def test_a_chair_with_no_open_challenge_is_told_so_and_how_to_start(world):
    chair = world.person("Quiet Chair", "chair:bsab")
    reply = await world.say(chair, "where has our challenge got to?", "buckinghamshire")
    assert "no open challenges" in reply.text and "challenge <board>" in reply.text
