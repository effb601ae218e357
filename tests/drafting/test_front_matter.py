"""What a new area's protocol says about itself: its title, version and the date it was agreed."""

from __future__ import annotations

from drafting.assemble import draft
from drafting.readers import read
from drafting.writer import render
from storage.protocol.loader import parse_protocol

PARTIES = ("This protocol is agreed between the Tanby Safeguarding Adults Board (TSAB) and the Tanby Community "
           "Safety Partnership (TCSP).\n\n")


def drafted(tmp_path, text: str):
    p = tmp_path / "tanby.md"
    p.write_text(text, encoding="utf-8")
    return parse_protocol(render(draft([read(p)]), [p.name])[0], p.name).protocol.protocol


def test_a_document_control_table_is_not_a_version_history(tmp_path):
    info = drafted(tmp_path, "# Tanby Partnerships Protocol\n\n| Version | 1.2 |\n|---|---|\n| Approved | March 2025 |\n"
                   "| Owner | Partnerships Unit |\n| Review | This protocol will be reviewed every two years. |\n\n## Parties\n\n" + PARTIES)
    assert (info.version, str(info.agreed)) == ("1.2", "2025-03")
    assert not info.history  # no versions called "Approved", "Owner" and "Review"


def test_front_matter_under_the_title_gives_the_date_and_version_and_is_not_the_title(tmp_path):
    info = drafted(tmp_path, "# Tanby Partnership Working Agreement\n\nAgreed by the Tanby Leaders' Board, 14 January 2025. "
                   "Version 3.\n\n## Who this agreement covers\n\n" + PARTIES)
    assert info.title == "Tanby Partnership Working Agreement"
    assert (info.version, str(info.agreed)) == ("3", "2025-01-14")


def test_the_date_a_protocol_was_agreed_said_in_a_sentence(tmp_path):
    info = drafted(tmp_path, "# Joint Working Protocol\n\n## Introduction\n\n" + PARTIES.strip()
                   + " It was agreed by both boards in September 2024 and will be reviewed every two years.\n")
    assert info.title == "Joint Working Protocol"
    assert str(info.agreed) == "2024-09"
