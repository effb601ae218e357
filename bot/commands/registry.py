"""The command registry: every command by its intent name, with its help.

A command is a plain async function registered with :func:`command`; its docstring is its
help text (the first line the summary ``help`` shows, an ``Examples:`` block what to type).
Command modules import this module, never the ``bot.commands`` package, whose
:func:`~bot.commands.load_all` imports them: so imports point one way.
"""

from __future__ import annotations

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

