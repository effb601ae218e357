"""A new area's drafted file, broken by hand as an author might, through validate and import:
every problem named with its file, line and field; nothing imported while any file is wrong."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from storage.protocol.loader import ProtocolFileError, load_protocol_file
from tests.drafting.documents import write


def boardbot(*args: str, env: dict[str, str] | None = None):
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=120)


def _drafted(tmp_path):
    src = write("md", tmp_path)
    out = tmp_path / "northshire.yaml"
    r = boardbot("protocol", "draft", str(src), "--out", str(out), "--area", "northshire")
    assert r.returncode == 0, r.stderr
    return out


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line)


@pytest.mark.e2e
def test_every_problem_of_a_broken_draft_is_named_and_nothing_is_imported(tmp_path):
    good = _drafted(tmp_path)
    text = good.read_text()
    bad_text = (text.replace("  - csp\n", "  - cps\n", 1)
                .replace("cadence: quarterly", "cadence: fortnightly", 1)
                .replace("window_working_days: 20", "window_working_days: twenty", 1)
                .replace("rule: annual", "rule: annual\n    next_due: \"2026-13\"", 1))
    assert bad_text.count("cps") and "fortnightly" in bad_text and "twenty" in bad_text and "2026-13" in bad_text
    bad = tmp_path / "broken.yaml"
    bad.write_text(bad_text)
    v = boardbot("protocol", "validate", str(bad))
    assert v.returncode == 1
    problems = [line for line in v.stderr.splitlines() + v.stdout.splitlines() if line.startswith(f"{bad}:") and "valid" not in line]
    expect = {"leads[0]": "cps", "cadence": "fortnightly", "window_working_days": "twenty", "review.next_due": "2026-13"}
    for field, needle in expect.items():
        hit = [p for p in problems if f": {field}" in p or f".{field}:" in p]
        assert hit, (field, problems)
        assert hit[0].startswith(f"{bad}:{_line_of(bad_text, needle)}:"), hit[0]
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'bb.db'}"}
    r = boardbot("protocol", "import", str(good), str(bad), "--by", "Jo", env=env)
    assert r.returncode == 1 and "nothing was imported" in r.stderr
    listing = boardbot("protocol", "list", env=env)
    assert "northshire" not in listing.stdout


def test_an_impossible_date_is_refused_with_what_to_write(tmp_path):
    good = _drafted(tmp_path)
    bad = tmp_path / "dated.yaml"
    bad.write_text(good.read_text().replace("rule: annual", "rule: on_date\n    next_due: \"2026-02-30\"", 1))
    with pytest.raises(ProtocolFileError) as e:
        load_protocol_file(bad)
    assert "protocol.review.next_due: '2026-02-30' is not a real date: February 2026 has no day 30" in str(e.value)
