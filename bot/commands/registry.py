"""The command registry: every command by its intent name, with its help.

A command is a plain async function registered with :func:`command`; its docstring is its
help text (the first line the summary ``help`` shows, an ``Examples:`` block what to type).
Command modules import this module, never the ``bot.commands`` package, whose
:func:`~bot.commands.load_all` imports them: so imports point one way.

A message needs one command, so :func:`load` imports only the module that registers it (and
what that module needs: a plain question does not pay for the database layer of the
administrators' commands); :func:`listed` loads them all, in the fixed order help shows.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable
from dataclasses import dataclass

from bot.context import Handler


@dataclass(frozen=True)
class Command:
    name: str
    handler: Handler
    section: str
    needs_area: bool
    summary: str
    help: str
    examples: tuple[str, ...]
    hidden: bool = False



REGISTRY: dict[str, Command] = {}



def _examples(doc: str) -> tuple[str, ...]:
    lines = doc.splitlines()
    out: list[str] = []
    collecting = False
    for line in lines:
        if line.strip().lower().startswith("examples"):
            collecting = True
            continue
        if collecting:
            if not line.strip():
                if out:
                    break
                continue
            out.append(line.strip())
    return tuple(out)



def command(
    name: str, *, section: str = "Lookups", needs_area: bool = True, hidden: bool = False
) -> Callable[[Handler], Handler]:
    """Register ``fn`` as the handler of intent ``name``."""

    def register(fn: Handler) -> Handler:
        doc = inspect.cleandoc(fn.__doc__ or "")
        summary = doc.splitlines()[0] if doc else name
        REGISTRY[name] = Command(name, fn, section, needs_area, summary, doc, _examples(doc), hidden)
        return fn

    return register


# Every command module, in the order help lists their commands (and so their sections).
MODULES: tuple[str, ...] = ("risks", "steps", "questions", "admin", "agenda", "boards", "calendar", "challenges",
                            "greeting", "help", "inbox", "lookup", "protocol", "remind", "report")

# The module that registers each command, so that a message imports only the module of the
# command it runs (and what that module needs), never every command's dependencies.
_MODULE_OF: dict[str, str] = {
    "risk": "risks", "step": "steps", "guess": "questions", "admin": "admin", "agenda": "agenda", "minutes": "agenda",
    "meeting": "agenda", "boards": "boards", "board": "boards", "calendar": "calendar", "challenge": "challenges",
    "greeting": "greeting", "help": "help", "inbox": "inbox", "themes": "lookup", "theme": "lookup",
    "protocol": "protocol", "route": "protocol", "meetings": "protocol", "reports": "protocol", "sharing": "protocol",
    "areas": "protocol", "remind": "remind", "report_year": "report",
}


def load(name: str) -> Command | None:
    """The command ``name``, its module imported now if it was not already (None: no such command)."""
    if name not in REGISTRY and name in _MODULE_OF:
        importlib.import_module(f"bot.commands.{_MODULE_OF[name]}")
    return REGISTRY.get(name)


def listed() -> list[Command]:
    """Every command, in the order help lists them: by :data:`MODULES`, then as each module
    registers them, whichever commands happened to run first."""
    for m in MODULES:
        importlib.import_module(f"bot.commands.{m}")
    order = {f"bot.commands.{m}": i for i, m in enumerate(MODULES)}
    position = {name: i for i, name in enumerate(REGISTRY)}
    return sorted(REGISTRY.values(), key=lambda c: (order.get(c.handler.__module__, len(order)), position[c.name]))
