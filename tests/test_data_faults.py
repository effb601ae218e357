"""The bundled files say what their seeds say: each fault found reading them against the
seed documents is fixed, and each fix is checked against the seed's own words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.knowledge import Knowledge
from bot.services import Services
from tests.conftest import make_bot

SEEDS = Path("/work/shared/seeds")
SEED_TEXT = {p.name: p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")} if SEEDS.exists() else {}
needs_seeds = pytest.mark.skipif(not SEED_TEXT, reason="the seed documents are not on this machine")


def area(protocols, slug):
    return next(p for p in protocols if p.area.slug == slug)


def _flat(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", re.sub(r"\*|\[|\]\(#\)|\\", "", text.lower())).strip()


def in_seed(p, doc_key: str, words: str) -> bool:
    file = next(d.file for d in p.documents if d.key == doc_key)
    return _flat(words) in _flat(SEED_TEXT[file])


@pytest.fixture
def bot(protocols):
    return make_bot(Services(knowledge=Knowledge(protocols)))


@needs_seeds
def test_lancashire_governance_assessment_names_no_recipient_as_clause_5_7_does(protocols):
    lancs = area(protocols, "lancashire")
    duty = next(r for r in lancs.reports if r.key == "governance_assessment")
    assert duty.to_others == [] and duty.to_boards == [] and "5.7" in duty.no_recipient
    assert duty.source.clause == "5.7"
    clause = next(line for line in SEED_TEXT["004_71b0744a30f3eaf0.txt"].splitlines() if line.startswith("5.7 "))
    assert "County Council" not in clause


def test_no_placeholder_is_printed_as_a_recipient(protocols):
    for p in protocols:
        for r in p.reports:
            assert not any("no recipient" in o.lower() or "not named" in o.lower() for o in r.to_others), (p.area.slug, r.key)


async def test_a_report_with_no_recipient_says_so_in_answers(bot):
    r = await bot("reports", area="central-bedfordshire")
    line = next(x for x in r.text.splitlines() if "CSP Partnership Plan" in x)
    assert "the protocol names no recipient" in line and "to no recipient" not in line


@needs_seeds
@pytest.mark.parametrize("key", ["substance_misuse", "asb"])
def test_central_bedfordshire_names_no_lead_where_section_7_names_none(protocols, key):
    cb = area(protocols, "central-bedfordshire")
    theme = next(t for t in cb.themes if t.key == key)
    assert theme.leads == [] and "Section 7" in theme.no_lead
    csp = next(s for s in theme.supporting if s.board == "csp")
    assert csp.source.clause.startswith("6 ")
    leadership = SEED_TEXT["000_6088000c00995659.txt"].split("### Leadership and accountability")[1].split("## Mutual")[0]
    assert "Community Safety Partnership has the strategic lead" in leadership
    words = {"substance_misuse": "substance misuse", "asb": "anti-social"}[key]
    csp_line = next(line for line in leadership.splitlines() if "Community Safety Partnership" in line)
    assert words not in csp_line.lower()


async def test_who_leads_on_substance_misuse_in_central_bedfordshire_names_no_lead(bot):
    r = await bot("who leads on substance misuse?", area="central-bedfordshire")
    assert "no lead" in r.text.lower() or "names no" in r.text.lower(), r.text


@needs_seeds
@pytest.mark.parametrize("key", ["cse", "safeguarding_training", "serious_case_reviews", "policies_and_procedures", "thresholds"])
def test_central_bedfordshire_lead_roles_are_the_2013_protocols_words(protocols, key):
    """The 2018 terms of reference are cited as such (in notes), never under the 2013 protocol's clause."""
    cb = area(protocols, "central-bedfordshire")
    theme = next(t for t in cb.themes if t.key == key)
    assert theme.source.doc == "joint"
    assert "2018" not in theme.lead_role and "Pan Bedfordshire" not in theme.lead_role
    assert any(n.source.doc == "arrangements" for n in theme.notes)
    for n in theme.notes:
        if "Pan Bedfordshire" in n.text or "2018" in n.text:
            assert n.source.doc == "arrangements", n.text


@needs_seeds
def test_blank_date_fields_are_data_and_answered(protocols):
    cb = area(protocols, "central-bedfordshire")
    assert any("Date Agreed" in n.text for n in cb.protocol.notes)
    assert re.search(r"Date Agreed:</b>\s*\n", SEED_TEXT["000_6088000c00995659.txt"])
    lancs = area(protocols, "lancashire")
    assert any("signature dates blank" in n.text for n in lancs.protocol.notes)


async def test_when_was_it_agreed_says_the_date_field_is_blank(bot):
    r = await bot("when was the protocol agreed?", area="central-bedfordshire")
    assert "blank" in r.text, r.text


@needs_seeds
def test_suffolk_ladder_shows_the_protocols_words_and_the_correction_as_a_note(protocols):
    suffolk = area(protocols, "suffolk")
    rung = next(r for r in suffolk.challenge.ladder if r.source.clause == "10.3")
    assert "8.1 and 8.2" in rung.text and "10.1 and 10.2" not in rung.text
    assert "10.1 and 10.2" in rung.note
    assert in_seed(suffolk, "protocol", "have not been resolved by the routes identified in 8.1 and 8.2")


async def test_the_route_answer_shows_the_note(bot):
    r = await bot("challenge route", area="suffolk")
    assert "8.1 and 8.2" in r.text and "Note: " in r.text and "10.1 and 10.2" in r.text


@needs_seeds
def test_lancashire_joint_stakeholder_events_are_entered(protocols):
    lancs = area(protocols, "lancashire")
    rule = next(s for s in lancs.information_sharing if "stakeholder events" in s.text)
    assert rule.source.clause == "4.1"
    assert in_seed(lancs, "protocol", "including collaborating on stakeholder events")


@needs_seeds
def test_all_seven_of_buckinghamshires_key_principles(protocols):
    bucks = area(protocols, "buckinghamshire")
    assert len(bucks.principles) == 7
    seed = SEED_TEXT["002_3d7253e4d784d0af.txt"]
    for p in bucks.principles:
        heading = p.text.split(":")[0]
        assert f"**{heading}" in seed, heading
        assert p.source.clause.startswith("3 Key principles")


async def test_a_principle_is_found_by_search(bot):
    r = await bot("do the boards agree to be open and honest?", area="buckinghamshire")
    assert "open and honest" in r.text.lower(), r.text
