"""Button presses and form submissions, routed by action name.

An action is the second half of a conversation a command started: a button on a
challenge notice, the submit of a challenge form. Handlers are registered with
:func:`action` by the workflow modules and take the same :class:`~bot.commands.Context`
as commands; what they return replaces the message the button sat on.
Permissions are checked in the handlers (the core), never by hiding buttons.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.commands import Context
from bot.messages import Reply, Request, error
from bot.services import Services

ActionHandler = Callable[[Context], Awaitable[Reply]]
ACTIONS: dict[str, ActionHandler] = {}


def action(name: str) -> Callable[[ActionHandler], ActionHandler]:
    def register(fn: ActionHandler) -> ActionHandler:
        ACTIONS[name] = fn
        return fn

    return register


def load_all() -> dict[str, ActionHandler]:
    import bot.workflows  # noqa: F401  (workflow modules register their actions on import)

    return ACTIONS


async def handle_action(request: Request, services: Services) -> Reply:
    load_all()
    assert request.action is not None
    handler = ACTIONS.get(request.action)
    if handler is None:
        return error("That button is no longer supported.", hint='Type "help" to see what you can do.')
    area_slug = request.value.get("area") or request.area
    area = services.knowledge.areas.get(area_slug) if area_slug else None
    if area is None:
        return error("That action is for an area boardbot no longer has.")
    ctx = Context(request=request, services=services, area=area, args={k: str(v) for k, v in request.value.items()})
    return await handler(ctx)
