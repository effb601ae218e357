"""Files written to format version 1 still load and answer as before, and
``boardbot protocol upgrade`` rewrites them to the current version, comments kept."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from storage.protocol.loader import load_protocol_file, parse_protocol
from storage.protocol.upgrade import CURRENT, upgrade_text

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "storage" / "protocol" / "data"


def as_version_1(text: str) -> str:
    """A bundled file as it was written to version 1 (before directors and delegates were stated)."""
    text = text.replace(f"schema_version: {CURRENT}\n", "schema_version: 1\n", 1).replace("    director: true\n", "")
    return "\n".join(line for line in text.split("\n") if not line.strip().startswith("on_behalf:"))


@pytest.mark.parametrize("name", ["buckinghamshire", "central-bedfordshire", "lancashire", "suffolk"])
def test_a_version_1_file_loads_as_the_current_file_does(name):
    current = load_protocol_file(DATA / f"{name}.yaml").protocol
    old = parse_protocol(as_version_1((DATA / f"{name}.yaml").read_text()), "old.yaml").protocol
    assert old == current


def test_upgrade_writes_the_fields_and_keeps_comments():
    old = as_version_1((DATA / "central-bedfordshire.yaml").read_text())
    new, changes = upgrade_text(old)
    assert new.count("\n# ") == old.count("\n# ") and "schema_version: 2" in new
    assert any("challenge.on_behalf" in c for c in changes)
    assert any("Director of Children's Services marked director: true" in c for c in changes)
    assert parse_protocol(new, "new.yaml").protocol == load_protocol_file(DATA / "central-bedfordshire.yaml").protocol
    assert upgrade_text(new) == (new, [])  # a current file is left as it is


@pytest.mark.e2e
def test_the_upgrade_command_rewrites_a_file_in_place(tmp_path):
    f = tmp_path / "area.yaml"
    f.write_text(as_version_1((DATA / "lancashire.yaml").read_text()))
    r = subprocess.run([sys.executable, "-m", "bot.cli", "protocol", "upgrade", str(f)], capture_output=True, text=True,
                       cwd=ROOT, timeout=60)
    assert r.returncode == 0, r.stderr
    assert "upgraded" in r.stdout and "marked director: true" in r.stdout
    assert f.read_text().startswith("# Lancashire") and "schema_version: 2" in f.read_text()
    again = subprocess.run([sys.executable, "-m", "bot.cli", "protocol", "upgrade", str(f)], capture_output=True,
                           text=True, cwd=ROOT, timeout=60)
    assert "nothing changed" in again.stdout
