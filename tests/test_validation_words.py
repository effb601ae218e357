"""Validation in plain words: a business manager's file is checked in one pass, every problem
in line order, each naming the file, line and field and saying what to write instead."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from storage.protocol.loader import ProtocolFileError, parse_protocol

DATA = Path(__file__).resolve().parent.parent / "storage" / "protocol" / "data"
LANCS = (DATA / "lancashire.yaml").read_text()

# pydantic's own words, which must never reach an author
_CODE_WORDS = re.compile(r"Input should|instance of|String should match|\^\\d|Value error|Field required|"
                         r"valid dictionary|pattern|type=|pydantic")


def problems_of(text: str) -> list:
    with pytest.raises(ProtocolFileError) as exc:
        parse_protocol(text, "area.yaml")
    for p in exc.value.problems:
        assert not _CODE_WORDS.search(p.message), p.message
    return exc.value.problems


def _line_of(text: str, needle: str, start: int = 0) -> int:
    return text[: text.index(needle, start)].count("\n") + 1


def broken_three_ways() -> str:
    """A lead board misspelt, a theme's source removed, a document key misspelt in a source."""
    text = LANCS.replace("    leads: [lscb]\n", "    leads: [lsbc]\n", 1)
    text = text.replace("    source: {doc: protocol, clause: \"3.1\"}\n\n  - key: jsna", "\n  - key: jsna", 1)
    return text.replace("      source: {doc: protocol, clause: \"2.3\"}", "      source: {doc: protocl, clause: \"2.3\"}", 1)


def test_a_file_broken_three_ways_reports_all_three_at_once_in_line_order():
    text = broken_three_ways()
    problems = problems_of(text)
    assert len(problems) == 3
    assert [p.line for p in problems] == sorted(p.line for p in problems)
    doc, source, lead = problems
    assert doc.field == "boards[0].functions[0].source.doc"
    assert doc.line == _line_of(text, "doc: protocl")
    assert "unknown document 'protocl': did you mean 'protocol'?" in doc.message
    assert source.field == "themes[0].source" and "'source' is missing" in source.message
    assert 'source: {doc: protocol, clause: "' in source.message  # says what to write
    assert lead.line == _line_of(text, "leads: [lsbc]")
    assert "unknown board 'lsbc': did you mean 'lscb'?" in lead.message


def test_every_problem_names_file_line_and_field():
    for p in problems_of(broken_three_ways()):
        assert str(p).startswith(f"area.yaml:{p.line}: {p.field}: ")


def test_a_date_in_the_wrong_form_says_how_to_write_a_date():
    text = LANCS.replace("    rule: annual\n", "    rule: on_date\n    next_due: 28/04/2016\n", 1)
    (p,) = problems_of(text)
    assert p.field == "protocol.review.next_due" and p.line == _line_of(text, "next_due:")
    assert "write a date as 2016-04 or 2016-04-28" in p.message and "'28/04/2016'" in p.message


def test_an_unknown_field_is_reported_with_a_suggestion_and_the_fields_allowed():
    text = LANCS.replace("  council: Lancashire County Council", "  councill: Lancashire County Council", 1)
    (p,) = problems_of(text)
    assert p.field == "area.councill" and p.line == _line_of(text, "councill")
    assert "did you mean 'council'?" in p.message and "slug, name, aliases, council" in p.message


def test_a_misspelt_top_level_key_is_suggested():
    text = LANCS.replace("\nprotocol:\n", "\nprotocl:\n", 1)
    problems = problems_of(text)
    assert any(p.field == "protocl" and "did you mean 'protocol'?" in p.message for p in problems)
    assert any(p.field == "protocol" and "'protocol' is missing" in p.message for p in problems)


def test_a_part_written_as_plain_text_says_which_fields_it_needs():
    a = LANCS.index("    chair:\n      title: Chair\n      name: County Councillor Azhar Ali")
    b = LANCS.index("\n\n", a)
    text = LANCS[:a] + "    chair: County Councillor Azhar Ali" + LANCS[b:]
    (p,) = problems_of(text)
    assert p.field == "boards[0].chair"
    assert "write this as fields (title, source" in p.message


def test_a_choice_misspelt_is_suggested_with_the_words_allowed():
    text = LANCS.replace("    kind: safeguarding_children\n", "    kind: safeguarding_childrens\n", 1)
    (p,) = problems_of(text)
    assert "did you mean 'safeguarding_children'?" in p.message and "health_and_wellbeing" in p.message


@pytest.mark.parametrize(("old", "new", "field", "words"), [
    ("  aliases: [Lancs, Lancashire County]", "  aliases: Lancs", "area.aliases", "write a list here, e.g. [Lancs]"),
    ("  slug: lancashire", "  slug: Lancashire County", "area.slug", "e.g. lancashire-county"),
    ("  - key: lscb\n", "  - key: LSCB\n", "boards[1].key", "lower-case letters, digits and underscores"),
    ("  name: Lancashire\n", "  name: \"\"\n", "area.name", "this is empty"),
    ("    kind: health_and_wellbeing\n", "    kind: health_and_wellbeing\n    party: maybe\n", "boards[0].party",
     "write true or false"),
    ("  title: Protocol between", "  version: 3.1\n  title: Protocol between", "protocol.version", 'put it in quotes, e.g. "3.1"'),
    ("    cadence: as_needed\n", "    cadence: as_needed\n    months: [3, 13]\n", "meetings[0].months[1]",
     "write a number from 1 to 12"),
    ("schema_version: 2", "schema_version: 7", "schema_version", "write schema_version: 2"),
])
def test_each_kind_of_mistake_says_what_to_write_instead(old, new, field, words):
    assert old in LANCS
    problems = problems_of(LANCS.replace(old, new, 1))
    hits = [p for p in problems if p.field == field]
    assert hits, [str(p) for p in problems]
    assert words in hits[0].message


def test_a_key_used_twice_is_one_problem_at_the_second_and_the_rest_is_still_checked():
    text = LANCS.replace("  name: Lancashire\n", "  name: Lancashire\n  name: Lancs\n", 1)
    text = text.replace("    kind: safeguarding_children\n", "    kind: safeguarding_kids\n", 1)
    problems = problems_of(text)
    assert [p.field for p in problems] == ["area.name", "boards[1].kind"]
    assert problems[0].line == _line_of(text, "  name: Lancs") and "appears twice" in problems[0].message


def test_one_misspelt_board_key_is_one_problem_not_one_per_use():
    text = LANCS.replace("  - key: hwb\n", "  - key: hwb_board\n", 1)
    problems = problems_of(text)
    unknown = [p for p in problems if "unknown board 'hwb'" in p.message]
    assert len(unknown) == 1
    assert "also used on lines" in unknown[0].message
    assert unknown[0].line == min(_line_of(text, "board: hwb"), _line_of(text, "[hwb"))


@pytest.mark.e2e
def test_the_import_stays_all_or_nothing(tmp_path):
    """A bad file beside a good one: nothing is imported, and each of its problems is listed."""
    import os
    import subprocess
    import sys

    good = tmp_path / "lancs.yaml"
    good.write_text(LANCS.replace("Jane Booth", "A. N. Other"))
    bad = tmp_path / "bad.yaml"
    bad.write_text(broken_three_ways().replace("slug: lancashire", "slug: lancashire-two"))
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'bb.db'}"}

    def boardbot(*args: str):
        return subprocess.run([sys.executable, "-m", "bot.cli", *args], capture_output=True, text=True, env=env,
                              timeout=120)

    run = boardbot("protocol", "import", str(good), str(bad))
    assert run.returncode == 1
    assert run.stderr.count(f"{bad}:") == 3 and "nothing was imported" in run.stderr
    assert "Jane Booth" in boardbot("ask", "--area", "lancashire", "who chairs the LSCB?").stdout
