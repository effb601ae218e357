"""Nothing of the bundled areas shows through in another area: help and hints name the
asking area's own boards, and delegation, director posts and the default ladder's attendees
come from the area's own file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.identity import roles_for
from bot.knowledge import AreaKnowledge, Knowledge
from bot.messages import Actor
from bot.services import Services
from bot.workflows.permissions import can_raise_for, delegation_words
from storage.protocol.loader import load_protocol_file, parse_protocol
from tests.conftest import make_bot

NORTHSHIRE = Path(__file__).resolve().parent / "areas" / "northshire.yaml"
# the bundled areas' board names that are theirs alone (HWB and LSCB are every area's words)
BUNDLED_ONLY = re.compile(r"\b(?:BSCB|BSAB|SSBPB|SSCB|SSAB|CSP Suffolk|LSAB|BCCB|Bucks|Buckinghamshire|Suffolk|"
                          r"Bedfordshire|Lancashire)\b")


@pytest.fixture
def north() -> AreaKnowledge:
    return AreaKnowledge(load_protocol_file(NORTHSHIRE).protocol)


@pytest.fixture
def north_bot(north):
    return make_bot(Services(knowledge=Knowledge([north.protocol])))


@pytest.fixture
def mixed_bot(north, protocols):
    return make_bot(Services(knowledge=Knowledge([*protocols, north.protocol])))


@pytest.mark.parametrize("text", ["help", "help agenda", "help remind", "help admin", "help board", "help challenge",
                                  "help calendar", "help report_year", "help themes", "help lead", "admin"])
async def test_help_in_a_fourth_area_shows_only_its_own_boards(mixed_bot, text):
    r = await mixed_bot(text, area="northshire", admin=True)
    shown = r.text
    assert not re.search(r"\b(?:BSCB|BSAB|SSBPB)\b", shown), shown
    if text in ("help agenda", "help remind", "help board", "help admin", "admin"):
        assert re.search(r"\b(?:NSCP|NSAB|NHWB|NCSP)\b", shown), shown


async def test_help_in_a_server_with_only_that_area_names_nothing_of_the_others(north_bot):
    for text in ("help", "help agenda", "help remind", "help admin", "help board", "help lead", "areas"):
        r = await north_bot(text, area="northshire", admin=True)
        assert not BUNDLED_ONLY.search(r.text), (text, r.text)


async def test_a_hint_that_asks_for_an_area_names_a_loaded_one(protocols):
    lancs = next(p for p in protocols if p.area.slug == "lancashire")
    bot = make_bot(Services(knowledge=Knowledge([lancs, parse_protocol(NORTHSHIRE.read_text(), "n").protocol])))
    for text in ("who chairs the adults board?", "boards"):
        r = await bot(text, area=None)
        assert "Which area" in r.text, r.text
        assert "in Lancashire?" in r.text and "Suffolk" not in r.text, r.text


def test_errors_in_commands_use_the_areas_boards():
    from bot.commands.examples import localise

    area = AreaKnowledge(load_protocol_file(NORTHSHIRE).protocol)
    assert localise("e.g. agenda {board} https://x", area) == "e.g. agenda NSCP https://x"
    assert localise("agenda request {other_board}", area) == "agenda request NHWB"
    assert localise("{board}", None) == "<board>"


# --- delegation ----------------------------------------------------------------------------------


def test_a_vice_chair_or_nominated_deputy_may_raise_where_the_file_says_so(north):
    vice = Actor.holding("console", "console", "v", "Vice", roles=roles_for(north, "vice-chair of the NSAB"), area="northshire")
    deputy = Actor.holding("console", "console", "d", "Dep", roles=roles_for(north, "nominated deputy of NSCP"), area="northshire")
    officer = Actor.holding("console", "console", "o", "Off", roles=roles_for(north, "delegated officer of NSCP"), area="northshire")
    assert can_raise_for(north, vice) == ["nsab"]
    assert can_raise_for(north, deputy) == ["nscp"]
    assert can_raise_for(north, officer) == []  # the file names vice-chairs and deputies, not officers
    assert delegation_words(north) == "the chair, a vice-chair or a nominated deputy"


def test_where_the_file_names_no_one_only_the_chair_may_raise_and_it_says_so(north):
    text = NORTHSHIRE.read_text().replace("  on_behalf: [vice_chair, deputy]\n", "")
    area = AreaKnowledge(parse_protocol(text, "n.yaml").protocol)
    vice = Actor.holding("console", "console", "v", "Vice", roles=roles_for(area, "vice chair of NSAB"), area="northshire")
    assert can_raise_for(area, vice) == []
    assert "boardbot's default" in delegation_words(area)


def test_the_protocols_words_alone_no_longer_decide_delegation(north):
    """'at their direction' in the text, but the file states on_behalf: []: only the chair."""
    text = NORTHSHIRE.read_text().replace("  on_behalf: [vice_chair, deputy]\n", "  on_behalf: []\n").replace(
        "may raise a challenge.", "may raise a challenge, or an officer at their direction.")
    area = AreaKnowledge(parse_protocol(text, "n.yaml").protocol)
    officer = Actor.holding("console", "console", "o", "Off", roles=roles_for(area, "delegated officer of NSCP"), area="northshire")
    assert can_raise_for(area, officer) == []


def test_a_version_1_file_keeps_its_old_delegation_and_directors():
    text = NORTHSHIRE.read_text().replace("schema_version: 2", "schema_version: 1").replace(
        "  on_behalf: [vice_chair, deputy]\n", "").replace("    director: true\n", "").replace(
        "may raise a challenge.", "may raise a challenge, or an officer at their direction.")
    area = AreaKnowledge(parse_protocol(text, "v1.yaml").protocol)
    assert area.protocol.challenge.on_behalf == ["delegated_officer"]
    assert {r.key for r in area.protocol.roles if r.director} == {"dass", "dcs"}  # titles saying "Director"


# --- director posts ------------------------------------------------------------------------------


def test_a_post_flagged_director_counts_whatever_its_title(north):
    assert "director" in roles_for(north, "District Police Commander")
    text = NORTHSHIRE.read_text().replace("    title: Director of Children's Services\n    director: true\n",
                                          "    title: Director of Children's Services\n")
    area = AreaKnowledge(parse_protocol(text, "n.yaml").protocol)
    assert "director" not in roles_for(area, "Director of Children's Services")


# --- the default ladder's attendees ---------------------------------------------------------------


def test_the_default_resolution_meeting_names_the_boards_involved(north):
    assert north.ladder_is_default
    final = north.ladder[-1]
    adults = north.attendees(final, ("nsab", "ncsp"))
    assert "Independent Chair of the NSAB (Morgan Reed)" in adults
    assert "Director of Adult Social Services" in adults and "District Police Commander" in adults
    assert not any("Children" in a or "Chief Executive" in a for a in adults)


def test_the_protocols_own_ladder_keeps_its_own_attendees(protocols):
    suffolk = AreaKnowledge(next(p for p in protocols if p.area.slug == "suffolk"))
    rung = suffolk.ladder[-1]
    assert suffolk.attendees(rung, ("hwb", "lscb")) == list(rung.attendees)


def test_a_vice_chair_who_may_raise_may_also_follow_the_challenge_up(north):
    from bot.workflows.permissions import chairs_for, speaks_for

    vice = Actor.holding("console", "console", "v", "Vice", roles=roles_for(north, "vice-chair of the NSAB"), area="northshire")
    assert chairs_for(vice, "northshire", "nsab") and speaks_for(vice, "northshire", "nsab")
    assert not chairs_for(vice, "northshire", "nscp")
