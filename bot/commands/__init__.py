"""Command registry. A command is a plain async function; its docstring is its help text.

The first docstring line is the one-line summary shown by ``help``; an ``Examples:``
block lists what to type. Handlers take a :class:`~bot.context.Context` (the request, the area it is
about, the parsed arguments, the services) and return a :class:`~bot.messages.Reply`.
They never import a platform SDK.
"""

from __future__ import annotations

from bot.commands.registry import REGISTRY, Command, cited, command, sources_line, strip_area_words
from bot.context import Context, Handler

__all__ = ["REGISTRY", "Command", "Context", "Handler", "cited", "command", "load_all", "sources_line", "strip_area_words"]


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
