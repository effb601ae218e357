"""The contract every chat platform implements, so the core never knows which one it is talking to.

Learnt from errbot's backends and opsdroid's connectors: a platform is one class, built from
the settings, that says whether it is configured, mounts its own routes on the server,
hands the outbox a sender for proactive posts and renders the core's neutral data its own
way. :mod:`bot.platforms.registry` lists them; :mod:`bot.web` mounts whatever the registry
holds, :mod:`bot.cli` takes its ``--platform`` choices from it and :mod:`bot.bootstrap` tells
the core (``services.platforms``) what each one needs.

A platform's class lives in its package's ``__init__`` and imports no SDK at module level:
the registry is read by every ``boardbot`` command, and ``boardbot ask`` must not pay for
Bolt or botbuilder. The SDK is imported by :meth:`Platform.mount`, only when the platform
is on.

Example (a platform with one route, off unless ``CHAT_TOKEN`` is set)::

    class Chat(Platform):
        name = "chat"
        title = "Chat"

        @property
        def enabled(self) -> bool:
            return bool(self.settings.chat_token)

        def status(self) -> str:
            return "on" if self.enabled else "off (set CHAT_TOKEN)"

        def endpoints(self) -> list[Endpoint]:
            return [Endpoint("POST /chat/events", "Chat: signed requests" if self.enabled else "Chat: off, every request 401")]

        def mount(self, app, services):
            from bot.platforms.chat.app import mount  # the SDK, only now
            return mount(app, services, self.settings)
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from aiohttp import web

    from bot.config import Settings
    from bot.services import Services
    from scheduler.outbox import Sender


@dataclass(frozen=True)
class Endpoint:
    """A route a platform adds to the server, and how it is protected, as ``boardbot serve`` prints it."""

    route: str  # "POST /slack/events"
    protection: str  # "Slack: requests signed with SLACK_SIGNING_SECRET; ..."


class Platform(ABC):
    """One chat platform: Slack, Teams, the terminal.

    ``name`` is what the core sees (``Request.platform``, the outbox's sender key, stored
    links and ``--platform``); ``title`` is how people read it. ``has_workspaces`` says
    whether its users come in workspaces or tenants an area is linked to (the terminal's do
    not, so it is no ``--platform`` choice). ``keeps_conversation_references`` says whether
    a proactive post needs the conversation reference stored when a channel is linked
    (Teams does; Slack posts by channel id).
    """

    name: ClassVar[str]
    title: ClassVar[str]
    has_workspaces: ClassVar[bool] = True
    keeps_conversation_references: ClassVar[bool] = False

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @property
    @abstractmethod
    def enabled(self) -> bool:
        """Whether the settings turn this platform on (off is the safe default)."""

    @abstractmethod
    def status(self) -> str:
        """How it is configured, in words (no secret); when off, what to set to turn it on."""

    def endpoints(self) -> list[Endpoint]:
        """The routes :meth:`mount` adds, each with how it is protected (on or off)."""
        return []

    def mount(self, app: web.Application, services: Services) -> Sender | None:
        """Add this platform's routes to ``app`` (when off, routes that refuse) and return its
        outbox sender, or None when it has none (off, or no proactive posts)."""
        return None

    def manifest(self) -> Path | None:
        """The app manifest or package an administrator installs, if the platform has one."""
        return None
