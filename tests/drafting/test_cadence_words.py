"""Meeting cadences written as a count a year ("three times a year", "termly", "every four months").

The schema's meeting cadences are monthly, quarterly, six-monthly, annual, after each meeting
and as needed. A count with no cadence of its own (three a year) is drafted as ``as_needed``
(no reminders are scheduled for it) with the protocol's words kept in ``when``, which the bot
answers with; a board's own cadence keeps its count in ``per_year``.
"""

from __future__ import annotations

import pytest

from drafting.extract.common import cadence_of
from tests.drafting.test_shapes import drafted


@pytest.mark.parametrize("words,per_year", [
    ("three times a year", 3), ("three times per year", 3), ("3 times each year", 3), ("termly", 3),
    ("once a term", 3), ("every four months", 3), ("three meetings a year", 3), ("on three occasions each year", 3),
    ("at least four times a year", 4), ("every two months", 6), ("bi-monthly", 6), ("ten times a year", 10),
])
def test_a_count_a_year_is_read_with_its_number(words, per_year):
    cad = cadence_of(f"The group meets {words}.")
    assert cad is not None and cad[1] == per_year


@pytest.mark.parametrize("sentence,when", [
    ("The chairs of the three partnerships meet three times a year.", "three times a year"),
    ("The business managers will meet termly to align their forward plans.", "termly"),
    ("Lead officers from each board meet three times per year.", "three times per year"),
    ("The chairs will come together on three occasions each year.", "on three occasions each year"),
    ("The business managers of the SSCP, SSAB and SCSP meet every four months.", "every four months"),
    ("The chairs will meet at least three times a year.", "at least three times a year"),
    ("Meetings of the chairs take place three times a year.", "three times a year"),
    ("The business managers will meet a minimum of three times per year.", "a minimum of three times per year"),
])
def test_a_meeting_held_three_times_a_year_is_drafted_with_its_words(tmp_path, sentence, when):
    p = drafted(tmp_path, f"## Meetings\n\n{sentence}\n")
    assert len(p.meetings) == 1
    m = p.meetings[0]
    assert m.cadence == "as_needed"  # the schema has no three-a-year cadence: no reminders
    assert m.when == when
    assert "as needed" not in m.title.lower() and when in m.title
    assert sorted(m.boards) == ["scsp", "ssab", "sscp"]


@pytest.mark.parametrize("sentence,cadence", [
    ("The chairs of the three boards will meet at least four times a year.", "quarterly"),
    ("The business managers meet every two months.", None),
])
def test_a_count_the_schema_can_hold_keeps_its_cadence(tmp_path, sentence, cadence):
    p = drafted(tmp_path, f"## Meetings\n\n{sentence}\n")
    assert len(p.meetings) == 1
    if cadence:
        assert p.meetings[0].cadence == cadence
    else:
        assert p.meetings[0].cadence == "as_needed" and p.meetings[0].when == "every two months"


@pytest.mark.parametrize("sentence", [
    "The SSAB meets three times a year.",
    "The SSAB meets termly.",
    "The SSAB will meet three times per year.",
    "The SSAB meets every four months.",
    "The SSAB meets on a termly basis.",
    "The SSAB holds three meetings a year.",
])
def test_a_board_that_meets_three_times_a_year(tmp_path, sentence):
    p = drafted(tmp_path, f"## Meetings\n\n{sentence}\n")
    ssab = next(b for b in p.boards if b.key == "ssab")
    assert ssab.meets is not None and ssab.meets.per_year == 3
    assert not p.meetings


def test_a_board_holding_its_meetings_in_public_states_no_cadence(tmp_path):
    p = drafted(tmp_path, "## Meetings\n\nThe SSAB holds its meetings in public. A chair may serve a term of three years.\n")
    assert next(b for b in p.boards if b.key == "ssab").meets is None and not p.meetings


def test_a_meetings_table_with_counts_a_year(tmp_path):
    p = drafted(tmp_path, "## Meetings\n\n| Meeting | Frequency | Who attends |\n|---|---|---|\n"
                "| Chairs' meeting | Three times a year | Chairs of the SSCP, SSAB and SCSP |\n"
                "| Business managers' group | Termly | Business managers of all three boards |\n"
                "| Joint board | Quarterly | All members |\n")
    got = {m.title: (m.cadence, m.when) for m in p.meetings}
    assert got["Chairs' meeting"] == ("as_needed", "Three times a year")
    assert got["Business managers' group"] == ("as_needed", "Termly")
    assert got["Joint board"] == ("quarterly", None)
