"""A command that answers about an area refuses to run without one, even under ``python -O``.

The router always chooses the area first; this guards the callers that do not (the check
was an ``assert``, which ``-O`` removes, so such a caller got an AttributeError deep inside).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.commands.board_profile import board_reply
from bot.context import Context
from bot.messages import Actor, Request
from bot.services import Services

ROOT = Path(__file__).resolve().parent.parent


def _context() -> Context:
    actor = Actor.holding("console", "console", "console:you", "you")
    return Context(request=Request(text="board LSCB", actor=actor), services=Services(knowledge=None), area=None)


def test_a_command_run_without_an_area_says_so():
    with pytest.raises(LookupError, match="runs in an area"):
        board_reply(_context(), "lscb")


def test_the_check_holds_under_python_dash_o():
    code = ("import sys; sys.path.insert(0, 'tests'); from test_commands_need_an_area import _context; "
            "from bot.commands.board_profile import board_reply\n"
            "try:\n    board_reply(_context(), 'lscb')\nexcept LookupError:\n    print('refused')")
    r = subprocess.run([sys.executable, "-O", "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert r.stdout.strip() == "refused", r.stderr
