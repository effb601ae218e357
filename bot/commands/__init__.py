"""Command registry. A command is a plain async function; its docstring is its help text.

The first docstring line is the one-line summary shown by ``help``; an ``Examples:``
block lists what to type. Handlers take a :class:`~bot.context.Context` (the request, the area it is
about, the parsed arguments, the services) and return a :class:`~bot.messages.Reply`.
They never import a platform SDK.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.context import Context, Handler

__all__ = ["REGISTRY", "Command", "Context", "Handler", "cited", "command", "load_all", "sources_line", "strip_area_words"]


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


def load_all() -> dict[str, Command]:
    """Import every command module (registering its commands) and return the registry."""
    from bot.commands import (  # noqa: F401
        admin,
        agenda,
        boards,
        calendar,
        challenges,
        greeting,
        help,
        inbox,
        lookup,
        protocol,
        questions,
        remind,
        report,
        risks,
        steps,
    )

    return REGISTRY


def strip_area_words(ctx: Context, text: str) -> str:
    """``text`` without the trailing "in Suffolk" (or bare "Suffolk") the router used to choose the area."""
    if not ctx.area_named or ctx.area is None:
        return text
    area = ctx.area
    for name in sorted([area.name, area.slug.replace("-", " "), area.slug, *area.protocol.area.aliases], key=len, reverse=True):
        text = re.sub(rf"\s*(?:\b(?:in|for)\s+)?\b{re.escape(name)}\s*[?.!]*\s*$", "", text, flags=re.I)
    return text.strip()


def cited(reply_data: dict[str, Any], citations) -> dict[str, Any]:
    """Add ``source`` (the first citation) and ``sources`` (all) to a JSON answer."""
    cites = [c.as_json() for c in citations]
    reply_data.setdefault("source", cites[0] if cites else None)
    reply_data.setdefault("sources", cites)
    return reply_data


def sources_line(citations, *, keep_order: bool = False) -> str:
    """"Sources: 2.1; 3 Officers Meeting (002_....txt)", grouped by file: an area's protocol
    may come from more than one document, and each clause must name its own."""
    by_file: dict[str, list[str]] = {}
    for c in citations:
        clauses = by_file.setdefault(c.file, [])
        if c.clause not in clauses:
            clauses.append(c.clause)
    parts = [f"{'; '.join(cl if keep_order else sorted(cl))} ({f})" for f, cl in by_file.items()]
    return "Sources: " + "; ".join(parts)
