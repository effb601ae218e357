"""A scripted terminal session, through the real ``boardbot chat`` process, without a button:
one challenge from raised to resolved with both chairs, an agenda request from asked to
accepted, and a reminder to done. Each person is a ``--as`` session on one database."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

pytestmark = pytest.mark.e2e


def chat(db: str, who: str, *lines: str) -> str:
    r = subprocess.run([sys.executable, "-m", "bot.cli", "chat", "--area", "buckinghamshire", "--as", who],
                       capture_output=True, text=True, input="\n".join([*lines, "quit"]) + "\n", timeout=90,
                       env={**os.environ, "DATABASE_URL": db})
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr, r.stderr
    assert "[1]" not in "".join(lines)
    return r.stdout


def test_a_challenge_an_agenda_request_and_a_reminder_are_finished_by_typing_alone(tmp_path):
    db = f"sqlite:///{tmp_path / 'boardbot.db'}"
    # the BSCB's chair raises a challenge and asks for an agenda item, answering each form's questions
    out = chat(db, "chair of BSCB",
               "challenge HWB", "", "CSE profiling", "The JSNA has no CSE profile.", "A plan to add one by spring.", "",
               "agenda request HWB", "", "CSE profile in the JSNA", "The board should see the gap.", "")
    assert "Challenge C1 raised" in out and "Agenda request A1 to the HWB" in out, out

    # the HWB's chair asks for more time; the BSCB's chair agrees it
    out = chat(db, "chair of HWB", "acknowledge C1", "more time C1 10 days the analyst is away")
    assert "Acknowledged by chair of HWB" in out and "Asked the BSCB for 10 more working day(s)" in out, out
    out = chat(db, "chair of BSCB", "inbox", "agree more time C1")
    assert "\u201cagree more time C1\u201d" in out and "Extension agreed" in out, out

    # the HWB responds and accepts the agenda item onto a meeting; its chair's answer is the board's
    out = chat(db, "chair of HWB", "respond C1 A CSE chapter goes into the spring refresh.",
               "agenda accept A1 2027-01-12 10:00")
    assert "Response sent to the BSCB" in out and "Accepted onto the meeting of Tue 12 Jan 2027" in out, out

    # the BSCB's chair resolves it, and its history reads in words
    out = chat(db, "chair of BSCB", "resolve C1 A CSE chapter is in the draft JSNA.", "challenge 1")
    assert "Challenge C1 resolved" in out and "Status: resolved" in out, out
    assert "agreed 10 more working day(s)" in out

    # the BSCB's business manager sets a reminder and marks it done
    out = chat(db, "business manager of BSCB", "remind BSCB 2027-01-20 09:30 send minutes to partners")
    number = re.search(r"#(\d+)", out).group(1)
    out = chat(db, "business manager of BSCB", f"remind done {number}", "calendar")
    assert "\u2713 Done: send minutes to partners" in out, out
    assert "send minutes to partners (BSCB) \u2014 done" in out
