"""The platforms boardbot knows, in one list.

Everything that must know "which platforms are there" asks here: :mod:`bot.web` mounts each
one's routes and registers its outbox sender, :mod:`bot.cli` takes ``--platform`` choices
from :func:`workspace_platforms`, ``boardbot status`` prints each one's :meth:`status`, and
:mod:`bot.bootstrap` hands the core (``services.platforms``) what each needs, so a command
such as ``admin link-channel`` asks rather than naming one.

Adding a platform is its package under ``bot/platforms/`` (a :class:`~bot.platforms.base.Platform`
in its ``__init__``, the SDK imported only by its ``mount``) plus one entry in
:data:`PLATFORMS`; docs/architecture.md, "Adding a platform", says the rest.

Example::

    >>> [p.name for p in PLATFORMS]
    ['slack', 'teams', 'console']
    >>> workspace_platforms()
    ['slack', 'teams']
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.platforms.base import Platform
from bot.platforms.console import Console
from bot.platforms.slack import Slack
from bot.platforms.teams import Teams

if TYPE_CHECKING:
    from bot.config import Settings

PLATFORMS: tuple[type[Platform], ...] = (Slack, Teams, Console)


def workspace_platforms() -> list[str]:
    """The names an area's workspaces, channels and people are linked on (``--platform`` choices)."""
    return [p.name for p in PLATFORMS if p.has_workspaces]


def platforms(settings: Settings) -> list[Platform]:
    """Every platform, built from the settings (on or off: an off platform still mounts its refusals)."""
    return [p(settings) for p in PLATFORMS]


def platform(name: str, settings: Settings) -> Platform:
    """The platform called ``name``; KeyError naming the known ones for any other."""
    for p in PLATFORMS:
        if p.name == name:
            return p(settings)
    raise KeyError(f"no platform called {name!r}; boardbot knows {', '.join(p.name for p in PLATFORMS)}")
