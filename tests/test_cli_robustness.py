"""The terminal commands end cleanly however their input and output end."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.e2e


def _env(tmp_path) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'bb.db'}"}


def test_ask_json_for_an_unknown_area_prints_json_with_the_known_areas(tmp_path):
    r = subprocess.run([sys.executable, "-m", "bot.cli", "ask", "--area", "narnia", "--json", "who leads on CSE?"],
                       capture_output=True, text=True, env=_env(tmp_path), timeout=60)
    assert r.returncode == 2
    data = json.loads(r.stdout)
    assert data["ok"] is False
    assert "narnia" in data["error"]
    assert {"slug": "suffolk", "name": "Suffolk"} in data["areas"]
    assert len(data["areas"]) == 4
    assert "unknown area 'narnia'" in r.stderr  # people reading the terminal are told too


def test_ask_json_for_an_unknown_person_prints_json(tmp_path):
    r = subprocess.run([sys.executable, "-m", "bot.cli", "ask", "--area", "suffolk", "--as", "the pope", "--json", "boards"],
                       capture_output=True, text=True, env=_env(tmp_path), timeout=60)
    assert r.returncode == 2
    data = json.loads(r.stdout)
    assert data["ok"] is False and "pope" in data["error"]


def test_chat_ends_cleanly_when_input_ends_half_way_through_a_form(tmp_path):
    r = subprocess.run([sys.executable, "-m", "bot.cli", "chat", "--area", "buckinghamshire", "--as", "chair of BSCB"],
                       input="challenge HWB\n\nCSE data\n", capture_output=True, text=True, env=_env(tmp_path), timeout=60)
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr and "EOFError" not in r.stderr
    assert "Cancelled; nothing was saved." in r.stdout


def test_ask_piped_into_a_reader_that_stops_early_ends_without_a_traceback(tmp_path):
    # the reader (like `head`) has gone before boardbot writes: every write meets a closed pipe
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        proc = subprocess.run([sys.executable, "-m", "bot.cli", "ask", "--area", "suffolk", "help"],
                              stdout=write_end, stderr=subprocess.PIPE, text=True, env=_env(tmp_path), timeout=60)
    finally:
        os.close(write_end)
    assert "BrokenPipeError" not in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 141
