"""What a handler is given, and how button and form handlers are registered.

A command (:mod:`bot.commands`) and an action (a button press or a form's submit, the
second half of a conversation a command started) both take one :class:`Context` and return
a :class:`~bot.messages.Reply`. The context and the action registry live here, below the
command registry, the action dispatcher (:mod:`bot.actions`) and the workflows, so that a
workflow registers its buttons and reads its request without importing the code that
dispatches to it: imports point one way.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.messages import Reply, Request

if TYPE_CHECKING:
    from bot.knowledge import AreaKnowledge, Knowledge
    from bot.services import Services


@dataclass
class Context:
    """One request on its way through a handler: the neutral request, the services, the area
    it is about (decided by the router or the action dispatcher, never by a button value) and
    the parsed arguments."""

    request: Request
    services: Services
    area: AreaKnowledge | None
    args: dict[str, str] = field(default_factory=dict)
    phrase: str = ""
    area_named: bool = False  # the question itself named the area
    understanding: Any = None  # what the question asks (bot.language.understand.Understanding), for questions
    turn: Any = None  # set by a question's answer: the conversation's new last turn

    @property
    def knowledge(self) -> Knowledge:
        return self.services.knowledge

    @property
    def here(self) -> AreaKnowledge:
        """The area, for a handler that only runs with one (every action, and commands that
        need an area): a missing area is a wiring mistake, raised rather than asserted."""
        if self.area is None:
            raise LookupError("this handler runs in an area, and the request has none")
        return self.area


Handler = Callable[[Context], Awaitable[Reply]]
ActionHandler = Handler


# --- the action registry ---------------------------------------------------------------------


@dataclass(frozen=True)
class Subject:
    """The kind of stored object an action acts on: ``model`` (with ``id`` and ``area_id``),
    found by the id in the value's ``key`` field; ``noun`` is how refusals name it and
    ``audit`` its subject type in the audit."""

    noun: str
    model: Any
    key: str = "id"
    audit: str = ""


ACTIONS: dict[str, ActionHandler] = {}
SUBJECTS: dict[str, Subject] = {}


def action(name: str, *, on: Subject | None = None) -> Callable[[ActionHandler], ActionHandler]:
    """Register a handler for action ``name``; ``on`` names the kind of object it acts on."""

    def register(fn: ActionHandler) -> ActionHandler:
        ACTIONS[name] = fn
        if on is not None:
            SUBJECTS[name] = on
        else:
            SUBJECTS.pop(name, None)
        return fn

    return register
