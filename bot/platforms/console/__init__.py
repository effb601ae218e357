"""The terminal: ``boardbot chat`` and ``boardbot ask`` (:mod:`.terminal`).

Like errbot's text backend, it lets anyone try the bot with no Slack or Teams account,
through exactly the same core the platforms use. This module holds only :class:`Console`,
the :class:`~bot.platforms.base.Platform` the registry lists.
"""

from __future__ import annotations

from bot.platforms.base import Platform


class Console(Platform):
    """Always on; no routes, no outbox sender, no workspaces (so no ``--platform`` choice)."""

    name = "console"
    title = "Terminal"
    has_workspaces = False

    @property
    def enabled(self) -> bool:
        return True

    def status(self) -> str:
        return "on (boardbot chat, boardbot ask)"
