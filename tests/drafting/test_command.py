"""`boardbot protocol draft` as a user runs it: a real process writing a file that validates."""

from __future__ import annotations

import subprocess
import sys

from tests.drafting.documents import write


def boardbot(*args: str, cwd=None):
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], capture_output=True, text=True, timeout=120, cwd=cwd)


def test_draft_writes_a_file_that_validates_and_says_what_is_pending(tmp_path):
    src = write("md", tmp_path)
    out = tmp_path / "northshire.yaml"
    r = boardbot("protocol", "draft", str(src), "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert "3 boards" in r.stdout and "facts pending review" in r.stdout
    assert f"boardbot protocol review {out} --source {src}" in r.stdout
    text = out.read_text()
    assert text.startswith("# Drafted by `boardbot protocol draft`")
    assert "review: pending" in text and "quote:" in text
    v = boardbot("protocol", "validate", str(out))
    assert v.returncode == 0, v.stderr
    assert "pending review" in v.stdout


def test_draft_will_not_overwrite_a_reviewed_file_and_reads_only_documents(tmp_path):
    src = write("txt", tmp_path)
    mine = tmp_path / "mine.yaml"
    mine.write_text("schema_version: 1\n")
    r = boardbot("protocol", "draft", str(src), "--out", str(mine))
    assert r.returncode == 2 and "is not a draft" in r.stderr
    assert mine.read_text() == "schema_version: 1\n"
    r = boardbot("protocol", "draft", str(tmp_path / "nothing.pdf"), "--out", str(tmp_path / "x.yaml"))
    assert r.returncode == 2 and "no such file" in r.stderr
    (tmp_path / "notes.odt").write_text("x")
    r = boardbot("protocol", "draft", str(tmp_path / "notes.odt"), "--out", str(tmp_path / "x.yaml"))
    assert r.returncode == 2 and ".docx, .pdf, .html, .md or .txt" in r.stderr
    assert not (tmp_path / "x.yaml").exists()


def test_two_documents_make_one_area(tmp_path):
    a = write("md", tmp_path)
    b = tmp_path / "terms.md"
    b.write_text("# Terms of reference of the Northshire Safeguarding Children Partnership\n\n"
                 "## Reporting\n\nThe NSCP will present its annual report to the Northshire Safeguarding Adults Board in the autumn.\n")
    out = tmp_path / "area.yaml"
    r = boardbot("protocol", "draft", str(a), str(b), "--out", str(out), "--area", "northshire")
    assert r.returncode == 0, r.stderr
    from storage.protocol.loader import load_protocol_file

    p = load_protocol_file(out).protocol
    assert len(p.documents) == 2 and p.area.slug == "northshire"
    assert len([x for x in p.boards if x.kind == "safeguarding_children"]) == 1
    rep = next(r for r in p.reports if r.from_board == "nscp")
    assert rep.to_boards == ["nsab"] and rep.season == "autumn" and rep.source.doc == p.documents[1].key
