"""The field reference is written from the schema, so it cannot drift from what the loader accepts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from storage.protocol import schema
from storage.protocol.reference import render, undocumented

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "protocol-reference.md"


def test_the_committed_reference_is_up_to_date():
    assert PAGE.read_text(encoding="utf-8") == render(), (
        "docs/protocol-reference.md is out of date: run `boardbot protocol reference --out docs/protocol-reference.md`")


def test_every_field_has_a_meaning_an_example_and_the_answers_that_use_it():
    assert undocumented() == []


def test_every_field_of_every_part_is_in_the_reference():
    page = render()
    for model in (schema.Protocol, schema.Board, schema.Theme, schema.Rung, schema.ReportingDuty, schema.Review):
        for name in model.model_fields:
            assert f"| `{name}` |" in page, f"{model.__name__}.{name}"
    for section in schema.SECTIONS:
        assert f"| `{section}` |" in page
    # the words a choice takes are listed, e.g. the board kinds and the review rules
    assert "`safeguarding_adults`" in page and "`annual_from_signing`" in page


def test_the_reference_would_catch_a_field_added_without_documentation():
    class Extra(schema.Part):
        """A part with one documented and one bare field."""

        told: str
        """What it is.

        Example: x
        Answers: board"""
        bare: str

    assert undocumented(Extra) == ["Extra.bare"]


@pytest.mark.e2e
def test_the_command_writes_the_page(tmp_path):
    out = tmp_path / "ref.md"
    r = subprocess.run([sys.executable, "-m", "bot.cli", "protocol", "reference", "--out", str(out)],
                       capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert r.returncode == 0, r.stderr
    assert out.read_text(encoding="utf-8") == render()


WALKTHROUGH = ROOT / "docs" / "protocol-data.md"


def _example_file() -> str:
    text = WALKTHROUGH.read_text(encoding="utf-8")
    start = text.index("```yaml\n") + len("```yaml\n")
    return text[start:text.index("```", start)]


def test_the_walkthroughs_starting_file_is_valid_and_answers():
    from bot.knowledge import AreaKnowledge
    from storage.protocol.loader import parse_protocol

    p = parse_protocol(_example_file(), "your-area.yaml").protocol
    area = AreaKnowledge(p)
    assert p.area.slug == "exampleshire" and area.boards["escp"].chair.name == "Sam Patel"
    assert p.themes[0].leads == ["escp"]


def test_the_walkthroughs_example_problems_are_what_validation_says():
    """The three problems the walk-through shows come out of the starting file broken those ways."""
    from storage.protocol.loader import ProtocolFileError, parse_protocol

    text = (_example_file().replace("agreed: 2024-03 ", "agreed: 14/03/2024 ", 1)
            .replace("    chair:\n", "    chiar:\n", 1).replace("leads: [escp]", "leads: [ecsp]", 1))
    with pytest.raises(ProtocolFileError) as exc:
        parse_protocol(text, "your-area.yaml")
    got = [p.message for p in exc.value.problems]
    doc = WALKTHROUGH.read_text(encoding="utf-8")
    for problem in exc.value.problems:
        assert f"{problem.file}:{problem.line}: {problem.field}: {problem.message[:50]}" in doc, str(problem)
    assert len(got) == 3
