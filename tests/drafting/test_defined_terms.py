"""A board defined only as "(the Board)" or "(“the Partnership”)".

"Board" and "Partnership" would name every board of an area, so such a definition is never
a short name or an alias: the board gets the short name it would have with no short form.
Inside the document the definition still holds: "The Board will present …" is that board.
"""

from __future__ import annotations

import pytest

from drafting.assemble import draft
from drafting.readers import read
from drafting.writer import render
from storage.protocol.loader import parse_protocol

SAB = "the Westshire Safeguarding Adults Board"
SCP = "the Westshire Safeguarding Children Partnership"
HWB = "the Westshire Health and Wellbeing Board (HWB)"
GENERIC = {"board", "partnership", "the board", "the partnership"}


def drafted(tmp_path, opening: str, body: str = ""):
    p = tmp_path / "westshire.md"
    p.write_text(f"# Joint working protocol\n\n{opening}\n\n{body}", encoding="utf-8")
    return parse_protocol(render(draft([read(p)]), [p.name])[0], p.name).protocol


def names(b) -> set[str]:
    return {b.short_name.lower(), *(a.lower() for a in b.aliases)}


@pytest.mark.parametrize("definition", [
    "(the Board)", "(“the Board”)", '("the Board")', "(hereafter ‘the Board’)", "(referred to as “the Board”)",
    "(the ‘Board’)", "(“Board”)", "(hereinafter known as ‘the Board’)",
])
def test_a_board_defined_as_the_board_keeps_a_short_name_of_its_own(tmp_path, definition):
    plain = drafted(tmp_path, f"This protocol is between {SAB}, {SCP} and {HWB}.")
    p = drafted(tmp_path, f"This protocol is between {SAB} {definition}, {SCP} and {HWB}.")
    sab = next(b for b in p.boards if b.kind == "safeguarding_adults")
    want = next(b for b in plain.boards if b.kind == "safeguarding_adults")
    assert (sab.key, sab.short_name) == (want.key, want.short_name)
    assert not names(sab) & GENERIC
    assert len({b.short_name.lower() for b in p.boards}) == len(p.boards)


@pytest.mark.parametrize("definition", ["(the Partnership)", "(“the Partnership”)", "('the Partnership')",
                                        "(hereafter “the Partnership”)"])
def test_a_partnership_defined_as_the_partnership_keeps_a_short_name_of_its_own(tmp_path, definition):
    p = drafted(tmp_path, f"This protocol is between {SAB} (WSAB), {SCP} {definition} and {HWB}.")
    scp = next(b for b in p.boards if b.kind == "safeguarding_children")
    assert scp.short_name.lower() not in GENERIC and scp.key not in ("partnership", "board")
    assert not names(scp) & GENERIC


def test_two_boards_each_defined_by_a_generic_word(tmp_path):
    p = drafted(tmp_path, f"This protocol is between {SAB} (the Board) and {SCP} (“the Partnership”).")
    shorts = sorted(b.short_name for b in p.boards)
    assert len(shorts) == 2 and not {s.lower() for s in shorts} & GENERIC
    assert len(set(shorts)) == 2


@pytest.mark.parametrize("sentence,frm,to", [
    ("The Board will present its annual report to the HWB each autumn.", "safeguarding_adults", "health_and_wellbeing"),
    ("The Partnership will present its annual report to the Board.", "safeguarding_children", "safeguarding_adults"),
    ("The Board’s annual report is presented to the HWB in the autumn.", "safeguarding_adults", "health_and_wellbeing"),
])
def test_the_defined_term_still_names_its_board_inside_the_document(tmp_path, sentence, frm, to):
    p = drafted(tmp_path, f"This protocol is between {SAB} (the Board), {SCP} (“the Partnership”) and {HWB}.",
                f"## Reporting\n\n{sentence}\n")
    kinds = {b.key: b.kind for b in p.boards}
    assert [(kinds[r.from_board], [kinds[k] for k in r.to_boards]) for r in p.reports] == [(frm, [to])]


def test_plural_and_other_boards_are_not_the_defined_board(tmp_path):
    p = drafted(tmp_path, f"This protocol is between {SAB} (the Board), {SCP} and {HWB}.",
                "## Reporting\n\nThe Boards will each present their annual reports to the Westshire Community Safety Partnership. "
                "The Board-level leads meet monthly.\n")
    sab = next(b for b in p.boards if b.kind == "safeguarding_adults")
    assert [r.from_board for r in p.reports] != [sab.key]  # "The Boards" is not the one defined as "the Board"
