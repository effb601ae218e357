"""`boardbot protocol draft` on one small protocol written in each source format."""

from __future__ import annotations

import pytest

from drafting.assemble import draft
from drafting.readers import UnreadableDocument, read
from drafting.writer import render
from storage.protocol.loader import parse_protocol
from tests.drafting.documents import write

FORMATS = ["docx", "pdf", "html", "md", "txt"]


def drafted(path):
    text, _ = render(draft([read(path)]), [path.name])
    return parse_protocol(text, path.name)


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_drafts_the_parties_a_lead_and_the_ladder(fmt, tmp_path):
    loaded = drafted(write(fmt, tmp_path))  # parse_protocol raises if the draft does not validate
    p = loaded.protocol
    boards = {b.short_name: b for b in p.boards}
    assert set(boards) == {"NSCP", "NSAB", "CSP"}
    assert boards["NSCP"].kind == "safeguarding_children"
    assert boards["NSAB"].kind == "safeguarding_adults"
    assert boards["CSP"].kind == "community_safety"
    assert p.area.name == "Northshire"
    themes = {t.name: t for t in p.themes}
    assert themes["Domestic abuse"].leads == [boards["CSP"].key]
    assert sorted(themes["Transition to adulthood"].leads) == sorted([boards["NSCP"].key, boards["NSAB"].key])
    assert themes["Modern slavery"].no_lead and not themes["Modern slavery"].leads
    assert [r.kind for r in p.challenge.ladder] == ["written_request", "agenda_item", "chairs_meeting", "resolution_meeting"]
    assert "20 working days" in p.challenge.ladder[0].text
    assert p.protocol.review.rule == "annual"
    assert any(m.cadence == "quarterly" for m in p.meetings)
    # every drafted fact is pending review, with the passage it came from
    assert loaded.pending_review >= 10
    src = themes["Domestic abuse"].source
    assert src.review == "pending" and "Domestic abuse" in src.quote and "table" in src.clause


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_body_only_mentioned_is_not_drafted_as_a_board(fmt, tmp_path):
    p = drafted(write(fmt, tmp_path)).protocol
    assert not any("Youth Justice" in b.name for b in p.boards)


def test_a_linked_group_listed_apart_from_the_parties_is_not_a_board(tmp_path):
    doc = tmp_path / "westshire.md"
    doc.write_text(
        "# Protocol between the Westshire Safeguarding Children Board and the Westshire Health and Wellbeing Board\n\n"
        "## 1 Purpose\n\nThis protocol relates to the following boards:\n\n"
        "- Westshire Safeguarding Children Board (WSCB)\n- Westshire Health and Wellbeing Board (HWB)\n\n"
        "It also describes how these boards will maintain links with the following groups:\n\n"
        "- Westshire Corporate Parenting Panel (CPP)\n- Westshire Channel Panel\n\n"
        "## 2 Leads\n\nThe WSCB will lead on child sexual exploitation. The Corporate Parenting Panel leads on care leavers.\n")
    p = drafted(doc).protocol
    assert {b.short_name for b in p.boards} == {"WSCB", "HWB"}
    themes = {t.name: t for t in p.themes}
    assert themes["Child sexual exploitation"].leads == ["wscb"]
    assert "Care leavers" not in themes  # its lead is not a party: left for the reviewer, not guessed


def test_unknown_format_and_missing_file_say_what_to_do(tmp_path):
    (tmp_path / "p.doc").write_bytes(b"\xd0\xcf")
    with pytest.raises(UnreadableDocument, match="save a .doc as .docx"):
        read(tmp_path / "p.doc")
    with pytest.raises(UnreadableDocument, match="no such file"):
        read(tmp_path / "missing.pdf")
    (tmp_path / "broken.docx").write_bytes(b"not a zip")
    with pytest.raises(UnreadableDocument, match="could not be read as a docx"):
        read(tmp_path / "broken.docx")
