"""A message loads only the command module it needs; help lists every command in one fixed order.

The router imports a command's module when the command first runs (``bot.commands.registry.load``),
so a plain question does not import, say, the administrators' commands and the database layer
behind them. Help loads them all and lists them in the order of ``MODULES``, whatever ran first.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bot.commands import REGISTRY, load_all
from bot.commands.registry import _MODULE_OF, MODULES, listed

ROOT = Path(__file__).resolve().parent.parent


def test_every_command_is_found_in_the_module_that_registers_it():
    load_all()
    for name, cmd in REGISTRY.items():
        if cmd.handler.__module__.startswith("bot.commands."):
            assert _MODULE_OF.get(name) == cmd.handler.__module__.rsplit(".", 1)[1], name
    assert set(_MODULE_OF.values()) == set(MODULES)


def test_help_lists_by_module_then_as_registered():
    names = [c.name for c in listed() if c.handler.__module__.startswith("bot.commands.")]
    assert names[:3] == ["risk", "step", "guess"] and names.index("boards") < names.index("themes") < names.index("remind")


_RUN = """
import asyncio, sys
from bot.knowledge import Knowledge
from bot.messages import Actor, Request
from bot.router import handle
from bot.services import Services
from storage.protocol.loader import bundled_protocol_paths, load_protocol_file

services = Services(knowledge=Knowledge([load_protocol_file(p).protocol for p in bundled_protocol_paths()]))
actor = Actor.holding("console", "console", "console:you", "you")

async def main():
    for text in sys.argv[1:]:
        reply = await handle(Request(text=text, actor=actor, area="suffolk", conversation=text), services)
        print(reply.text if text == "help" else "")
    print("LOADED", sorted(m for m in sys.modules if m.startswith("bot.commands.") and m.count(".") == 2))

asyncio.run(main())
"""


def _run(*texts: str) -> str:
    r = subprocess.run([sys.executable, "-c", _RUN, *texts], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_a_question_loads_the_questions_and_not_every_command():
    loaded = _run("who leads on CSE?").split("LOADED", 1)[1]
    assert "bot.commands.questions" in loaded
    for heavy in ("bot.commands.admin", "bot.commands.inbox", "bot.commands.calendar", "bot.commands.report"):
        assert heavy not in loaded, heavy


def test_help_is_the_same_whatever_ran_before_it():
    first = _run("help").split("LOADED", 1)[0]
    after = _run("boards", "remind list", "who chairs the LSCB?", "help").split("LOADED", 1)[0]
    assert first.strip() and first.strip() == after.strip()


async def test_help_lists_the_lookups_first_and_administration_last(bot) -> None:
    """Anyone's questions come first in help; the admins' commands after everyone's work."""
    text = (await bot("help")).text
    headings = [line[:-1] for line in text.splitlines() if line.endswith(":") and not line.startswith(" ")]
    assert headings[0] == "Lookups", headings
    assert headings.index("Mutual challenge") < headings.index("Risk log") < headings.index("Administration"), headings
