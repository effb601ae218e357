"""The ``boardbot`` command as a newcomer runs it: a real process, a fresh data directory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

LANCS = Path(__file__).resolve().parent.parent / "storage" / "protocol" / "data" / "lancashire.yaml"


def boardbot(*args: str, env: dict[str, str] | None = None, input: str | None = None, cwd=None):
    e = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], capture_output=True, text=True,
                          env=e, input=input, timeout=60, cwd=cwd)


def test_ask_json_answers_a_lead_question():
    r = boardbot("ask", "--area", "buckinghamshire", "--json", "who leads on CSE?")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["theme"] == "Child sexual exploitation (CSE)"
    assert data["leads"] == [{"key": "bscb", "name": "Buckinghamshire Safeguarding Children Board", "short_name": "BSCB"}]
    assert {s["short_name"] for s in data["supporting"]} == {"SSBPB", "BSAB", "HWB"}
    assert data["source"]["file"] == "002_3d7253e4d784d0af.txt"
    assert "BSCB" in data["text"]


def test_ask_json_with_no_lead_has_empty_leads():
    r = boardbot("ask", "--area", "lancashire", "--json", "who leads on modern slavery?")
    data = json.loads(r.stdout)
    assert data["leads"] == [] and data["theme"]


def test_ask_unknown_area_is_a_clear_error():
    r = boardbot("ask", "--area", "narnia", "who leads on CSE?")
    assert r.returncode != 0
    assert "unknown area 'narnia'" in r.stderr and "suffolk" in r.stderr


def test_chat_conversation_in_the_terminal():
    r = boardbot("chat", "--area", "suffolk", "--as", "chair of LSCB",
                 input="who leads on looked after children?\narea lancashire\nboards\nquit\n")
    assert r.returncode == 0, r.stderr
    assert "Speaking as: chair of LSCB (chair of the LSCB)" in r.stdout
    assert "Corporate Parenting Board" in r.stdout
    assert "Now answering for Lancashire" in r.stdout
    assert "Lancashire Health and Wellbeing Board" in r.stdout


def test_chat_rejects_an_unknown_identity():
    r = boardbot("chat", "--area", "suffolk", "--as", "the pope", input="quit\n")
    assert r.returncode != 0
    assert "don't know who" in r.stderr


def test_validate_reports_file_line_and_field(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(LANCS.read_text().replace("kind: health_and_wellbeing", "kind: wellness", 1))
    r = boardbot("protocol", "validate", str(bad))
    assert r.returncode == 1
    assert f"{bad}:" in r.stderr and "boards[0].kind" in r.stderr
    ok = boardbot("protocol", "validate", str(LANCS))
    assert ok.returncode == 0 and "valid" in ok.stdout


def test_import_is_all_or_nothing_then_updates_in_place(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'bb.db'}"}
    good = tmp_path / "lancs.yaml"
    good.write_text(LANCS.read_text().replace("Jane Booth", "A. N. Other"))
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema_version: 1\narea: {slug: x, name: X}\n")
    r = boardbot("protocol", "import", str(good), str(bad), env=env)
    assert r.returncode == 1 and "nothing was imported" in r.stderr
    before = boardbot("ask", "--area", "lancashire", "who chairs the LSCB?", env=env)
    assert "Jane Booth" in before.stdout

    r = boardbot("protocol", "import", str(good), "--by", "admin", env=env)
    assert r.returncode == 0, r.stderr
    assert "updated in place, revision 2" in r.stdout
    after = boardbot("ask", "--area", "lancashire", "who chairs the LSCB?", env=env)
    assert "A. N. Other" in after.stdout
    listing = boardbot("protocol", "list", env=env)
    assert "lancashire: Lancashire — revision 2 of 2" in listing.stdout


@pytest.mark.parametrize("bad", ["mysql://x@y/z", "not a url"])
def test_malformed_database_url_refuses_clearly(bad):
    r = boardbot("ask", "--area", "suffolk", "boards", env={"DATABASE_URL": bad})
    assert r.returncode == 2
    assert "DATABASE_URL" in r.stderr


def test_chat_forms_state_their_limits_and_ask_again_for_shorter_text():
    lines = ["challenge HWB", "", "x" * 301, "CSE profile \u202ein the JSNA", "The JSNA has no CSE profile.",
             "A plan to add one.", "", "challenges", "quit"]
    r = boardbot("chat", "--area", "buckinghamshire", "--as", "chair of BSCB", input="\n".join(lines) + "\n")
    assert r.returncode == 0, r.stderr
    assert "Subject (up to 300 characters)" in r.stdout
    assert "That is 301 characters; Subject takes at most 300" in r.stdout
    assert "CSE profile in the JSNA" in r.stdout and "\u202e" not in r.stdout  # and shown as typed, neutralised
