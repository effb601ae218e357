"""Posts every English area has, asked about where the protocol names them or does not.

"Is the PCC on any of the boards?" is a question about a post even where the protocol never
names a Police and Crime Commissioner: the answer says it names no seat for it, never reads
the words as a theme ("public health") or gives up. Where the protocol names the post in other
words ("Chief Executive of Suffolk County Council" for "the council chief executive"), the
answer is that post's.
"""

from __future__ import annotations

import pytest

from bot.knowledge import Knowledge
from bot.language.normalise import tokens
from bot.language.posts import area_post, posts_in
from bot.messages import Actor, Request
from bot.services import Services
from storage.protocol.loader import bundled_protocol_paths, load_protocol_file


@pytest.fixture(scope="module")
def services() -> Services:
    return Services(knowledge=Knowledge([load_protocol_file(p).protocol for p in bundled_protocol_paths()]))


async def ask(services: Services, area: str, text: str):
    from bot.router import handle

    actor = Actor.holding("console", "console", "member", "member", area=area)
    return await handle(Request(text=text, actor=actor, area=area), services)


@pytest.mark.parametrize(("area", "text", "post"), [
    ("suffolk", "is the PCC on any of the boards?", "Police and Crime Commissioner"),
    ("suffolk", "which boards is the director of public health on?", "Director of Public Health"),
    ("lancashire", "does the chief constable sit on the HWB?", "Chief Constable"),
    ("lancashire", "is the DASS a member of the LSCB?", "Director of Adult Social Services"),
    ("central-bedfordshire", "is the police and crime commissioner on any board", "Police and Crime Commissioner"),
])
async def test_a_post_the_protocol_does_not_name_has_no_seat_said_plainly(services, area, text, post):
    reply = await ask(services, area, text)
    assert reply.data["kind"] == "membership", reply.text
    assert f"protocol names no seat for the {post}" in reply.text, reply.text
    assert reply.data.get("theme") in (None, "")  # "public health" is not read as the health theme
    if text.startswith(("is ", "does ")):
        assert reply.text.startswith("No \u2014"), reply.text


@pytest.mark.parametrize(("area", "text", "seat"), [
    ("suffolk", "is the council chief executive on the HWB?", "Chief Executive of Suffolk County Council"),
    ("central-bedfordshire", "which boards does the director of adult social care sit on?",
     "Director of Adult Social Care, Central Bedfordshire Council sits on the SAB"),
    ("lancashire", "which boards is the director of public health on?", "Director of Public Health sits on"),
])
async def test_a_post_the_protocol_names_in_other_words_is_that_post(services, area, text, seat):
    reply = await ask(services, area, text)
    assert seat in reply.text, reply.text
    assert "names no seat" not in reply.text


def test_posts_are_found_only_as_written_and_never_inside_a_theme():
    assert posts_in(tokens("is the PCC on the HWB")) == [("police_and_crime_commissioner", 2, 3)]
    assert posts_in(tokens("who leads on public health?")) == []
    assert posts_in(tokens("who leads on police and crime?")) == []


def test_an_areas_own_post_is_the_closest_title(services):
    suffolk = services.knowledge.areas["suffolk"]
    # "Director of Adult's Services", not "Director of Adult and Community Services"
    assert area_post(suffolk, "director_of_adult_social_services") == "director_adults_services"
    assert area_post(suffolk, "police_and_crime_commissioner") is None
