"""Protocol files: the bundled data is faithful and complete; broken files are reported precisely."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from storage.protocol.loader import (
    ProtocolFileError,
    bundled_protocol_paths,
    load_protocol_file,
    parse_protocol,
)
from storage.protocol.schema import Source, cross_check

SEEDS = {
    "central-bedfordshire": {"000_6088000c00995659.txt", "003_68feb11e5b6c7078.txt"},
    "suffolk": {"001_f2c88493c02e4f93.txt"},
    "buckinghamshire": {"002_3d7253e4d784d0af.txt"},
    "lancashire": {"004_71b0744a30f3eaf0.txt"},
}
LANCS = Path(__file__).resolve().parent.parent / "storage" / "protocol" / "data" / "lancashire.yaml"


def test_the_four_seed_areas_are_bundled(protocols):
    assert {p.area.slug for p in protocols} == set(SEEDS)
    for p in protocols:
        assert {d.file for d in p.documents} == SEEDS[p.area.slug]
        assert cross_check(p) == []


def _sources(obj):
    from pydantic import BaseModel

    if isinstance(obj, Source):
        yield obj
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            yield from _sources(getattr(obj, name))
    elif isinstance(obj, list):
        for x in obj:
            yield from _sources(x)


def test_every_fact_cites_a_clause_of_its_own_seed(protocols):
    for p in protocols:
        docs = {d.key for d in p.documents}
        sources = list(_sources(p))
        assert len(sources) > 40
        for s in sources:
            assert s.doc in docs and s.clause.strip()


def test_buckinghamshire_cse_lead_is_the_bscb_not_the_misprinted_bccb(protocols):
    bucks = next(p for p in protocols if p.area.slug == "buckinghamshire")
    cse = next(t for t in bucks.themes if t.key == "cse")
    assert cse.leads == ["bscb"]
    assert "bccb" not in {b.key for b in bucks.boards}


def test_ladders_differ_by_area_as_the_seeds_do(protocols):
    rungs = {p.area.slug: len(p.challenge.ladder) for p in protocols}
    assert rungs == {"central-bedfordshire": 4, "buckinghamshire": 4, "suffolk": 5, "lancashire": 0}
    lancs = next(p for p in protocols if p.area.slug == "lancashire")
    assert lancs.challenge.named is False


def test_statutory_deadline_of_seven_working_days_is_modelled(protocols):
    cb = next(p for p in protocols if p.area.slug == "central-bedfordshire")
    assert any(d.working_days == 7 for d in cb.deadlines)


def test_bucks_reporting_calendar_has_the_seasons(protocols):
    bucks = next(p for p in protocols if p.area.slug == "buckinghamshire")
    bscb_ar = [r for r in bucks.reports if r.from_board == "bscb" and r.action == "present"]
    assert {tuple(r.to_boards) for r in bscb_ar} >= {("bsab",), ("hwb",), ("ssbpb",)}
    assert {r.season for r in bscb_ar} == {"autumn"}
    assert any(r.every_years == 4 for r in bucks.reports)


def _broken(tmp_path, text: str) -> Path:
    f = tmp_path / "area.yaml"
    f.write_text(text)
    return f


def test_error_names_file_line_and_field(tmp_path):
    text = LANCS.read_text().replace("    kind: safeguarding_children\n", "    kind: safeguarding_kids\n", 1)
    f = _broken(tmp_path, text)
    line = text.splitlines().index("    kind: safeguarding_kids") + 1
    with pytest.raises(ProtocolFileError) as exc:
        load_protocol_file(f)
    (problem,) = exc.value.problems
    assert problem.file == str(f)
    assert problem.line == line
    assert problem.field == "boards[1].kind"
    assert f"{f}:{line}: boards[1].kind:" in str(exc.value)


def test_unknown_board_reference_is_reported_with_its_line(tmp_path):
    text = LANCS.read_text().replace("    leads: [hwb]\n", "    leads: [hwbx]\n", 1)
    with pytest.raises(ProtocolFileError) as exc:
        parse_protocol(text, "x.yaml")
    (problem,) = exc.value.problems
    assert problem.field.startswith("themes[") and problem.field.endswith("leads[0]")
    assert "unknown board 'hwbx'" in problem.message
    assert text.splitlines()[problem.line - 1].strip() == "leads: [hwbx]"


def test_missing_source_and_misspelt_field_are_both_reported(tmp_path):
    text = LANCS.read_text()
    text = text.replace("    source: {doc: protocol, clause: \"3.1\"}\n\n  - key: jsna", "\n  - key: jsna", 1)
    text = text.replace("  council: Lancashire County Council", "  councill: Lancashire County Council", 1)
    with pytest.raises(ProtocolFileError) as exc:
        parse_protocol(text, "x.yaml")
    fields = {p.field: p.message for p in exc.value.problems}
    assert fields["area.councill"].startswith("unknown field")
    assert any(k.startswith("themes[0].source") and v.startswith("'source' is missing: where the protocol")
               for k, v in fields.items())


def test_yaml_syntax_error_has_a_line(tmp_path):
    with pytest.raises(ProtocolFileError) as exc:
        parse_protocol("schema_version: 1\narea: [unclosed\n", "x.yaml")
    assert exc.value.problems[0].line is not None
    assert "not valid YAML" in exc.value.problems[0].message


def test_duplicate_key_is_an_error_not_a_silent_overwrite():
    with pytest.raises(ProtocolFileError) as exc:
        parse_protocol("schema_version: 1\nschema_version: 1\n", "x.yaml")
    (twice,) = [p for p in exc.value.problems if "twice" in p.message]
    assert twice.line == 2


def test_a_theme_needs_a_lead_or_a_plain_no_lead():
    text = LANCS.read_text().replace("    leads: [lscb]\n    lead_role: The LSCB is responsible for developing", "    lead_role: The LSCB is responsible for developing", 1)
    with pytest.raises(ProtocolFileError) as exc:
        parse_protocol(text, "x.yaml")
    assert "no_lead" in exc.value.problems[0].message


def test_bundled_files_have_comments_for_each_corrected_typo():
    bucks = next(p for p in bundled_protocol_paths() if p.name == "buckinghamshire.yaml").read_text()
    assert re.search(r"#.*BCCB", bucks)
