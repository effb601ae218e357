"""Coverage and review marks: a half-written file is honest about what it has not entered yet,
and facts drafted by machine are counted until a person has checked them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.knowledge import AreaKnowledge, Knowledge
from bot.services import Services
from storage.protocol.loader import ProtocolFileError, parse_protocol
from storage.protocol.schema import SECTIONS
from tests.conftest import make_bot

DATA = Path(__file__).resolve().parent.parent / "storage" / "protocol" / "data"


def _cut(text: str, start: str, end: str) -> str:
    """``text`` without the lines from the one starting ``start`` up to (not including) ``end``."""
    a = text.index(start)
    b = text.index(end, a)
    return text[:a] + text[b:]


def partial_lancashire() -> str:
    """Lancashire with no themes, no new_themes, no challenge and no review entered yet."""
    text = (DATA / "lancashire.yaml").read_text()
    text = _cut(text, "themes:\n", "information_sharing:\n")
    text = _cut(text, "  review:\n", "  source: {doc: protocol, clause: \"1.1 Aim\"}\n")
    text = text.replace(
        "schema_version: 2\n",
        "schema_version: 2\ncoverage:\n  themes: not_transcribed\n  new_themes: not_transcribed\n"
        "  challenge: not_transcribed\n  review: not_transcribed\n",
        1,
    )
    return text


def test_sections_are_the_documented_list():
    assert {"boards", "themes", "new_themes", "challenge", "information_sharing", "meetings", "reports",
            "deadlines", "roles", "review", "history", "signatories", "offices", "membership"} <= set(SECTIONS)


def test_a_part_not_transcribed_may_be_absent_even_where_required():
    loaded = parse_protocol(partial_lancashire(), "partial.yaml")
    p = loaded.protocol
    assert p.new_themes is None and p.protocol.review is None and p.themes == []
    area = AreaKnowledge(p)
    assert not area.transcribed("themes") and not area.transcribed("challenge")
    assert area.transcribed("meetings")
    assert loaded.not_transcribed == ["themes", "new_themes", "challenge", "review"]


def test_a_required_part_left_out_without_a_coverage_mark_says_how_to_mark_it():
    text = partial_lancashire().replace("  new_themes: not_transcribed\n", "", 1)
    with pytest.raises(ProtocolFileError) as exc:
        parse_protocol(text, "x.yaml")
    (problem,) = [p for p in exc.value.problems if p.field == "new_themes"]
    assert "coverage: {new_themes: not_transcribed}" in problem.message


def test_review_left_out_without_a_mark_is_named_under_protocol():
    text = partial_lancashire().replace("  review: not_transcribed\n", "", 1)
    with pytest.raises(ProtocolFileError) as exc:
        parse_protocol(text, "x.yaml")
    assert [p.field for p in exc.value.problems] == ["protocol.review"]


def test_an_unknown_section_in_coverage_is_refused():
    text = partial_lancashire().replace("  themes: not_transcribed\n", "  themez: not_transcribed\n", 1)
    with pytest.raises(ProtocolFileError) as exc:
        parse_protocol(text, "x.yaml")
    assert any(p.field.startswith("coverage") for p in exc.value.problems)


@pytest.fixture
def partial_bot(protocols):
    p = parse_protocol(partial_lancashire(), "partial.yaml").protocol
    others = [q for q in protocols if q.area.slug != "lancashire"]
    return make_bot(Services(knowledge=Knowledge([*others, p])))


async def test_answers_about_a_part_not_entered_say_so_and_never_claim_silence(partial_bot):
    for q in ("who leads on CSE?", "who leads on safeguarding children?"):
        r = await partial_bot(q, area="lancashire")
        assert "hasn't been entered into boardbot yet" in r.text, (q, r.text)
        assert "names no lead" not in r.text
    r = await partial_bot("when is the protocol due for review?", area="lancashire")
    assert "hasn't been entered into boardbot yet" in r.text
    assert "states no review date" not in r.text
    r = await partial_bot("themes", area="lancashire")
    assert "may be incomplete" in r.text


async def test_a_complete_part_is_still_answered_from_the_partial_file(partial_bot):
    r = await partial_bot("information sharing", area="lancashire")
    assert "Board Minutes after every meeting" in r.text


def test_drafted_facts_pending_review_are_accepted_and_counted():
    text = (DATA / "lancashire.yaml").read_text()
    text = text.replace(
        '      source: {doc: protocol, clause: "2.1"}\n',
        '      source: {doc: protocol, clause: "2.1", review: pending, quote: "The Health and Social Care Act 2012 established health and wellbeing boards"}\n',
        1,
    ).replace(
        '      source: {doc: protocol, clause: "2.2"}\n',
        '      source:\n        doc: protocol\n        clause: "2.2"\n        review: pending\n',
        1,
    )
    loaded = parse_protocol(text, "drafted.yaml")
    assert loaded.pending_review == 2
    src = loaded.protocol.boards[0].statutory_basis.source
    assert src.review == "pending" and src.quote.startswith("The Health and Social Care Act")
    assert "2 facts are still pending review" in loaded.warnings()[0]


def test_a_review_mark_other_than_pending_or_reviewed_is_refused():
    text = (DATA / "lancashire.yaml").read_text().replace(
        '      source: {doc: protocol, clause: "2.1"}\n',
        '      source: {doc: protocol, clause: "2.1", review: maybe}\n', 1)
    with pytest.raises(ProtocolFileError):
        parse_protocol(text, "x.yaml")


def _boardbot(*args: str, home: Path):
    env = {**os.environ, "XDG_DATA_HOME": str(home), "DATABASE_URL": f"sqlite:///{home / 'b.db'}"}
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], capture_output=True, text=True, env=env, timeout=120)


@pytest.mark.e2e
def test_validate_counts_pending_facts_and_import_warns(tmp_path):
    text = partial_lancashire().replace(
        '      source: {doc: protocol, clause: "2.1"}\n',
        '      source: {doc: protocol, clause: "2.1", review: pending, quote: "established health and wellbeing boards"}\n', 1)
    f = tmp_path / "lancs.yaml"
    f.write_text(text)
    r = _boardbot("protocol", "validate", str(f), home=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "1 fact still pending review" in r.stdout
    assert "not yet transcribed: themes, new_themes, challenge, review" in r.stdout
    r = _boardbot("protocol", "import", str(f), home=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "warning" in r.stderr and "1 fact is still pending review" in r.stderr
