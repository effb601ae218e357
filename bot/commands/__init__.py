"""The commands: what people type, each answered by one async function.

:mod:`.registry` holds the registry (:func:`~bot.commands.registry.command`, ``REGISTRY``);
:func:`load_all` imports every command module so that each registers its commands. A
handler takes a :class:`~bot.context.Context` (the request, the area it is about, the parsed
arguments, the services) and returns a :class:`~bot.messages.Reply`; it never imports a
platform SDK. Command modules import :mod:`.registry`, :mod:`.replies` and
:mod:`.arguments`, never this package, which imports them.
"""

from __future__ import annotations

from bot.commands.registry import MODULES, REGISTRY, Command, command, listed, load
from bot.context import Context, Handler

__all__ = ["MODULES", "REGISTRY", "Command", "Context", "Handler", "command", "listed", "load", "load_all"]


def load_all() -> dict[str, Command]:
    """Import every command module (registering its commands) and return the registry."""
    listed()  # imports each module of registry.MODULES
    return REGISTRY
