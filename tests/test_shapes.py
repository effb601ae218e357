"""Shapes real protocols have: co-chairs, a board covering several councils, a review every
two years, response windows per step, a document's web address, sub-groups' meetings. Each
is validated and answered."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.identity import roles_for
from bot.knowledge import AreaKnowledge, Knowledge
from bot.review import review_status
from bot.services import Services
from bot.workflows.windows import rung_window
from storage.protocol.loader import ProtocolFileError, parse_protocol
from tests.conftest import make_bot

NORTHSHIRE = Path(__file__).resolve().parent / "areas" / "northshire.yaml"
TEXT = NORTHSHIRE.read_text()

NAMED_LADDER = '''challenge:
  named: true
  on_behalf: []
  who_may_raise:
    text: Only the chairs may raise a challenge.
    source: {doc: protocol, clause: "6.1"}
  ladder:
    - key: letter
      kind: written_request
      title: Letter to the other chair
      text: The chair writes to the other board's chair.
      window_working_days: 15
      source: {doc: protocol, clause: "6.2"}
    - key: chairs
      kind: chairs_meeting
      title: Chairs meet
      text: The chairs meet to resolve the matter.
      source: {doc: protocol, clause: "6.3"}
'''


def north(text: str = TEXT) -> AreaKnowledge:
    return AreaKnowledge(parse_protocol(text, "northshire.yaml").protocol)


def with_named_ladder() -> str:
    a = TEXT.index("challenge:\n")
    b = TEXT.index("roles:\n")
    return TEXT[:a] + NAMED_LADDER + "\n" + TEXT[b:]


@pytest.fixture
def bot():
    return make_bot(Services(knowledge=Knowledge([north().protocol])))


# --- co-chairs ------------------------------------------------------------------------------------


def test_chair_written_as_a_list_gives_every_co_chair():
    csp = north().boards["ncsp"]
    assert [c.name for c in csp.chairs] == ["Chief Superintendent Sam Okafor", "Cllr Pat Lowe"]
    assert csp.chair == csp.chairs[0]


async def test_who_chairs_a_co_chaired_board_names_both(bot):
    r = await bot("who chairs the NCSP?", area="northshire")
    assert "Sam Okafor" in r.text and "Pat Lowe" in r.text, r.text
    r = await bot("board NCSP", area="northshire")
    assert r.text.count("Co-chair:") == 2, r.text


async def test_a_named_co_chair_is_recognised(bot):
    r = await bot("who is Pat Lowe?", area="northshire")
    assert "NCSP" in r.text or "Community Safety" in r.text, r.text


def test_as_co_chair_of_a_board_is_its_chair():
    area = north()
    assert roles_for(area, "co-chair of NCSP") == {"chair:ncsp"}
    assert roles_for(area, "NCSP co-chair") == {"chair:ncsp"}
    assert roles_for(area, "Cllr Pat Lowe") == {"chair:ncsp"}


def test_chair_and_chairs_both_given_is_refused_in_plain_words():
    text = TEXT.replace("    chair:\n      - title: Co-Chair\n", "    chairs: [{title: X, source: {doc: protocol, clause: '1'}}]\n"
                        "    chair:\n      - title: Co-Chair\n", 1)
    with pytest.raises(ProtocolFileError) as exc:
        parse_protocol(text, "n.yaml")
    assert any("give the chairs once" in p.message for p in exc.value.problems)


# --- a board covering several councils ------------------------------------------------------------


async def test_a_board_covering_two_councils_says_so(bot):
    r = await bot("board NSAB", area="northshire")
    assert "Covers: Northshire Council, Southshire Council" in r.text
    assert r.data["councils"] == ["Northshire Council", "Southshire Council"]


# --- a review every two years ---------------------------------------------------------------------


def test_a_biennial_review_falls_two_years_after_signing():
    p = north().protocol
    status = review_status(p, {}, dt.date(2026, 6, 1))
    assert status.due == dt.date(2026, 5, 1) and status.overdue
    assert "every 2 years" in status.basis


async def test_the_review_answer_says_every_two_years(bot):
    r = await bot("how often is the protocol reviewed?", area="northshire")
    assert "every 2 years" in r.text, r.text


def test_every_years_needs_its_rule_and_the_rule_its_years():
    with pytest.raises(ProtocolFileError) as exc:
        parse_protocol(TEXT.replace("    every_years: 2\n", ""), "n.yaml")
    assert "needs every_years" in exc.value.problems[0].message
    with pytest.raises(ProtocolFileError):
        parse_protocol(TEXT.replace("every_years_from_signing", "annual"), "n.yaml")
    with pytest.raises(ProtocolFileError) as exc:
        parse_protocol(TEXT.replace("every_years: 2", "every_years: 1"), "n.yaml")
    assert "from 2 to 10" in exc.value.problems[0].message


def test_the_review_reminder_recurs_every_two_years():
    from scheduler.rules import derive

    specs = {r.key: r for r in derive(north().protocol)}
    assert specs["review:protocol"].recurrence.get("every_years") == 2


# --- response windows per step --------------------------------------------------------------------


def test_a_step_with_a_stated_window_uses_it_and_others_the_default():
    area = north(with_named_ladder())
    letter, chairs = area.ladder
    assert rung_window(letter) == 15
    from bot.workflows.windows import window_days

    assert rung_window(chairs) == window_days("chairs", "chairs_meeting")


async def test_how_long_to_respond_gives_the_protocols_window():
    bot = make_bot(Services(knowledge=Knowledge([north(with_named_ladder()).protocol])))
    r = await bot("how long does the other board have to respond to a challenge?", area="northshire")
    assert "15 working days" in r.text, r.text


# --- a document's address, a sub-group's meetings ------------------------------------------------


async def test_the_protocol_answer_gives_the_documents_address(bot):
    r = await bot("protocol", area="northshire")
    assert "https://www.northshire.example/boards/inter-board-protocol.pdf" in r.text


def test_a_document_address_must_be_a_web_address():
    with pytest.raises(ProtocolFileError) as exc:
        parse_protocol(TEXT.replace("url: https://www.northshire.example", "url: www.northshire.example"), "n.yaml")
    assert exc.value.problems[0].field == "documents[0].url"


async def test_how_often_a_sub_group_meets_is_answered(bot):
    r = await bot("how often does the exploitation sub-group meet?", area="northshire")
    assert "every six weeks" in r.text, r.text


# --- one document, two relationships ------------------------------------------------------------


async def test_a_board_party_to_one_of_two_relationships_says_which(bot):
    r = await bot("board NSAB", area="northshire")
    assert "Party to: Northshire adults' protocol (not to: Northshire children's protocol)" in r.text, r.text
    r = await bot("board NHWB", area="northshire")
    assert "Party to: Northshire children's protocol; Northshire adults' protocol" in r.text
    r = await bot("boards", area="northshire")
    assert "NSAB — Northshire Safeguarding Adults Board (party to: Northshire adults' protocol only)" in r.text, r.text


def test_a_relationships_parties_are_checked():
    text = TEXT.replace("    parties: [nsab, nhwb]", "    parties: [nsab, nhbw]")
    with pytest.raises(ProtocolFileError) as exc:
        parse_protocol(text, "n.yaml")
    assert "unknown board 'nhbw': did you mean 'nhwb'?" in exc.value.problems[0].message
    text = TEXT.replace("    kind: health_and_wellbeing\n", "    kind: health_and_wellbeing\n    party: false\n")
    with pytest.raises(ProtocolFileError) as exc:
        parse_protocol(text, "n.yaml")
    assert "marked party: false" in exc.value.problems[0].message


async def test_the_route_says_who_may_raise_on_a_chairs_behalf(bot):
    r = await bot("challenge route", area="northshire")
    assert "On a chair's behalf: a vice-chair, a nominated deputy." in r.text, r.text


def test_a_mistake_in_a_co_chair_names_the_line_and_field_as_written():
    text = TEXT.replace("        name: Cllr Pat Lowe\n        source: {doc: protocol, clause: \"2.3\"}\n",
                        "        name: Cllr Pat Lowe\n", 1)
    with pytest.raises(ProtocolFileError) as exc:
        parse_protocol(text, "n.yaml")
    (p,) = exc.value.problems
    assert p.field == "boards[2].chair[1].source" and "'source' is missing" in p.message
    assert text.splitlines()[p.line - 1].strip() == "- title: Co-Chair"


async def test_where_to_read_the_protocol_gives_its_address(bot):
    r = await bot("where can I read the protocol online?", area="northshire")
    assert "https://www.northshire.example/boards/inter-board-protocol.pdf" in r.text, r.text


async def test_is_a_board_party_to_one_of_the_relationships(bot):
    r = await bot("is the NSAB a party to the children's protocol?", area="northshire")
    assert r.text.startswith("No") and "not a party to Northshire children's protocol" in r.text, r.text
    r = await bot("is the NSAB a party to the adults' protocol?", area="northshire")
    assert r.text.startswith("Yes"), r.text
