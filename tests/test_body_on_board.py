"""One body the protocol describes, asked of as a member of another board.

"Is the SAB on the CSP?", "does the PCC sit on the HWB?", "which boards is the SAB on?": the
answer comes from the boards' membership lists and only from them. A body the protocol calls a
key partner is not thereby seated anywhere ("yes, the protocol says: … key partners…" overstated
it), and a board whose members the protocol does not list is said to be silent, never "no".
"""

from __future__ import annotations

import pytest

from bot.messages import Actor, Request


@pytest.fixture
def services(knowledge):
    from bot.services import Services

    return Services(knowledge=knowledge)


async def ask(services, area: str, text: str):
    """``text`` asked by a member of ``area`` with no role there, outside any conversation."""
    from bot.router import handle

    return await handle(Request(text=text, area=area, actor=Actor.holding("console", "console", "member", "member", area=area)),
                        services)


@pytest.mark.parametrize("text", [
    "is the SAB on the CSP?",
    "is the safeguarding adults board represented on the community safety partnership?",
    "is the SAB a member of the CSP",
    "is the SAB on any of the boards?",
])
async def test_a_board_listed_among_another_boards_members_is_yes_with_that_list_quoted(services, text):
    reply = await ask(services, "central-bedfordshire", text)
    assert reply.text.startswith("Yes — the SAB is listed among the members of the CSP"), reply.text
    assert "Central Bedfordshire Safeguarding Adults Board" in reply.text
    assert any(c.clause == "6 Membership" for c in reply.citations)


async def test_which_boards_a_board_sits_on_names_them_without_a_yes(services):
    reply = await ask(services, "central-bedfordshire", "which boards is the SAB on?")
    assert reply.text.startswith("The SAB is listed among the members of the CSP"), reply.text


@pytest.mark.parametrize("text", ["does the CSP sit on the safeguarding adults board?", "is the HWB part of the children's trust?"])
async def test_a_board_missing_from_a_listed_membership_is_no_and_never_read_the_other_way_round(services, text):
    reply = await ask(services, "central-bedfordshire", text)
    assert reply.text.startswith("No — the protocol's list of the"), reply.text
    assert reply.citations  # the list it was read from


async def test_a_board_whose_members_are_not_listed_is_silent_not_no(services):
    reply = await ask(services, "buckinghamshire", "is the PCC on the HWB?")
    assert "doesn't say whether the PCC sits on the HWB" in reply.text
    assert not reply.text.startswith(("Yes", "No"))


async def test_a_partner_body_is_not_said_to_sit_on_a_board_because_the_protocol_calls_it_a_partner(services):
    reply = await ask(services, "buckinghamshire", "is the PCC on any of the boards?")
    assert not reply.text.startswith("Yes"), reply.text
    assert "the PCC is not among them" in reply.text and "doesn't say whether the PCC sits on those" in reply.text


@pytest.mark.parametrize(("area", "text"), [
    ("suffolk", "is the LSCB on the agenda of the HWB?"),  # an agenda, not a seat
    ("suffolk", "does the HWB lead on domestic abuse?"),
    ("central-bedfordshire", "does the LSCB report to the HWB?"),
])
async def test_other_questions_naming_two_boards_are_not_read_as_one_sitting_on_the_other(services, area, text):
    first = (await ask(services, area, text)).text.split("\n")[0]
    assert "sits on" not in first and "members" not in first, first
